// The shipped cart-pole hybrid controller in the closed loop: it balances, both execution modes
// act identically, the trace probes land under /env, and bad configurations are refused.
#include <catch2/catch.hpp>
#include <filesystem>

#include "core/error.hpp"
#include "core/memory_recorder.hpp"
#include "examples/cartpole/cartpole_controller.hpp"

using namespace tandem;
using namespace tandem::examples;

namespace {

struct LoopRun {
  std::vector<EpisodeResult> episodes;
  std::vector<double> actions;  // /env/cartpole/action, one per step tick
  std::size_t spikes = 0;
};

LoopRun run_loop(std::size_t episodes, ExecutionMode mode, bool pushes, std::uint64_t seed = 1) {
  const HybridControllerConfig config = cartpole_controller_config();
  const auto weights = load_hybrid_weights(shipped_cartpole_weights_path(), config);
  CartPoleParams params;
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
  run.spikes = recorder.stream("/snn/lif/spikes/index").samples();
  return run;
}

}  // namespace

TEST_CASE("cartpole hybrid: the shipped controller balances at least 9 of 10 pushed episodes",
          "[examples][cartpole]") {
  const LoopRun run = run_loop(10, ExecutionMode::event, true);
  std::size_t balanced = 0;
  for (const auto& episode : run.episodes) balanced += episode.success ? 1U : 0U;
  CHECK(balanced >= 9);
  CHECK(run.spikes > 0);  // the spiking population really carries the signal
}

TEST_CASE("cartpole hybrid: event and always-on give the same episodes and actions", "[examples][cartpole]") {
  const LoopRun event = run_loop(2, ExecutionMode::event, true, 7);
  const LoopRun always_on = run_loop(2, ExecutionMode::always_on, true, 7);
  REQUIRE(event.episodes.size() == always_on.episodes.size());
  for (std::size_t k = 0; k < event.episodes.size(); ++k) CHECK(event.episodes[k].steps == always_on.episodes[k].steps);
  REQUIRE(event.actions.size() == always_on.actions.size());
  CHECK(event.actions == always_on.actions);
  CHECK(event.spikes == always_on.spikes);
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
  config.ticks_per_step = 7;  // the spikes could not reach the policy within the step
  CHECK_THROWS_WITH(config.validate(), Catch::Contains("ticks_per_step = 7"));
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
