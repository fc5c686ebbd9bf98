// tandem._tandem: the compiled half of the Python module `tandem` (python/tandem/*.py is the
// public half, docs/python.md the guide). It runs networks through the code `tandem run` uses
// (app/network_run.hpp, app/run_session.hpp; python/network_runs.hpp), so a run from Python and
// from the command line with the same network, seed and options give the same spikes, traces and
// energy reports.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <yaml-cpp/yaml.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/chip_presets.hpp"
#include "core/energy_report.hpp"
#include "core/error.hpp"
#include "core/interrupt_guard.hpp"
#include "core/logging.hpp"
#include "core/random.hpp"
#include "core/trace_file.hpp"
#include "core/version.hpp"
#include "environments/environment.hpp"
#include "python/network_runs.hpp"

namespace py = pybind11;

namespace tandem::python {
namespace {

// The numpy type a trace dataset is read as (the four the recorder writes; others widen).
std::string read_type(const std::string& type) {
  if (type == "int64" || type == "uint32" || type == "float32" || type == "float64") return type;
  if (type.rfind("float", 0) == 0) return "float64";
  return "int64";
}

template <typename T>
py::array read_dataset(const TraceFile& trace, const TraceDataset& dataset, const std::string& type) {
  std::vector<py::ssize_t> shape(dataset.shape.begin(), dataset.shape.end());
  py::array_t<T> array(shape);
  T* out = array.mutable_data();
  const auto count = static_cast<std::size_t>(array.size());
  {
    py::gil_scoped_release release;
    trace.read_into(dataset.path, type, out, count);
  }
  return array;
}

// Every numeric dataset of a trace, read straight into numpy arrays of its own type, with its
// attributes; and /meta.
py::tuple read_trace(const std::string& path) {
  std::unique_ptr<TraceFile> trace;
  std::vector<TraceDataset> datasets;
  std::map<std::string, std::string> meta;
  {
    py::gil_scoped_release release;
    trace = std::make_unique<TraceFile>(path);
    datasets = trace->datasets();
    meta = trace->meta();
  }
  py::dict out;
  for (const TraceDataset& dataset : datasets) {
    const bool numeric = dataset.type.rfind("float", 0) == 0 || dataset.type.rfind("int", 0) == 0 ||
                         dataset.type.rfind("uint", 0) == 0;
    if (!numeric) continue;
    const std::string type = read_type(dataset.type);
    py::array values;
    if (type == "int64") values = read_dataset<std::int64_t>(*trace, dataset, type);
    if (type == "uint32") values = read_dataset<std::uint32_t>(*trace, dataset, type);
    if (type == "float32") values = read_dataset<float>(*trace, dataset, type);
    if (type == "float64") values = read_dataset<double>(*trace, dataset, type);
    out[py::str(dataset.path)] = py::make_tuple(values, dataset.attributes);
  }
  return py::make_tuple(meta, out);
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
  // hops_pj.inter_chip stays for scripts written before the link block: the energy of one crossing.
  d["hops_pj"] = py::dict(py::arg("east_west") = chip.hop_east_west_pj, py::arg("north_south") = chip.hop_north_south_pj,
                          py::arg("inter_chip") = chip.link.energy_pj);
  d["inter_chip_link"] = py::dict(py::arg("applicable") = chip.link.applicable, py::arg("energy_pj_per_crossing") = chip.link.energy_pj,
                                  py::arg("energy_pj_per_bit") = chip.link.energy_pj_per_bit,
                                  py::arg("packet_bits") = chip.link.packet_bits, py::arg("latency_ns") = chip.link.latency_ns,
                                  py::arg("bandwidth_gbit_s") = chip.link.bandwidth_gbit_s, py::arg("source") = chip.link.source);
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

// Maps of `overlay` merge into those of `target`; every other value replaces.
void merge_into(YAML::Node target, const YAML::Node& overlay) {
  for (const auto& entry : overlay) {
    const std::string key = entry.first.Scalar();
    YAML::Node current = target[key];
    if (entry.second.IsMap() && current.IsDefined() && current.IsMap()) {
      merge_into(current, entry.second);
    } else {
      target[key] = YAML::Clone(entry.second);
    }
  }
}

// A chip described in Python (JSON text of the chip file's schema, docs/energy.md), optionally
// `base`d on a preset whose values it changes: the chip file text, checked by parsing it.
std::string chip_yaml(const std::string& json, const std::string& label) {
  YAML::Node given;
  try {
    given = YAML::Load(json);
  } catch (const YAML::Exception& error) {
    throw InputError(label + ": " + error.msg);
  }
  if (!given.IsMap()) throw InputError(label + ": a chip is a dict of the chip file's keys (docs/energy.md)");
  // (yaml-cpp's Node::operator= rebinds what a node refers to, so every node here is made once.)
  YAML::Emitter emitter;
  if (given["base"].IsDefined()) {
    if (!given["base"].IsScalar()) throw InputError(label + ": base: must be a preset name or chip YAML file");
    const std::string base = given["base"].Scalar();
    YAML::Node chip = YAML::LoadFile(resolve_chip_path(base));
    YAML::Node overlay = YAML::Clone(given);
    overlay.remove("base");
    if (!overlay["name"].IsDefined()) overlay["name"] = base + "-custom";
    merge_into(chip, overlay);
    emitter << chip;
  } else {
    emitter << given;
  }
  std::string text = std::string(emitter.c_str()) + "\n";
  try {
    parse_chip_text(text, label);  // every error now, naming the key
  } catch (const InputError& error) {
    // Line numbers of the generated text mean nothing to whoever wrote the dict: name the key only.
    std::string message = error.what();
    const std::string line = label + ": line ";
    if (message.rfind(line, 0) == 0) {
      const std::size_t end = message.find(": ", line.size());
      if (end != std::string::npos) message = label + ": " + message.substr(end + 2);
    }
    throw InputError(message);
  }
  return text;
}

}  // namespace
}  // namespace tandem::python

PYBIND11_MODULE(_tandem, m) {
  using namespace tandem;
  using namespace tandem::python;
  m.doc() = "tandem's compiled core; use the package `tandem` (help(tandem)).";
  configure_logging("warn");
  // Messages are the command line's; InputError is bad input (exit 2 there), RunError a failed
  // run, Interrupted a run stopped by SIGINT/SIGTERM (registered last: tried first, before RunError).
  py::register_exception<InputError>(m, "InputError", PyExc_ValueError);
  py::register_exception<RunError>(m, "RunError", PyExc_RuntimeError);
  py::register_exception<RunInterrupted>(m, "Interrupted", PyExc_KeyboardInterrupt);

  py::class_<Stepper>(m, "Stepper", "A run stepped from Python; see tandem.Simulation.")
      .def("step", &Stepper::step, py::arg("inputs") = py::none(), py::arg("ticks") = py::none())
      .def("send", &Stepper::send, py::arg("input"), py::arg("values"))
      .def_property_readonly("now", &Stepper::now)
      .def_property_readonly("ticks_per_step", &Stepper::ticks_per_step)
      .def_property_readonly("finished", &Stepper::finished)
      .def("inputs", &Stepper::input_names)
      .def("outputs", &Stepper::output_names)
      .def("finish", &Stepper::finish)
      .def("stop", &Stepper::stop, py::arg("reason"))
      .def("run_steps_in_cpp", &Stepper::run_steps_in_cpp, py::arg("inputs"));
  py::class_<NetworkHandle>(m, "NetworkHandle", "A network ready to run; see tandem.Network.")
      .def_property_readonly("label", &NetworkHandle::label)
      .def("run", &NetworkHandle::run)
      .def("start", &NetworkHandle::start)
      .def("check", &NetworkHandle::check);
  m.def("load", &load_file, py::arg("file"), py::arg("overrides"), py::arg("dt_ms"), py::arg("reset"), py::arg("precision"),
        "Reads and checks a network or NIR file; see tandem.load.");
  m.def("describe", &describe_network, py::arg("text"), py::arg("arrays"), py::arg("label"), py::arg("base_dir"),
        "A network described in Python (YAML text with {array: NAME} entries); see tandem.Network.");
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
  m.def(
      "chip_from_text", [](const std::string& text, const std::string& label) { return chip_dict(parse_chip_text(text, label)); },
      py::arg("text"), py::arg("label"), "One chip from chip-file text, as a dict.");
  m.def("chip_yaml", &chip_yaml, py::arg("json"), py::arg("label"),
        "Chip-file text of a chip described as a dict (JSON), merged into its `base` preset if it names one.");
  m.def(
      "preset_path", [](const std::string& spec) { return resolve_chip_path(spec); }, py::arg("spec"),
      "The chip file of a preset name or path.");

  py::class_<RandomStream>(m, "RandomStream",
                           "tandem's seeded random stream (xoshiro256**), the same numbers as the C++ code draws.")
      .def(py::init<std::uint64_t>(), py::arg("seed") = 1)
      .def_static("derived", &RandomStream::derived, py::arg("seed"), py::arg("name"),
                  "The stream of one named consumer of a run seeded with `seed`.")
      .def("next_u64", &RandomStream::next_u64, "The next raw 64-bit number.")
      .def("uniform", py::overload_cast<>(&RandomStream::uniform), "Uniform in [0, 1) (53 random bits).")
      .def("uniform", py::overload_cast<double, double>(&RandomStream::uniform), py::arg("low"), py::arg("high"),
           "Uniform in [low, high).")
      .def(
          "below",
          [](RandomStream& stream, std::uint64_t bound) {
            if (bound == 0) throw InputError("RandomStream.below: bound must be > 0");
            return stream.below(bound);
          },
          py::arg("bound"), "A whole number in [0, bound), bound > 0.")
      .def("normal", &RandomStream::normal, "Standard normal.")
      .def("bernoulli", &RandomStream::bernoulli, py::arg("probability"), "True with the given probability.");
  m.def("episode_seed", &environments::episode_seed, py::arg("run_seed"), py::arg("episode"),
        "The seed of episode `episode` of a closed-loop run seeded with `run_seed` (environments/environment.hpp).");
  m.def("version", [] { return std::string(version()); }, "tandem's version.");
}
