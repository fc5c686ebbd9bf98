#include "examples/hybrid_training.hpp"

#include <cmath>

#include "core/error.hpp"
#include "examples/dagger_tap.hpp"
#include "environments/environment.hpp"

namespace tandem::examples {

TrainingResult train_by_dagger(const DaggerLoop& loop, const environments::Controller& teacher,
                               const std::vector<double>& label_clip, const TrainingSettings& settings,
                               const TrainingProgress& progress) {
  const std::size_t inputs = loop.features * (1 + loop.history_steps);
  const auto actions = static_cast<Eigen::Index>(label_clip.size());
  TrainingResult result;
  ann::DenseWeights& policy = result.weights.policy;
  policy.weight = Eigen::MatrixXf::Zero(actions, static_cast<Eigen::Index>(inputs));
  policy.bias = Eigen::VectorXf::Zero(actions);
  RidgeAccumulator data(inputs, label_clip.size());

  for (std::size_t iteration = 0; iteration < settings.iterations; ++iteration) {
    // Each iteration its own seed, so its episodes differ from the previous ones.
    Simulation simulation(
        {.time = TimeBase{loop.dt_ms}, .seed = environments::episode_seed(settings.seed, iteration), .interrupt = settings.interrupt});
    DaggerTapSettings tap{.name = "dagger",
                          .ticks_per_step = loop.ticks_per_step,
                          .phase = loop.tap_phase,
                          .teacher_share = iteration == 0 ? 1.0 : std::ldexp(1.0, -static_cast<int>(iteration)),
                          .label_clip = label_clip,
                          .history_steps = loop.history_steps};
    simulation.add(std::make_unique<DaggerTap>(tap, loop.observation_width, loop.features, teacher, data));
    auto& environment = loop.build(simulation, policy, tap.name, settings.max_steps);
    run_until_episodes(environment, settings.episodes_per_iteration, loop.ticks_per_step, simulation.now(),
                       [&](Tick ticks) { simulation.run(ticks); });

    data.solve(settings.ridge, policy.weight, policy.bias);

    TrainingIteration summary{.samples = data.samples(), .successes = 0,
                              .explained = data.explained(0, policy.weight, policy.bias),
                              .episodes = settings.episodes_per_iteration};
    for (std::size_t k = 0; k < settings.episodes_per_iteration; ++k) {
      summary.successes += environment.finished_episodes()[k].success ? 1U : 0U;
    }
    result.iterations.push_back(summary);
    if (progress) progress(iteration, summary);
  }
  return result;
}

TrainingResult train_hybrid_controller(const HybridControllerConfig& config, const TrainingProblem& problem,
                                       const TrainingSettings& settings, const TrainingProgress& progress) {
  config.validate();
  if (problem.label_clip.size() != config.action_width) {
    throw InputError(config.label + ": training needs one label clip per action (" +
                     std::to_string(config.action_width) + "), got " + std::to_string(problem.label_clip.size()));
  }
  const DaggerLoop loop{
      .dt_ms = config.dt_ms,
      .ticks_per_step = config.ticks_per_step,
      .tap_phase = config.policy_phase() + 1,
      .observation_width = config.observation_width,
      .features = config.feature_count(),
      .history_steps = 0,
      .build = [&](Simulation& simulation, const ann::DenseWeights& policy, const std::string& tap,
                   std::int64_t max_steps) -> environments::EnvironmentEngine& {
        return add_hybrid_controller(simulation, problem.make_environment(max_steps), config,
                                     HybridControllerWeights{policy}, {.action_tap = tap});
      }};
  return train_by_dagger(loop, problem.teacher, problem.label_clip, settings, progress);
}

}  // namespace tandem::examples
