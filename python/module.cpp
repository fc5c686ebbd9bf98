// tandem._tandem: the compiled half of the Python module `tandem` (python/tandem/*.py is the
// public half, docs/python.md the guide). It runs networks through the code `tandem run` uses
// (app/network_run.hpp, app/run_session.hpp), so a run from Python and from the command line
// with the same file, seed and options give the same spikes, traces and energy reports.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/network_run.hpp"
#include "app/run_session.hpp"
#include "core/chip_presets.hpp"
#include "core/energy_report.hpp"
#include "core/error.hpp"
#include "core/interrupt_guard.hpp"
#include "core/logging.hpp"
#include "core/trace_file.hpp"
#include "core/version.hpp"
#include "io/overrides.hpp"

namespace py = pybind11;

namespace tandem::python {
namespace {

// A network as load() read it: the file and the settings every run of it starts from.
class LoadedNetwork {
 public:
  explicit LoadedNetwork(app::NetworkRunRequest request) : request_(std::move(request)) {}

  [[nodiscard]] const std::string& file() const { return request_.file; }

  // Runs the network once (see tandem.Network.run); returns the JSON energy report of every chip
  // and, when a signal stopped the run, its stop reason (the reports then cover what ran).
  py::tuple run(const py::kwargs& settings) const {
    app::NetworkRunRequest request = request_;
    app::RunOutputOptions output;
    output.quiet = true;
    output.print_energy_table = false;
    output.announce_outputs = false;
    const auto text = [&](const char* key) -> std::optional<std::string> {
      if (!settings.contains(key) || settings[key].is_none()) return std::nullopt;
      return settings[key].cast<std::string>();
    };
    if (settings.contains("ticks") && !settings["ticks"].is_none()) request.ticks = settings["ticks"].cast<std::int64_t>();
    if (settings.contains("duration_ms") && !settings["duration_ms"].is_none()) {
      request.duration_ms = settings["duration_ms"].cast<double>();
    }
    if (auto mode = text("mode")) request.mode = mode;
    if (auto precision = text("precision")) request.precision = precision;
    if (settings.contains("seed") && !settings["seed"].is_none()) request.seed = settings["seed"].cast<std::uint64_t>();
    if (auto chip = text("chip")) {
      output.chip = *chip;
      request.chip_given = true;
    }
    output.record_path = text("record").value_or("");
    output.energy_report_path = text("energy_report").value_or("");
    output.force = settings.contains("force") && settings["force"].cast<bool>();
    if (settings.contains("probes")) {
      for (const auto& probe : settings["probes"].cast<std::vector<std::string>>()) output.probes.push_back(app::parse_probe(probe));
    }
    if (settings.contains("inputs")) {
      for (const auto& [node, table] : settings["inputs"].cast<py::dict>()) {
        const auto name = node.cast<std::string>();
        if (py::isinstance<py::str>(table)) {
          request.input_files.emplace_back(name, table.cast<std::string>());
        } else {
          const auto values = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(table);
          if (!values) throw InputError("run: inputs['" + name + "'] must be a file name or an array [ticks x units]");
          request.input_tables.emplace_back(name, std::vector<double>(values.data(), values.data() + values.size()));
        }
      }
    }
    const bool main_thread =
        py::module_::import("threading").attr("current_thread")().is(py::module_::import("threading").attr("main_thread")());
    std::vector<EnergyReport> reports;
    std::optional<std::string> stopped;
    {
      py::gil_scoped_release release;
      // Ctrl-C stops the run after the current epoch, as in the command line; only the main
      // thread receives signals, and only one guard may live at a time.
      std::unique_ptr<InterruptGuard> guard;
      if (main_thread) guard = std::make_unique<InterruptGuard>();
      request.interrupt = guard.get();
      auto prepared = app::prepare_network_run(request, output);
      app::RunSession session(*prepared.simulation, prepared.output, prepared.label, prepared.resolved);
      try {
        session.run(prepared.ticks);
      } catch (const RunInterrupted& interrupted) {
        stopped = interrupted.what();
      }
      reports = session.finish();
    }
    py::list json;
    for (const auto& report : reports) json.append(energy_report_to_json(report));
    return py::make_tuple(json, stopped ? py::object(py::str(*stopped)) : py::object(py::none()));
  }

