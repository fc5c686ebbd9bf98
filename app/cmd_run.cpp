// `tandem run NETWORK`: a network file (YAML, docs/network-format.md) is read with its --set
// overrides, lowered onto the engines (io/network_builder.hpp) and run; the energy table is
// printed and the trace (--record) holds the resolved YAML in /meta.
#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>

#include "app/cli_options.hpp"
#include "app/run_session.hpp"
#include "core/chip_presets.hpp"
#include "core/error.hpp"
#include "core/interrupt_guard.hpp"
#include "core/precision.hpp"
#include "io/network_builder.hpp"
#include "io/network_file.hpp"
#include "io/nir_import.hpp"

namespace tandem::app {

namespace {

// Run length: --ticks, else --duration-ms, else the file's simulation.ticks/duration_ms.
Tick run_ticks(const po::variables_map& values, const io::NetworkDescription& network) {
  if (values.count("ticks") && values.count("duration-ms")) throw InputError("run: give --ticks or --duration-ms, not both");
  if (values.count("ticks")) {
    const auto ticks = values["ticks"].as<std::int64_t>();
    if (ticks < 1) throw InputError("run: --ticks must be at least 1, got " + std::to_string(ticks));
    return ticks;
  }
  if (values.count("duration-ms")) {
    const double ms = values["duration-ms"].as<double>();
    const double ticks = ms / network.simulation.dt_ms;
    if (!std::isfinite(ms) || ms <= 0.0 || std::abs(ticks - std::round(ticks)) > 1e-9 * std::max(1.0, ticks)) {
      throw InputError("run: --duration-ms " + std::to_string(ms) + " must be a positive whole number of ticks (dt " +
                       std::to_string(network.simulation.dt_ms) + " ms)");
    }
    return static_cast<Tick>(std::llround(ticks));
  }
  if (network.simulation.ticks) return *network.simulation.ticks;
  throw InputError("run: " + network.source + " sets no duration; give --ticks N or --duration-ms T");
}

// --precision: a precision's name, or "native" for the chip's own (its preset's native_precision).
Precision precision_option(const std::string& text, const std::string& chip) {
  if (text == "native") return load_chip(chip).native_precision;
  if (const auto precision = precision_from_name(text)) return *precision;
  throw InputError("run: --precision: unknown precision '" + text + "' (float32, fixed, tianjic, loihi, native)");
}

// Runs `simulation` through a RunSession with progress on a terminal.
int run_with_session(Simulation& simulation, const RunOutputOptions& output, const std::string& label,
                     const std::string& resolved, Tick ticks) {
  RunSession session(simulation, output, label, resolved);
  session.show_progress(ticks);
  session.run(ticks);
  session.finish();
  return exit_ok;
}

// `tandem run model.nir`: import options, input tables, and a summary of the Output nodes.
int run_nir(const std::string& file, const po::variables_map& values, const InterruptGuard& interrupt) {
  const auto build_start = std::chrono::steady_clock::now();
  io::NirImportOptions options;
  options.dt_ms = values["dt-ms"].as<double>();
  options.reset = io::parse_nir_reset(values["reset"].as<std::string>());
  if (values.count("precision")) {
    options.precision = precision_option(values["precision"].as<std::string>(), values["chip"].as<std::string>());
  }
  if (values.count("set")) throw InputError("run: --set is for network files; a NIR file has no keys to override");
  const auto seed = values.count("seed") ? values["seed"].as<std::uint64_t>() : 1;
  const auto mode = values.count("mode") ? parse_execution_mode(values["mode"].as<std::string>()) : ExecutionMode::event;
  auto run = io::import_nir(file, options, seed, mode, &interrupt);
  Tick longest_input = 0;
  if (values.count("input")) {
    for (const auto& text : values["input"].as<std::vector<std::string>>()) {
      const auto eq = text.find('=');
      if (eq == std::string::npos || eq == 0) throw InputError("run: --input '" + text + "' must be NODE=FILE");
      const std::string node = text.substr(0, eq);
      const auto width = run.engine->graph().node(node).size;
      auto table = io::load_input_table(text.substr(eq + 1), width, node);
      longest_input = std::max(longest_input, static_cast<Tick>(table.size() / width));
      run.engine->set_input(node, std::move(table));
    }
  }
  io::NetworkDescription timing;  // run length: --ticks, --duration-ms, else the longest input
  timing.source = file;
  timing.simulation.dt_ms = options.dt_ms;
  if (longest_input > 0) timing.simulation.ticks = longest_input;
  const Tick ticks = run_ticks(values, timing);
  RunOutputOptions output = run_output_options_from(values);
  output.build_wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - build_start).count();
  if (!output.record_path.empty()) output.probes.insert(output.probes.begin(), run.output_probes.begin(), run.output_probes.end());
  const int code = run_with_session(*run.simulation, output, file, run.resolved, ticks);
  if (code == 0 && !output.quiet) {
    for (const auto& probe : run.output_probes) {
      const auto& last = run.engine->output(probe.node);
      std::cout << "output " << probe.node << ": " << run.engine->events(probe.node) << " non-zero values in " << ticks
                << " ticks; last [";
      for (std::size_t i = 0; i < std::min<std::size_t>(last.size(), 10); ++i) std::cout << (i ? " " : "") << last[i];
      std::cout << (last.size() > 10 ? " ...]\n" : "]\n");
    }
  }
  return code;
}

// --record without any probe (from the file or --probe): every population's spikes, unless the
// run is so large (neurons × ticks above default_spike_record_limit) that even a modest rate
// would write gigabytes; what was and was not recorded is logged and written to /meta "recorded".
constexpr double default_spike_record_limit = 1e9;  // neuron-ticks: at 1 % per tick, 1e7 spikes, 120 MB

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

}  // namespace

