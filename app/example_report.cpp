#include "app/example_report.hpp"

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "core/error.hpp"
#include "examples/hybrid_controller.hpp"

namespace tandem::app {

EpisodesRun run_example_episodes(RunSession& session, const environments::EnvironmentEngine& environment,
                                 std::size_t episodes, Tick ticks_per_step, Tick now) {
  EpisodesRun result;
  Tick ticks = 0;
  // Balanced episodes run to the step cap, so this is the run's length when all succeed and an
  // upper bound otherwise (the ETA then errs long).
  session.show_progress(static_cast<Tick>(episodes) * environment.environment().max_steps() * ticks_per_step);
  // A signal stops session.run() with every output closed; RunInterrupted goes up to main.
  ticks = examples::run_until_episodes(environment, episodes, ticks_per_step, now,
                                       [&](Tick chunk) { session.run(chunk); });
  const auto& finished = environment.finished_episodes();
  print_episode_steps(finished, episodes);
  for (std::size_t k = 0; k < episodes; ++k) result.successes += finished[k].success ? 1U : 0U;
  result.control_steps = static_cast<double>(ticks / ticks_per_step);
  return result;
}

examples::HybridControllerWeights load_example_weights(const std::string& example, const std::string& path,
                                                       const examples::HybridControllerConfig& config) {
  if (!std::filesystem::exists(path)) {
    throw InputError("tandem example " + example + ": weights file '" + path +
                     "' does not exist (regenerate it with --train)");
  }
  return examples::load_hybrid_weights(path, config);
}

examples::TrainingProgress start_training_report(std::uint64_t seed, const std::string& outcome) {
  std::cout << "training the policy layer (DAgger on the LQR teacher through the spiking front end, seed " << seed
            << ")\n";
  return [outcome](std::size_t iteration, const examples::TrainingIteration& it) {
    std::cout << "  iteration " << iteration << ": " << it.successes << "/" << it.episodes << " episodes " << outcome
              << " while collecting, " << it.samples << " samples, fit explains " << it.explained
              << " of the teacher's variance\n";
  };
}

void save_trained_weights(const std::string& path, const examples::HybridControllerWeights& weights,
                          const std::string& training_note, const std::string& readme) {
  examples::write_hybrid_weights(path, weights, training_note, readme);
  std::cout << "wrote " << path << "\n";
}

void print_episode_steps(const std::vector<environments::EpisodeResult>& episodes, std::size_t count) {
  std::cout << "episode steps:";
  for (std::size_t k = 0; k < count; ++k) {
    std::cout << (k % 20 == 0 ? "\n  " : " ") << episodes[k].steps;
  }
  std::cout << "\n";
}

void print_energy_per_step(const EnergyReport& report, double control_steps, std::size_t episodes) {
  // Dynamic energy is what event-driven execution saves; static energy is the chip's leak over
  // the run, the same whatever the network does (docs/energy.md).
  const NodeEnergy& total = report.total;
  const double dynamic_ratio = total.dynamic_ratio();
  char line[384];
  std::snprintf(line, sizeof line,
                "energy on %s: per control step %.3g J dynamic event vs %.3g J always-on (%.3f), plus %.3g J "
                "static; per episode %.3g J vs %.3g J in all (event/always-on = %.3f)\n",
                report.chip.c_str(), total.dynamic_j / control_steps, total.always_on_dynamic_j / control_steps,
                dynamic_ratio, total.static_j / control_steps, total.energy_j() / static_cast<double>(episodes),
                total.always_on_energy_j() / static_cast<double>(episodes), total.ratio());
  std::cout << line;
  if (report.time.modelled && report.step_ticks > 0) {
    std::snprintf(line, sizeof line, "time on %s: %.3g us per control step event vs %.3g us always-on\n",
                  report.chip.c_str(), report.tick_mean_s(report.time.executed) * static_cast<double>(report.step_ticks) * 1e6,
                  report.tick_mean_s(report.time.always_on) * static_cast<double>(report.step_ticks) * 1e6);
    std::cout << line;
  }
}

}  // namespace tandem::app
