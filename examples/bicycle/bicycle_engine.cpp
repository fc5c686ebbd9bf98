#include "examples/bicycle/bicycle_engine.hpp"

namespace tandem::examples {

std::unique_ptr<EnvironmentEngine> make_bicycle_engine(const BicycleParams& params,
                                                       EnvironmentEngineSettings settings) {
  return std::make_unique<EnvironmentEngine>(std::make_unique<Bicycle>(params), std::move(settings));
}

}  // namespace tandem::examples
