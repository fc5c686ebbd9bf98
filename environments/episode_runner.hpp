// Runs N seeded episodes of an environment under a controller function and reports per-episode
// steps and successes (an episode succeeds when it reaches the environment's step cap without
// failing). Used for reference-controller baselines and by `tandem example`.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "environments/environment.hpp"

namespace tandem::environments {

// observation (env.observation_width() values) -> action (env.action_width() values).
using Controller = std::function<void(std::span<const double> observation, std::span<double> action)>;

struct EpisodeResult {
  std::uint64_t seed = 0;
  std::int64_t steps = 0;
  bool success = false;
};

struct EpisodeSummary {
  std::vector<EpisodeResult> episodes;
  [[nodiscard]] std::size_t successes() const;
  [[nodiscard]] double success_rate() const;
  [[nodiscard]] double mean_steps() const;
};

// Episode k is reset with episode_seed(seed, k). The controller sees the observation of the
// current state before each step.
EpisodeSummary run_episodes(Environment& environment, const Controller& controller,
                            std::size_t episodes, std::uint64_t seed);

}  // namespace tandem::environments
