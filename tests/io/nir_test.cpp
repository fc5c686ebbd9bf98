// NIR import: every supported node type against its NIR equation (closed forms of the forward
// Euler recurrences), nested graphs against the flat equivalent, the lif_norse reference spike
// steps, and clean rejection of defective files.
#include <catch2/catch.hpp>

#include <algorithm>
#include <bit>
#include <map>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/chip_presets.hpp"
#include "core/energy_ledger.hpp"
#include "core/energy_report.hpp"
#include "core/error.hpp"
#include "core/memory_recorder.hpp"
#include "core/random.hpp"
#include "io/nir_import.hpp"
#include "tests/io/nir_fixture.hpp"

using namespace tandem;
using namespace tandem::io;
using tandem::testing::NirArray;
using tandem::testing::NirGraphSpec;
using tandem::testing::NirNodeSpec;

namespace {

const std::filesystem::path data_dir = std::filesystem::path(TANDEM_SOURCE_DIR) / "tests/data/nir";

std::string fixture(const std::string& name, const NirGraphSpec& graph) {
  const auto path = (std::filesystem::path(TANDEM_BINARY_DIR) / ("nir_" + name + ".nir")).string();
  tandem::testing::write_nir(path, graph);
  return path;
}

NirArray v(std::vector<double> values) { return {std::move(values), {}}; }

// Input(n) -> `node` -> Output, driven by a constant `drive` on every unit.
NirGraphSpec single(const NirNodeSpec& node, std::size_t n) {
  NirGraphSpec g;
  g.nodes = {{"in", {"Input", {{"shape", v({static_cast<double>(n)})}}}}, {"x", node}, {"out", {"Output", {}}}};
  g.edges = {{"in", "x"}, {"x", "out"}};
  return g;
}

// Runs for `ticks` with constant input `drive` on every unit; returns node `probe`'s `variable`
// per tick ([ticks x units]); "spikes" comes back as 0/1 per unit and tick.
std::vector<double> run_constant(const std::string& path, double drive, std::size_t n, Tick ticks,
                                 const std::string& probe = "x", const std::string& variable = "v",
                                 NirImportOptions options = {}) {
  auto run = import_nir(path, options);
  run.set_input("in", std::vector<double>(static_cast<std::size_t>(ticks) * n, drive));
  MemoryRecorder recorder;
  run.simulation->set_recorder(&recorder);
  run.simulation->add_probe(Probe{probe, variable, {}, 1});
  run.simulation->run(ticks);
  run.simulation->set_recorder(nullptr);
  if (variable != "spikes") return recorder.stream("/snn/" + probe + "/state/" + variable).values;
  std::vector<double> flags(static_cast<std::size_t>(ticks) * n, 0.0);
  const auto& tick = recorder.stream("/snn/" + probe + "/spikes/tick").values;
  const auto& index = recorder.stream("/snn/" + probe + "/spikes/index").values;
  for (std::size_t k = 0; k < tick.size(); ++k) flags[static_cast<std::size_t>(tick[k]) * n + static_cast<std::size_t>(index[k])] = 1.0;
  return flags;
}

std::string import_error(const std::string& path) {
  try {
    (void)import_nir(path, {});
  } catch (const InputError& error) {
    return error.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("nir: lif_norse driven by the reference input spikes at the reference steps", "[io][nir]") {
  auto run = import_nir(data_dir / "lif_norse.nir", {.dt_ms = 0.1, .reset = NirReset::zero});
  std::vector<double> input;
  std::vector<double> reference_steps;
  std::ifstream csv(data_dir / "lif_norse_input_spike.csv");
  double in = 0.0, spike = 0.0;
  char comma = ',';
  for (std::size_t step = 0; csv >> in >> comma >> spike; ++step) {
    input.push_back(in);
    if (spike > 0.0) reference_steps.push_back(static_cast<double>(step));
  }
  REQUIRE(input.size() == 1000);
  REQUIRE(reference_steps == std::vector<double>{460, 510, 710, 760});  // README's figures
  run.set_input("input", input);
  REQUIRE(run.lowering.outputs.at("output") == "1");  // the Output node gives the LIF node's spikes
  MemoryRecorder recorder;
  run.simulation->set_recorder(&recorder);
  for (const auto& probe : run.output_probes) run.simulation->add_probe(probe);
  run.simulation->run(1000);
  run.simulation->set_recorder(nullptr);
  CHECK(recorder.stream("/snn/1/spikes/tick").values == reference_steps);
}

TEST_CASE("nir: LI relaxes to v_leak + R I as the Euler closed form says", "[io][nir]") {
  // v_n = v_inf (1 - (1 - dt/tau)^n), v_inf = v_leak + R I, from v_0 = 0.
  const auto path = fixture("li", single({"LI", {{"tau", v({0.002})}, {"r", v({2.0})}, {"v_leak", v({0.5})}}}, 2));
  const auto values = run_constant(path, 1.5, 2, 30);
  const double a = 1.0 - 1e-4 / 0.002, v_inf = 0.5 + 2.0 * 1.5;
  for (std::size_t n = 1; n <= 30; ++n) CHECK(values[2 * (n - 1)] == Approx(v_inf * (1.0 - std::pow(a, n))).epsilon(1e-6));  // traces are float32
}

TEST_CASE("nir: IF and I integrate R I dt; IF fires when v exceeds the threshold", "[io][nir]") {
  // dv/dt = R I: v_n = n dt R I = n * 1e-4 * 2 * 50 = 0.01 n; threshold 0.095: spike at n = 10 (v = 0.1).
  const auto integrator = fixture("i", single({"I", {{"r", v({2.0})}}}, 1));
  const auto values = run_constant(integrator, 50.0, 1, 5);
  REQUIRE(values.size() == 5);
  for (std::size_t n = 1; n <= 5; ++n) CHECK(values[n - 1] == Approx(0.01 * static_cast<double>(n)));
  const auto if_path = fixture("if", single({"IF", {{"r", v({2.0})}, {"v_threshold", v({0.095})}}}, 1));
  const auto out = run_constant(if_path, 50.0, 1, 25, "x", "spikes");
  std::vector<std::size_t> spike_steps;
  for (std::size_t t = 0; t < out.size(); ++t) {
    if (out[t] > 0.0) spike_steps.push_back(t + 1);  // step t is the (t+1)-th update
  }
  CHECK(spike_steps == std::vector<std::size_t>{10, 20});  // reset to 0, so again 10 steps later
}

TEST_CASE("nir: subtractive reset keeps the overshoot", "[io][nir]") {
  // IF with v += 0.03 per step, threshold 0.1: zero reset fires every 4 steps; subtract keeps
  // 0.02 after the first spike (0.12 - 0.1), so the second comes after 3 more steps (0.11).
  const auto path = fixture("if_sub", single({"IF", {{"r", v({1.0})}, {"v_threshold", v({0.1})}}}, 1));
  auto steps = [&](NirReset reset) {
    const auto out = run_constant(path, 300.0, 1, 8, "x", "spikes", {.dt_ms = 0.1, .reset = reset});
    std::vector<std::size_t> s;
    for (std::size_t t = 0; t < out.size(); ++t) {
      if (out[t] > 0.0) s.push_back(t + 1);
    }
    return s;
  };
  CHECK(steps(NirReset::zero) == std::vector<std::size_t>{4, 8});
  CHECK(steps(NirReset::subtract) == std::vector<std::size_t>{4, 7});
}

TEST_CASE("nir: CubaLI's synaptic current and voltage follow their Euler recurrences", "[io][nir]") {
  // I_n = w x (1 - a^n), a = 1 - dt/tau_syn; v_n = b v_{n-1} + (1 - b) R I_n, b = 1 - dt/tau_mem.
  // cuba_lif decays I at the end of its tick, so the i_syn it shows after step n is a·I_n.
  const auto path = fixture("cubali", single({"CubaLI", {{"tau_syn", v({0.001})}, {"tau_mem", v({0.01})}, {"r", v({1.0})},
                                                         {"v_leak", v({0.0})}, {"w_in", v({3.0})}}}, 1));
  const auto current = run_constant(path, 2.0, 1, 20, "x", "i_syn");
  const auto voltage = run_constant(path, 2.0, 1, 20, "x", "v");
  double v_ref = 0.0;
  for (std::size_t n = 1; n <= 20; ++n) {
    const double i_n = 6.0 * (1.0 - std::pow(0.9, n));
    v_ref = 0.99 * v_ref + 0.01 * i_n;
    CHECK(current[n - 1] == Approx(0.9 * i_n));
    CHECK(voltage[n - 1] == Approx(v_ref).epsilon(1e-5));
  }
}

TEST_CASE("nir: Affine, Linear, Scale, Threshold, Flatten, Delay compute their equations", "[io][nir]") {
  // Linear nodes fold into projections; each Output fed through them gets a relay population
  // holding exactly the values that arrive, so every equation can be read there.
  NirGraphSpec g;
  g.nodes = {{"in", {"Input", {{"shape", v({2})}}}},
             {"aff", {"Affine", {{"weight", {{1, 2, 3, 4, 5, 6}, {3, 2}}}, {"bias", v({0.5, -0.5, 1})}}}},
             {"lin", {"Linear", {{"weight", {{1, 0, -1}, {1, 3}}}}}},
             {"sc", {"Scale", {{"scale", v({2, 3, 4})}}}},
             {"thr", {"Threshold", {{"threshold", v({10, 20, 100})}}}},
             {"fl", {"Flatten", {}}},
             {"dl", {"Delay", {{"delay", v({0.0003})}}}},
             {"o_aff", {"Output", {}}},
             {"o_sc", {"Output", {}}},
             {"o_thr", {"Output", {}}},
             {"out", {"Output", {}}}};
  g.edges = {{"in", "aff"}, {"aff", "sc"}, {"sc", "thr"}, {"thr", "fl"}, {"fl", "o_thr"}, {"aff", "lin"},
             {"lin", "dl"},  {"dl", "out"}, {"aff", "o_aff"}, {"sc", "o_sc"}};
  const auto path = fixture("dense", g);
  auto run = import_nir(path, {});
  CHECK(run.lowering.outputs.at("o_thr") == "thr");  // Flatten changes nothing: the Threshold's own events
  CHECK(run.lowering.outputs.at("o_aff") == "o_aff");  // through an Affine: a relay population
  std::vector<double> drive(20, 0.0);
  for (std::size_t t = 1; t < 10; ++t) drive[2 * t] = 1.0, drive[2 * t + 1] = 2.0;  // tick 0: (0, 0), then (1, 2)
  run.set_input("in", drive);
  MemoryRecorder recorder;
  run.simulation->set_recorder(&recorder);
  for (const char* node : {"o_aff", "o_sc", "out"}) run.simulation->add_probe(Probe{node, "v", {}, 1});
  run.simulation->add_probe(Probe{"thr", "spikes", {}, 1});
  run.simulation->run(7);
  run.simulation->set_recorder(nullptr);
  const auto row = [&](const char* node, std::size_t tick, std::size_t n) {
    const auto& values = recorder.stream(std::string("/snn/") + node + "/state/v").values;
    return std::vector<double>(values.begin() + static_cast<std::ptrdiff_t>(tick * n),
                               values.begin() + static_cast<std::ptrdiff_t>((tick + 1) * n));
  };
  // in = (1, 2): aff = (1+4+.5, 3+8-.5, 5+12+1) = (5.5, 10.5, 18); sc = (11, 31.5, 72);
  // thr = (1, 1, 0); lin = 5.5 - 18 = -12.5; dl: what lin was 3 ticks earlier (0 before tick 3).
  CHECK(row("o_aff", 0, 3) == std::vector<double>{0.5, -0.5, 1.0});  // the bias alone
  CHECK(row("o_aff", 1, 3) == std::vector<double>{5.5, 10.5, 18.0});
  CHECK(row("o_sc", 1, 3) == std::vector<double>{11.0, 31.5, 72.0});
  // Threshold (10, 20, 100): tick 0 sees sc = (1, -1.5, 4), nothing passes; ticks 1..6 units 0 and 1.
  std::vector<double> expected_ticks, expected_units;
  for (double t = 1; t < 7; ++t) expected_ticks.insert(expected_ticks.end(), {t, t}), expected_units.insert(expected_units.end(), {0, 1});
  CHECK(recorder.stream("/snn/thr/spikes/tick").values == expected_ticks);
  CHECK(recorder.stream("/snn/thr/spikes/index").values == expected_units);
  CHECK(recorder.stream("/snn/out/state/v").values == std::vector<double>{0, 0, 0, -0.5, -12.5, -12.5, -12.5});
}

TEST_CASE("nir: a nested graph runs exactly like its flat equivalent", "[io][nir]") {
  const NirNodeSpec lif{"LIF", {{"tau", v({0.002})}, {"r", v({1.0})}, {"v_leak", v({0.0})}, {"v_threshold", v({0.5})}}};
  NirGraphSpec flat = single(lif, 1);
  NirGraphSpec inner;
  inner.nodes = {{"input", {"Input", {{"shape", v({1})}}}}, {"x", lif}, {"output", {"Output", {{"shape", v({1})}}}}};
  inner.edges = {{"input", "x"}, {"x", "output"}};
  NirGraphSpec outer;
  outer.nodes = {{"in", {"Input", {{"shape", v({1})}}}}, {"out", {"Output", {}}}};
  outer.subgraphs = {{"g", inner}};
  outer.edges = {{"in", "g"}, {"g", "out"}};
  const auto a = run_constant(fixture("flat", flat), 3.0, 1, 200, "x", "spikes");
  const auto b = run_constant(fixture("nested", outer), 3.0, 1, 200, "g.x", "spikes");
  CHECK(a == b);
  CHECK(std::count(a.begin(), a.end(), 1.0) > 3);
}

TEST_CASE("nir: defective files are rejected with a message naming the node", "[io][nir][errors]") {
  CHECK_THAT(import_error((data_dir / "braille_noDelay_bias_zero_subgraph.nir").string()),
             Catch::Contains("edge [input -> lif]: no node named 'lif1.lif'"));
  CHECK_THAT(import_error((data_dir / "rockpool_braille.nir").string()), Catch::Contains("shape mismatch"));
  NirGraphSpec missing = single({"LIF", {{"tau", v({0.01})}, {"r", v({1.0})}, {"v_leak", v({0.0})}}}, 1);
  CHECK_THAT(import_error(fixture("missing", missing)), Catch::Contains("node 'x': missing parameter 'v_threshold' of LIF"));
  CHECK_THAT(import_error(fixture("unknown", single({"Wobble", {}}, 1))), Catch::Contains("node 'x': unknown NIR node type Wobble"));
  CHECK_THAT(import_error(fixture("conv", single({"Conv2d", {{"weight", {{1, 1, 1, 1}, {1, 1, 2, 2}}}}}, 1))),
             Catch::Contains("node 'x': missing parameter 'input_shape' of Conv2d"));
  NirGraphSpec big_kernel = single({"Conv2d", {{"weight", {std::vector<double>(9, 1.0), {1, 1, 3, 3}}}, {"input_shape", v({2, 2})}}}, 4);
  CHECK_THAT(import_error(fixture("conv_big", big_kernel)), Catch::Contains("node 'x'") && Catch::Contains("larger than the padded input"));
  NirGraphSpec flat_pool = single({"SumPool2d", {{"kernel_size", v({2, 2})}}}, 4);
  CHECK_THAT(import_error(fixture("pool_flat", flat_pool)), Catch::Contains("needs a [C, H, W] input"));
  NirGraphSpec dangling = single({"Scale", {{"scale", v({1})}}}, 1);
  dangling.edges.push_back({"x", "nowhere"});
  CHECK_THAT(import_error(fixture("dangling", dangling)), Catch::Contains("edge [x -> nowhere]: no node named 'nowhere'"));
  NirGraphSpec mismatch = single({"Scale", {{"scale", v({1, 2, 3})}}}, 2);
  CHECK_THAT(import_error(fixture("mismatch", mismatch)), Catch::Contains("node 'x': shape mismatch"));
  CHECK_THAT(import_error((data_dir / "README.md").string()), Catch::Contains("not an HDF5 file"));
}

TEST_CASE("nir: the corpus files load and run, or are rejected cleanly", "[io][nir][corpus]") {
  for (const char* name : {"two_lif_neurons.nir", "all_types_b.nir"}) {
    INFO(name);
    auto run = import_nir(data_dir / name, {});
    run.simulation->run(200);
    CHECK(run.simulation->now() == 200);
  }
  const std::filesystem::path corpus = "/work/shared/nir-corpus";
  if (!std::filesystem::exists(corpus)) return;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    if (entry.path().extension() != ".nir") continue;
    INFO(entry.path().string());
    try {
      auto run = import_nir(entry.path(), {});
      run.simulation->run(50);
      CHECK(run.simulation->now() == 50);
    } catch (const InputError& error) {
      const std::string message = error.what();
      const bool expected = message.find("shape mismatch") != std::string::npos || message.find("no node named") != std::string::npos;
      CHECK(expected);
    }
  }
}

namespace {
// The NIR paper's single LIF neuron on Loihi (Lava, fixed point): input, v, spike per step.
struct LoihiReference {
  std::vector<double> input, v;
  std::vector<double> spike_steps;
};
LoihiReference loihi_reference() {
  LoihiReference ref;
  std::ifstream csv(data_dir / "lif_lava_loihi_fixed.csv");
  double in = 0.0, v = 0.0, spike = 0.0;
  char comma = ',';
  for (std::size_t step = 0; csv >> in >> comma >> v >> comma >> spike; ++step) {
    ref.input.push_back(in);
    ref.v.push_back(v);
    if (spike > 0.0) ref.spike_steps.push_back(static_cast<double>(step));
  }
  return ref;
}
MemoryRecorder run_lif_norse_loihi(const std::vector<double>& input, double loihi_scale) {
  auto run = import_nir(data_dir / "lif_norse.nir",
                        {.dt_ms = 0.1, .reset = NirReset::zero, .precision = Precision::loihi, .loihi_scale = loihi_scale});
  run.set_input("input", input);
  MemoryRecorder recorder;
  run.simulation->set_recorder(&recorder);
  for (const auto& probe : run.output_probes) run.simulation->add_probe(probe);
  run.simulation->add_probe(Probe{"1", "v", {}, 1});
  run.simulation->run(static_cast<Tick>(input.size()));
  run.simulation->set_recorder(nullptr);
  return recorder;
}
}  // namespace

TEST_CASE("nir: lif_norse in loihi precision spikes at the NIR paper's Loihi steps", "[io][nir][precision]") {
  const LoihiReference ref = loihi_reference();
  REQUIRE(ref.input.size() == 1000);
  REQUIRE(ref.spike_steps == std::vector<double>{461, 511, 711, 761});  // the corpus README's figures
  // The default conversion: the largest weight (w·r·dt/tau = 0.04) becomes 127.
  const MemoryRecorder recorder = run_lif_norse_loihi(ref.input, 0.0);
  CHECK(recorder.stream("/snn/1/spikes/tick").values == ref.spike_steps);
}

TEST_CASE("nir: at Lava's scale (250 per volt) the Loihi import's v is the reference's, bit for bit", "[io][nir][precision]") {
  // Lava's run used weight 10 (0.04 · 250) and threshold 25 (0.1 · 250): the csv's v is in those
  // units (v · 250 · 64). Every step but the spike steps (where Lava's trace shows another value
  // than the reset 0) must agree exactly.
  const LoihiReference ref = loihi_reference();
  const MemoryRecorder recorder = run_lif_norse_loihi(ref.input, 250.0);
  CHECK(recorder.stream("/snn/1/spikes/tick").values == ref.spike_steps);
  const auto& v = recorder.stream("/snn/1/state/v").values;
  REQUIRE(v.size() == ref.v.size());
  std::size_t compared = 0;
  for (std::size_t step = 0; step < v.size(); ++step) {
    if (std::find(ref.spike_steps.begin(), ref.spike_steps.end(), static_cast<double>(step)) != ref.spike_steps.end()) continue;
    CAPTURE(step);
    CHECK(std::llround(v[step] * 250.0 * 64.0) == std::llround(ref.v[step]));
    ++compared;
  }
  CHECK(compared == 996);
}

TEST_CASE("nir: integer precisions apply to LIF nodes; what Loihi's LIF cannot express is refused, naming the node",
          "[io][nir][precision][errors]") {
  // all_types_b has no LIF node: everything stays float32, as a network's default precision does
  // for nodes without an integer form.
  auto all_types = import_nir(data_dir / "all_types_b.nir", {.precision = Precision::loihi});
  all_types.simulation->run(5);
  for (const auto& node : all_types.engine->counters()) CHECK(node.precision == "float32");
  auto tianjic = import_nir(data_dir / "lif_norse.nir", {.precision = Precision::tianjic});
  CHECK(tianjic.engine->population("1").precision() == Precision::tianjic);
  const auto leaky = fixture("lif_leak", single({"LIF", {{"tau", v({0.002})}, {"r", v({1.0})}, {"v_leak", v({0.2})},
                                                         {"v_threshold", v({1.0})}}}, 1));
  CHECK_THROWS_WITH(import_nir(leaky, {.precision = Precision::loihi}),
                    Catch::Contains("node 'x' (LIF)") && Catch::Contains("v_reset_mv = 0 differs from v_leak_mv = 0.2"));
}

TEST_CASE("nir: every valid corpus file imports, maps onto a chip and is priced", "[io][nir][energy]") {
  // The defective files are refused elsewhere; the rest must run 20 ticks on a chip's mapping and
  // come out with energy for the nodes that worked.
  const std::vector<std::string> defective = {"rockpool_braille.nir", "braille_noDelay_bias_zero_subgraph.nir"};
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(data_dir)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".nir" || std::find(defective.begin(), defective.end(), name) != defective.end()) continue;
    ++files;
    for (const char* chip : {"tianjic", "loihi2"}) {
      CAPTURE(name, chip);
      auto run = import_nir(entry.path(), {.dt_ms = 0.1});
      for (const auto& input : run.lowering.inputs) {  // every unit driven on every second tick
        std::vector<double> drive(20 * run.input_width(input), 0.0);
        for (std::size_t k = 0; k < drive.size(); k += 2) drive[k] = 1.0;
        run.set_input(input, drive);
      }
      EnergyLedger ledger(*run.simulation, load_chip(chip), EnergyLedgerSettings{.window_ticks = 10});
      run.simulation->run(20);
      ledger.finish();
      const EnergyReport report = make_energy_report(ledger, name);
      CHECK(report.mapping.cores_used >= 1);
      CHECK(report.total.always_on_dynamic_j > 0.0);
      CHECK(report.total.executed[Op::neuron_update] > 0);
      CHECK(report.total.executed[Op::synaptic_op] > 0);
    }
  }
  CHECK(files >= 9);
}

