// NIR export (io/nir_export.hpp): a network file exported to NIR and imported back runs with
// exactly the spikes of the network file itself — feed-forward lif layers from a spike generator,
// a recurrent population with delays 1 and 2 and biases, cuba_lif layers with reset subtract — and what NIR cannot
// express is refused by name.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/error.hpp"
#include "core/memory_recorder.hpp"
#include "core/random.hpp"
#include "io/network_builder.hpp"
#include "io/network_file.hpp"
#include "io/nir_export.hpp"
#include "io/nir_graph.hpp"
#include "io/nir_import.hpp"

using namespace tandem;
using namespace tandem::io;

namespace {

const std::filesystem::path work_dir = std::filesystem::path(TANDEM_BINARY_DIR) / "nir_export_test";

std::filesystem::path write_yaml(const std::string& name, const std::string& text) {
  std::filesystem::create_directories(work_dir);
  const auto path = work_dir / (name + ".yaml");
  std::ofstream(path) << text;
  return path;
}

// The `simulation` and `inputs` sections of a test network: dt, the run seed and an input `stim`
// of `units` spike trains at seeded random whole ticks (about `rate` spikes per tick) up to `ticks`.
std::string stimulated(double dt_ms, std::uint64_t seed, std::size_t units, Tick ticks, double rate) {
  RandomStream random(seed);
  std::ostringstream text;
  text << "simulation: {dt_ms: " << dt_ms << ", seed: " << seed << "}\n"
       << "inputs:\n  stim: {kind: spike_times, size: " << units << ", times_ms: [";
  for (std::size_t u = 0; u < units; ++u) {
    text << (u ? ", " : "") << "[";
    bool first = true;
    for (Tick t = 0; t < ticks; ++t) {
      if (!random.bernoulli(rate)) continue;
      text << (first ? "" : ", ") << static_cast<double>(t) * dt_ms;
      first = false;
    }
    text << "]";
  }
  text << "]}\n";
  return text.str();
}

// Per population: spike ticks and indices, and v per tick when `with_v`.
struct Trace {
  std::vector<double> ticks, units, v;
};
using Traces = std::map<std::string, Trace>;

Traces record(Simulation& simulation, const std::vector<std::string>& populations, Tick ticks, bool with_v) {
  MemoryRecorder recorder;
  simulation.set_recorder(&recorder);
  for (const auto& pop : populations) {
    simulation.add_probe(Probe{pop, "spikes", {}, 1});
    if (with_v) simulation.add_probe(Probe{pop, "v", {}, 1});
  }
  simulation.run(ticks);
  simulation.set_recorder(nullptr);
  Traces traces;
  for (const auto& pop : populations) {
    Trace& trace = traces[pop];
    trace.ticks = recorder.stream("/snn/" + pop + "/spikes/tick").values;
    trace.units = recorder.stream("/snn/" + pop + "/spikes/index").values;
    if (with_v) trace.v = recorder.stream("/snn/" + pop + "/state/v").values;
  }
  return traces;
}

Traces run_network(const std::filesystem::path& yaml, const std::vector<std::string>& populations, Tick ticks, bool with_v) {
  auto built = build_network(load_network(yaml));
  return record(*built.simulation, populations, ticks, with_v);
}

Traces run_exported(const NirExportResult& exported, const std::vector<std::string>& populations, Tick ticks, bool with_v) {
  auto run = import_nir(exported.file, {.dt_ms = exported.dt_ms, .reset = parse_nir_reset(exported.reset)});
  for (const auto& input : exported.inputs) {
    run.set_input(input.node, load_input_table(input.table.string(), run.input_width(input.node), input.node));
  }
  return record(*run.simulation, populations, ticks, with_v);
}

NirExportResult export_file(const std::filesystem::path& yaml) {
  auto path = yaml;
  return export_nir(load_network(yaml), path.replace_extension(".nir"), {.overwrite = true});
}

// Exports, imports and runs both; every population spikes identically (and spikes at all).
void check_round_trip(const std::string& name, const std::string& yaml, const std::vector<std::string>& populations,
                      Tick ticks, bool with_v) {
  const auto file = write_yaml(name, yaml);
  const auto exported = export_file(file);
  const Traces direct = run_network(file, populations, ticks, with_v);
  const Traces imported = run_exported(exported, populations, ticks, with_v);
  for (const auto& pop : populations) {
    INFO(name << ": population " << pop);
    CHECK(direct.at(pop).ticks.size() >= 5);
    CHECK(imported.at(pop).ticks == direct.at(pop).ticks);
    CHECK(imported.at(pop).units == direct.at(pop).units);
    if (with_v) CHECK(imported.at(pop).v == direct.at(pop).v);
  }
}

std::string export_error(const std::string& name, const std::string& yaml) {
  try {
    (void)export_file(write_yaml(name, yaml));
  } catch (const InputError& error) {
    return error.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("nir export: feed-forward lif layers from a spike generator spike exactly as the network file",
          "[io][nir][export]") {
  // Exact integration (the default) becomes the forward-Euler τ with the same decay; the rest
  // tolerance is the import's (1e-6 of threshold − rest), so v matches bit for bit too.
  const std::string yaml = stimulated(0.5, 7, 10, 300, 0.08) +
                           "populations:\n"
                           "  hidden: {model: lif, size: 12, parameters: {tau_m_ms: 8.0, v_threshold_mv: 1.0, r_mohm: 2.5, "
                           "rest_tolerance_mv: 1.0e-6}}\n"
                           "  out: {model: lif, size: 4, parameters: {tau_m_ms: 15.0, v_threshold_mv: 1.0, v_reset_mv: -0.25, "
                           "rest_tolerance_mv: 1.0e-6}}\n"
                           "projections:\n"
                           "  in_hidden: {from: stim, to: hidden, weight: {distribution: uniform, low: -0.2, high: 0.6}}\n"
                           "  hidden_out: {from: hidden, to: out, weight: {distribution: normal, mean: 0.3, sd: 0.2}, "
                           "delay_ms: 1.5}\n";
  check_round_trip("feed_forward", yaml, {"hidden", "out"}, 320, true);
}

TEST_CASE("nir export: a recurrent population (delay 1 onto itself, 2 onward) spikes exactly as the network file",
          "[io][nir][export]") {
  const std::string yaml = stimulated(0.1, 5, 6, 400, 0.05) +
                           "populations:\n"
                           "  rec: {model: lif, size: 20, parameters: {tau_m_ms: 5.0, v_threshold_mv: 1.0, bias_na: 0.05}}\n"
                           "  readout: {model: lif, size: 5, parameters: {tau_m_ms: 3.0, "
                           "v_threshold_mv: 0.8, integration: euler, bias_na: [0.1, 0.0, 0.2, 0.05, 0.0]}}\n"
                           "projections:\n"
                           "  drive: {from: stim, to: rec, rule: fixed_probability, p: 0.5, weight: 0.45}\n"
                           "  recurrent: {from: rec, to: rec, weight: {distribution: normal, mean: 0.02, sd: 0.2}, delay_ms: 0.1}\n"
                           "  onward: {from: rec, to: readout, weight: {distribution: uniform, low: 0.0, high: 0.3}, "
                           "delay_ms: 0.2}\n";
  check_round_trip("recurrent", yaml, {"rec", "readout"}, 400, false);
}

TEST_CASE("nir export: cuba_lif layers spike exactly as the network file", "[io][nir][export]") {
  const std::string yaml = stimulated(1.0, 3, 8, 250, 0.1) +
                           "populations:\n"
                           "  c1: {model: cuba_lif, size: 10, reset: subtract, parameters: {tau_mem_ms: 10.0, tau_syn_ms: 4.0, "
                           "v_threshold_mv: 1.0, w_in: 1.5}}\n"
                           "  c2: {model: cuba_lif, size: 3, reset: subtract, parameters: {tau_mem_ms: 20.0, tau_syn_ms: 2.0, "
                           "v_threshold_mv: 0.5, r_mohm: 2.0}}\n"
                           "projections:\n"
                           "  a: {from: stim, to: c1, weight: {distribution: uniform, low: 0.0, high: 1.0}}\n"
                           "  b: {from: c1, to: c2, weight: {distribution: uniform, low: -0.2, high: 0.8}, delay_ms: 3.0}\n";
  check_round_trip("cuba", yaml, {"c1", "c2"}, 260, false);
}

TEST_CASE("nir export: the file has NIR's layout and re-imports with the delays placed by evaluation order",
          "[io][nir][export]") {
  const std::string yaml = "inputs:\n  stim: {kind: spike_times, size: 2, times_ms: [[1.0], [2.0, 4.0]]}\n"
                           "populations:\n"
                           "  a: {model: lif, size: 3, parameters: {v_threshold_mv: 1.0}}\n"
                           "projections:\n"
                           "  in: {from: stim, to: a, weight: 0.5, delay_ms: 3.0}\n"
                           "  self: {from: a, to: a, weight: 0.25}\n";
  const auto exported = export_file(write_yaml("layout", yaml));
  const NirGraph graph = read_nir(exported.file);
  CHECK(graph.node("stim").type == "Input");
  CHECK(graph.node("a").type == "LIF");
  CHECK(graph.node("in").type == "Linear");
  CHECK(graph.node("in").weight_dims == std::vector<std::size_t>{3, 2});
  // stim -> a is feed-forward: its 3 ticks all come from a Delay; a -> a closes a loop, which
  // the import reads a tick late: no Delay for delay 1.
  CHECK(graph.node("in_delay").type == "Delay");
  CHECK(graph.node("in_delay").parameters.at("delay") == std::vector<double>(2, 0.003));
  CHECK_THROWS_AS(graph.node("self_delay"), InputError);
  CHECK(graph.node("output").type == "Output");
  REQUIRE(exported.inputs.size() == 1);
  CHECK(exported.inputs[0].ticks == 5);  // dt 1 ms: the last spike, at 4 ms, is row 4
  CHECK(exported.import_command().find("--input stim=") != std::string::npos);
}

TEST_CASE("nir export: what NIR cannot express is refused by name", "[io][nir][export]") {
  const std::string yaml = "inputs:\n"
                           "  noise: {kind: poisson, size: 4, rate_hz: 10.0}\n"
                           "  stim: {kind: spike_times, size: 2, times_ms: [[1.0], [2.0]]}\n"
                           "populations:\n"
                           "  izh: {model: izhikevich, size: 2}\n"
                           "  ref: {model: lif, size: 2, parameters: {refractory_ms: 2.0}}\n"
                           "  offset: {model: lif, size: 2, parameters: {v_leak_mv: -65.0, v_threshold_mv: -50.0, "
                           "v_reset_mv: -65.0}}\n"
                           "projections:\n"
                           "  p1: {from: stim, to: ref, weight: 1.0}\n"
                           "  p2: {from: stim, to: offset, weight: 1.0}\n"
                           "  p3: {from: stim, to: izh, weight: 1.0}\n"
                           "layers:\n  dense: {inputs: ref, size: 2, weights: 1.0}\n";
  const std::string error = export_error("refused", yaml);
  CHECK(error.find("inputs.noise: a Poisson input") != std::string::npos);
  CHECK(error.find("layers.dense: a dense layer") != std::string::npos);
  // The layer is refused before anything is built; without it the populations are checked.
  const std::string without_layer = yaml.substr(0, yaml.find("layers:"));
  const std::string no_poisson = without_layer.substr(0, without_layer.find("  noise:")) +
                                 without_layer.substr(without_layer.find("  stim:"));
  const std::string models = export_error("refused_models", no_poisson);
  CHECK(models.find("populations.izh.model: model 'izhikevich' has no NIR equivalent") != std::string::npos);
  CHECK(models.find("populations.ref.parameters.refractory_ms") != std::string::npos);
  CHECK(models.find("populations.offset.initial: v of neuron 0 starts at -65") != std::string::npos);
}

TEST_CASE("nir export: an existing output is replaced only when asked", "[io][nir][export]") {
  const auto file = write_yaml("existing", "inputs:\n  stim: {kind: spike_times, size: 1, times_ms: [[1.0]]}\n"
                                           "populations:\n  a: {model: lif, size: 1}\n"
                                           "projections:\n  p: {from: stim, to: a, weight: 1.0}\n");
  auto out = file;
  out.replace_extension(".nir");
  std::ofstream(out) << "not a NIR file";
  CHECK_THROWS_WITH(export_nir(load_network(file), out, {}), Catch::Contains("exists; pass --force"));
  CHECK_NOTHROW(export_nir(load_network(file), out, {.overwrite = true}));
  CHECK(read_nir(out).node("a").type == "LIF");
}
