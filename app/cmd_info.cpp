// `tandem info FILE.h5`: what a trace holds — /meta (status, versions, settings), duration,
// every dataset with shape, type and unit, spike counts per population, energy totals.
#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "app/cli_options.hpp"
#include "core/error.hpp"
#include "core/interrupt_guard.hpp"
#include "core/trace_file.hpp"

namespace tandem::app {

namespace {

std::string shape_text(const std::vector<std::uint64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? " x " : "") + std::to_string(shape[i]);
  return text + "]";
}

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

// "/snn/<pop>/spikes/tick" -> "<pop>", otherwise "".
std::string spike_population(const std::string& path) {
  const std::string suffix = "/spikes/tick";
  if (!starts_with(path, "/snn/") || path.size() <= 5 + suffix.size()) return "";
  if (path.compare(path.size() - suffix.size(), suffix.size(), suffix) != 0) return "";
  const std::string population = path.substr(5, path.size() - 5 - suffix.size());
  return population.find('/') == std::string::npos ? population : "";
}

void print_row(const std::string& key, const std::string& value, std::size_t width) {
  std::cout << "  " << std::left << std::setw(static_cast<int>(width)) << key << "  ";
  // Multi-line values (the configuration) are indented under their key.
  std::istringstream lines(value);
  std::string line;
  bool first = true;
  while (std::getline(lines, line)) {
    if (!first) std::cout << "  " << std::string(width + 2, ' ');
    std::cout << line << "\n";
    first = false;
  }
  if (first) std::cout << "\n";
}

}  // namespace

int run_info_command(const std::vector<std::string>& args, const InterruptGuard& /*interrupt*/) {
  po::options_description options("options");
  add_common_options(options);
  options.add_options()("file", po::value<std::string>(), "trace file (.h5)");
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map values;
  const CommandHelp help{"tandem info FILE.h5",
                         "Summarise a trace recorded with --record: run metadata and status, "
                         "duration, every dataset with shape, type and unit, spike counts per "
                         "population and energy totals.",
                         "  tandem info run.h5\n"};
  if (!parse_command_line("info", args, options, positional, help, values)) return 0;
  if (!values.count("file")) throw InputError("info: give the trace file, e.g. 'tandem info run.h5'");
  const TraceFile trace(values["file"].as<std::string>());
  const auto meta = trace.meta();
  const auto datasets = trace.datasets();

  std::cout << "trace " << trace.file_path() << "\n";
  std::size_t width = 12;
  for (const auto& [key, value] : meta) width = std::max(width, key.size());
  std::cout << "meta\n";
  for (const auto& [key, value] : meta) print_row(key, value, width);
  if (meta.empty()) std::cout << "  (no /meta group: not a tandem trace?)\n";

  if (meta.count("ticks_completed")) {
    std::string duration = meta.at("ticks_completed") + " ticks";
    if (meta.count("dt_ms")) {
      const double ms = std::stod(meta.at("ticks_completed")) * std::stod(meta.at("dt_ms"));
      duration += " = " + format_number(ms) + " ms";
    }
    std::cout << "run\n";
    print_row("status", meta.count("status") ? meta.at("status") : "unknown", width);
    print_row("duration", duration, width);
  }

  std::size_t path_width = 8;
  for (const auto& dataset : datasets) path_width = std::max(path_width, dataset.path.size());
  std::cout << "datasets (" << datasets.size() << ")\n";
  for (const auto& dataset : datasets) {
    std::cout << "  " << std::left << std::setw(static_cast<int>(path_width)) << dataset.path << "  "
              << std::setw(8) << dataset.type << "  " << std::setw(14) << shape_text(dataset.shape);
    if (dataset.attributes.count("unit")) std::cout << "  " << dataset.attributes.at("unit");
    std::cout << "\n";
  }

  bool spikes_header = false;
  for (const auto& dataset : datasets) {
    const std::string population = spike_population(dataset.path);
    if (population.empty() || dataset.shape.empty()) continue;
    if (!spikes_header) std::cout << "spikes per population\n";
    spikes_header = true;
    print_row(population, std::to_string(dataset.shape[0]) + " spikes", width);
  }

  bool energy_header = false;
  for (const auto& dataset : datasets) {
    if (!starts_with(dataset.path, "/energy/") || !starts_with(dataset.type, "float")) continue;
    double total = 0.0;
    for (const double value : trace.values(dataset.path)) total += value;
    // A ledger writes every counter of every node; the zero ones would bury the rest.
    if (total == 0.0) continue;
    if (!energy_header) std::cout << "energy totals (non-zero series)\n";
    energy_header = true;
    const std::string unit = dataset.attributes.count("unit") ? " " + dataset.attributes.at("unit") : "";
    std::cout << "  " << std::left << std::setw(static_cast<int>(path_width)) << dataset.path
              << "  total " << format_number(total) << unit << "\n";
  }
  return 0;
}

}  // namespace tandem::app
