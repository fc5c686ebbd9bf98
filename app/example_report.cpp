#include "app/example_report.hpp"

#include <cstdio>
#include <iostream>

namespace tandem::app {

void print_episode_steps(const std::vector<examples::EpisodeResult>& episodes, std::size_t count) {
  std::cout << "episode steps:";
  for (std::size_t k = 0; k < count; ++k) {
    std::cout << (k % 20 == 0 ? "\n  " : " ") << episodes[k].steps;
  }
  std::cout << "\n";
}

void print_energy_per_step(const EnergyReport& report, double control_steps, std::size_t episodes) {
  const double event_j = report.total.energy_j();
  const double always_on_j = report.total.always_on_energy_j();
  char line[256];
  std::snprintf(line, sizeof line,
                "energy on %s: per control step %.3g J event vs %.3g J always-on; per episode %.3g J vs "
                "%.3g J (event/always-on = %.3f)\n",
                report.chip.c_str(), event_j / control_steps, always_on_j / control_steps,
                event_j / static_cast<double>(episodes), always_on_j / static_cast<double>(episodes),
                report.total.ratio());
  std::cout << line;
}

}  // namespace tandem::app
