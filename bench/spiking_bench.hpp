// Shared plumbing of the spiking benchmarks (coba, brunel): common options, running an
// EventEngine in a Simulation with timing, and the report (human table or one JSON line).
#pragma once

#include <boost/program_options.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/execution_mode.hpp"
#include "core/interrupt_guard.hpp"
#include "neurons/event_engine.hpp"

namespace tandem::bench {

struct SpikingBenchOptions {
  bool json = false;
  ExecutionMode mode = ExecutionMode::event;
  double duration_ms = 1000.0;
  double dt_ms = 0.1;
  std::uint64_t seed = 1;
  std::size_t threads = 1;
};

// Adds --json, --mode, --duration-ms, --dt-ms, --seed, --threads, --help to `options`.
void add_spiking_bench_options(boost::program_options::options_description& options, SpikingBenchOptions& values);
// Parses; InputError naming the benchmark for bad options. False when --help was printed.
bool parse_spiking_bench_options(const std::string& benchmark, const std::vector<std::string>& args,
                                 boost::program_options::options_description& options, const std::string& usage,
                                 boost::program_options::variables_map& values, SpikingBenchOptions& parsed);

// Builds the network (timed as build_s, including synapse construction at reset), runs the
// simulation loop (timed as wall_s) and prints the report. Returns the exit code.
// `interrupt` is checked after every epoch (RunInterrupted).
int run_spiking_bench(const std::string& benchmark, const SpikingBenchOptions& options,
                      const std::function<std::unique_ptr<neurons::EventEngine>(const TimeBase&)>& build,
                      const InterruptGuard& interrupt);

}  // namespace tandem::bench
