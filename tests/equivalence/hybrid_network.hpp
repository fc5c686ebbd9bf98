// A seeded hybrid network for the equivalence and energy tests: Poisson and generated spikes →
// LIF population (delays) → count decoder (20-tick window) → dense MLP (period 20) → rate and
// delta encoders → two more LIF populations, one of which feeds back into the first (latency 2).
#pragma once

#include <memory>
#include <string>

#include "ann/dense_engine.hpp"
#include "ann/graph_quantization.hpp"
#include "bridge/bridge_engine.hpp"
#include "bridge/delta_coding.hpp"
#include "bridge/window_decoders.hpp"
#include "bridge/window_encoders.hpp"
#include "core/random.hpp"
#include "core/simulation.hpp"
#include "neurons/event_engine.hpp"
#include "neurons/lif.hpp"

namespace tandem::testing {

struct HybridShape {
  std::size_t inputs = 16;     // neurons of the first population ("sensory") = MLP inputs and outputs
  std::size_t hidden = 8;      // hidden units of the MLP
  std::uint64_t seed = 1;      // network weights, spike generator and the run seed
  Precision precision = Precision::float32;
  Tick window_ticks = 20;      // decoder/encoder window = MLP period
};

// Engine names and ports, for wiring and probes.
inline constexpr const char* snn_engine = "snn";
inline constexpr const char* bridge_engine = "bridge";
inline constexpr const char* mlp_engine = "mlp";

// The MLP: counts (inputs) → hidden (relu, zero-skip; delta in fixed point) → out (relu).
inline ann::LayerGraph hybrid_mlp(const HybridShape& shape) {
  RandomStream random = RandomStream::derived(shape.seed, "mlp weights");
  const auto random_layer = [&random](std::string name, std::string source, std::size_t outputs, std::size_t inputs,
                                      double low, double high) {
    ann::DenseLayerSpec layer;
    layer.name = std::move(name);
    layer.sources = {std::move(source)};
    layer.weight.resize(static_cast<Eigen::Index>(outputs), static_cast<Eigen::Index>(inputs));
    const double scale = 1.0 / std::sqrt(static_cast<double>(inputs));
    for (Eigen::Index j = 0; j < layer.weight.cols(); ++j) {
      for (Eigen::Index i = 0; i < layer.weight.rows(); ++i) {
        layer.weight(i, j) = static_cast<float>(random.uniform(low, high) * scale);
      }
    }
    layer.bias = Eigen::VectorXf::Constant(static_cast<Eigen::Index>(outputs), 0.05F);
    layer.activation.kind = ann::ActivationKind::relu;
    return layer;
  };
  ann::LayerGraph graph;
  graph.add_input("counts", shape.inputs);
  ann::DenseLayerSpec hidden = random_layer("hidden", "counts", shape.hidden, shape.inputs, -1.0, 2.0);
  ann::DenseLayerSpec out = random_layer("out", "hidden", shape.inputs, shape.hidden, -1.0, 2.0);
  for (ann::DenseLayerSpec* layer : {&hidden, &out}) {
    layer->period_ticks = shape.window_ticks;  // runs at t = 0, W, 2W … on the frame that arrived at t
    layer->phase_ticks = 0;
  }
  // Delta with threshold 0 is exact in fixed point (integer sums); float uses zero-skip.
  if (shape.precision == Precision::fixed) hidden.event_kind = ann::EventKind::delta;
  graph.add_layer(std::move(hidden));
  graph.add_layer(std::move(out));
  graph.finalize();
  if (shape.precision == Precision::fixed) {
    // Calibrate on spike-count rates in [0, 1], the decoder's output range.
    ann::Batch calibration;
    Eigen::MatrixXf rates(static_cast<Eigen::Index>(shape.inputs), 64);
    for (Eigen::Index k = 0; k < rates.size(); ++k) rates.data()[k] = static_cast<float>(random.uniform());
    calibration["counts"] = rates;
    ann::quantize(graph, calibration);
  }
  return graph;
}

// Builds the whole hybrid network into `sim` (engines and wires).
inline void build_hybrid(Simulation& sim, const HybridShape& shape) {
  using namespace neurons;
  const std::size_t n = shape.inputs;
  auto snn = std::make_unique<EventEngine>(snn_engine, sim.settings().time);
  Lif::Parameters lif;  // tau 20 ms, threshold 20 mV, reset 0
  lif.refractory_ms = 2.0;
  snn->add_poisson_group("noise", n, 40.0);
  RandomStream cue_random = RandomStream::derived(shape.seed, "cue spikes");
  std::vector<std::pair<Tick, std::uint32_t>> cue;
  for (int k = 0; k < 40; ++k) {
    cue.emplace_back(static_cast<Tick>(cue_random.uniform(0.0, 300.0)),
                     static_cast<std::uint32_t>(cue_random.uniform(0.0, static_cast<double>(n))) % static_cast<std::uint32_t>(n));
  }
  snn->add_spike_generator("cue", n, std::move(cue));
  snn->add_population<Lif>("sensory", n, lif);
  snn->add_population<Lif>("motor", n, lif);
  snn->add_population<Lif>("delta", 2 * n, lif);
  snn->connect({.name = "noise_sensory", .source = "noise", .target = "sensory", .receptor = "v",
                .rule = Rule::fixed_probability, .probability = 0.5, .weight = 9.0F, .delay_ms = 1.0, .delay_max_ms = 4.0});
  snn->connect({.name = "cue_sensory", .source = "cue", .target = "sensory", .receptor = "v",
                .rule = Rule::one_to_one, .weight = 25.0F, .delay_ms = 2.0});
  snn->connect({.name = "sensory_sensory", .source = "sensory", .target = "sensory", .receptor = "v",
                .rule = Rule::fixed_probability, .probability = 0.2, .weight = -3.0F, .delay_ms = 1.0, .delay_max_ms = 3.0});
  snn->add_spike_input_port("rate_in", "motor", "v", 12.0F);
  snn->add_spike_input_port("delta_in", "delta", "v", 21.0F);
  snn->add_spike_input_port("feedback", "sensory", "v", 6.0F);
  sim.add(std::move(snn));

  std::vector<std::unique_ptr<bridge::Unit>> units;
  const bridge::Window window{shape.window_ticks, 0};
  units.push_back(bridge::make_count_decoder({.name = "count", .channels = n, .window = window, .range = {0.0, 1.0}}));
  // Windows start one tick after the MLP runs, when its frame arrives.
  units.push_back(bridge::make_rate_encoder(
      {.name = "rate", .channels = n, .window = {shape.window_ticks, 1}, .range = {0.0, 1.0}}));
  units.push_back(bridge::make_delta_encoder({.name = "delta_enc", .channels = n, .threshold = 0.05}));
  sim.add(std::make_unique<bridge::BridgeEngine>(bridge_engine, std::move(units)));

  sim.add(std::make_unique<ann::DenseEngine>(mlp_engine, hybrid_mlp(shape), ann::DenseEngineOptions{shape.precision}));

  sim.connect({{snn_engine, "sensory.spikes"}, {bridge_engine, "count.in"}, 1});
  sim.connect({{bridge_engine, "count.out"}, {mlp_engine, "counts"}, 1});
  sim.connect({{mlp_engine, "out.out"}, {bridge_engine, "rate.in"}, 1});
  sim.connect({{mlp_engine, "out.out"}, {bridge_engine, "delta_enc.in"}, 1});
  sim.connect({{bridge_engine, "rate.out"}, {snn_engine, "rate_in"}, 1});
  sim.connect({{bridge_engine, "delta_enc.out"}, {snn_engine, "delta_in"}, 3});
  sim.connect({{snn_engine, "motor.spikes"}, {snn_engine, "feedback"}, 2});  // the recurrent loop
}

// Every node of the hybrid network with its probes (spikes, state, dense values, bridge sides).
inline void probe_hybrid(Simulation& sim) {
  for (const char* pop : {"sensory", "motor", "delta"}) {
    sim.add_probe({pop, "spikes", {}, 1});
    sim.add_probe({pop, "v", {}, 1});
  }
  for (const char* layer : {"hidden", "out"}) sim.add_probe({layer, "activations", {}, 1});
  sim.add_probe({"count", "out", {}, 1});
  sim.add_probe({"rate", "in", {}, 1});
  sim.add_probe({"rate", "spikes", {}, 1});
  sim.add_probe({"delta_enc", "spikes", {}, 1});
}

}  // namespace tandem::testing