namespace {
// NIR's reference semantics written out directly in double over the parsed graph (the graph
// reader is shared; the arithmetic is not): every node once per step in dependency order, a
// source later in the order read from the previous step. Returns each node's outputs per step.
std::map<std::string, std::vector<std::vector<double>>> reference_run(const NirGraph& graph, const std::vector<double>& input,
                                                                      std::size_t steps, double dt_s, NirReset reset) {
  std::vector<std::size_t> order;
  std::vector<int> mark(graph.nodes.size(), 0);
  auto visit = [&](auto&& self, std::size_t i) -> void {
    if (mark[i] != 0) return;
    mark[i] = 1;
    for (const auto s : graph.nodes[i].sources) self(self, s);
    mark[i] = 2;
    order.push_back(i);
  };
  for (std::size_t i = 0; i < graph.nodes.size(); ++i) visit(visit, i);
  std::vector<std::vector<double>> out(graph.nodes.size()), v(graph.nodes.size()), current(graph.nodes.size());
  for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
    out[i].assign(graph.nodes[i].size, 0.0);
    v[i] = current[i] = out[i];
  }
  std::map<std::string, std::vector<std::vector<double>>> trace;
  for (std::size_t t = 0; t < steps; ++t) {
    for (const std::size_t i : order) {
      const NirNode& node = graph.nodes[i];
      const auto p = [&](const char* key, std::size_t k) { return node.parameters.at(key)[k]; };
      std::vector<double> x(node.in_size != 0 ? node.in_size : node.size, 0.0);
      for (const auto s : node.sources) {
        for (std::size_t k = 0; k < x.size(); ++k) x[k] += out[s][k];
      }
      std::vector<double>& y = out[i];
      switch (node.kind) {
        case NirKind::input:
          for (std::size_t k = 0; k < node.size; ++k) y[k] = node.external_input ? (t * node.size + k < input.size() ? input[t * node.size + k] : 0.0) : x[k];
          break;
        case NirKind::affine:
        case NirKind::linear:
          for (std::size_t r = 0; r < node.size; ++r) {
            y[r] = node.kind == NirKind::affine ? p("bias", r) : 0.0;
            for (std::size_t c = 0; c < node.in_size; ++c) y[r] += node.parameters.at("weight")[r * node.in_size + c] * x[c];
          }
          break;
        case NirKind::lif:
        case NirKind::cuba_lif:
          for (std::size_t k = 0; k < node.size; ++k) {
            double drive = x[k];
            double tau = 0.0;
            if (node.kind == NirKind::cuba_lif) {
              current[i][k] += dt_s / p("tau_syn", k) * (-current[i][k] + p("w_in", k) * x[k]);
              drive = current[i][k];
              tau = p("tau_mem", k);
            } else {
              tau = p("tau", k);
            }
            v[i][k] += dt_s / tau * ((p("v_leak", k) - v[i][k]) + p("r", k) * drive);
            y[k] = v[i][k] > p("v_threshold", k) ? 1.0 : 0.0;
            if (y[k] > 0.0) v[i][k] = reset == NirReset::subtract ? v[i][k] - p("v_threshold", k) : 0.0;
          }
          break;
        case NirKind::if_neuron:
          for (std::size_t k = 0; k < node.size; ++k) {
            v[i][k] += dt_s * p("r", k) * x[k];
            y[k] = v[i][k] > p("v_threshold", k) ? 1.0 : 0.0;
            if (y[k] > 0.0) v[i][k] = reset == NirReset::subtract ? v[i][k] - p("v_threshold", k) : 0.0;
          }
          break;
        case NirKind::conv2d:
        case NirKind::sum_pool:
        case NirKind::avg_pool: {
          // The textbook sum over the window, output by output (zero padding: skipped positions).
          const ConvolutionShape& c = *node.convolution;
          const bool pool = node.kind != NirKind::conv2d;
          const long out_h = static_cast<long>(c.out_height()), out_w = static_cast<long>(c.out_width());
          for (std::size_t o = 0; o < c.out_channels; ++o) {
            const std::size_t group = o / c.out_per_group();
            for (long r = 0; r < out_h; ++r) {
              for (long col = 0; col < out_w; ++col) {
                double sum = pool ? 0.0 : p("bias", o);
                for (std::size_t ci = 0; ci < c.in_per_group(); ++ci) {
                  for (std::size_t u = 0; u < c.kernel_height; ++u) {
                    for (std::size_t w = 0; w < c.kernel_width; ++w) {
                      const long in_r = r * static_cast<long>(c.stride_height) - static_cast<long>(c.padding_height) +
                                        static_cast<long>(u * c.dilation_height);
                      const long in_c = col * static_cast<long>(c.stride_width) - static_cast<long>(c.padding_width) +
                                        static_cast<long>(w * c.dilation_width);
                      if (in_r < 0 || in_c < 0 || in_r >= static_cast<long>(c.in_height) || in_c >= static_cast<long>(c.in_width)) continue;
                      const std::size_t channel = group * c.in_per_group() + ci;
                      const double tap = pool ? (node.kind == NirKind::sum_pool ? 1.0 : 1.0 / static_cast<double>(c.kernel_height * c.kernel_width))
                                              : node.parameters.at("weight")[((o * c.in_per_group() + ci) * c.kernel_height + u) * c.kernel_width + w];
                      sum += tap * x[(channel * c.in_height + static_cast<std::size_t>(in_r)) * c.in_width + static_cast<std::size_t>(in_c)];
                    }
                  }
                }
                y[(o * c.out_height() + static_cast<std::size_t>(r)) * c.out_width() + static_cast<std::size_t>(col)] = sum;
              }
            }
          }
          break;
        }
        default: y = x; break;  // Output, Flatten
      }
      trace[node.name].push_back(y);
    }
  }
  return trace;
}
// `count` values, each 1 with `probability` (else 0), from a seeded stream: random input events.
std::vector<double> random_events(std::size_t count, double probability, std::uint64_t seed) {
  RandomStream random(seed);
  std::vector<double> events(count, 0.0);
  for (double& value : events) value = random.uniform() < probability ? 1.0 : 0.0;
  return events;
}

