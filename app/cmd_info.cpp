// `tandem info FILE.h5`: what a trace holds — /meta (status, versions, settings), duration,
// every dataset with shape, type and unit, spike counts per population, energy totals.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "app/cli_options.hpp"
#include "core/error.hpp"
#include "core/interrupt_guard.hpp"
#include "core/trace_file.hpp"
#include "io/network_file.hpp"

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

// Lists longer than this are summarised: the first few values, the count, min, max and mean.
constexpr std::size_t long_list = 8;
constexpr std::size_t shown_values = 4;

// A copy of `node` with every list of more than `long_list` numbers (at any depth; a list of
// lists counts its numbers) replaced by a one-line summary.
YAML::Node summarised(const YAML::Node& node) {
  if (node.IsMap()) {
    YAML::Node out(YAML::NodeType::Map);
    for (const auto& entry : node) out[entry.first] = summarised(entry.second);
    return out;
  }
  if (!node.IsSequence()) return node;
  std::vector<double> numbers;
  std::vector<std::string> first;
  bool all_numbers = true;
  const std::function<void(const YAML::Node&)> collect = [&](const YAML::Node& item) {
    if (!all_numbers) return;
    if (item.IsSequence()) {
      for (const auto& inner : item) collect(inner);
      return;
    }
    double value = 0.0;
    if (!item.IsScalar() || !YAML::convert<double>::decode(item, value)) {
      all_numbers = false;
      return;
    }
    if (first.size() < shown_values) first.push_back(item.Scalar());
    numbers.push_back(value);
  };
  collect(node);
  if (!all_numbers || numbers.size() <= long_list) {
    YAML::Node out(YAML::NodeType::Sequence);
    for (const auto& item : node) out.push_back(summarised(item));
    if (node.Style() == YAML::EmitterStyle::Flow) out.SetStyle(YAML::EmitterStyle::Flow);
    return out;
  }
  double sum = 0.0;
  for (const double v : numbers) sum += v;
  const auto short_number = [](double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", value);
    return std::string(text);
  };
  std::string text = "[";
  for (const auto& v : first) text += v + ", ";
  text += "…] " + std::to_string(numbers.size()) + " values, min " + short_number(*std::min_element(numbers.begin(), numbers.end())) +
          ", max " + short_number(*std::max_element(numbers.begin(), numbers.end())) + ", mean " +
          short_number(sum / static_cast<double>(numbers.size()));
  return YAML::Node(text);
}

// A YAML mapping text with its long lists summarised; other text unchanged.
std::string summarise_yaml_text(const std::string& text) {
  if (text.find('\n') == std::string::npos) return text;
  try {
    const YAML::Node root = YAML::Load(text);
    if (!root.IsMap()) return text;
    YAML::Emitter out;
    out << summarised(root);
    return out.c_str();
  } catch (const YAML::Exception&) {
    return text;
  }
}

// `tandem info NET.yaml`: the file checked and read, a line per node, the resolved configuration.
int network_info(const std::string& file) {
  const auto network = io::load_network(file, {});
  std::cout << "network " << file << "\n";
  std::size_t width = 12;
  for (const auto& pop : network.populations) width = std::max(width, pop.name.size());
  for (const auto& input : network.inputs) width = std::max(width, input.name.size());
  for (const auto& proj : network.projections) width = std::max(width, proj.name.size());
  std::int64_t neurons = 0;
  if (!network.inputs.empty()) std::cout << "inputs\n";
  for (const auto& input : network.inputs) print_row(input.name, std::to_string(input.size) + " units", width);
  if (!network.populations.empty()) std::cout << "populations\n";
  for (const auto& pop : network.populations) {
    neurons += pop.size;
    print_row(pop.name, pop.model + ", " + std::to_string(pop.size) + " neurons", width);
  }
  if (!network.projections.empty()) std::cout << "projections\n";
  for (const auto& proj : network.projections) print_row(proj.name, proj.from + " -> " + proj.to, width);
  std::cout << "total\n";
  print_row("neurons", std::to_string(neurons), width);
  std::cout << "configuration (lists of more than " << long_list << " numbers summarised)\n";
  print_row("", summarise_yaml_text(network.resolved_yaml), 0);
  return 0;
}

}  // namespace

int run_info_command(const std::vector<std::string>& args, const InterruptGuard& /*interrupt*/) {
  po::options_description options("options");
  add_common_options(options);
  options.add_options()("file", po::value<std::string>(), "trace file (.h5) or network file (.yaml)");
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map values;
  const CommandHelp help{"tandem info FILE.h5|NETWORK.yaml",
                         "Summarise a trace recorded with --record: run metadata and status, "
                         "duration, every dataset with shape, type and unit, spike counts per "
                         "population and energy totals. For a network file: its nodes and its "
                         "resolved configuration. Long lists are summarised (first values, count, "
                         "min, max, mean).",
                         "  tandem info run.h5\n  tandem info examples/networks/coba.yaml\n"};
  if (!parse_command_line("info", args, options, positional, help, values)) return 0;
  if (!values.count("file")) throw InputError("info: give the trace file, e.g. 'tandem info run.h5'");
  const std::string extension = std::filesystem::path(values["file"].as<std::string>()).extension().string();
  if (extension == ".yaml" || extension == ".yml") return network_info(values["file"].as<std::string>());
  const TraceFile trace(values["file"].as<std::string>());
  const auto meta = trace.meta();
  const auto datasets = trace.datasets();

  std::cout << "trace " << trace.file_path() << "\n";
  std::size_t width = 12;
  for (const auto& [key, value] : meta) width = std::max(width, key.size());
  std::cout << "meta\n";
  for (const auto& [key, value] : meta) print_row(key, summarise_yaml_text(value), width);
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