int run_run_command(const std::vector<std::string>& args, const InterruptGuard& interrupt) {
  po::options_description options("options");
  add_common_options(options);
  RunOutputOptions defaults;
  add_run_output_options(options, defaults);
  options.add_options()
    ("network", po::value<std::string>(), "network file (.yaml)")
    ("ticks", po::value<std::int64_t>(), "run length in ticks (overrides the file)")
    ("duration-ms", po::value<double>(), "run length in ms (overrides the file)")
    ("mode", po::value<std::string>(), "event | always-on (overrides the file)")
    ("precision", po::value<std::string>(),
     "float32 | fixed | tianjic | loihi | native (the chip's own): the network's default precision, for "
     "every node that names none (overrides simulation.precision; docs/precision.md)")
    ("seed", po::value<std::uint64_t>(), "random seed (overrides the file)")
    ("set", po::value<std::vector<std::string>>()->composing(), "override a value of the file: path.to.key=value")
    ("dt-ms", po::value<double>()->default_value(0.1), "NIR only: tick length in ms (NIR stores no dt)")
    ("reset", po::value<std::string>()->default_value("zero"), "NIR only: zero (v <- v_reset) | subtract (v <- v - v_th)")
    ("input", po::value<std::vector<std::string>>()->composing(), "NIR only: NODE=FILE.csv or NODE=FILE.h5:/dataset [ticks x units]");
  po::positional_options_description positional;
  positional.add("network", 1);
  po::variables_map values;
  const CommandHelp help{"tandem run NETWORK.yaml [options]",
                         "Read a network file (docs/network-format.md), apply --set overrides, build "
                         "the engines and run it; print the energy table, write the trace (--record) "
                         "and the energy report (--energy-report).",
                         "  tandem run examples/networks/hybrid_demo.yaml\n"
                         "  tandem run net.yaml --ticks 1000 --record run.h5 --set populations.exc.parameters.tau_m_ms=15\n"
                         "  tandem run lif.nir --dt-ms 0.1 --input input=current.csv --record run.h5\n"};
  if (!parse_command_line("run", args, options, positional, help, values)) return 0;
  if (!values.count("network")) throw InputError("run: give the network file, e.g. 'tandem run net.yaml'");
  const std::string file = values["network"].as<std::string>();
  if (std::filesystem::path(file).extension() == ".nir") return run_nir(file, values, interrupt);
  for (const char* nir_only : {"dt-ms", "reset", "input"}) {
    if (values.count(nir_only) && !values[nir_only].defaulted()) {
      throw InputError(std::string("run: --") + nir_only + " is for NIR files; in a network file use --set simulation.dt_ms=…");
    }
  }

  std::vector<io::Override> overrides;
  if (values.count("set")) {
    for (const auto& text : values["set"].as<std::vector<std::string>>()) overrides.push_back(io::parse_override(text));
  }
  const auto build_start = std::chrono::steady_clock::now();
  const auto network = io::load_network(values["network"].as<std::string>(), overrides);
  for (const std::string& advice : io::large_inline_list_advice(network)) std::cerr << "tandem: note: " << advice << "\n";
  io::BuildOptions build_options;
  build_options.interrupt = &interrupt;
  if (values.count("seed")) build_options.seed = values["seed"].as<std::uint64_t>();
  if (values.count("mode")) build_options.mode = parse_execution_mode(values["mode"].as<std::string>());
  const Tick ticks = run_ticks(values, network);
  RunOutputOptions output = run_output_options_from(values);
  if (values["chip"].defaulted() && !network.simulation.chip.empty()) output.chip = network.simulation.chip;
  if (values.count("precision")) build_options.precision = precision_option(values["precision"].as<std::string>(), output.chip);
  auto built = io::build_network(network, build_options);

  output.build_wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - build_start).count();
  output.pinned = network.placement;
  // The file's probes go into the trace; without --record they have nowhere to go.
  if (!output.record_path.empty()) output.probes.insert(output.probes.begin(), built.probes.begin(), built.probes.end());
  if (!output.record_path.empty() && output.probes.empty()) add_default_spike_probes(network, ticks, output);
  return run_with_session(*built.simulation, output, network.source, network.resolved_yaml, ticks);
}

}  // namespace tandem::app