// The reference's spikes of `node` as the recorder lists them: ticks and unit indices.
std::pair<std::vector<double>, std::vector<double>> reference_spikes(
    const std::map<std::string, std::vector<std::vector<double>>>& reference, const std::string& node) {
  std::vector<double> ticks, indices;
  const auto& steps = reference.at(node);
  for (std::size_t t = 0; t < steps.size(); ++t) {
    for (std::size_t k = 0; k < steps[t].size(); ++k) {
      if (steps[t][k] > 0.0) ticks.push_back(static_cast<double>(t)), indices.push_back(static_cast<double>(k));
    }
  }
  return {ticks, indices};
}
}  // namespace

TEST_CASE("nir: recurrent Braille networks spike as a direct double-precision reference says", "[io][nir][reference]") {
  // Independent of the lowering: the reference re-implements NIR's equations on the graph. The
  // input: each of the 12 channels spikes with probability 0.2 per step (seeded).
  for (const char* name : {"braille_noDelay_bias_zero.nir", "braille_noDelay_noBias_subtract.nir", "norse_braille.nir"}) {
    CAPTURE(name);
    const NirReset reset = std::string(name).find("subtract") != std::string::npos ? NirReset::subtract : NirReset::zero;
    auto run = import_nir(data_dir / name, {.dt_ms = 0.1, .reset = reset});
    const std::size_t steps = 300;
    const auto input = random_events(steps * run.input_width("input"), 0.2, 7);
    run.set_input("input", input);
    MemoryRecorder recorder;
    run.simulation->set_recorder(&recorder);
    for (const char* node : {"lif1.lif", "lif2"}) {
      if (run.lowering.populations.count(node) != 0) run.simulation->add_probe(Probe{node, "spikes", {}, 1});
    }
    run.simulation->run(static_cast<Tick>(steps));
    run.simulation->set_recorder(nullptr);
    const auto reference = reference_run(run.graph, input, steps, 1e-4, reset);
    std::size_t spikes = 0;
    for (const char* node : {"lif1.lif", "lif2"}) {
      CAPTURE(node);
      const auto [ticks, indices] = reference_spikes(reference, node);
      const std::string base = std::string("/snn/") + node + "/spikes/";
      CHECK(recorder.stream(base + "tick").values == ticks);
      CHECK(recorder.stream(base + "index").values == indices);
      spikes += ticks.size();
    }
    CHECK(spikes > 50);  // the comparison has something to compare
  }
}

