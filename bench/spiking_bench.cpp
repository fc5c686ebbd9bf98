#include "bench/spiking_bench.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "bench/bench_options.hpp"
#include "bench/peak_rss.hpp"
#include "core/error.hpp"
#include "core/interrupt_guard.hpp"
#include "core/simulation.hpp"

namespace tandem::bench {

namespace po = boost::program_options;

void add_spiking_bench_options(po::options_description& options, SpikingBenchOptions& values) {
  options.add_options()("help,h", "show this help")("json", po::bool_switch(&values.json),
                                                    "print one JSON object per line")(
      "mode", po::value<std::string>()->default_value("event"), "event | always-on")(
      "duration-ms", po::value<double>(&values.duration_ms)->default_value(1000.0), "simulated time")(
      "dt-ms", po::value<double>(&values.dt_ms)->default_value(0.1), "tick length")(
      "seed", po::value<std::uint64_t>(&values.seed)->default_value(1), "run seed (network and inputs)")(
      "threads", po::value<long long>()->default_value(1), "threads, 1-1024 (the same results for any count)");
}

bool parse_spiking_bench_options(const std::string& benchmark, const std::vector<std::string>& args,
                                 po::options_description& options, const std::string& usage, po::variables_map& values,
                                 SpikingBenchOptions& parsed) {
  if (!parse_bench_options(benchmark, args, options, usage, "", values)) return false;
  try {
    parsed.mode = parse_execution_mode(values["mode"].as<std::string>());
  } catch (const InputError& error) {
    throw InputError("tandem bench " + benchmark + ": --mode: " + error.what());
  }
  parsed.threads = checked_thread_count(values["threads"].as<long long>(), "tandem bench " + benchmark + ": --threads");
  if (!(parsed.duration_ms > 0.0) || !(parsed.dt_ms > 0.0)) {
    throw InputError("tandem bench " + benchmark + ": --duration-ms and --dt-ms must be > 0");
  }
  return true;
}

int run_spiking_bench(const std::string& benchmark, const SpikingBenchOptions& options,
                      const std::function<std::unique_ptr<neurons::EventEngine>(const TimeBase&)>& build,
                      const InterruptGuard& interrupt) {
  using Clock = std::chrono::steady_clock;
  const TimeBase time(options.dt_ms);
  const Tick ticks = time.ticks_from_ms(options.duration_ms, "--duration-ms");
  const auto build_start = Clock::now();
  Simulation simulation(
      {.time = time, .seed = options.seed, .mode = options.mode, .max_epoch_ticks = 100, .threads = options.threads,
       .interrupt = &interrupt});
  auto& engine = simulation.add_engine(build(time));
  simulation.build();  // resets the engine: synapses are built here
  const double build_s = std::chrono::duration<double>(Clock::now() - build_start).count();
  const auto run_start = Clock::now();
  simulation.run(ticks);
  const double wall_s = std::chrono::duration<double>(Clock::now() - run_start).count();

  std::uint64_t neurons = 0;
  std::uint64_t spikes = 0;
  for (const auto& node : engine.counters()) {
    if (node.kind == NodeKind::spiking) {
      neurons += node.units;
      spikes += node.executed[Op::spike];
    }
  }
  const std::uint64_t synapses = engine.synapse_count();
  const std::uint64_t rss = peak_rss_bytes();
  const double simulated_ms = time.ms_from_ticks(ticks);
  const double rate_hz = neurons > 0 ? static_cast<double>(spikes) / static_cast<double>(neurons) / (simulated_ms * 1e-3) : 0.0;
  const double bytes_per_synapse = synapses > 0 ? static_cast<double>(rss) / static_cast<double>(synapses) : 0.0;
  const std::string mode(to_string(options.mode));
  if (options.json) {
    std::printf(
        "{\"benchmark\": \"%s\", \"mode\": \"%s\", \"wall_s\": %.6f, \"build_s\": %.6f, \"simulated_ms\": %.3f, "
        "\"dt_ms\": %g, \"neurons\": %llu, \"synapses\": %llu, \"spikes\": %llu, \"synaptic_events\": %llu, "
        "\"mean_rate_hz\": %.4f, \"peak_rss_bytes\": %llu, \"bytes_per_synapse\": %.3f, \"seed\": %llu, \"threads\": %zu}\n",
        benchmark.c_str(), mode.c_str(), wall_s, build_s, simulated_ms, options.dt_ms,
        static_cast<unsigned long long>(neurons), static_cast<unsigned long long>(synapses),
        static_cast<unsigned long long>(spikes), static_cast<unsigned long long>(engine.delivered_synaptic_events()),
        rate_hz, static_cast<unsigned long long>(rss), bytes_per_synapse, static_cast<unsigned long long>(options.seed),
        options.threads);
  } else {
    std::printf("%-18s %s\n%-18s %s\n%-18s %.3f\n%-18s %.3f\n%-18s %.1f ms (dt %g ms)\n%-18s %llu\n%-18s %llu\n"
                "%-18s %llu\n%-18s %llu\n%-18s %.2f Hz\n%-18s %.1f MB\n%-18s %.2f\n%-18s %llu\n%-18s %zu\n",
                "benchmark", benchmark.c_str(), "mode", mode.c_str(), "wall_s", wall_s, "build_s", build_s,
                "simulated", simulated_ms, options.dt_ms, "neurons", static_cast<unsigned long long>(neurons),
                "synapses", static_cast<unsigned long long>(synapses), "spikes",
                static_cast<unsigned long long>(spikes), "synaptic_events",
                static_cast<unsigned long long>(engine.delivered_synaptic_events()), "mean_rate", rate_hz,
                "peak_rss", static_cast<double>(rss) / 1e6, "bytes_per_synapse", bytes_per_synapse, "seed",
                static_cast<unsigned long long>(options.seed), "threads", options.threads);
  }
  return exit_ok;
}

}  // namespace tandem::bench
