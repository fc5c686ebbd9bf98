// What every closed-loop example does after building its network: run the episodes through the
// RunSession, print per-episode step counts and the energy per control step and per episode,
// event-driven beside always-on.
#pragma once

#include <string>
#include <vector>

#include "app/run_session.hpp"
#include "environments/environment_engine.hpp"
#include "examples/hybrid_training.hpp"

namespace tandem::app {

struct EpisodesRun {
  std::size_t successes = 0;
  double control_steps = 0.0;  // steps of the whole run, restarts included
};

// Runs the loop (run_until_episodes through `session`, from tick `now`) until `episodes` episodes ended, then
// prints their steps. Returns the successes among the first `episodes`.
EpisodesRun run_example_episodes(RunSession& session, const environments::EnvironmentEngine& environment,
                                 std::size_t episodes, Tick ticks_per_step, Tick now);

// The weights at `path`; InputError naming `tandem example <example>` when the file is missing.
examples::HybridControllerWeights load_example_weights(const std::string& example, const std::string& path,
                                                       const examples::HybridControllerConfig& config);

// `--train`: prints the banner and returns the per-iteration progress printer ("N/M episodes
// <outcome> while collecting, S samples"); then writes the weights and says where.
examples::TrainingProgress start_training_report(std::uint64_t seed, const std::string& outcome);
void save_trained_weights(const std::string& path, const examples::HybridControllerWeights& weights,
                          const std::string& training_note, const std::string& readme);

void print_episode_steps(const std::vector<environments::EpisodeResult>& episodes, std::size_t count);
void print_energy_per_step(const EnergyReport& report, double control_steps, std::size_t episodes);

}  // namespace tandem::app
