// The shipped cart-pole hybrid controller in the closed loop: it balances, both execution modes
// act identically, the trace probes land under /env, and bad configurations are refused.
#include <catch2/catch.hpp>
#include <filesystem>

#include "core/error.hpp"
#include "core/memory_recorder.hpp"
#include "examples/cartpole/cartpole_controller.hpp"

using namespace tandem;
using namespace tandem::examples;
using namespace tandem::environments;

namespace {

struct LoopRun {
  std::vector<EpisodeResult> episodes;
  std::vector<double> actions;  // /env/cartpole/action, one per step tick
  std::vector<double> pushes;   // /env/cartpole/push, one per step tick
  std::vector<double> episode_steps;  // /env/cartpole/step: steps into the episode
  std::vector<std::vector<double>> observations;  // x, x_dot, theta, theta_dot per step tick
  std::vector<double> decoded;  // /bridge/decoder/out, 4 per step tick
  std::vector<double> spike_ticks;  // /snn/lif/spikes/tick
};

LoopRun run_loop(std::size_t episodes, ExecutionMode mode, bool pushes, std::uint64_t seed = 1,
                 bool continuous = false, Precision precision = Precision::float32) {
  HybridControllerConfig config = cartpole_controller_config();
  config.precision = precision;
  const auto weights = load_hybrid_weights(shipped_cartpole_weights_path(), config);
  CartPoleParams params;
  params.continuous = continuous;
  if (pushes) params = params.with_pushes();
  Simulation simulation({.time = TimeBase{1.0}, .seed = seed, .mode = mode});
  auto& environment = add_cartpole_hybrid(simulation, params, config, weights);
  MemoryRecorder recorder;
  simulation.set_recorder(&recorder);
  add_cartpole_trace_probes(simulation, config);
  run_until_episodes(environment, episodes, config.ticks_per_step, simulation.now(),
                     [&](Tick ticks) { simulation.run(ticks); });
  LoopRun run;
  run.episodes.assign(environment.finished_episodes().begin(),
                      environment.finished_episodes().begin() + static_cast<std::ptrdiff_t>(episodes));
  run.actions = recorder.stream("/env/cartpole/action").values;
  run.pushes = recorder.stream("/env/cartpole/push").values;
  run.episode_steps = recorder.stream("/env/cartpole/step").values;
  for (const char* signal : {"x", "x_dot", "theta", "theta_dot"}) {
    run.observations.push_back(recorder.stream(std::string("/env/cartpole/") + signal).values);
  }
  run.decoded = recorder.stream("/bridge/decoder/out").values;
  run.spike_ticks = recorder.stream("/snn/lif/spikes/tick").values;
  return run;
}

// LIF spikes per control step, for `steps` steps.
std::vector<double> spikes_per_step(const LoopRun& run, std::size_t steps) {
  const auto ticks_per_step = static_cast<std::size_t>(cartpole_controller_config().ticks_per_step);
  std::vector<double> counts(steps, 0.0);
  for (const double tick : run.spike_ticks) {
    const auto step = static_cast<std::size_t>(tick) / ticks_per_step;
    if (step < steps) counts[step] += 1.0;
  }
  return counts;
}

}  // namespace

TEST_CASE("cartpole hybrid: the shipped controller balances at least 9 of 10 pushed episodes",
          "[examples][cartpole]") {
  const LoopRun run = run_loop(10, ExecutionMode::event, true);
  std::size_t balanced = 0;
  for (const auto& episode : run.episodes) balanced += episode.success ? 1U : 0U;
  CHECK(balanced >= 9);
  CHECK(!run.spike_ticks.empty());  // the spiking population really carries the signal
}

TEST_CASE("cartpole hybrid: event and always-on give the same episodes and actions", "[examples][cartpole]") {
  const LoopRun event = run_loop(2, ExecutionMode::event, true, 7);
  const LoopRun always_on = run_loop(2, ExecutionMode::always_on, true, 7);
  REQUIRE(event.episodes.size() == always_on.episodes.size());
  for (std::size_t k = 0; k < event.episodes.size(); ++k) CHECK(event.episodes[k].steps == always_on.episodes[k].steps);
  REQUIRE(event.actions.size() == always_on.actions.size());
  CHECK(event.actions == always_on.actions);
  CHECK(event.spike_ticks.size() == always_on.spike_ticks.size());
}

TEST_CASE("cartpole hybrid: the decoded values track the observation within one threshold",
          "[examples][cartpole]") {
  // Decoder row j (tick 20 j) holds what the encoder sent of observation j-1 (emitted at tick
  // 20 (j-1)); without pushes each step's change fits in the 14 spikes a step can carry, except
  // at episode starts (the jump from the last state to the new start takes a few steps).
  const HybridControllerConfig config = cartpole_controller_config();
  const LoopRun run = run_loop(5, ExecutionMode::event, false, 4);
  const std::size_t rows = run.actions.size();
  REQUIRE(run.decoded.size() == 4 * rows);
  std::size_t within = 0;
  std::size_t checked = 0;
  for (std::size_t j = 1; j < rows; ++j) {
    bool close = true;
    for (std::size_t v = 0; v < 4; ++v) {
      const double expected = run.observations[v][j - 1] / config.observation_scale[v];
      close = close && std::abs(run.decoded[4 * j + v] - expected) < config.delta_threshold;
    }
    within += close ? 1U : 0U;
    ++checked;
  }
  CHECK(checked > 2000);
  CHECK(static_cast<double>(within) >= 0.99 * static_cast<double>(checked));
}

