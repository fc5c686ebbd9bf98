#include "examples/hybrid_controller.hpp"

#include <cmath>

#include "ann/dense_engine.hpp"
#include "ann/graph_quantization.hpp"
#include "core/random.hpp"
#include "bridge/bridge_engine.hpp"
#include "bridge/delta_coding.hpp"
#include "core/error.hpp"
#include "neurons/event_engine.hpp"
#include "neurons/lif.hpp"
#include "neurons/loihi_lif.hpp"
#include "neurons/tianjic_lif.hpp"
#include "neurons/projection.hpp"

#ifndef TANDEM_EXAMPLES_DIR
#error "TANDEM_EXAMPLES_DIR must be defined (examples/CMakeLists.txt)"
#endif

namespace tandem::examples {

namespace names = hybrid_names;

void HybridControllerConfig::validate() const {
  const std::string where = label + ": ";
  if (!(dt_ms > 0.0) || !std::isfinite(dt_ms)) throw InputError(where + "dt_ms must be finite and > 0");
  // A spike the encoder sends at phase 1 reaches the policy at phase 5 (see the timing above),
  // and the policy must act at phase P - 2.
  if (ticks_per_step < 7) {
    throw InputError(where + "ticks_per_step = " + std::to_string(ticks_per_step) +
                     " is too short: the delta code's first spikes reach the policy at tick 5 of the step, and the "
                     "policy acts at tick ticks_per_step - 2 (>= 7 ticks per step)");
  }
  if (!(delta_threshold > 0.0) || !std::isfinite(delta_threshold)) {
    throw InputError(where + "delta_threshold must be finite and > 0");
  }
  if (!(tau_m_ms > 0.0) || !std::isfinite(tau_m_ms)) throw InputError(where + "tau_m_ms must be finite and > 0");
  // One arriving spike must fire the neuron in its arrival tick (threshold 1, reset 0).
  if (!(relay_weight >= 1.0F) || !std::isfinite(relay_weight)) {
    throw InputError(where + "relay_weight must be finite and >= 1 (the neurons' threshold)");
  }
  if (observation_scale.empty() || observation_scale.size() > observation_width) {
    throw InputError(where + "observation_scale must have 1 to observation_width = " +
                     std::to_string(observation_width) + " values, has " + std::to_string(observation_scale.size()));
  }
  if (action_width < 1) throw InputError(where + "action_width must be >= 1");
  for (double scale : observation_scale) {
    if (!(scale > 0.0) || !std::isfinite(scale)) {
      throw InputError(where + "observation_scale values must be finite and > 0");
    }
  }
}

HybridControllerWeights load_hybrid_weights(const std::string& path, const HybridControllerConfig& config) {
  HybridControllerWeights weights{ann::load_dense_weights(path, "/policy")};
  const auto features = static_cast<Eigen::Index>(config.feature_count());
  const auto actions = static_cast<Eigen::Index>(config.action_width);
  if (weights.policy.weight.rows() != actions || weights.policy.weight.cols() != features) {
    throw InputError(path + ": /policy/weight is " + std::to_string(weights.policy.weight.rows()) + " x " +
                     std::to_string(weights.policy.weight.cols()) + ", expected " + std::to_string(actions) +
                     " x " + std::to_string(features) + " (actions x decoded values) for the " + config.label);
  }
  return weights;
}

std::string shipped_weights_path(const std::string& example) {
  return std::string(TANDEM_EXAMPLES_DIR) + "/" + example + "/weights.h5";
}

namespace {

std::unique_ptr<ann::DenseEngine> make_dense(const HybridControllerConfig& config,
                                             const HybridControllerWeights& weights) {
  ann::LayerGraph graph;
  graph.add_input("features", config.feature_count());
  ann::DenseLayerSpec policy{.name = names::policy_layer, .sources = {"features"},
                             .weight = weights.policy.weight, .bias = weights.policy.bias};
  policy.period_ticks = config.ticks_per_step;
  policy.phase_ticks = config.policy_phase();
  // Zero-skip: a decoded value that is exactly 0 touches no weight, and float32 zero-skip is
  // bit-identical to always-on (docs/dense.md), so both modes act alike. (A float delta layer
  // would drift from always-on by rounding; the policy runs once per step on a few inputs.)
  policy.event_kind = ann::EventKind::zero_skip;
  graph.add_layer(std::move(policy));
  graph.finalize();
  ann::DenseEngineOptions options;
  if (config.precision == Precision::fixed || config.precision == Precision::tianjic) {
    // Calibrated on the range the decoded values visit, [-1, 1] (seeded: the same scales every run).
    constexpr Eigen::Index samples = 256;
    RandomStream random = RandomStream::derived(1, "policy.calibration");
    Eigen::MatrixXf features(static_cast<Eigen::Index>(config.feature_count()), samples);
    for (Eigen::Index j = 0; j < samples; ++j) {
      for (Eigen::Index i = 0; i < features.rows(); ++i) features(i, j) = static_cast<float>(random.uniform(-1.0, 1.0));
    }
    const ann::QuantizationReport report = ann::quantize(graph, ann::Batch{{"features", features}}, config.precision);
    options.precision = config.precision;
    auto engine = std::make_unique<ann::DenseEngine>(names::dense, std::move(graph), options);
    engine->note_quantisation(report, "calibration: seeded features uniform in [-1, 1]");
    return engine;
  }
  return std::make_unique<ann::DenseEngine>(names::dense, std::move(graph), options);
}

// A lif population in the controller's precision (loihi and tianjic: lif's integer process models).
void add_lif(neurons::EventEngine& engine, Precision precision, const std::string& name, std::size_t size,
             const neurons::Lif::Parameters& parameters) {
  if (precision == Precision::tianjic) {
    engine.add_population<neurons::TianjicLif>(name, size, parameters);
  } else if (precision == Precision::loihi) {
    engine.add_population<neurons::LoihiLif>(name, size, parameters);
  } else {
    engine.add_population<neurons::Lif>(name, size, parameters);
  }
}

std::unique_ptr<bridge::BridgeEngine> make_bridge(const HybridControllerConfig& config) {
  std::vector<std::unique_ptr<bridge::Unit>> units;
  // Encoder thresholds in the observation's units; the decoder's step delta_threshold decodes
  // value i as x_i / scale_i.
  std::vector<double> thresholds;
  for (const double scale : config.observation_scale) thresholds.push_back(config.delta_threshold * scale);
  units.push_back(bridge::make_delta_encoder({.name = names::encoder, .channels = config.encoded_values(),
                                              .thresholds = thresholds,
                                              .output = bridge::DeltaOutput::on_off_spikes,
                                              .input_width = config.observation_width}));
  units.push_back(bridge::make_delta_decoder(
      {.name = names::decoder, .channels = config.encoded_values(), .threshold = config.delta_threshold}));
  return std::make_unique<bridge::BridgeEngine>(names::bridge, std::move(units));
}

std::unique_ptr<neurons::EventEngine> make_spiking(const HybridControllerConfig& config, const TimeBase& time) {
  auto engine = std::make_unique<neurons::EventEngine>(names::spiking, time);
  // The afferents are the chip's input axons: each relays an encoder spike in the tick it
  // arrives. The LIF neurons receive them through a real projection (delay 1 tick), one
  // synapse per channel, and fire once per afferent spike; they are what the decoder reads.
  neurons::Lif::Parameters relay;
  relay.tau_m_ms = config.tau_m_ms;
  relay.v_threshold_mv = 1.0;
  relay.v_reset_mv = 0.0;
  const std::size_t channels = config.spike_channels();
  add_lif(*engine, config.precision, names::afferent, channels, relay);
  engine->add_spike_input_port("input", names::afferent, "v", config.relay_weight);
  add_lif(*engine, config.precision, names::population, channels, relay);
  neurons::ProjectionSpec projection{.name = "afferent_to_lif", .source = names::afferent,
                                     .target = names::population, .receptor = "v",
                                     .rule = neurons::Rule::explicit_list};
  for (std::uint32_t c = 0; c < static_cast<std::uint32_t>(channels); ++c) {
    projection.synapses.push_back({c, c, config.relay_weight, 1.0});
  }
  engine->connect(std::move(projection));
  return engine;
}

}  // namespace

environments::EnvironmentEngine& add_hybrid_controller(Simulation& simulation, std::unique_ptr<environments::EnvironmentEngine> environment_engine,
                                         const HybridControllerConfig& config,
                                         const HybridControllerWeights& weights, const HybridWiring& wiring) {
  config.validate();
  const environments::Environment& env = environment_engine->environment();
  if (env.observation_width() != config.observation_width || env.action_width() != config.action_width) {
    throw InputError(config.label + ": the environment '" + std::string(env.kind()) + "' has " +
                     std::to_string(env.observation_width()) + " observations and " +
                     std::to_string(env.action_width()) + " actions, the controller expects " +
                     std::to_string(config.observation_width) + " and " + std::to_string(config.action_width));
  }
  const std::string environment_name(environment_engine->name());
  auto& environment = simulation.add_engine(std::move(environment_engine));
  simulation.add(make_dense(config, weights));
  simulation.add(make_bridge(config));
  simulation.add(make_spiking(config, simulation.settings().time));

  const std::string policy_out = std::string(names::policy_layer) + ".out";
  const std::string encoder = names::encoder;
  const std::string decoder = names::decoder;
  simulation.connect({{environment_name, "observation"}, {names::bridge, encoder + ".in"}, 1});
  simulation.connect({{names::bridge, encoder + ".out"}, {names::spiking, "input"}, 1});
  simulation.connect({{names::spiking, std::string(names::population) + ".spikes"}, {names::bridge, decoder + ".in"}, 1});
  simulation.connect({{names::bridge, decoder + ".out"}, {names::dense, "features"}, 1});
  if (wiring.action_tap.empty()) {
    simulation.connect({{names::dense, policy_out}, {environment_name, "action"}, 1});
  } else {
    simulation.connect({{environment_name, "observation"}, {wiring.action_tap, "observation"}, 1});
    simulation.connect({{names::bridge, decoder + ".out"}, {wiring.action_tap, "features"}, 1});
    simulation.connect({{names::dense, policy_out}, {wiring.action_tap, "policy"}, 1});
    simulation.connect({{wiring.action_tap, "action"}, {environment_name, "action"}, 1});
  }
  return environment;
}

void add_hybrid_trace_probes(Simulation& simulation, const std::string& environment,
                             const HybridControllerConfig& config) {
  simulation.add_probe({environment, "signals", {}, 1});
  simulation.add_probe({names::population, "spikes", {}, 1});
  // Sampled at ticks k P; the decoded values and the policy output held from the step before.
  simulation.add_probe({names::decoder, "out", {}, config.ticks_per_step});
  simulation.add_probe({names::policy_layer, "activations", {}, config.ticks_per_step});
}

Tick run_until_episodes(const environments::EnvironmentEngine& environment, std::size_t episodes, Tick ticks_per_step, Tick now,
                        const std::function<void(Tick)>& run) {
  const environments::Environment& env = environment.environment();
  const Tick start = now;
  while (environment.finished_episodes().size() < episodes) {
    // Step ticks are multiples of ticks_per_step; the next one at or after `now`.
    const Tick next_step = (now + ticks_per_step - 1) / ticks_per_step * ticks_per_step;
    // The engine registers a finished episode at the next step tick (where the next one
    // starts), so run through the step tick after the latest possible end of the current
    // episode: tick 0 starts episode 0, which then has max_steps steps to go.
    const Tick steps_left = now == 0 ? env.max_steps() + 1 : (env.done() ? 0 : env.max_steps() - env.step_count());
    const bool last = environment.finished_episodes().size() + 1 >= episodes;
    const Tick steps = last ? std::min<Tick>(steps_left + 1, 10) : steps_left + 1;
    const Tick until = next_step + (steps - 1) * ticks_per_step + 1;  // through that step tick
    run(until - now);
    now = until;
  }
  return now - start;
}

}  // namespace tandem::examples
