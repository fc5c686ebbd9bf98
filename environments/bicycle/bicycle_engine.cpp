#include "environments/bicycle/bicycle_engine.hpp"

namespace tandem::environments {

std::unique_ptr<EnvironmentEngine> make_bicycle_engine(const BicycleParams& params,
                                                       EnvironmentEngineSettings settings) {
  return std::make_unique<EnvironmentEngine>(std::make_unique<Bicycle>(params), std::move(settings));
}

}  // namespace tandem::environments
