#include "environments/cartpole/cartpole_engine.hpp"

namespace tandem::environments {

std::unique_ptr<EnvironmentEngine> make_cartpole_engine(const CartPoleParams& params,
                                                        EnvironmentEngineSettings settings) {
  return std::make_unique<EnvironmentEngine>(std::make_unique<CartPole>(params), std::move(settings));
}

}  // namespace tandem::environments
