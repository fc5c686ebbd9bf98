#include "app/network_run.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>

#include "core/chip_presets.hpp"
#include "core/error.hpp"
#include "io/network_builder.hpp"
#include "io/network_file.hpp"
#include "io/nir_import.hpp"

namespace tandem::app {
namespace {

bool is_nir(const std::string& file) { return std::filesystem::path(file).extension() == ".nir"; }

// Puts `implied` (the Output nodes' probes of a NIR file, a network file's own probes) before the
// command line's probes, leaving out those the command line names itself (same node and variable):
// its own settings (units, every) win, and a stream cannot be enrolled twice.
void add_implied_probes(const std::vector<Probe>& implied, std::vector<Probe>& probes) {
  std::vector<Probe> kept;
  for (const Probe& probe : implied) {
    const bool given = std::any_of(probes.begin(), probes.end(), [&](const Probe& other) {
      return other.node == probe.node && other.variable == probe.variable;
    });
    if (!given) kept.push_back(probe);
  }
  probes.insert(probes.begin(), kept.begin(), kept.end());
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

io::NirImportOptions nir_options(const NetworkRunRequest& request, const std::string& chip) {
  io::NirImportOptions options;
  options.dt_ms = request.dt_ms.value_or(0.1);
  options.reset = io::parse_nir_reset(request.reset.value_or("zero"));
  if (request.precision) options.precision = precision_option(*request.precision, chip);
  options.threads = request.threads.value_or(1);
  if (!request.overrides.empty()) throw InputError("run: --set is for network files; a NIR file has no keys to override");
  return options;
}

void refuse_nir_options(const NetworkRunRequest& request) {
  const auto refuse = [](const char* option) {
    throw InputError(std::string("run: --") + option + " is for NIR files; in a network file use --set simulation.dt_ms=…");
  };
  if (request.dt_ms) refuse("dt-ms");
  if (request.reset) refuse("reset");
  if (!request.input_files.empty() || !request.input_tables.empty()) refuse("input");
}

PreparedRun prepare_nir(const NetworkRunRequest& request, RunOutputOptions output) {
  if (request.external_outputs) {
    throw InputError("run: " + request.file + ": a NIR file cannot be stepped from a program yet; run it whole with "
                     "its input tables");
  }
  const auto build_start = std::chrono::steady_clock::now();
  const auto options = nir_options(request, output.chip);
  const auto mode = request.mode ? parse_execution_mode(*request.mode) : ExecutionMode::event;
  auto run = io::import_nir(request.file, options, request.seed.value_or(1), mode, request.interrupt);
  Tick longest_input = 0;
  const auto add_input = [&](const std::string& node, const std::vector<double>& table) {
    const auto width = run.input_width(node);
    longest_input = std::max(longest_input, static_cast<Tick>(table.size() / width));
    run.set_input(node, table);
  };
  for (const auto& [node, source] : request.input_files) {
    add_input(node, io::load_input_table(source, run.input_width(node), node));
  }
  for (const auto& [node, table] : request.input_tables) add_input(node, table);
  io::NetworkDescription timing;  // run length: ticks, duration, else the longest input
  timing.source = request.file;
  timing.simulation.dt_ms = options.dt_ms;
  if (longest_input > 0) timing.simulation.ticks = longest_input;
  PreparedRun prepared;
  prepared.ticks = run_length_ticks(request.ticks, request.duration_ms, timing);
  output.build_wall_s = seconds_since(build_start);
  if (!output.record_path.empty()) add_implied_probes(run.output_probes, output.probes);
  prepared.simulation = std::move(run.simulation);
  prepared.nir_engine = run.engine;
  for (const auto& [node, population] : run.lowering.outputs) prepared.nir_outputs.emplace_back(node, population);
  prepared.nir_readouts = run.readouts;
  prepared.output = std::move(output);
  prepared.label = request.file;
  prepared.resolved = std::move(run.resolved);
  return prepared;
}

}  // namespace

Tick run_length_ticks(std::optional<std::int64_t> ticks, std::optional<double> duration_ms,
                      const io::NetworkDescription& network) {
  if (ticks && duration_ms) throw InputError("run: give --ticks or --duration-ms, not both");
  if (ticks) {
    if (*ticks < 1) throw InputError("run: --ticks must be at least 1, got " + std::to_string(*ticks));
    return *ticks;
  }
  if (duration_ms) {
    const double ms = *duration_ms;
    const double count = ms / network.simulation.dt_ms;
    if (!std::isfinite(ms) || ms <= 0.0 || std::abs(count - std::round(count)) > 1e-9 * std::max(1.0, count)) {
      throw InputError("run: --duration-ms " + std::to_string(ms) + " must be a positive whole number of ticks (dt " +
                       std::to_string(network.simulation.dt_ms) + " ms)");
    }
    return static_cast<Tick>(std::llround(count));
  }
  if (network.simulation.ticks) return *network.simulation.ticks;
  throw InputError("run: " + network.source + " sets no duration; give --ticks N or --duration-ms T");
}

Precision precision_option(const std::string& text, const std::string& chip, const std::string& command) {
  if (text == "native") return load_chip(chip).native_precision;
  if (const auto precision = precision_from_name(text)) return *precision;
  throw InputError(command + ": --precision: unknown precision '" + text + "' (float32, fixed, tianjic, loihi, native)");
}

void add_default_spike_probes(const io::NetworkDescription& network, Tick ticks, RunOutputOptions& output) {
  double neuron_ticks = 0.0;
  std::string names;
  for (const auto& pop : network.populations) {
    neuron_ticks += static_cast<double>(pop.size) * static_cast<double>(ticks);
    names += (names.empty() ? "" : ", ") + pop.name;
  }
  if (network.populations.empty()) return;
  if (neuron_ticks > default_spike_record_limit) {
    output.recorded_note = "nothing by default: " + format_number(neuron_ticks) + " neuron-ticks exceed " +
                           format_number(default_spike_record_limit) + "; name probes with --probe POP.spikes";
    spdlog::warn("--record without probes records every population's spikes by default, but this run has {} neuron-ticks "
                 "(over {}): nothing is recorded; name what to record, e.g. --probe {}.spikes",
                 format_number(neuron_ticks), format_number(default_spike_record_limit), network.populations.front().name);
    return;
  }
  for (const auto& pop : network.populations) output.probes.push_back(Probe{pop.name, "spikes", {}, 1});
  output.recorded_note = "spikes of every population (no probe was named): " + names;
  spdlog::info("recording the spikes of every population (no probe was named): {}", names);
}

void check_network_file(const NetworkRunRequest& request) {
  if (request.network) return;
  if (is_nir(request.file)) {
    const auto options = nir_options(request, "tianjic");
    io::import_nir(request.file, options, request.seed.value_or(1), ExecutionMode::event, request.interrupt);
    return;
  }
  refuse_nir_options(request);
  io::load_network(request.file, request.overrides);
}

PreparedRun prepare_network_run(const NetworkRunRequest& request, RunOutputOptions output) {
  if (!request.network && is_nir(request.file)) {
    if (request.processes != nullptr) throw InputError("run: " + request.file + ": a NIR graph runs in one process (docs/mpi.md)");
    return prepare_nir(request, std::move(output));
  }
  refuse_nir_options(request);
  const auto build_start = std::chrono::steady_clock::now();
  std::shared_ptr<const io::NetworkDescription> loaded = request.network;
  if (!loaded) {
    loaded = std::make_shared<const io::NetworkDescription>(io::load_network(request.file, request.overrides));
    for (const std::string& advice : io::large_inline_list_advice(*loaded)) std::cerr << "tandem: note: " << advice << "\n";
  }
  const io::NetworkDescription& network = *loaded;
  io::BuildOptions build_options;
  build_options.external_outputs = request.external_outputs;
  build_options.interrupt = request.interrupt;
  build_options.seed = request.seed;
  build_options.threads = request.threads;
  build_options.processes = request.processes;
  if (request.mode) build_options.mode = parse_execution_mode(*request.mode);
  PreparedRun prepared;
  // A stepped run has no length of its own: the program decides when it ends.
  const bool open_ended = request.external_outputs && !request.ticks && !request.duration_ms && !network.simulation.ticks;
  prepared.ticks = open_ended ? 0 : run_length_ticks(request.ticks, request.duration_ms, network);
  if (!request.chip_given && !network.simulation.chip.empty()) output.chip = network.simulation.chip;
  if (request.precision) build_options.precision = precision_option(*request.precision, output.chip);
  auto built = io::build_network(network, build_options);
  output.build_wall_s = seconds_since(build_start);
  output.pinned = network.placement;
  // The file's probes go into the trace; without a trace they have nowhere to go.
  if (!output.record_path.empty()) add_implied_probes(built.probes, output.probes);
  if (!output.record_path.empty() && output.probes.empty()) add_default_spike_probes(network, prepared.ticks, output);
  prepared.simulation = std::move(built.simulation);
  prepared.external = built.external;
  prepared.output = std::move(output);
  prepared.label = network.source;
  prepared.resolved = network.resolved_yaml;
  return prepared;
}

}  // namespace tandem::app
