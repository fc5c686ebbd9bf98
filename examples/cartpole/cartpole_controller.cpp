#include "examples/cartpole/cartpole_controller.hpp"

#include "environments/cartpole/cartpole_engine.hpp"
#include "environments/cartpole/cartpole_lqr.hpp"

namespace tandem::examples {

HybridControllerConfig cartpole_controller_config() {
  HybridControllerConfig config;
  config.label = "cart-pole hybrid controller";
  config.dt_ms = 1.0;
  config.ticks_per_step = 20;  // 20 ms cart-pole step
  config.observation_width = 4;
  config.action_width = 1;
  config.observation_scale = {2.4, 2.0, 0.21, 2.0};
  return config;
}

std::string shipped_cartpole_weights_path() { return shipped_weights_path("cartpole"); }

environments::EnvironmentEngine& add_cartpole_hybrid(Simulation& simulation, const environments::CartPoleParams& params,
                                       const HybridControllerConfig& config,
                                       const HybridControllerWeights& weights, const HybridWiring& wiring) {
  return add_hybrid_controller(simulation,
                               environments::make_cartpole_engine(params, {cartpole_environment_name, config.ticks_per_step}),
                               config, weights, wiring);
}

void add_cartpole_trace_probes(Simulation& simulation, const HybridControllerConfig& config) {
  add_hybrid_trace_probes(simulation, cartpole_environment_name, config);
}

TrainingResult train_hybrid_controller(const HybridControllerConfig& config, const environments::CartPoleParams& params,
                                       const CartPoleTrainingSettings& settings, const TrainingProgress& progress) {
  const environments::CartPoleParams collect = settings.pushes ? params.with_pushes() : params;
  const environments::CartPoleLqr teacher(collect);
  const TrainingProblem problem{
      .make_environment =
          [&](std::int64_t max_steps) {
            environments::CartPoleParams capped = collect;
            capped.max_steps = max_steps;
            return environments::make_cartpole_engine(capped, {cartpole_environment_name, config.ticks_per_step});
          },
      .teacher = teacher,
      .label_clip = {settings.label_clip_n}};
  return train_hybrid_controller(config, problem, settings, progress);
}

}  // namespace tandem::examples
