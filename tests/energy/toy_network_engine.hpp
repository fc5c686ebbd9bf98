// A hand-countable network as one test Engine: 4 scripted input units -> projection (all-to-all,
// weight 1) -> 3 integrate-and-fire neurons (threshold 2, reset to 0) -> a dense readout of 2
// outputs. It counts exactly what docs/energy.md says an engine counts, in event and
// always-on mode, so tests can check the ledger against arithmetic written by hand.
#pragma once

#include <utility>
#include <vector>

#include "core/engine.hpp"

namespace tandem::testing {

class ToyNetworkEngine : public Engine {
 public:
  static constexpr std::size_t inputs = 4;
  static constexpr std::size_t neurons = 3;
  static constexpr std::size_t outputs = 2;
  static constexpr int threshold = 2;

  // Input spikes as (tick, unit).
  explicit ToyNetworkEngine(std::vector<std::pair<Tick, std::uint32_t>> schedule)
      : schedule_(std::move(schedule)) {
    counters_ = {
        NodeCounters{.node = "input", .kind = NodeKind::input, .units = inputs, .targets = {"in_to_pop"}},
        NodeCounters{.node = "in_to_pop",
                     .kind = NodeKind::projection,
                     .units = inputs * neurons,  // a projection's units are its synapses
                     .fan_in = inputs,
                     .synapse_memory_bytes = inputs * neurons * 4,  // float32 weights
                     .targets = {"pop"}},
        NodeCounters{.node = "pop", .kind = NodeKind::spiking, .units = neurons, .state_bytes = neurons * 8,
                     .targets = {"readout"}},
        NodeCounters{.node = "readout",
                     .kind = NodeKind::dense,
                     .units = outputs,
                     .fan_in = neurons,
                     .synapse_memory_bytes = neurons * outputs * 4}};
  }

  std::string_view name() const override { return "toy"; }
  std::span<const PortSpec> ports() const override { return {}; }
  void reset(const RunContext& context) override {
    mode_ = context.mode;
    accumulator_.assign(neurons, 0);
    for (auto& counter : counters_) {
      counter.executed = {};
      counter.always_on = {};
    }
  }
  void advance(const Epoch& epoch, const Mailbox&, Mailbox&) override {
    for (Tick t = epoch.begin; t < epoch.end; ++t) step(t);
  }
  std::span<const NodeCounters> counters() const override { return counters_; }
  bool enroll_probe(const Probe&, Recorder&) override { return false; }
  void record(Recorder&) override {}

 private:
  void step(Tick t) {
    OpCounts event[4];
    OpCounts dense[4];
    std::uint64_t input_spikes = 0;
    for (const auto& [tick, unit] : schedule_) input_spikes += tick == t ? 1 : 0;
    event[0].add(Op::spike, input_spikes);
    dense[0].add(Op::spike, inputs);  // always-on: every unit sends every tick
    event[1].add(Op::synaptic_op, input_spikes * neurons);
    dense[1].add(Op::synaptic_op, inputs * neurons);
    std::uint64_t pop_spikes = 0;
    for (auto& v : accumulator_) {
      v += static_cast<int>(input_spikes);
      if (v >= threshold) {
        ++pop_spikes;
        v = 0;
      }
    }
    event[2].add(input_spikes > 0 ? Op::neuron_update : Op::neuron_update_skipped, neurons);
    event[2].add(Op::spike, pop_spikes);
    dense[2].add(Op::neuron_update, neurons);
    dense[2].add(Op::spike, neurons);
    event[3].add(Op::mac, pop_spikes * outputs);
    const std::uint64_t active = pop_spikes > 0 ? outputs : 0;
    event[3].add(Op::activation, active);
    event[3].add(Op::spike, active);
    dense[3].add(Op::mac, neurons * outputs);
    dense[3].add(Op::activation, outputs);
    dense[3].add(Op::spike, outputs);
    for (std::size_t n = 0; n < 4; ++n) {
      counters_[n].executed += mode_ == ExecutionMode::event ? event[n] : dense[n];
      counters_[n].always_on += dense[n];
    }
  }

  std::vector<std::pair<Tick, std::uint32_t>> schedule_;
  std::vector<NodeCounters> counters_;
  std::vector<int> accumulator_;
  ExecutionMode mode_ = ExecutionMode::event;
};

}  // namespace tandem::testing
