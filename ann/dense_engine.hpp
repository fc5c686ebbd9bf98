// The dense engine: a layer graph behind the one Engine interface. One dense input port per
// graph input ("<input>"), one dense output port per output layer ("<layer>.out"); layers run
// on their own period and emit frames; probes record layer activations.
#pragma once

#include <Eigen/Core>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "ann/graph_quantization.hpp"
#include "ann/layer_graph.hpp"
#include "ann/layer_runtime.hpp"
#include "core/engine.hpp"

namespace tandem::ann {

struct DenseEngineOptions {
  // float32, fixed or tianjic (the integer ones need the graph quantised in that precision);
  // loihi is an InputError.
  Precision precision = Precision::float32;
  // When some delta layer approximates (threshold > 0), run an always-on copy of the graph
  // alongside and keep each layer's max abs output error against it (not counted as ops).
  bool measure_approximation_error = true;
};

// Tick rules (simulation.cpp rule 3): at tick t, frames arriving at t set the inputs (the last
// one wins), then every layer with t % period == phase runs, in topological order, on the sum
// of its sources' current outputs (a source that ran at t gives its new value, others their
// last one); output layers that ran emit a frame stamped t. Outputs are 0 before a layer's
// first run. Probes sample the current activations at ticks t with t % every_ticks == 0.
class DenseEngine : public Engine {
 public:
  DenseEngine(std::string name, LayerGraph graph, DenseEngineOptions options = {});
  ~DenseEngine() override;

  [[nodiscard]] std::string_view name() const override { return name_; }
  [[nodiscard]] std::span<const PortSpec> ports() const override { return ports_; }
  void reset(const RunContext& context) override;
  void advance(const Epoch& epoch, const Mailbox& inbox, Mailbox& outbox) override;
  [[nodiscard]] std::span<const NodeCounters> counters() const override { return counters_; }
  // Variable "activations" of a layer: streams /ann/<layer>/activations and /ann/<layer>/tick.
  bool enroll_probe(const Probe& probe, Recorder& recorder) override;
  void record(Recorder& recorder) override;

  [[nodiscard]] const LayerGraph& graph() const { return graph_; }
  [[nodiscard]] Precision precision() const { return options_.precision; }
  // A layer's current output (dequantised in fixed and tianjic). InputError for an unknown layer.
  [[nodiscard]] const Eigen::VectorXf& output(const std::string& layer) const;
  // Whether an always-on reference runs alongside (see DenseEngineOptions).
  [[nodiscard]] bool measures_approximation_error() const { return reference_enabled_; }
  // Max abs difference of the layer's outputs from the always-on reference since reset
  // (0 when not measured: then every layer is exact by construction or unmeasured).
  [[nodiscard]] double approximation_error(const std::string& layer) const;
  // The quantisation error quantize() measured (integer precisions), shown per layer in the
  // energy report (`quantisation`); `calibration` says on what it was measured.
  void note_quantisation(const QuantizationReport& report, const std::string& calibration);

 private:
  struct Network;  // layer runtimes + node values; the engine has one, the reference another
  struct ProbeState;
  void run_layer(std::size_t layer, Network& network, ExecutionMode mode, OpCounts& executed);
  void set_input(std::size_t input, const Eigen::VectorXf& values, Network& network) const;

  std::string name_;
  LayerGraph graph_;
  DenseEngineOptions options_;
  std::vector<PortSpec> ports_;
  std::vector<NodeCounters> counters_;  // graph inputs first, then layers (topological order)
  std::vector<std::size_t> output_port_of_layer_;  // port index, or npos
  std::unique_ptr<Network> network_;
  std::unique_ptr<Network> reference_;
  bool reference_enabled_ = false;
  std::vector<double> max_error_;
  ExecutionMode mode_ = ExecutionMode::event;
  std::vector<ProbeState> probes_;
};

// NeuroBench vocabulary over the dense nodes of a counter table.
struct DenseSummary {
  std::uint64_t effective_macs = 0;  // executed multiply-accumulates ("effective synaptic ops")
  std::uint64_t dense_macs = 0;      // the same layers always-on ("dense synaptic ops")
  // 1 - inputs that caused work / inputs always-on: the fraction of zero (zero-skip) or
  // unchanged (delta) layer inputs — NeuroBench's activation sparsity for zero-skip layers.
  double activation_sparsity = 0.0;
  std::uint64_t footprint_bytes = 0;  // weights + biases of the dense layers
};
DenseSummary summarize_dense(std::span<const NodeCounters> counters);

}  // namespace tandem::ann
