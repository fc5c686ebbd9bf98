#include "examples/cartpole/training.hpp"

#include <cmath>

#include "examples/cartpole/dagger_tap.hpp"
#include "examples/environment.hpp"

namespace tandem::examples {

TrainingResult train_hybrid_controller(const HybridControllerConfig& config, const CartPoleParams& params,
                                       const TrainingSettings& settings, const TrainingProgress& progress) {
  config.validate();
  CartPoleParams collect = settings.pushes ? params.with_pushes() : params;
  collect.max_steps = settings.max_steps;
  const CartPoleLqr teacher(collect);
  const std::size_t features = config.feature_count();

  TrainingResult result;
  result.weights.norm = make_norm_weights(config);
  result.weights.policy.weight = Eigen::MatrixXf::Zero(1, static_cast<Eigen::Index>(features));
  result.weights.policy.bias = Eigen::VectorXf::Zero(1);
  RidgeAccumulator data(features);

  for (std::size_t iteration = 0; iteration < settings.iterations; ++iteration) {
    // Each iteration its own seed, so its episodes differ from the previous ones.
    Simulation simulation({.time = TimeBase{1.0}, .seed = episode_seed(settings.seed, iteration)});
    DaggerTapSettings tap{.name = "dagger",
                          .ticks_per_step = config.ticks_per_step,
                          .phase = config.policy_phase() + 1,
                          .teacher_share = iteration == 0 ? 1.0 : std::ldexp(1.0, -static_cast<int>(iteration)),
                          .label_clip_n = settings.label_clip_n};
    simulation.add(std::make_unique<DaggerTap>(tap, features, teacher, data));
    auto& environment = add_cartpole_hybrid(simulation, collect, config, result.weights, {.action_tap = "dagger"});
    run_until_episodes(environment, settings.episodes_per_iteration, config.ticks_per_step, simulation.now(),
                       [&](Tick ticks) { simulation.run(ticks); });

    Eigen::VectorXf weight;
    float bias = 0.0F;
    data.solve(settings.ridge, weight, bias);
    result.weights.policy.weight = weight.transpose();
    result.weights.policy.bias[0] = bias;

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