 private:
  app::NetworkRunRequest request_;
};

LoadedNetwork load(const std::string& file, const std::vector<std::string>& overrides, std::optional<double> dt_ms,
                   std::optional<std::string> reset, std::optional<std::string> precision) {
  app::NetworkRunRequest request;
  request.file = file;
  for (const auto& text : overrides) request.overrides.push_back(io::parse_override(text));
  request.dt_ms = dt_ms;
  request.reset = std::move(reset);
  request.precision = std::move(precision);
  {
    py::gil_scoped_release release;
    app::check_network_file(request);
  }
  return LoadedNetwork(std::move(request));
}

py::array typed_array(const TraceDataset& dataset, const std::vector<double>& values) {
  std::vector<py::ssize_t> shape(dataset.shape.begin(), dataset.shape.end());
  const auto fill = [&](auto tag) {
    using T = decltype(tag);
    py::array_t<T> array(shape);
    T* out = array.mutable_data();
    for (std::size_t i = 0; i < values.size(); ++i) out[i] = static_cast<T>(values[i]);
    return py::array(array);
  };
  if (dataset.type == "int64") return fill(std::int64_t{});
  if (dataset.type == "uint32") return fill(std::uint32_t{});
  if (dataset.type == "float32") return fill(float{});
  return fill(double{});
}

// Every numeric dataset of a trace with its attributes, and /meta.
py::tuple read_trace(const std::string& path) {
  const TraceFile trace(path);
  py::dict datasets;
  for (const TraceDataset& dataset : trace.datasets()) {
    if (dataset.type.rfind("float", 0) != 0 && dataset.type.rfind("int", 0) != 0 && dataset.type.rfind("uint", 0) != 0) continue;
    std::vector<double> values;
    {
      py::gil_scoped_release release;
      values = trace.values(dataset.path);
    }
    datasets[py::str(dataset.path)] = py::make_tuple(typed_array(dataset, values), dataset.attributes);
  }
  return py::make_tuple(trace.meta(), datasets);
}

std::vector<EnergyReport> parse_reports(const std::vector<std::string>& json) {
  std::vector<EnergyReport> reports;
  for (std::size_t k = 0; k < json.size(); ++k) reports.push_back(parse_energy_report(json[k], "report " + std::to_string(k + 1)));
  return reports;
}

py::dict op_map(const std::array<double, op_kind_count>& figures, const std::map<std::string, std::string>& missing) {
  py::dict map;
  for (std::size_t i = 0; i < op_kind_count; ++i) {
    const std::string name(op_name(static_cast<Op>(i)));
    map[py::str(name)] = missing.count(name) != 0 ? py::object(py::none()) : py::object(py::float_(figures[i]));
  }
  return map;
}

py::dict chip_dict(const ChipModel& chip) {
  py::dict d;
  d["name"] = chip.name;
  d["description"] = chip.description;
  d["source"] = chip.source;
  d["mesh"] = py::make_tuple(chip.mesh_width, chip.mesh_height);
  d["cores_per_tile"] = chip.cores_per_tile;
  d["cores"] = chip.cores();
  d["neurons_per_core"] = chip.core.neurons;
  d["fan_in"] = chip.core.fan_in;
  d["synapse_memory_bytes"] = chip.core.synapse_memory_bytes;
  d["snn"] = chip.core.snn;
  d["ann"] = chip.core.ann;
  d["clock_hz"] = chip.clock_hz;
  d["native_precision"] = std::string(to_string(chip.native_precision));
  d["costs_pj"] = op_map(chip.cost_pj, chip.unpriced);
  d["unpriced"] = chip.unpriced;
  d["hops_pj"] = py::dict(py::arg("east_west") = chip.hop_east_west_pj, py::arg("north_south") = chip.hop_north_south_pj,
                          py::arg("inter_chip") = chip.hop_inter_chip_pj);
  d["static_power"] = py::dict(py::arg("core_active_w") = chip.static_power.core_active_w,
                               py::arg("core_idle_w") = chip.static_power.core_idle_w,
                               py::arg("unused_cores_power_gated") = chip.static_power.unused_cores_power_gated,
                               py::arg("source") = chip.static_power.source);
  if (chip.timing.modelled) {
    d["latency_ns"] = op_map(chip.timing.latency_ns, chip.timing.untimed);
    d["timing_source"] = chip.timing.source;
  } else {
    d["latency_ns"] = py::none();
  }
  return d;
}

}  // namespace
}  // namespace tandem::python

PYBIND11_MODULE(_tandem, m) {
  using namespace tandem;
  using namespace tandem::python;
  m.doc() = "tandem's compiled core; use the package `tandem` (help(tandem)).";
  configure_logging("warn");
  // Messages are the command line's; InputError is bad input (exit 2 there), RunError a failed run.
  py::register_exception<InputError>(m, "InputError", PyExc_ValueError);
  py::register_exception<RunError>(m, "RunError", PyExc_RuntimeError);

  py::class_<LoadedNetwork>(m, "LoadedNetwork", "A network file or NIR file read by load().")
      .def_property_readonly("file", &LoadedNetwork::file, "The file, as given to load().")
      .def("run", &LoadedNetwork::run, "Runs the network once; see tandem.Network.run.");
  m.def("load", &load, py::arg("file"), py::arg("overrides"), py::arg("dt_ms"), py::arg("reset"), py::arg("precision"),
        "Reads and checks a network or NIR file; see tandem.load.");
  m.def("read_trace", &read_trace, py::arg("path"), "(meta, {dataset path: (array, attributes)}) of a trace.");
  m.def(
      "energy_table", [](const std::string& json) { return format_energy_table(parse_energy_report(json, "report")); },
      py::arg("json"), "The console table of an energy report (JSON text).");
  m.def(
      "energy_compare",
      [](const std::vector<std::string>& json, const std::vector<std::string>& labels) {
        return format_energy_comparison(parse_reports(json), labels);
      },
      py::arg("json"), py::arg("labels"), "Energy reports (JSON text) side by side, as `tandem energy compare`.");
  m.def(
      "chips",
      [] {
        py::list chips;
        for (const auto& name : list_preset_names()) chips.append(chip_dict(load_chip(name)));
        return chips;
      },
      "Every chip preset as a dict.");
  m.def(
      "chip", [](const std::string& spec) { return chip_dict(load_chip(spec)); }, py::arg("spec"),
      "One chip (preset name or chip YAML file) as a dict.");
  m.def("version", [] { return std::string(version()); }, "tandem's version.");
}
