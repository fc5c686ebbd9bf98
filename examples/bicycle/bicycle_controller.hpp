// The bicycle configuration of the shared hybrid controller (examples/hybrid_controller.hpp), as
// on the Tianjic bicycle: its observation scales and timing, the closed loop with the environments::Bicycle
// engine (two actions: handlebar torque, rider displacement), its trace and its training.
#pragma once

#include "environments/bicycle/bicycle.hpp"
#include "examples/hybrid_controller.hpp"
#include "examples/hybrid_training.hpp"

namespace tandem::examples {

inline constexpr const char* bicycle_environment_name = "bicycle";

// 20 ticks of 0.5 ms per 10 ms step (see HybridControllerConfig), delta threshold 1/32 of the
// scale. Encoded: omega, omega_dot, theta,
// theta_dot of the 6 observations (omega_ddot and psi are not used); 2 actions.
HybridControllerConfig bicycle_controller_config();

// examples/bicycle/weights.h5.
std::string shipped_bicycle_weights_path();

environments::EnvironmentEngine& add_bicycle_hybrid(Simulation& simulation, const environments::BicycleParams& params,
                                      const HybridControllerConfig& config,
                                      const HybridControllerWeights& weights, const HybridWiring& wiring = {});

// /env/bicycle/..., /snn/lif/spikes, /ann/policy/activations.
void add_bicycle_trace_probes(Simulation& simulation, const HybridControllerConfig& config);

// DAgger on the environments::BicycleLqr teacher; labels clipped to the action ranges (±2 N m, ±0.02 m).
TrainingResult train_bicycle_controller(const HybridControllerConfig& config, const environments::BicycleParams& params,
                                        const TrainingSettings& settings, const TrainingProgress& progress = {});

}  // namespace tandem::examples