TEST_CASE("cartpole hybrid: with a continuous force the spiking core is nearly silent until a push",
          "[examples][cartpole]") {
  // The change-driven story (examples/cartpole/README.md): steps within 10 of a push carry many
  // times the spikes of steps with no push (and no episode start, which sends the jump from the
  // last state to the new start) in the 50 before.
  const LoopRun run = run_loop(6, ExecutionMode::event, true, 1, true);
  const std::size_t steps = run.pushes.size();
  const std::vector<double> counts = spikes_per_step(run, steps);
  double after = 0.0;
  double quiet = 0.0;
  std::size_t after_steps = 0;
  std::size_t quiet_steps = 0;
  std::size_t since_push = 1000;
  for (std::size_t k = 0; k < steps; ++k) {
    since_push = run.pushes[k] != 0.0 ? 0 : since_push + 1;
    if (run.episode_steps[k] == 0.0 && run.pushes[k] == 0.0) since_push = 10;  // neither after nor quiet
    // Row k is the state the environment emits at tick 20 k (after that step's push); its
    // changes travel as spikes in ticks 20 k + 1 ….
    if (since_push < 10) {
      after += counts[k];
      ++after_steps;
    } else if (since_push > 50) {
      quiet += counts[k];
      ++quiet_steps;
    }
  }
  REQUIRE(after_steps > 100);
  REQUIRE(quiet_steps > 100);
  const double after_rate = after / static_cast<double>(after_steps);
  const double quiet_rate = quiet / static_cast<double>(quiet_steps);
  INFO("LIF spikes per step: " << after_rate << " after a push, " << quiet_rate << " quiet");
  CHECK(after_rate > 8.0 * quiet_rate);
  CHECK(quiet_rate < 0.5);  // of 8 neurons x 20 ticks = 160 possible per step
}

TEST_CASE("cartpole hybrid: the action of a step follows that step's observation", "[examples][cartpole]") {
  // With the policy's sign flipped the cart-pole must fall fast: the loop is closed within the
  // step (a controller acting on stale or missing observations would not make this difference).
  const HybridControllerConfig config = cartpole_controller_config();
  auto weights = load_hybrid_weights(shipped_cartpole_weights_path(), config);
  weights.policy.weight = -weights.policy.weight;
  weights.policy.bias = -weights.policy.bias;
  Simulation simulation({.time = TimeBase{1.0}, .seed = 3});
  auto& environment = add_cartpole_hybrid(simulation, CartPoleParams{}, config, weights);
  run_until_episodes(environment, 3, config.ticks_per_step, simulation.now(),
                     [&](Tick ticks) { simulation.run(ticks); });
  for (std::size_t k = 0; k < 3; ++k) CHECK(environment.finished_episodes()[k].steps < 100);
}

TEST_CASE("cartpole hybrid: configurations that cannot close the loop are refused", "[examples][cartpole]") {
  HybridControllerConfig config = cartpole_controller_config();
  config.ticks_per_step = 6;  // the spikes could not reach the policy within the step
  CHECK_THROWS_WITH(config.validate(), Catch::Contains("ticks_per_step = 6"));
  config.ticks_per_step = 7;  // the shortest step that closes the loop
  CHECK_NOTHROW(config.validate());
  config = cartpole_controller_config();
  config.relay_weight = 0.5F;  // one spike would not fire a neuron: changes would be lost
  CHECK_THROWS_WITH(config.validate(), Catch::Contains("relay_weight"));
  config = cartpole_controller_config();
  config.delta_threshold = 0.0;
  CHECK_THROWS_WITH(config.validate(), Catch::Contains("delta_threshold"));
  config = cartpole_controller_config();
  config.observation_scale[2] = 0.0;
  CHECK_THROWS_AS(config.validate(), InputError);
}

TEST_CASE("cartpole hybrid: a weights file of the wrong shape names the dataset", "[examples][cartpole]") {
  const HybridControllerConfig config = cartpole_controller_config();
  HybridControllerWeights weights;
  weights.policy.weight = Eigen::MatrixXf::Ones(1, 10);
  weights.policy.bias = Eigen::VectorXf::Zero(1);
  const auto path = (std::filesystem::temp_directory_path() / "tandem_cartpole_bad_weights.h5").string();
  write_hybrid_weights(path, weights, "test");
  CHECK_THROWS_WITH(load_hybrid_weights(path, config), Catch::Contains("/policy/weight is 1 x 10"));
  std::filesystem::remove(path);
}

TEST_CASE("cartpole hybrid: in tianjic and loihi precision it balances, and event equals always-on", "[examples][cartpole][precision]") {
  for (const Precision precision : {Precision::tianjic, Precision::loihi}) {
    CAPTURE(to_string(precision));
    const LoopRun event = run_loop(4, ExecutionMode::event, true, 3, false, precision);
    const LoopRun always_on = run_loop(4, ExecutionMode::always_on, true, 3, false, precision);
    std::size_t balanced = 0;
    for (std::size_t k = 0; k < event.episodes.size(); ++k) {
      balanced += event.episodes[k].success ? 1U : 0U;
      CHECK(event.episodes[k].steps == always_on.episodes[k].steps);
    }
    CHECK(balanced >= 3);
    CHECK(event.actions == always_on.actions);
    CHECK(event.spike_ticks == always_on.spike_ticks);
    CHECK(!event.spike_ticks.empty());
  }
}
