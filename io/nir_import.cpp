#include "io/nir_import.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/contained_read.hpp"
#include "core/error.hpp"
#include "core/hdf5_reader.hpp"

namespace tandem::io {

NirReset parse_nir_reset(const std::string& text) {
  if (text == "zero") return NirReset::zero;
  if (text == "subtract") return NirReset::subtract;
  throw InputError("--reset '" + text + "' is not one of zero, subtract");
}

NirRun import_nir(const std::filesystem::path& file, const NirImportOptions& options, std::uint64_t seed,
                  ExecutionMode mode, const InterruptGuard* interrupt) {
  if (!(options.dt_ms > 0.0) || !std::isfinite(options.dt_ms)) {
    throw InputError(file.string() + ": --dt-ms must be a positive number of ms");
  }
  NirRun run;
  run.graph = read_nir(file, interrupt, options.read_limits);
  std::ostringstream resolved;
  char dt[40];
  std::snprintf(dt, sizeof dt, "%.15g", options.dt_ms);
  resolved << "nir_import:\n  file: " << std::filesystem::absolute(file).string() << "\n  nir_version: '"
           << run.graph.version << "'\n  dt_ms: " << dt << "\n  reset: " << (options.reset == NirReset::zero ? "zero" : "subtract")
           << "\n  precision: " << to_string(options.precision) << "\n  nodes: " << run.graph.nodes.size() << "\n";
  SimulationSettings settings;
  settings.time = TimeBase(options.dt_ms);
  settings.seed = seed;
  settings.mode = mode;
  settings.threads = options.threads;
  settings.interrupt = interrupt;
  run.simulation = std::make_unique<Simulation>(settings);
  run.engine = &run.simulation->add_engine(std::make_unique<neurons::EventEngine>("snn", settings.time));
  run.lowering = lower_nir(run.graph, options, *run.engine);
  for (const auto& [output, population] : run.lowering.outputs) {
    run.output_probes.push_back(Probe{population, "spikes", {}, 1});
    resolved << "  output " << output << ": " << population << "\n";
  }
  run.readouts = add_nir_dense_readouts(*run.simulation, "snn", run.lowering, "");
  for (const auto& [output, readout] : run.readouts) {
    run.output_probes.push_back(Probe{readout.layer, "activations", {}, 1});
    resolved << "  output " << output << ": dense layer " << readout.layer << "\n";
  }
  run.resolved = resolved.str();
  return run;
}

std::size_t NirRun::input_width(const std::string& node) const {
  if (std::find(lowering.inputs.begin(), lowering.inputs.end(), node) == lowering.inputs.end()) {
    std::string names;
    for (const auto& name : lowering.inputs) names += (names.empty() ? "" : ", ") + name;
    throw InputError(graph.file + ": no top-level Input node named '" + node + "' (inputs: " + names + ")");
  }
  return graph.node(node).size;
}

void NirRun::set_input(const std::string& node, const std::vector<double>& values) {
  const std::size_t width = input_width(node);
  if (values.size() % width != 0) {
    throw InputError(graph.file + ": input for '" + node + "' must have " + std::to_string(width) + " columns");
  }
  std::vector<float> rows;
  rows.reserve(values.size());
  for (const double value : values) {
    if (!std::isfinite(value)) throw InputError(graph.file + ": input for '" + node + "' holds a value that is not finite");
    rows.push_back(static_cast<float>(value));
  }
  engine->set_values(node, std::move(rows));
}

std::vector<double> load_input_table(const std::string& source, std::size_t width, const std::string& node) {
  const std::string where = "--input " + node + "=" + source;
  const auto colon = source.rfind(':');
  if (colon != std::string::npos && colon > 0 && source.find(".h5") < colon) {
    const std::string file = source.substr(0, colon);
    auto data = read_contained(file, [&] { return Hdf5Reader(file).read_numeric(source.substr(colon + 1)); });
    const bool shaped = (data.dims.size() == 2 && data.dims[1] == width) || (data.dims.size() == 1 && width == 1);
    if (!shaped) throw InputError(where + ": the dataset must be [ticks x " + std::to_string(width) + "]");
    return data.values;
  }
  std::ifstream in(source);
  if (!in) throw InputError(where + ": cannot open the file");
  std::vector<double> values;
  std::string line;
  for (std::size_t line_number = 1; std::getline(in, line); ++line_number) {
    for (char& c : line) {
      if (c == ',' || c == ';' || c == '\t') c = ' ';
    }
    std::istringstream fields(line);
    std::vector<double> row;
    std::string field;
    bool numeric = true;
    while (fields >> field) {
      try {
        std::size_t used = 0;
        row.push_back(std::stod(field, &used));
        if (used != field.size()) numeric = false;
      } catch (const std::exception&) {
        numeric = false;
      }
    }
    if (row.empty() && numeric) continue;
    if (!numeric) {
      if (line_number == 1) continue;  // a header
      throw InputError(where + ": line " + std::to_string(line_number) + " is not numbers");
    }
    if (row.size() < width) {
      throw InputError(where + ": line " + std::to_string(line_number) + " has " + std::to_string(row.size()) +
                       " columns, the node needs " + std::to_string(width));
    }
    values.insert(values.end(), row.begin(), row.begin() + static_cast<std::ptrdiff_t>(width));
  }
  return values;
}

}  // namespace tandem::io
