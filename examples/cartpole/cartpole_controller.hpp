// The cart-pole configuration of the shared hybrid controller (examples/hybrid_controller.hpp):
// its observation scales, the closed loop with the environments::CartPole engine, its trace and its training.
#pragma once

#include "environments/cartpole/cartpole.hpp"
#include "examples/hybrid_controller.hpp"
#include "examples/hybrid_training.hpp"

namespace tandem::examples {

inline constexpr const char* cartpole_environment_name = "cartpole";

// 20 ticks of 1 ms per 20 ms step, delta threshold 1/32 of the scale; 4 observations, 1 action.
// Scale: x, x_dot, theta, theta_dot divided by (2.4, 2.0, 0.21, 2.0) land in [-1, 1] over the
// range a balancing controller visits (track ±2.4 m, angle limit ±0.21 rad; speeds chosen from
// LQR runs with pushes).
HybridControllerConfig cartpole_controller_config();

// examples/cartpole/weights.h5.
std::string shipped_cartpole_weights_path();

environments::EnvironmentEngine& add_cartpole_hybrid(Simulation& simulation, const environments::CartPoleParams& params,
                                       const HybridControllerConfig& config,
                                       const HybridControllerWeights& weights, const HybridWiring& wiring = {});

// /env/cartpole/..., /snn/lif/spikes, /ann/policy/activations.
void add_cartpole_trace_probes(Simulation& simulation, const HybridControllerConfig& config);

struct CartPoleTrainingSettings : TrainingSettings {
  bool pushes = true;          // collect with the default pushes: more varied states
  double label_clip_n = 10.0;  // the controller's force range
};

// DAgger on the environments::CartPoleLqr teacher (see train_hybrid_controller).
TrainingResult train_hybrid_controller(const HybridControllerConfig& config, const environments::CartPoleParams& params,
                                       const CartPoleTrainingSettings& settings,
                                       const TrainingProgress& progress = {});

}  // namespace tandem::examples
