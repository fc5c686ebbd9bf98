// The shipped bicycle hybrid controller in the closed loop: it keeps seeded episodes upright, both
// execution modes act identically, the loop is closed within the step, the training is
// deterministic, and a controller built for another environment is refused.
#include <algorithm>
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "core/memory_recorder.hpp"
#include "examples/bicycle/bicycle_controller.hpp"
#include "environments/cartpole/cartpole_engine.hpp"

using namespace tandem;
using namespace tandem::examples;
using namespace tandem::environments;

namespace {

struct LoopRun {
  std::vector<EpisodeResult> episodes;
  std::vector<double> torques;  // /env/bicycle/torque, one per emitted observation
  std::vector<double> displacements;
  std::size_t spikes = 0;
};

LoopRun run_loop(std::size_t episodes, std::int64_t steps, ExecutionMode mode, std::uint64_t seed,
                 const HybridControllerWeights* override_weights = nullptr) {
  const HybridControllerConfig config = bicycle_controller_config();
  const auto weights = override_weights != nullptr ? *override_weights
                                                    : load_hybrid_weights(shipped_bicycle_weights_path(), config);
  BicycleParams params;
  params.max_steps = steps;
  Simulation simulation({.time = TimeBase{config.dt_ms}, .seed = seed, .mode = mode});
  auto& environment = add_bicycle_hybrid(simulation, params, config, weights);
  MemoryRecorder recorder;
  simulation.set_recorder(&recorder);
  add_bicycle_trace_probes(simulation, config);
  run_until_episodes(environment, episodes, config.ticks_per_step, simulation.now(),
                     [&](Tick ticks) { simulation.run(ticks); });
  LoopRun run;
  run.episodes.assign(environment.finished_episodes().begin(),
                      environment.finished_episodes().begin() + static_cast<std::ptrdiff_t>(episodes));
  run.torques = recorder.stream("/env/bicycle/torque").values;
  run.displacements = recorder.stream("/env/bicycle/displacement").values;
  run.spikes = recorder.stream("/snn/lif/spikes/index").samples();
  return run;
}

}  // namespace

TEST_CASE("bicycle hybrid: the shipped controller keeps 3 seeded episodes upright for 2,000 steps",
          "[examples][bicycle]") {
  const LoopRun run = run_loop(3, 2000, ExecutionMode::event, 1);
  for (const auto& episode : run.episodes) {
    CHECK(episode.success);
    CHECK(episode.steps == 2000);
  }
  CHECK(run.spikes > 0);  // the spiking population really carries the signal
  // Both actions are used (the policy is not a constant): torque and displacement vary.
  const auto [torque_min, torque_max] = std::minmax_element(run.torques.begin(), run.torques.end());
  const auto [disp_min, disp_max] = std::minmax_element(run.displacements.begin(), run.displacements.end());
  CHECK(*torque_max - *torque_min > 1e-3);
  CHECK(*disp_max - *disp_min > 1e-6);
}

TEST_CASE("bicycle hybrid: event and always-on give the same episodes and actions", "[examples][bicycle]") {
  const LoopRun event = run_loop(2, 300, ExecutionMode::event, 7);
  const LoopRun always_on = run_loop(2, 300, ExecutionMode::always_on, 7);
  REQUIRE(event.episodes.size() == always_on.episodes.size());
  for (std::size_t k = 0; k < event.episodes.size(); ++k) CHECK(event.episodes[k].steps == always_on.episodes[k].steps);
  REQUIRE(event.torques.size() == always_on.torques.size());
  CHECK(event.torques == always_on.torques);
  CHECK(event.displacements == always_on.displacements);
  CHECK(event.spikes == always_on.spikes);
}

TEST_CASE("bicycle hybrid: the action of a step follows that step's observation", "[examples][bicycle]") {
  // With the policy's sign flipped the bicycle must fall within seconds (uncontrolled, the noise
  // topples it too, but far later than a controller pushing the wrong way).
  const HybridControllerConfig config = bicycle_controller_config();
  auto weights = load_hybrid_weights(shipped_bicycle_weights_path(), config);
  weights.policy.weight = -weights.policy.weight;
  weights.policy.bias = -weights.policy.bias;
  const LoopRun run = run_loop(2, 2000, ExecutionMode::event, 3, &weights);
  for (const auto& episode : run.episodes) {
    CHECK_FALSE(episode.success);
    CHECK(episode.steps < 500);
  }
}

TEST_CASE("bicycle hybrid: training is deterministic on reduced data and fits both actions", "[examples][bicycle]") {
  const HybridControllerConfig config = bicycle_controller_config();
  TrainingSettings settings;
  settings.iterations = 2;
  settings.episodes_per_iteration = 2;
  settings.max_steps = 100;  // reduced data: 2 x 2 episodes of 100 steps
  const auto a = train_bicycle_controller(config, BicycleParams{}, settings);
  const auto b = train_bicycle_controller(config, BicycleParams{}, settings);
  settings.seed = 2;
  const auto c = train_bicycle_controller(config, BicycleParams{}, settings);
  REQUIRE(a.iterations.size() == 2);
  // One sample per observation of the teacher-driven (never failing) episodes: the start and the
  // 100 steps' observations, the last one's action unused since the cap ends the episode.
  CHECK(a.iterations[0].samples == 2 * (100 + 1));
  CHECK(a.iterations[1].samples > a.iterations[0].samples);
  REQUIRE(a.weights.policy.weight.rows() == 2);
  REQUIRE(a.weights.policy.weight.cols() == static_cast<Eigen::Index>(config.feature_count()));
  CHECK(a.weights.policy.weight == b.weights.policy.weight);
  CHECK(a.weights.policy.bias == b.weights.policy.bias);
  CHECK(a.weights.policy.weight != c.weights.policy.weight);
  CHECK(a.weights.policy.weight.row(0).cwiseAbs().maxCoeff() > 0.0F);
  CHECK(a.weights.policy.weight.row(1).cwiseAbs().maxCoeff() > 0.0F);
}

TEST_CASE("bicycle hybrid: a controller for another environment's widths is refused", "[examples][bicycle]") {
  const HybridControllerConfig config = bicycle_controller_config();
  const auto weights = load_hybrid_weights(shipped_bicycle_weights_path(), config);
  Simulation simulation({.time = TimeBase{config.dt_ms}, .seed = 1});
  CHECK_THROWS_WITH(add_hybrid_controller(simulation, make_cartpole_engine({}, {"cartpole", config.ticks_per_step}),
                                          config, weights),
                    Catch::Contains("bicycle hybrid controller") && Catch::Contains("'cartpole' has 4 observations"));
}

TEST_CASE("bicycle hybrid: the shipped controller keeps 10 seeded episodes upright for 10,000 steps",
          "[examples][bicycle][slow]") {
  const LoopRun run = run_loop(10, 10000, ExecutionMode::event, 11);
  std::size_t upright = 0;
  for (const auto& episode : run.episodes) upright += episode.success ? 1U : 0U;
  CHECK(upright >= 9);
}
