// The cart-pole as a closed-loop Engine: "action" (1 value: force in N, or its sign in the
// discrete mode) in, "observation" (x, x_dot, theta, theta_dot) out; signals recorded under
// /env/<name>/{x,x_dot,theta,theta_dot,action,push,step,episode}. See EnvironmentEngine.
#pragma once

#include <memory>

#include "environments/cartpole/cartpole.hpp"
#include "environments/environment_engine.hpp"

namespace tandem::environments {

std::unique_ptr<EnvironmentEngine> make_cartpole_engine(const CartPoleParams& params = {},
                                                        EnvironmentEngineSettings settings = {});

}  // namespace tandem::environments
