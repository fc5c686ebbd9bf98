#include "examples/hybrid_training.hpp"

#include <cmath>

#include "core/error.hpp"
#include "examples/dagger_tap.hpp"
#include "environments/environment.hpp"

namespace tandem::examples {

TrainingResult train_hybrid_controller(const HybridControllerConfig& config, const TrainingProblem& problem,
                                       const TrainingSettings& settings, const TrainingProgress& progress) {
  config.validate();
  if (problem.label_clip.size() != config.action_width) {
    throw InputError(config.label + ": training needs one label clip per action (" +
                     std::to_string(config.action_width) + "), got " + std::to_string(problem.label_clip.size()));
  }
  const std::size_t features = config.feature_count();

  TrainingResult result;
  result.weights.policy.weight =
      Eigen::MatrixXf::Zero(static_cast<Eigen::Index>(config.action_width), static_cast<Eigen::Index>(features));
  result.weights.policy.bias = Eigen::VectorXf::Zero(static_cast<Eigen::Index>(config.action_width));
  RidgeAccumulator data(features, config.action_width);

  for (std::size_t iteration = 0; iteration < settings.iterations; ++iteration) {
    // Each iteration its own seed, so its episodes differ from the previous ones.
    Simulation simulation(
        {.time = TimeBase{config.dt_ms}, .seed = environments::episode_seed(settings.seed, iteration), .interrupt = settings.interrupt});
    DaggerTapSettings tap{.name = "dagger",
                          .ticks_per_step = config.ticks_per_step,
                          .phase = config.policy_phase() + 1,
                          .teacher_share = iteration == 0 ? 1.0 : std::ldexp(1.0, -static_cast<int>(iteration)),
                          .label_clip = problem.label_clip};
    simulation.add(std::make_unique<DaggerTap>(tap, config.observation_width, features, problem.teacher, data));
    auto& environment = add_hybrid_controller(simulation, problem.make_environment(settings.max_steps), config,
                                              result.weights, {.action_tap = "dagger"});
    run_until_episodes(environment, settings.episodes_per_iteration, config.ticks_per_step, simulation.now(),
                       [&](Tick ticks) { simulation.run(ticks); });

    data.solve(settings.ridge, result.weights.policy.weight, result.weights.policy.bias);

    TrainingIteration summary{.samples = data.samples(), .successes = 0,
                              .episodes = settings.episodes_per_iteration};
    for (std::size_t k = 0; k < settings.episodes_per_iteration; ++k) {
      summary.successes += environment.finished_episodes()[k].success ? 1U : 0U;
    }
    result.iterations.push_back(summary);
    if (progress) progress(iteration, summary);
  }
  return result;
}

}  // namespace tandem::examples
