// `tandem bench cartpole`: wall time per control step of the closed loop — the shipped hybrid
// controller (delta encoder, afferents, LIF neurons, delta decoder, dense policy
// layer) plus the cart-pole physics — in event and always-on mode, unrecorded.
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>

#include "bench/bench_options.hpp"
#include "core/error.hpp"
#include "core/interrupt_guard.hpp"
#include "examples/cartpole/cartpole_controller.hpp"

namespace tandem::bench {
namespace {

namespace po = boost::program_options;

struct CartPoleFigures {
  double wall_s = 0.0;
  double cpu_s = 0.0;
  double steps = 0.0;
  std::size_t episodes = 0;
  std::size_t balanced = 0;
};

CartPoleFigures time_closed_loop(ExecutionMode mode, std::size_t episodes, std::uint64_t seed,
                                 const InterruptGuard& interrupt) {
  const examples::HybridControllerConfig config = examples::cartpole_controller_config();
  const auto weights = examples::load_hybrid_weights(examples::shipped_cartpole_weights_path(), config);
  Simulation simulation({.time = TimeBase{1.0}, .seed = seed, .mode = mode, .interrupt = &interrupt});
  auto& environment =
      examples::add_cartpole_hybrid(simulation, environments::CartPoleParams{}.with_pushes(), config, weights);
  simulation.run(config.ticks_per_step);  // build (synapses, buffers) outside the timing
  const auto wall0 = std::chrono::steady_clock::now();
  const std::clock_t cpu0 = std::clock();
  const Tick ticks = examples::run_until_episodes(environment, episodes, config.ticks_per_step, simulation.now(),
                                                  [&](Tick chunk) { simulation.run(chunk); });
  CartPoleFigures figures;
  figures.cpu_s = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
  figures.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  figures.steps = static_cast<double>(ticks / config.ticks_per_step);
  figures.episodes = episodes;
  for (std::size_t k = 0; k < episodes; ++k) figures.balanced += environment.finished_episodes()[k].success ? 1U : 0U;
  return figures;
}

}  // namespace

int run_cartpole_benchmark(const std::vector<std::string>& args, const InterruptGuard& interrupt) {
  po::options_description options("tandem bench cartpole options");
  options.add_options()("help,h", "show this help")
      ("episodes", po::value<std::size_t>()->default_value(20), "episodes per mode (500 steps each at most)")
      ("seed", po::value<std::uint64_t>()->default_value(1), "run seed")
      ("json", po::bool_switch(), "one JSON object per row");
  po::variables_map values;
  if (!parse_bench_options("cartpole", args, options, "tandem bench cartpole [options]", "", values)) return exit_ok;
  const auto episodes = values["episodes"].as<std::size_t>();
  if (episodes < 1) throw InputError("tandem bench cartpole: --episodes must be >= 1");
  const bool json = values["json"].as<bool>();
  for (const ExecutionMode mode : {ExecutionMode::event, ExecutionMode::always_on}) {
    const CartPoleFigures f = time_closed_loop(mode, episodes, values["seed"].as<std::uint64_t>(), interrupt);
    char line[512];
    if (json) {
      std::snprintf(line, sizeof line,
                    "{\"benchmark\": \"cartpole\", \"mode\": \"%s\", \"wall_s\": %.6f, \"cpu_s\": %.6f, "
                    "\"control_steps\": %.0f, \"us_per_step\": %.3f, \"cpu_us_per_step\": %.3f, "
                    "\"episodes\": %zu, \"balanced\": %zu, \"dt_ms\": 1, \"ticks_per_step\": 20}",
                    std::string(to_string(mode)).c_str(), f.wall_s, f.cpu_s, f.steps, 1e6 * f.wall_s / f.steps,
                    1e6 * f.cpu_s / f.steps, f.episodes, f.balanced);
    } else {
      std::snprintf(line, sizeof line,
                    "cartpole %-9s  %.0f control steps in %.3f s wall (%.3f s CPU): %.2f us/step wall, "
                    "%.2f us/step CPU; balanced %zu/%zu",
                    std::string(to_string(mode)).c_str(), f.steps, f.wall_s, f.cpu_s, 1e6 * f.wall_s / f.steps,
                    1e6 * f.cpu_s / f.steps, f.balanced, f.episodes);
    }
    std::cout << line << "\n";
  }
  return exit_ok;
}

}  // namespace tandem::bench
