#include "examples/cartpole/cartpole_controller.hpp"

#include "examples/cartpole/cartpole_engine.hpp"
#include "examples/cartpole/cartpole_lqr.hpp"

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

EnvironmentEngine& add_cartpole_hybrid(Simulation& simulation, const CartPoleParams& params,
                                       const HybridControllerConfig& config,
                                       const HybridControllerWeights& weights, const HybridWiring& wiring) {
  return add_hybrid_controller(simulation,
                               make_cartpole_engine(params, {cartpole_environment_name, config.ticks_per_step}),
                               config, weights, wiring);
}

void add_cartpole_trace_probes(Simulation& simulation, const HybridControllerConfig& config) {
  add_hybrid_trace_probes(simulation, cartpole_environment_name, config);
}

TrainingResult train_hybrid_controller(const HybridControllerConfig& config, const CartPoleParams& params,
                                       const CartPoleTrainingSettings& settings, const TrainingProgress& progress) {
  const CartPoleParams collect = settings.pushes ? params.with_pushes() : params;
  const CartPoleLqr teacher(collect);
  const TrainingProblem problem{
      .make_environment =
          [&](std::int64_t max_steps) {
            CartPoleParams capped = collect;
            capped.max_steps = max_steps;
            return make_cartpole_engine(capped, {cartpole_environment_name, config.ticks_per_step});
          },
      .teacher = teacher,
      .label_clip = {settings.label_clip_n}};
  return train_hybrid_controller(config, problem, settings, progress);
}

}  // namespace tandem::examples
