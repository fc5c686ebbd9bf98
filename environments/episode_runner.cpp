#include "environments/episode_runner.hpp"

#include <vector>

namespace tandem::environments {

std::size_t EpisodeSummary::successes() const {
  std::size_t count = 0;
  for (const EpisodeResult& episode : episodes) count += episode.success ? 1 : 0;
  return count;
}

double EpisodeSummary::success_rate() const {
  return episodes.empty() ? 0.0
                          : static_cast<double>(successes()) / static_cast<double>(episodes.size());
}

double EpisodeSummary::mean_steps() const {
  if (episodes.empty()) return 0.0;
  double total = 0.0;
  for (const EpisodeResult& episode : episodes) total += static_cast<double>(episode.steps);
  return total / static_cast<double>(episodes.size());
}

EpisodeSummary run_episodes(Environment& environment, const Controller& controller,
                            std::size_t episodes, std::uint64_t seed) {
  EpisodeSummary summary;
  summary.episodes.reserve(episodes);
  std::vector<double> signals(environment.signals().size());
  std::vector<double> action(environment.action_width());
  const std::span<const double> observation(signals.data(), environment.observation_width());
  for (std::size_t k = 0; k < episodes; ++k) {
    const std::uint64_t episode = episode_seed(seed, k);
    environment.reset(episode);
    while (!environment.done()) {
      environment.read_signals(signals);
      controller(observation, action);
      environment.step(action);
    }
    summary.episodes.push_back(
        EpisodeResult{episode, environment.step_count(), !environment.failed()});
  }
  return summary;
}

}  // namespace tandem::environments
