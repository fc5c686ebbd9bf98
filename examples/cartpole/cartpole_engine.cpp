#include "examples/cartpole/cartpole_engine.hpp"

namespace tandem::examples {

std::unique_ptr<EnvironmentEngine> make_cartpole_engine(const CartPoleParams& params,
                                                        EnvironmentEngineSettings settings) {
  return std::make_unique<EnvironmentEngine>(std::make_unique<CartPole>(params), std::move(settings));
}

}  // namespace tandem::examples