TEST_CASE("nir: every corpus graph runs bit-identically in event and always-on mode", "[io][nir][equivalence]") {
  for (const auto& entry : std::filesystem::directory_iterator(data_dir)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".nir" || name == "rockpool_braille.nir" || name == "braille_noDelay_bias_zero_subgraph.nir") continue;
    CAPTURE(name);
    std::map<std::string, std::vector<double>> streams[2];
    std::uint64_t updates[2] = {0, 0};
    for (const ExecutionMode mode : {ExecutionMode::event, ExecutionMode::always_on}) {
      auto run = import_nir(entry.path(), {.dt_ms = 0.1}, 1, mode);
      RandomStream random(3);
      for (const auto& input : run.lowering.inputs) {
        std::vector<double> drive(100 * run.input_width(input), 0.0);
        for (double& value : drive) value = random.uniform() < 0.3 ? random.uniform() * 2.0 : 0.0;
        run.set_input(input, drive);
      }
      MemoryRecorder recorder;
      run.simulation->set_recorder(&recorder);
      for (const auto& population : run.lowering.populations) {
        run.simulation->add_probe(Probe{population, "spikes", {}, 1});
        run.simulation->add_probe(Probe{population, "v", {}, 1});
      }
      run.simulation->run(100);
      run.simulation->set_recorder(nullptr);
      const int m = mode == ExecutionMode::event ? 0 : 1;
      for (const auto& stream : recorder.streams()) streams[m][stream.spec.path] = stream.values;
      for (const auto& node : run.engine->counters()) updates[m] += node.executed[Op::neuron_update];
    }
    CHECK(!streams[0].empty());
    for (const auto& [path, values] : streams[0]) {
      CAPTURE(path);
      const auto bits = [](const std::vector<double>& x) {
        std::vector<std::uint64_t> b(x.size());
        std::transform(x.begin(), x.end(), b.begin(), [](double value) { return std::bit_cast<std::uint64_t>(value); });
        return b;
      };
      CHECK(bits(values) == bits(streams[1].at(path)));
    }
    CHECK(updates[0] <= updates[1]);
  }
}

