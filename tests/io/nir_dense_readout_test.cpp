// NIR Affine/Linear readouts after the last spiking node become dense layers (io/nir_dense_readout.hpp):
// the Output's values are checked against W·s + b recomputed here in double from the recorded
// spikes, in the tick those spikes happen (NIR's reference timing), against the relay population
// they replace, in both execution modes, with the dense engine's MAC counts; and the readout is a
// dense port a network file can feed to a layer.
#include <catch2/catch.hpp>

#include <filesystem>

#include "core/error.hpp"
#include "core/memory_recorder.hpp"
#include "core/random.hpp"
#include "io/network_builder.hpp"
#include "io/network_file.hpp"
#include "io/nir_import.hpp"
#include "tests/io/nir_fixture.hpp"

using namespace tandem;
using namespace tandem::io;
using tandem::testing::NirArray;
using tandem::testing::NirGraphSpec;

namespace {

NirArray v(std::vector<double> values) { return {std::move(values), {}}; }

// The readout's weights: Affine [2 x 4] then Scale, folded by the import into one matrix.
const std::vector<double> readout_weight = {0.5, -1.0, 2.0, 0.25, -0.75, 1.5, 0.0, 3.0};
const std::vector<double> readout_bias = {0.125, -2.0};
const std::vector<double> readout_scale = {2.0, -0.5};

// in(3) -> Affine -> LIF(4) -> Affine -> Scale -> Output: a classifier with a linear readout,
// written to a file of its own per test (ctest runs tests in parallel).
std::string readout_graph(const std::string& file) {
  NirGraphSpec g;
  g.nodes = {{"in", {"Input", {{"shape", v({3})}}}},
             {"fc1", {"Affine", {{"weight", {{1.2, 0.4, -0.3, 0.9, 0.2, 0.7, 0.3, 1.1, 0.5, -0.2, 0.6, 1.3}, {4, 3}}},
                                 {"bias", v({0.05, 0.0, 0.02, 0.1})}}}},
             {"lif", {"LIF", {{"tau", v({0.002, 0.002, 0.002, 0.002})}, {"r", v({1, 1, 1, 1})},
                              {"v_leak", v({0, 0, 0, 0})}, {"v_threshold", v({1, 1, 1, 1})}}}},
             {"fc2", {"Affine", {{"weight", {readout_weight, {2, 4}}}, {"bias", v(readout_bias)}}}},
             {"sc", {"Scale", {{"scale", v(readout_scale)}}}},
             {"out", {"Output", {}}}};
  g.edges = {{"in", "fc1"}, {"fc1", "lif"}, {"lif", "fc2"}, {"fc2", "sc"}, {"sc", "out"}};
  const auto path = (std::filesystem::path(TANDEM_BINARY_DIR) / file).string();
  tandem::testing::write_nir(path, g);
  return path;
}

constexpr Tick ticks = 120;

std::vector<double> random_drive(std::uint64_t seed) {
  RandomStream random(seed);
  std::vector<double> table(static_cast<std::size_t>(ticks) * 3);
  for (double& x : table) x = random.uniform() < 0.5 ? 12.0 * random.uniform() : 0.0;
  return table;
}

struct Readout {
  std::vector<double> out;     // [ticks x 2]: the Output's values
  std::vector<double> spikes;  // [ticks x 4]: the LIF's spikes as 0/1
  std::vector<double> out_ticks;
  OpCounts executed, always_on;
};

Readout run_readout(const std::string& path, ExecutionMode mode, bool dense) {
  NirImportOptions options;
  options.dt_ms = 0.1;
  options.dense_readout = dense;
  auto run = import_nir(path, options, 1, mode);
  CHECK(run.lowering.dense_outputs.count("out") == (dense ? 1U : 0U));
  CHECK(run.lowering.outputs.count("out") == (dense ? 0U : 1U));
  run.set_input("in", random_drive(7));
  MemoryRecorder recorder;
  run.simulation->set_recorder(&recorder);
  run.simulation->add_probe(Probe{"lif", "spikes", {}, 1});
  run.simulation->add_probe(dense ? Probe{"out", "activations", {}, 1} : Probe{"out", "v", {}, 1});
  run.simulation->run(ticks);
  run.simulation->set_recorder(nullptr);
  Readout result;
  result.out = recorder.stream(dense ? "/ann/out/activations" : "/snn/out/state/v").values;
  if (dense) result.out_ticks = recorder.stream("/ann/out/tick").values;
  result.spikes.assign(static_cast<std::size_t>(ticks) * 4, 0.0);
  const auto& tick = recorder.stream("/snn/lif/spikes/tick").values;
  const auto& index = recorder.stream("/snn/lif/spikes/index").values;
  for (std::size_t k = 0; k < tick.size(); ++k) result.spikes[static_cast<std::size_t>(tick[k]) * 4 + static_cast<std::size_t>(index[k])] = 1.0;
  for (const auto& counters : run.simulation->counters()) {
    if (counters.node == "out") result.executed = counters.executed, result.always_on = counters.always_on;
  }
  return result;
}

}  // namespace

