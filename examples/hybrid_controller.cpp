#include "examples/hybrid_controller.hpp"

#include <cmath>

#include "ann/dense_engine.hpp"
#include "bridge/bridge_engine.hpp"
#include "bridge/window_decoders.hpp"
#include "bridge/window_encoders.hpp"
#include "core/error.hpp"
#include "neurons/event_engine.hpp"
#include "neurons/lif.hpp"
#include "neurons/projection.hpp"

#ifndef TANDEM_EXAMPLES_DIR
#error "TANDEM_EXAMPLES_DIR must be defined (examples/CMakeLists.txt)"
#endif

namespace tandem::examples {

namespace names = hybrid_names;

void HybridControllerConfig::validate() const {
  const std::string where = label + ": ";
  if (!(dt_ms > 0.0) || !std::isfinite(dt_ms)) throw InputError(where + "dt_ms must be finite and > 0");
  if (ticks_per_step < 1) throw InputError(where + "ticks_per_step must be >= 1");
  if (window_ticks < 1 || ticks_per_step % window_ticks != 0) {
    throw InputError(where + "window_ticks = " + std::to_string(window_ticks) +
                     " must be >= 1 and divide ticks_per_step = " + std::to_string(ticks_per_step));
  }
  // The decoder's phase (5) must lie inside its window.
  if (window_ticks < 6) throw InputError(where + "window_ticks must be >= 6 (the decoder's phase is 5)");
  // The action leaves the policy at phase 5 + W and reaches the environment one tick later (two
  // with the training tap in between), which must be within the step.
  if (policy_phase() + 2 > ticks_per_step) {
    throw InputError(where + "window_ticks = " + std::to_string(window_ticks) +
                     " is too long: the action would reach the environment at tick " +
                     std::to_string(policy_phase() + 2) + " of a " + std::to_string(ticks_per_step) +
                     "-tick step");
  }
  if (neurons_per_value < 2) throw InputError(where + "neurons_per_value must be >= 2");
  if (!(sigma_spacings > 0.0) || !std::isfinite(sigma_spacings)) {
    throw InputError(where + "sigma_spacings must be finite and > 0");
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

ann::DenseWeights make_norm_weights(const HybridControllerConfig& config) {
  ann::DenseWeights norm;
  const auto encoded = static_cast<Eigen::Index>(config.encoded_values());
  norm.weight = Eigen::MatrixXf::Zero(encoded, static_cast<Eigen::Index>(config.observation_width));
  for (Eigen::Index i = 0; i < encoded; ++i) {
    norm.weight(i, i) = static_cast<float>(1.0 / config.observation_scale[static_cast<std::size_t>(i)]);
  }
  norm.bias = Eigen::VectorXf::Zero(encoded);
  return norm;
}

HybridControllerWeights load_hybrid_weights(const std::string& path, const HybridControllerConfig& config) {
  HybridControllerWeights weights{ann::load_dense_weights(path, "/norm"),
                                  ann::load_dense_weights(path, "/policy")};
  const auto features = static_cast<Eigen::Index>(config.feature_count());
  const auto encoded = static_cast<Eigen::Index>(config.encoded_values());
  const auto actions = static_cast<Eigen::Index>(config.action_width);
  if (weights.norm.weight.rows() != encoded ||
      weights.norm.weight.cols() != static_cast<Eigen::Index>(config.observation_width)) {
    throw InputError(path + ": /norm/weight must be " + std::to_string(encoded) + " x " +
                     std::to_string(config.observation_width) + " (encoded values x observation) for the " +
                     config.label);
  }
  if (weights.policy.weight.rows() != actions || weights.policy.weight.cols() != features) {
    throw InputError(path + ": /policy/weight is " + std::to_string(weights.policy.weight.rows()) + " x " +
                     std::to_string(weights.policy.weight.cols()) + ", expected " + std::to_string(actions) +
                     " x " + std::to_string(features) + " (" + std::to_string(encoded) + " values x " +
                     std::to_string(config.neurons_per_value) + " neurons)");
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
  graph.add_input("obs", config.observation_width);
  graph.add_input("features", config.feature_count());
  ann::DenseLayerSpec norm{.name = names::norm_layer, .sources = {"obs"}, .weight = weights.norm.weight,
                           .bias = weights.norm.bias};
  norm.period_ticks = config.ticks_per_step;
  norm.phase_ticks = 1;  // observation k arrives at t0 + 1
  ann::DenseLayerSpec policy{.name = names::policy_layer, .sources = {"features"},
                             .weight = weights.policy.weight, .bias = weights.policy.bias};
  policy.period_ticks = config.ticks_per_step;
  policy.phase_ticks = config.policy_phase();
  // Zero-skip: most features (spike counts of neurons far from the state) are exactly 0, and
  // float32 zero-skip is bit-identical to always-on (docs/dense.md), so both modes act alike.
  policy.event_kind = ann::EventKind::zero_skip;
  graph.add_layer(std::move(norm));
  graph.add_layer(std::move(policy));
  graph.finalize();
  return std::make_unique<ann::DenseEngine>(names::dense, std::move(graph));
}

std::unique_ptr<bridge::BridgeEngine> make_bridge(const HybridControllerConfig& config) {
  bridge::PopulationCode code;
  code.neurons_per_channel = config.neurons_per_value;
  code.range = {-1.0, 1.0};
  code.sigma = config.sigma_spacings * code.spacing();
  std::vector<std::unique_ptr<bridge::Unit>> units;
  units.push_back(bridge::make_population_encoder(
      {.name = names::encoder, .channels = config.encoded_values(), .window = {config.window_ticks, 2}, .code = code}));
  // Counts of window [t0+5, t0+4+W] -> n / W in [0, 1].
  units.push_back(bridge::make_count_decoder({.name = names::decoder, .channels = config.feature_count(),
                                              .window = {config.window_ticks, 5}, .range = {0.0, 1.0}}));
  return std::make_unique<bridge::BridgeEngine>(names::bridge, std::move(units));
}

std::unique_ptr<neurons::EventEngine> make_spiking(const HybridControllerConfig& config, const TimeBase& time) {
  auto engine = std::make_unique<neurons::EventEngine>(names::spiking, time);
  // The afferents relay each encoder spike in the tick it arrives (a jump of 1.5 over a
  // threshold of 1, reset to 0): the chip's input axons, so the projection below is a real one.
  neurons::Lif::Parameters relay;
  relay.tau_m_ms = config.tau_m_ms;
  relay.v_threshold_mv = 1.0;
  relay.v_reset_mv = 0.0;
  engine->add_population<neurons::Lif>(names::afferent, config.feature_count(), relay);
  engine->add_spike_input_port("input", names::afferent, "v", 1.5F);
  neurons::Lif::Parameters lif = relay;
  lif.reset_mode = neurons::ResetMode::subtract;
  engine->add_population<neurons::Lif>(names::population, config.feature_count(), lif);
  // Each LIF neuron integrates its own afferent (input_weight) and the afferents of its two
  // neighbouring receptive fields of the same value (neighbour_weight): a smoothed population code.
  neurons::ProjectionSpec projection{.name = "afferent_to_lif", .source = names::afferent,
                                     .target = names::population, .receptor = "v",
                                     .rule = neurons::Rule::explicit_list};
  const auto m = static_cast<std::uint32_t>(config.neurons_per_value);
  const auto values = static_cast<std::uint32_t>(config.encoded_values());
  for (std::uint32_t value = 0; value < values; ++value) {
    for (std::uint32_t i = 0; i < m; ++i) {
      const std::uint32_t target = value * m + i;
      projection.synapses.push_back({target, target, config.input_weight, 1.0});
      if (i > 0) projection.synapses.push_back({target - 1, target, config.neighbour_weight, 1.0});
      if (i + 1 < m) projection.synapses.push_back({target + 1, target, config.neighbour_weight, 1.0});
    }
  }
  engine->connect(std::move(projection));
  return engine;
}

}  // namespace

EnvironmentEngine& add_hybrid_controller(Simulation& simulation, std::unique_ptr<EnvironmentEngine> environment_engine,
                                         const HybridControllerConfig& config,
                                         const HybridControllerWeights& weights, const HybridWiring& wiring) {
  config.validate();
  const Environment& env = environment_engine->environment();
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

  const std::string norm_out = std::string(names::norm_layer) + ".out";
  const std::string policy_out = std::string(names::policy_layer) + ".out";
  const std::string encoder = names::encoder;
  const std::string decoder = names::decoder;
  simulation.connect({{environment_name, "observation"}, {names::dense, "obs"}, 1});
  simulation.connect({{names::dense, norm_out}, {names::bridge, encoder + ".in"}, 1});
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
  simulation.add_probe({names::policy_layer, "activations", {}, config.ticks_per_step});  // held output
}

Tick run_until_episodes(const EnvironmentEngine& environment, std::size_t episodes, Tick ticks_per_step, Tick now,
                        const std::function<void(Tick)>& run) {
  const Environment& env = environment.environment();
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
