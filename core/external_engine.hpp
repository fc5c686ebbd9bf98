// The network's door to a program that steps it (the Python module's Simulation.step): external
// inputs are nodes of dense values the program sends, outputs are wires from nodes of the network
// whose values or spikes the program takes out between runs. Like an environment, it is not on
// the chip: it counts no operations, and its nodes are never placed on cores.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/engine.hpp"

namespace tandem {

struct ExternalInput {
  std::string name;  // the node name (and its output port's name)
  std::size_t width = 0;
};

struct ExternalOutput {
  std::string name;  // "node" or "node.port" as the network names it (the input port's name)
  PortKind kind = PortKind::dense;
  std::size_t width = 0;
};

// Tick semantics (the same as an environment's, environments/environment_engine.hpp):
//  - send(input, tick, values) stamps a frame with `tick` (the caller's: the next tick to run);
//    it leaves in the epoch that holds that tick and arrives after its wire's latency.
//  - A dense output keeps the last frame that arrived (by arrival tick); a spike output keeps
//    every spike that arrived until take_spikes().
class ExternalEngine final : public Engine {
 public:
  ExternalEngine(std::string name, std::vector<ExternalInput> inputs, std::vector<ExternalOutput> outputs);

  [[nodiscard]] std::string_view name() const override { return name_; }
  [[nodiscard]] std::span<const PortSpec> ports() const override { return ports_; }
  void reset(const RunContext& context) override;
  void advance(const Epoch& epoch, const Mailbox& inbox, Mailbox& outbox) override;
  [[nodiscard]] std::span<const NodeCounters> counters() const override { return counters_; }
  // Nothing of its own to record (the values it carries are recorded where they go).
  bool enroll_probe(const Probe& /*probe*/, Recorder& /*recorder*/) override { return false; }
  void record(Recorder& /*recorder*/) override {}

  [[nodiscard]] const std::vector<ExternalInput>& inputs() const { return inputs_; }
  [[nodiscard]] const std::vector<ExternalOutput>& outputs() const { return outputs_; }
  // Index into inputs() / outputs() by name; npos when there is none.
  [[nodiscard]] std::size_t input_index(std::string_view name) const;
  [[nodiscard]] std::size_t output_index(std::string_view name) const;
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  // Queues `values` (inputs()[input].width of them) to leave at `tick`. InputError naming the
  // input when the count differs or a value is not finite.
  void send(std::size_t input, Tick tick, std::span<const float> values);
  // The last frame of a dense output, or nullptr before the first arrived.
  [[nodiscard]] const DenseFrame* latest(std::size_t output) const;
  // The spikes a spike output received since the last call (arrival ticks), and forgets them.
  SpikeBatch take_spikes(std::size_t output);

 private:
  std::string name_;
  std::vector<ExternalInput> inputs_;
  std::vector<ExternalOutput> outputs_;
  std::vector<PortSpec> ports_;  // outputs first (in ports), then inputs (out ports)
  std::vector<NodeCounters> counters_;
  std::vector<std::vector<DenseFrame>> queued_;  // per input, by tick
  std::vector<DenseFrame> latest_;                // per output (dense)
  std::vector<bool> has_latest_;
  std::vector<SpikeBatch> spikes_;                // per output (spikes)
};

}  // namespace tandem