TEST_CASE("nir: an Affine readout after the last LIF is a dense layer giving W·s + b in the tick s spikes",
          "[io][nir][readout]") {
  const auto path = readout_graph("nir_dense_readout.nir");
  const Readout event = run_readout(path, ExecutionMode::event, true);
  REQUIRE(event.out.size() == static_cast<std::size_t>(ticks) * 2);
  CHECK(event.out_ticks.front() == 0.0);
  CHECK(event.out_ticks.back() == static_cast<double>(ticks - 1));
  double spikes = 0.0;
  for (const double s : event.spikes) spikes += s;
  CHECK(spikes > 40.0);  // the readout sees real traffic
  CHECK(spikes < 0.9 * static_cast<double>(ticks) * 4.0);
  // The reference: scale · (W s_t + b), in double, from tick t's own spikes.
  for (Tick t = 0; t < ticks; ++t) {
    for (std::size_t r = 0; r < 2; ++r) {
      double y = readout_bias[r];
      for (std::size_t c = 0; c < 4; ++c) y += readout_weight[r * 4 + c] * event.spikes[static_cast<std::size_t>(t) * 4 + c];
      CAPTURE(t, r);
      CHECK(event.out[static_cast<std::size_t>(t) * 2 + r] == Approx(readout_scale[r] * y).margin(1e-6));
    }
  }
  // Zero-skip: each spike costs one MAC per output; always-on every input every tick.
  CHECK(event.executed[Op::mac] == static_cast<std::uint64_t>(spikes) * 2);
  CHECK(event.always_on[Op::mac] == static_cast<std::uint64_t>(ticks) * 4 * 2);
  CHECK(event.executed[Op::synaptic_op] == 0);

  SECTION("always-on gives the same values, bit for bit") {
    const Readout always = run_readout(path, ExecutionMode::always_on, true);
    CHECK(always.spikes == event.spikes);
    CHECK(always.out == event.out);
    CHECK(always.executed[Op::mac] == event.always_on[Op::mac]);
  }
  SECTION("the relay population it replaces holds the same values in the same ticks") {
    const Readout relay = run_readout(path, ExecutionMode::event, false);
    CHECK(relay.spikes == event.spikes);
    REQUIRE(relay.out.size() == event.out.size());
    for (std::size_t k = 0; k < relay.out.size(); ++k) CHECK(relay.out[k] == Approx(event.out[k]).margin(1e-6));
  }
}

TEST_CASE("nir: readouts that are not W·spikes + b keep their relay population", "[io][nir][readout]") {
  // An Input read through an Affine (graded values, no spikes) and a readout through a Delay.
  NirGraphSpec g;
  g.nodes = {{"in", {"Input", {{"shape", v({2})}}}},
             {"aff", {"Affine", {{"weight", {{1, 2, 3, 4}, {2, 2}}}, {"bias", v({0.5, -0.5})}}}},
             {"lif", {"LIF", {{"tau", v({0.002, 0.002})}, {"r", v({1, 1})}, {"v_leak", v({0, 0})}, {"v_threshold", v({1, 1})}}}},
             {"lin", {"Linear", {{"weight", {{1, -1}, {1, 2}}}}}},
             {"dl", {"Delay", {{"delay", v({0.0002})}}}},
             {"o_graded", {"Output", {}}},
             {"o_delayed", {"Output", {}}}};
  g.edges = {{"in", "aff"}, {"aff", "o_graded"}, {"aff", "lif"}, {"lif", "lin"}, {"lin", "dl"}, {"dl", "o_delayed"}};
  const auto path = (std::filesystem::path(TANDEM_BINARY_DIR) / "nir_relay_readouts.nir").string();
  tandem::testing::write_nir(path, g);
  auto run = import_nir(path, {});
  CHECK(run.lowering.dense_outputs.empty());
  CHECK(run.lowering.outputs.at("o_graded") == "o_graded");
  CHECK(run.lowering.outputs.at("o_delayed") == "o_delayed");
}

TEST_CASE("subnetworks: a dense readout is a dense port that layers and wires read", "[io][nir][readout][subnetwork]") {
  const auto path = readout_graph("nir_dense_readout_subnetwork.nir");
  const std::string yaml = "simulation: {dt_ms: 0.1, seed: 3}\n"
                           "inputs:\n  drive: {kind: poisson, size: 3, rate_hz: 9000}\n"
                           "subnetworks:\n  net: {nir: " + path + "}\n"
                           "layers:\n  head: {inputs: [net], size: 1, weights: 1.0, activation: identity}\n"
                           "wires:\n  - {from: drive, to: net.in}\n";
  const auto network = parse_network_text(yaml, "net.yaml", std::filesystem::path(TANDEM_BINARY_DIR));
  auto built = build_network(network, {});
  MemoryRecorder recorder;
  built.simulation->set_recorder(&recorder);
  built.simulation->add_probe(Probe{"net.out", "activations", {}, 1});
  built.simulation->add_probe(Probe{"head", "activations", {}, 1});
  built.simulation->run(60);
  built.simulation->set_recorder(nullptr);
  const auto& out = recorder.stream("/ann/net.out/activations").values;
  const auto& head = recorder.stream("/ann/head/activations").values;
  REQUIRE(out.size() == 120);
  REQUIRE(head.size() == 60);
  // head = out[0] + out[1] one tick later (the wire between engines).
  bool varied = false;
  for (std::size_t t = 1; t < 60; ++t) {
    CHECK(head[t] == Approx(out[2 * (t - 1)] + out[2 * (t - 1) + 1]).margin(1e-5));
    varied = varied || out[2 * t] != out[0];
  }
  CHECK(varied);
  // A dense readout sends values: a spike decoder cannot read it.
  const std::string wrong = "simulation: {dt_ms: 0.1}\n"
                            "subnetworks:\n  net: {nir: " + path + "}\n"
                            "bridge:\n  rates: {kind: rate_decoder, input: net, window_ticks: 5}\n";
  try {
    build_network(parse_network_text(wrong, "net.yaml", std::filesystem::path(TANDEM_BINARY_DIR)), {});
    FAIL("a rate decoder reading a dense readout was accepted");
  } catch (const InputError& error) {
    CHECK_THAT(error.what(), Catch::Contains("bridge.rates"));
  }
}
