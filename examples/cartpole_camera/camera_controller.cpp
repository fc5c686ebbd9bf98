#include "examples/cartpole_camera/camera_controller.hpp"

#include <array>
#include <cmath>
#include <memory>

#include "ann/dense_engine.hpp"
#include "bridge/bridge_engine.hpp"
#include "bridge/delta_coding.hpp"
#include "bridge/dvs_encoder.hpp"
#include "core/error.hpp"
#include "environments/camera_engine.hpp"
#include "environments/cartpole/cartpole_engine.hpp"
#include "environments/cartpole/cartpole_lqr.hpp"
#include "neurons/event_engine.hpp"
#include "neurons/if_neuron.hpp"
#include "neurons/projection.hpp"

namespace tandem::examples {

namespace names = camera_names;

void CameraControllerConfig::validate() const {
  const std::string where = "cart-pole camera controller: ";
  if (!(dt_ms > 0.0) || !std::isfinite(dt_ms)) throw InputError(where + "dt_ms must be finite and > 0");
  // A DVS event of tick 2 of a step reaches the dense inputs at tick 7; the policy acts at P - 2.
  if (ticks_per_step < 9) throw InputError(where + "ticks_per_step must be >= 9 (events reach the policy 7 ticks into a step)");
  camera.validate();
  if (pool_rows < 1 || pool_columns < 1 || pool_rows > conv_height() || pool_columns > conv_width()) {
    throw InputError(where + "pool_rows and pool_columns must be from 1 to the convolution's output size");
  }
  for (const auto& [name, value] : {std::pair{"conv_threshold", static_cast<double>(conv_threshold)},
                                    std::pair{"pool_threshold", static_cast<double>(pool_threshold)},
                                    std::pair{"decoder_step", decoder_step}}) {
    if (!(value > 0.0) || !std::isfinite(value)) throw InputError(where + name + " must be finite and > 0");
  }
}

HybridControllerWeights load_camera_weights(const std::string& path, const CameraControllerConfig& config) {
  HybridControllerWeights weights{ann::load_dense_weights(path, "/policy")};
  const auto inputs = static_cast<Eigen::Index>(config.policy_inputs());
  if (weights.policy.weight.rows() != 1 || weights.policy.weight.cols() != inputs) {
    throw InputError(path + ": /policy/weight is " + std::to_string(weights.policy.weight.rows()) + " x " +
                     std::to_string(weights.policy.weight.cols()) + ", expected 1 x " + std::to_string(inputs) +
                     " (the decoded picture now and one step ago) for the cart-pole camera controller");
  }
  return weights;
}

std::string shipped_camera_weights_path() { return shipped_weights_path("cartpole_camera"); }

namespace {

neurons::IfNeuron::Parameters if_parameters(double threshold, neurons::ResetMode reset) {
  neurons::IfNeuron::Parameters p;
  p.v_threshold_mv = threshold;
  p.v_reset_mv = 0.0;
  p.reset_mode = reset;
  return p;
}

std::unique_ptr<neurons::EventEngine> make_spiking(const CameraControllerConfig& config, const TimeBase& time) {
  using neurons::IfNeuron;
  using neurons::ResetMode;
  auto engine = std::make_unique<neurons::EventEngine>(names::spiking, time);
  const std::size_t h = config.camera.height;
  const std::size_t w = config.camera.width;
  // Afferents: one relay per DVS channel (ON plane, then OFF plane), firing in the arrival tick.
  engine->add_population<IfNeuron>(names::afferent, 2 * h * w, if_parameters(0.5, ResetMode::to_value));
  engine->add_spike_input_port("input", names::afferent, "v", 1.0F);
  // Convolution: per polarity (groups 2) a 3x3 binomial kernel with stride 2 — the event map
  // blurred and halved, so a moving edge excites neighbouring cells smoothly. Reset by
  // subtraction keeps the remainder: the cells' spikes count their input, delayed, not lost.
  const ConvolutionShape conv{.in_channels = 2, .in_height = h, .in_width = w, .out_channels = 2,
                              .kernel_height = 3, .kernel_width = 3, .stride_height = 2, .stride_width = 2,
                              .padding_height = 1, .padding_width = 1, .groups = 2};
  validate(conv, names::conv);
  engine->add_population<IfNeuron>(names::conv, conv.outputs(), if_parameters(config.conv_threshold, ResetMode::subtract));
  std::vector<float> kernel;
  constexpr std::array<float, 3> binomial = {1.0F, 2.0F, 1.0F};
  for (std::size_t o = 0; o < 2; ++o) {
    for (const float a : binomial) {
      for (const float b : binomial) kernel.push_back(a * b / 4.0F);
    }
  }
  engine->connect(neurons::make_convolution_projection("afferent_to_conv", names::afferent, names::conv, "v", conv,
                                                       kernel, 1.0));
  const ConvolutionShape pool = pooling_shape(2, conv.out_height(), conv.out_width(), config.pool_rows,
                                                config.pool_columns, config.pool_rows, config.pool_columns, 0, 0, names::pool);
  engine->add_population<IfNeuron>(names::pool, pool.outputs(), if_parameters(config.pool_threshold, ResetMode::subtract));
  engine->connect(
      neurons::make_pooling_projection("conv_to_pool", names::conv, names::pool, "v", pool, PoolKind::sum, 1.0));
  // Readout: one relay per pooled cell and polarity, interleaved as the delta decoder reads
  // them (cell i: ON at 2i, OFF at 2i + 1).
  const std::size_t cells = config.cells();
  engine->add_population<IfNeuron>(names::readout, 2 * cells, if_parameters(0.5, ResetMode::to_value));
  neurons::ProjectionSpec readout{.name = "pool_to_readout", .source = names::pool, .target = names::readout,
                                  .receptor = "v", .rule = neurons::Rule::explicit_list};
  for (std::uint32_t polarity = 0; polarity < 2; ++polarity) {
    for (std::uint32_t i = 0; i < static_cast<std::uint32_t>(cells); ++i) {
      readout.synapses.push_back({polarity * static_cast<std::uint32_t>(cells) + i, 2 * i + polarity, 1.0F, 1.0});
    }
  }
  engine->connect(std::move(readout));
  return engine;
}

std::unique_ptr<bridge::BridgeEngine> make_bridge(const CameraControllerConfig& config) {
  std::vector<std::unique_ptr<bridge::Unit>> units;
  units.push_back(bridge::make_dvs_encoder({.name = names::dvs, .pixels = config.pixels(),
                                            .threshold = config.dvs_threshold,
                                            .refractory_ticks = config.dvs_refractory_ticks,
                                            .noise_rate_hz = config.dvs_noise_rate_hz,
                                            .epsilon = config.dvs_epsilon}));
  units.push_back(bridge::make_delta_decoder(
      {.name = names::decoder, .channels = config.cells(), .threshold = config.decoder_step}));
  return std::make_unique<bridge::BridgeEngine>(names::bridge, std::move(units));
}

std::unique_ptr<ann::DenseEngine> make_dense(const CameraControllerConfig& config, const HybridControllerWeights& weights) {
  const auto cells = static_cast<Eigen::Index>(config.cells());
  ann::LayerGraph graph;
  graph.add_input("features", config.cells());
  graph.add_input("features_before", config.cells());
  const auto layer = [&](const char* name, std::vector<std::string> sources, Eigen::MatrixXf weight, Eigen::VectorXf bias) {
    ann::DenseLayerSpec spec{.name = name, .sources = std::move(sources), .weight = std::move(weight), .bias = std::move(bias)};
    spec.period_ticks = config.ticks_per_step;
    spec.phase_ticks = config.policy_phase();
    // Zero-skip: float32 zero-skip equals always-on bit for bit (docs/dense.md); a cell whose
    // picture value is 0 touches no weight.
    spec.event_kind = ann::EventKind::zero_skip;
    graph.add_layer(std::move(spec));
  };
  layer("now", {"features"}, weights.policy.weight.leftCols(cells), Eigen::VectorXf::Zero(1));
  layer("before", {"features_before"}, weights.policy.weight.rightCols(cells), Eigen::VectorXf::Zero(1));
  layer("policy", {"now", "before"}, Eigen::MatrixXf::Identity(1, 1), weights.policy.bias);
  graph.set_outputs({"policy"});
  graph.finalize();
  return std::make_unique<ann::DenseEngine>(names::dense, std::move(graph), ann::DenseEngineOptions{});
}

}  // namespace

environments::EnvironmentEngine& add_camera_controller(Simulation& simulation, const environments::CartPoleParams& params,
                                                       const CameraControllerConfig& config,
                                                       const HybridControllerWeights& weights, const HybridWiring& wiring) {
  config.validate();
  if (weights.policy.weight.rows() != 1 || weights.policy.weight.cols() != static_cast<Eigen::Index>(config.policy_inputs())) {
    throw InputError("cart-pole camera controller: the policy must be 1 x " + std::to_string(config.policy_inputs()));
  }
  auto& environment = simulation.add_engine(
      environments::make_cartpole_engine(params, {names::environment, config.ticks_per_step}));
  const environments::CartPoleCameraParams camera = config.camera;
  simulation.add(std::make_unique<environments::CameraEngine>(
      names::camera, 4, config.pixels(), [camera](std::span<const float> observation, std::span<float> image) {
        const environments::CartPoleState state{observation[0], observation[1], observation[2], observation[3]};
        environments::render_cartpole(state, camera, image);
      }));
  simulation.add(make_bridge(config));
  simulation.add(make_spiking(config, simulation.settings().time));
  simulation.add(make_dense(config, weights));

  const std::string dvs = names::dvs;
  const std::string decoder = names::decoder;
  simulation.connect({{names::environment, "observation"}, {names::camera, "observation"}, 1});
  simulation.connect({{names::camera, "image"}, {names::bridge, dvs + ".in"}, 1});
  simulation.connect({{names::bridge, dvs + ".out"}, {names::spiking, "input"}, 1});
  simulation.connect({{names::spiking, std::string(names::readout) + ".spikes"}, {names::bridge, decoder + ".in"}, 1});
  simulation.connect({{names::bridge, decoder + ".out"}, {names::dense, "features"}, 1});
  // The same picture one step later: at the policy's tick this input holds what "features" held
  // a step before.
  simulation.connect({{names::bridge, decoder + ".out"}, {names::dense, "features_before"}, 1 + config.ticks_per_step});
  if (wiring.action_tap.empty()) {
    simulation.connect({{names::dense, "policy.out"}, {names::environment, "action"}, 1});
  } else {
    simulation.connect({{names::environment, "observation"}, {wiring.action_tap, "observation"}, 1});
    // Latency 2: the tap samples one tick after the policy, so it holds what "features" held.
    simulation.connect({{names::bridge, decoder + ".out"}, {wiring.action_tap, "features"}, 2});
    simulation.connect({{names::dense, "policy.out"}, {wiring.action_tap, "policy"}, 1});
    simulation.connect({{wiring.action_tap, "action"}, {names::environment, "action"}, 1});
  }
  return environment;
}

void add_camera_trace_probes(Simulation& simulation, const CameraControllerConfig& config) {
  simulation.add_probe({names::environment, "signals", {}, 1});
  simulation.add_probe({names::dvs, "spikes", {}, 1});
  simulation.add_probe({names::pool, "spikes", {}, 1});
  simulation.add_probe({"policy", "activations", {}, config.ticks_per_step});
}

namespace {

// The LQR as a camera can follow it: a picture shows positions, not velocities, and in the
// cart-pole's Euler step a push changes the velocities a step before it moves anything. So the
// teacher replaces the velocities by the finite differences of the last two observations it
// was shown, (x_k - x_(k-1)) / tau — the same two pictures the policy reads ("now", "before"),
// across an episode restart too. Its label is then a linear function of what the policy sees.
environments::Controller finite_difference_teacher(const environments::CartPoleLqr& lqr, double tau_s) {
  auto last = std::make_shared<std::array<double, 4>>();
  return [&lqr, tau_s, last](std::span<const double> observation, std::span<double> action) {
    const environments::CartPoleState estimate{observation[0], (observation[0] - (*last)[0]) / tau_s, observation[2],
                                               (observation[2] - (*last)[2]) / tau_s};
    std::copy_n(observation.begin(), 4, last->begin());
    action[0] = lqr.force_n(estimate);
  };
}

}  // namespace

TrainingResult train_camera_controller(const CameraControllerConfig& config, const environments::CartPoleParams& params,
                                       const CartPoleTrainingSettings& settings, const TrainingProgress& progress) {
  config.validate();
  const environments::CartPoleParams collect = settings.pushes ? params.with_pushes() : params;
  const environments::CartPoleLqr teacher(collect);
  const DaggerLoop loop{
      .dt_ms = config.dt_ms,
      .ticks_per_step = config.ticks_per_step,
      .tap_phase = config.policy_phase() + 1,
      .observation_width = 4,
      .features = config.cells(),
      .history_steps = 1,
      .build = [&](Simulation& simulation, const ann::DenseWeights& policy, const std::string& tap,
                   std::int64_t max_steps) -> environments::EnvironmentEngine& {
        environments::CartPoleParams capped = collect;
        capped.max_steps = max_steps;
        return add_camera_controller(simulation, capped, config, HybridControllerWeights{policy}, {.action_tap = tap});
      }};
  return train_by_dagger(loop, finite_difference_teacher(teacher, collect.tau_s), {settings.label_clip_n}, settings,
                         progress);
}

}  // namespace tandem::examples
