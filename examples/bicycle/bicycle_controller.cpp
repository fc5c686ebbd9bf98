#include "examples/bicycle/bicycle_controller.hpp"

#include "environments/bicycle/bicycle_engine.hpp"
#include "environments/bicycle/bicycle_lqr.hpp"

namespace tandem::examples {

HybridControllerConfig bicycle_controller_config() {
  HybridControllerConfig config;
  config.label = "bicycle hybrid controller";
  // A 10 ms step as 20 ticks of 0.5 ms: the cart-pole's 20-tick timing, so the delta code can
  // send up to 13 thresholds of change per value within a step.
  config.dt_ms = 0.5;
  config.ticks_per_step = 20;
  config.observation_width = 6;
  config.action_width = 2;
  // omega, omega_dot, theta, theta_dot: about three times the largest values the LQR teacher visits
  // under the ±0.02 m displacement noise (measured over seeded 10,000-step episodes, see
  // examples/bicycle/README.md), so the code resolves the small states that matter.
  config.observation_scale = {0.015, 0.045, 0.06, 0.2};
  return config;
}

std::string shipped_bicycle_weights_path() { return shipped_weights_path("bicycle"); }

environments::EnvironmentEngine& add_bicycle_hybrid(Simulation& simulation, const environments::BicycleParams& params,
                                      const HybridControllerConfig& config,
                                      const HybridControllerWeights& weights, const HybridWiring& wiring) {
  return add_hybrid_controller(simulation,
                               environments::make_bicycle_engine(params, {bicycle_environment_name, config.ticks_per_step}),
                               config, weights, wiring);
}

void add_bicycle_trace_probes(Simulation& simulation, const HybridControllerConfig& config) {
  add_hybrid_trace_probes(simulation, bicycle_environment_name, config);
}

TrainingResult train_bicycle_controller(const HybridControllerConfig& config, const environments::BicycleParams& params,
                                        const TrainingSettings& settings, const TrainingProgress& progress) {
  const environments::BicycleLqr teacher(params);
  const TrainingProblem problem{
      .make_environment =
          [&](std::int64_t max_steps) {
            environments::BicycleParams capped = params;
            capped.max_steps = max_steps;
            return environments::make_bicycle_engine(capped, {bicycle_environment_name, config.ticks_per_step});
          },
      .teacher = teacher,
      .label_clip = {params.max_torque_nm, params.max_displacement_m}};
  return train_hybrid_controller(config, problem, settings, progress);
}

}  // namespace tandem::examples
