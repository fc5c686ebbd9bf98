// What every closed-loop example prints after its run: per-episode step counts and the energy
// per control step and per episode, event-driven beside always-on.
#pragma once

#include <vector>

#include "app/run_session.hpp"
#include "examples/episode_runner.hpp"

namespace tandem::app {

void print_episode_steps(const std::vector<examples::EpisodeResult>& episodes, std::size_t count);
void print_energy_per_step(const EnergyReport& report, double control_steps, std::size_t episodes);

}  // namespace tandem::app
