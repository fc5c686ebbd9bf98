// The bicycle as a closed-loop Engine: "action" (torque N m, displacement m) in, "observation"
// (omega, omega_dot, theta, theta_dot, omega_ddot, psi) out; signals recorded under
// /env/<name>/<signal> (see Bicycle::signals()). See EnvironmentEngine for the tick semantics.
#pragma once

#include <memory>

#include "environments/bicycle/bicycle.hpp"
#include "environments/environment_engine.hpp"

namespace tandem::environments {

std::unique_ptr<EnvironmentEngine> make_bicycle_engine(const BicycleParams& params = {},
                                                       EnvironmentEngineSettings settings = {});

}  // namespace tandem::environments