TEST_CASE("nir: the NIR paper's CNNs spike as a direct double-precision reference says", "[io][nir][reference][convolution]") {
  // Conv2d, SumPool2d, Flatten, Affine and IF layers; the reference computes each convolution as
  // the textbook window sum. Input: each of the 2×34×34 event-camera pixels fires with
  // probability 0.15 per step (seeded). The IF layers (r = 1) integrate one input per step, so
  // the files are run at dt = 1 s (1000 ms), as their exporters step them.
  for (const char* name : {"cnn_sinabs.nir", "spyx_scnn_mnist.nir"}) {
    CAPTURE(name);
    auto run = import_nir(data_dir / name, {.dt_ms = 1000.0});
    const std::size_t steps = 40;
    const auto input = random_events(steps * run.input_width("input"), 0.15, 11);
    run.set_input("input", input);
    MemoryRecorder recorder;
    run.simulation->set_recorder(&recorder);
    const std::vector<std::string> layers = {"1", "3", "6", "10", "12"};
    for (const auto& node : layers) run.simulation->add_probe(Probe{node, "spikes", {}, 1});
    run.simulation->run(static_cast<Tick>(steps));
    run.simulation->set_recorder(nullptr);
    const auto reference = reference_run(run.graph, input, steps, 1.0, NirReset::zero);
    for (const auto& node : layers) {
      CAPTURE(node);
      const auto [ticks, indices] = reference_spikes(reference, node);
      CHECK(recorder.stream("/snn/" + node + "/spikes/tick").values == ticks);
      CHECK(recorder.stream("/snn/" + node + "/spikes/index").values == indices);
      CHECK(!ticks.empty());
    }
  }
}
