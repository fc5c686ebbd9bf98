// `tandem bench activity`: does wall time follow activity? One population of `lif` neurons
// (1,000,000 by default) driven by a sparse Poisson input onto v, at rates chosen so that a
// target fraction of the neurons is active per tick (docs/performance.md#activity). Each row runs
// the same seeded network in event and in always-on mode, in the same process, and prints the
// wall time per tick of both, their ratio and the measured active fraction (from the counters).
#include <boost/program_options.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "bench/bench_options.hpp"
#include "core/error.hpp"
#include "core/interrupt_guard.hpp"
#include "core/simulation.hpp"
#include "neurons/event_engine.hpp"
#include "neurons/lif.hpp"

namespace tandem::bench {
namespace {

namespace po = boost::program_options;

// Neuron and drive: a kick of kick_mv decays with tau_m until it is within the default rest
// tolerance, so an isolated kick keeps a neuron active for 1 + active_ticks_after_kick() ticks.
constexpr double tau_m_ms = 20.0;
constexpr double kick_mv = 0.5;
constexpr double threshold_mv = 20.0;
constexpr double dt_ms = 1.0;

// Ticks after the kick tick until |v − v_leak| <= tolerance: kick·d^k <= tol, d = exp(−dt/tau).
double active_ticks_after_kick() {
  return std::ceil(tau_m_ms / dt_ms * std::log(kick_mv / neurons::default_rest_tolerance_mv));
}

// Per-neuron Poisson rate (Hz) that keeps `fraction` of the neurons active: a neuron is active
// when a kick arrived in the last D ticks, P = 1 − exp(−λ·D); the 100 % row asks for one kick per
// tick on average (every neuron then stays active: kicks add up and it fires).
double rate_for(double fraction) {
  const double window = 1.0 + active_ticks_after_kick();
  const double per_tick = fraction >= 1.0 ? 1.0 : -std::log1p(-fraction) / window;
  return per_tick / (dt_ms * 1e-3);
}

struct ModeFigures {
  double seconds_per_tick = 0.0;
  double active_fraction = 0.0;  // neuron updates / (N · ticks) over the timed ticks
  std::uint64_t spikes = 0;
};

ModeFigures run_mode(ExecutionMode mode, std::size_t neurons, double fraction, Tick ticks, std::uint64_t seed,
                     const InterruptGuard& interrupt) {
  using namespace tandem::neurons;
  Simulation simulation({.time = TimeBase{dt_ms}, .seed = seed, .mode = mode, .max_epoch_ticks = 100, .interrupt = &interrupt});
  auto engine = std::make_unique<EventEngine>("activity", TimeBase{dt_ms});
  Lif::Parameters p;
  p.tau_m_ms = tau_m_ms;
  p.v_threshold_mv = threshold_mv;
  engine->add_population<Lif>("cells", neurons, p);
  engine->add_poisson_input(
      {.name = "drive", .target = "cells", .receptor = "v", .rate_hz = rate_for(fraction), .weight = static_cast<float>(kick_mv)});
  auto& snn = simulation.add_engine(std::move(engine));
  // Warm up until the activity is stationary (every neuron's last kick is older than the run).
  simulation.run(static_cast<Tick>(2.0 * (1.0 + active_ticks_after_kick())));
  const NodeCounters before = snn.counters()[0];
  const auto start = std::chrono::steady_clock::now();
  simulation.run(ticks);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const NodeCounters& after = snn.counters()[0];
  const auto updates = after.executed[Op::neuron_update] - before.executed[Op::neuron_update];
  ModeFigures figures;
  figures.seconds_per_tick = seconds / static_cast<double>(ticks);
  figures.active_fraction = static_cast<double>(updates) / (static_cast<double>(neurons) * static_cast<double>(ticks));
  figures.spikes = after.executed[Op::spike] - before.executed[Op::spike];
  return figures;
}

}  // namespace

int run_activity_benchmark(const std::vector<std::string>& args, const InterruptGuard& interrupt) {
  po::options_description options("tandem bench activity options");
  options.add_options()("help,h", "show this help")
      ("neurons", po::value<std::size_t>()->default_value(1'000'000), "lif neurons in the population")
      ("active-percent", po::value<std::string>()->default_value("0.1,1,10,100"), "target active neurons per tick, in %")
      ("ticks", po::value<Tick>()->default_value(200), "timed ticks per mode (1 ms each), after a warm-up")
      ("seed", po::value<std::uint64_t>()->default_value(1), "run seed")
      ("json", po::bool_switch(), "one JSON object per row");
  po::variables_map values;
  if (!parse_bench_options("activity", args, options, "tandem bench activity [options]", "Wall time per tick of one lif population under sparse Poisson input, event vs always-on.", values)) return exit_ok;
  const auto neurons = values["neurons"].as<std::size_t>();
  const auto ticks = values["ticks"].as<Tick>();
  const auto seed = values["seed"].as<std::uint64_t>();
  const bool json = values["json"].as<bool>();
  if (neurons < 1 || neurons > 100'000'000) throw InputError("tandem bench activity: --neurons must be in [1, 1e8]");
  if (ticks < 1) throw InputError("tandem bench activity: --ticks must be >= 1");
  const auto fractions = parse_percentages("activity", "active-percent", values["active-percent"].as<std::string>());
  if (!json) {
    std::printf("activity: %zu lif neurons, kick %.1f mV, tau_m %.0f ms, rest tolerance %.0e mV (a kick keeps a neuron "
                "active %.0f ticks), %lld timed ticks of %.0f ms\n",
                neurons, kick_mv, tau_m_ms, neurons::default_rest_tolerance_mv, 1.0 + active_ticks_after_kick(),
                static_cast<long long>(ticks), dt_ms);
    std::printf("%8s %10s %14s %14s %10s\n", "target", "active", "event_us/tick", "always_us/tick", "event/ao");
  }
  for (const double fraction : fractions) {
    const ModeFigures event = run_mode(ExecutionMode::event, neurons, fraction, ticks, seed, interrupt);
    const ModeFigures always = run_mode(ExecutionMode::always_on, neurons, fraction, ticks, seed, interrupt);
    if (event.spikes != always.spikes) {
      throw RunError("tandem bench activity: event and always-on disagree (" + std::to_string(event.spikes) + " vs " +
                     std::to_string(always.spikes) + " spikes)");
    }
    const double ratio = event.seconds_per_tick / always.seconds_per_tick;
    if (json) {
      std::printf("{\"benchmark\": \"activity\", \"neurons\": %zu, \"target_active\": %g, \"active\": %.6f, "
                  "\"event_us_per_tick\": %.3f, \"always_on_us_per_tick\": %.3f, \"event_over_always_on\": %.4f, "
                  "\"spikes\": %llu, \"ticks\": %lld, \"seed\": %llu}\n",
                  neurons, fraction, event.active_fraction, 1e6 * event.seconds_per_tick, 1e6 * always.seconds_per_tick,
                  ratio, static_cast<unsigned long long>(event.spikes), static_cast<long long>(ticks),
                  static_cast<unsigned long long>(seed));
    } else {
      std::printf("%7.1f%% %9.3f%% %14.2f %14.2f %10.4f\n", 100.0 * fraction, 100.0 * event.active_fraction,
                  1e6 * event.seconds_per_tick, 1e6 * always.seconds_per_tick, ratio);
    }
    std::fflush(stdout);
  }
  return exit_ok;
}

}  // namespace tandem::bench
