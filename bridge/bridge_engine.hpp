// The bridge engine: holds bridge units (encoders values -> spikes, decoders spikes -> values)
// and is an ordinary Engine — per unit one input port "<unit>.in" and one output port
// "<unit>.out", both on node "<unit>", one NodeCounters (kind bridge) per unit.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "bridge/unit.hpp"
#include "bridge/unit_probes.hpp"

namespace tandem::bridge {

class BridgeEngine : public Engine {
 public:
  // Unit names must be unique; ports follow the order of `units` (unit u: ports 2u and 2u+1).
  BridgeEngine(std::string name, std::vector<std::unique_ptr<Unit>> units);

  [[nodiscard]] std::string_view name() const override { return name_; }
  [[nodiscard]] std::span<const PortSpec> ports() const override { return ports_; }
  void reset(const RunContext& context) override;
  // Tick rule (simulation.cpp rule 3): each unit applies what arrives at tick t, converts, and
  // stamps what it emits with t. Units are independent, so they advance one after the other.
  void advance(const Epoch& epoch, const Mailbox& inbox, Mailbox& outbox) override;
  [[nodiscard]] std::span<const NodeCounters> counters() const override { return counters_; }
  bool enroll_probe(const Probe& probe, Recorder& recorder) override;
  void record(Recorder& recorder) override;

  [[nodiscard]] std::size_t unit_count() const { return units_.size(); }
  [[nodiscard]] const UnitDescription& description(std::size_t unit) const { return units_.at(unit)->description(); }
  // The descriptions of all units (window, latency, nonlinearity, quantisation).
  [[nodiscard]] std::vector<UnitDescription> descriptions() const;

 private:
  void reset_counters();

  std::string name_;
  std::vector<std::unique_ptr<Unit>> units_;
  std::vector<PortSpec> ports_;
  std::vector<NodeCounters> counters_;
  std::vector<UnitProbes> probes_;
  ExecutionMode mode_ = ExecutionMode::event;
  WorkerPool* workers_ = nullptr;  // this run's threads (nullptr: one)
};

}  // namespace tandem::bridge
