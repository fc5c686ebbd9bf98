// Lowering network files onto the engines: the shipped demo runs, --set changes results, event
// and always-on agree, closed-form spike timing, every bridge kind lowers, errors name the key.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>

#include "bridge/unit_kinds.hpp"
#include "core/error.hpp"
#include "core/hdf5_recorder.hpp"
#include "core/memory_recorder.hpp"
#include "core/trace_file.hpp"
#include "io/lowering_parts.hpp"
#include "io/network_builder.hpp"
#include "io/network_file.hpp"
#include "neurons/registry.hpp"
#include "tests/io/network_fixture.hpp"
#include "tests/io/nir_fixture.hpp"

using namespace tandem;
using namespace tandem::io;

namespace {

const std::filesystem::path demo = std::filesystem::path(TANDEM_SOURCE_DIR) / "examples/networks/hybrid_demo.yaml";

// Runs `network` for `ticks` and returns the spike ticks of population `population`.
std::vector<double> spike_ticks(const NetworkDescription& network, const std::string& population, Tick ticks,
                                BuildOptions options = {}) {
  MemoryRecorder recorder;
  tandem::testing::run_probed(network, Probe{population, "spikes", {}, 1}, ticks, recorder, options);
  return recorder.stream("/snn/" + population + "/spikes/tick").values;
}

NetworkDescription parse(const std::string& text) { return tandem::testing::parse_network(text); }
using tandem::testing::build_error;

}  // namespace

TEST_CASE("network builder: the hybrid demo runs and its readout sees the spikes", "[io][builder]") {
  const auto network = load_network(demo);
  auto built = build_network(network);
  MemoryRecorder recorder;
  built.simulation->set_recorder(&recorder);
  for (const auto& probe : built.probes) built.simulation->add_probe(probe);
  built.simulation->run(500);
  built.simulation->set_recorder(nullptr);
  const auto spikes = recorder.stream("/snn/exc/spikes/tick").values;
  REQUIRE(spikes.size() > 10);
  // The readout's two rows are opposite (+-0.5 on halves): with relu at most one is non-zero.
  const auto& activations = recorder.stream("/ann/readout/activations").values;
  REQUIRE(activations.size() == 2 * 25);
  bool some_nonzero = false;
  for (std::size_t i = 0; i < activations.size(); i += 2) {
    CHECK((activations[i] == 0.0 || activations[i + 1] == 0.0));
    some_nonzero = some_nonzero || activations[i] > 0.0 || activations[i + 1] > 0.0;
  }
  CHECK(some_nonzero);
}

TEST_CASE("network builder: event and always-on give the same spikes for the demo", "[io][builder]") {
  const auto network = load_network(demo);
  const auto event = spike_ticks(network, "exc", 300, {.seed = {}, .mode = ExecutionMode::event});
  const auto always_on = spike_ticks(network, "exc", 300, {.seed = {}, .mode = ExecutionMode::always_on});
  CHECK(event == always_on);
  CHECK_FALSE(event.empty());
}

TEST_CASE("network builder: --set changes the result the way the physics says", "[io][builder]") {
  const auto base = spike_ticks(load_network(demo), "exc", 500);
  // A faster leak forgets inputs sooner: fewer threshold crossings from the same drive.
  const auto leaky = spike_ticks(load_network(demo, {parse_override("populations.exc.parameters.tau_m_ms=2")}), "exc", 500);
  CHECK(leaky.size() < base.size());
  // Another seed draws other Poisson spikes and other synapses.
  const auto reseeded = spike_ticks(load_network(demo, {parse_override("simulation.seed=7")}), "exc", 500);
  CHECK(reseeded != base);
  CHECK_THROWS_AS(load_network(demo, {parse_override("populations.exc.parameters.nope=1")}), InputError);
}

TEST_CASE("network builder: a spike time plus a delay gives the hand-computed spike tick", "[io][builder]") {
  // One input spike at 5 ms, a 3 ms delay and a weight above threshold: the neuron must fire
  // exactly once, at tick 5 + 3 = 8 (delta synapse on v, no leak in between from rest 0).
  const auto network = parse(R"(
inputs:
  stim: {kind: spike_times, size: 1, times_ms: [[5.0]]}
populations:
  n: {model: lif, size: 1, parameters: {tau_m_ms: 10.0, v_threshold_mv: 10.0}}
projections:
  p: {from: stim, to: n, rule: one_to_one, weight: 15.0, delay_ms: 3.0}
)");
  const auto spikes = spike_ticks(network, "n", 20);
  REQUIRE(spikes.size() == 1);
  CHECK(spikes[0] == 8.0);
}

TEST_CASE("network builder: a constant current drives a lif neuron at the closed-form period", "[io][builder]") {
  // v -> R I (1 - exp(-t/tau)); with R I = 20, threshold 10: first crossing at t = tau ln 2
  // = 6.93 ms, so the first spike is at tick 7 (after 7 whole steps) and then every 7 ticks.
  const auto network = parse(R"(
inputs:
  bias: {kind: current, size: 1, value: 20.0}
populations:
  n: {model: lif, size: 1, parameters: {tau_m_ms: 10.0, v_threshold_mv: 10.0}}
projections:
  p: {from: bias, to: n, rule: one_to_one, weight: 1.0, target: i_ext}
)");
  const auto spikes = spike_ticks(network, "n", 30);
  REQUIRE(spikes.size() >= 3);
  CHECK(spikes[1] - spikes[0] == 7.0);
  CHECK(spikes[2] - spikes[1] == 7.0);
}

TEST_CASE("network builder: every bridge kind lowers", "[io][builder]") {
  for (const auto& unit_kind : bridge::unit_kinds()) {
    const std::string kind(unit_kind.name);
    const bool spike_input = kind.find("decoder") != std::string::npos;
    const std::string source = spike_input ? "pop" : "cartpole";
    const std::string text = R"(
inputs:
  drive: {kind: poisson, size: 8, rate_hz: 50.0}
populations:
  pop: {model: lif, size: 8}
projections:
  d: {from: drive, to: pop, rule: one_to_one, weight: 30.0}
bridge:
  unit: {kind: )" + kind + ", input: " + source + R"(, window_ticks: 4}
environment: {name: cartpole}
)";
    INFO(kind);
    auto built = build_network(parse(text));
    built.simulation->run(40);
    CHECK(built.simulation->now() == 40);
  }
}

TEST_CASE("network builder: fixed-point layers and a trace that opens with TraceFile", "[io][builder]") {
  const auto path = std::filesystem::path(TANDEM_BINARY_DIR) / "network_builder_trace.h5";
  std::filesystem::remove(path);
  const auto network = load_network(demo, {parse_override("layers.readout.precision=fixed")});
  {
    auto built = build_network(network);
    Hdf5Recorder recorder(path.string());
    built.simulation->set_recorder(&recorder);
    for (const auto& probe : built.probes) built.simulation->add_probe(probe);
    built.simulation->run(100);
    built.simulation->set_recorder(nullptr);
  }
  const TraceFile trace(path.string());
  CHECK(trace.values("/ann/readout/activations").size() == 2 * 5);
  CHECK_FALSE(trace.values("/snn/exc/spikes/tick").empty());
}

TEST_CASE("network builder: errors name the file and the key path", "[io][builder][errors]") {
  CHECK_THAT(build_error("populations:\n  exc: {model: lifx, size: 2}\n"),
             Catch::Contains("net.yaml: populations.exc.model: unknown model 'lifx'"));
  CHECK_THAT(build_error("populations:\n  exc: {model: lif, size: 2, parameters: {tau_ms: 3}}\n"),
             Catch::Contains("net.yaml: populations.exc.parameters.tau_ms: unknown parameter"));
  CHECK_THAT(build_error("populations:\n  exc: {model: lif, size: 2, parameters: {tau_m_ms: -3}}\n"),
             Catch::Contains("net.yaml: populations.exc.parameters.tau_m_ms:"));
  CHECK_THAT(build_error("populations:\n  exc: {model: lif, size: 2, initial: {w: 1.0}}\n"),
             Catch::Contains("net.yaml: populations.exc.initial.w:"));
  CHECK_THAT(build_error("populations:\n  exc: {model: lif, size: 2}\nbridge:\n  b: {kind: magic, input: exc}\n"),
             Catch::Contains("net.yaml: bridge.b.kind: unknown bridge kind 'magic'"));
  CHECK_THAT(build_error("populations:\n  exc: {model: lif, size: 2}\nbridge:\n  b: {kind: count_decoder, input: exc, "
                         "parameters: {colour: 1}}\n"),
             Catch::Contains("net.yaml: bridge.b.parameters.colour: unknown parameter"));
  CHECK_THAT(build_error("populations:\n  exc: {model: lif, size: 2}\nlayers:\n  l: {inputs: exc, size: 1, weights: 1.0}\n"),
             Catch::Contains("net.yaml: layers.l.inputs: 'exc' sends spikes"));
  CHECK_THAT(build_error("environment: {name: cartpole}\nlayers:\n  l: {inputs: cartpole, size: 1, weights: 1.0, "
                         "activation: wobble}\n"),
             Catch::Contains("net.yaml: layers.l.activation:"));
  CHECK_THAT(build_error("environment: {name: pendulum}\n"), Catch::Contains("net.yaml: environment.name: unknown environment"));
  CHECK_THAT(build_error("environment: {name: cartpole, parameters: {mass: 2}}\n"),
             Catch::Contains("net.yaml: environment.parameters.mass: unknown parameter"));
}

TEST_CASE("network builder: dense weights and bias from an HDF5 group give W x + b", "[io][builder]") {
  // Layer l: 2 x 3 weights and bias (1, -1) from the file's group; its input, decoded from a
  // silent population, stays 0, so the output is relu(W 0 + b) = (1, 0).
  const auto file = std::filesystem::path(TANDEM_BINARY_DIR) / "builder_weights.h5";
  {
    hid_t h5 = H5Fcreate(file.string().c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hid_t group = H5Gcreate2(h5, "l1", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    tandem::testing::write_array(group, "weights", {{1, 2, 3, 4, 5, 6}, {2, 3}});
    tandem::testing::write_array(group, "bias", {{1, -1}, {}});
    H5Gclose(group);
    H5Fclose(h5);
  }
  const auto network = parse(R"(
populations:
  pop: {model: lif, size: 3}
bridge:
  dec: {kind: count_decoder, input: pop, output: l, window_ticks: 1}
layers:
  l: {inputs: dec, size: 2, activation: relu, weights: {file: )" + file.string() + R"(, group: /l1}}
)");
  auto built = build_network(network);
  MemoryRecorder recorder;
  built.simulation->set_recorder(&recorder);
  built.simulation->add_probe(Probe{"l", "activations", {}, 1});
  built.simulation->run(3);
  built.simulation->set_recorder(nullptr);
  const auto& values = recorder.stream("/ann/l/activations").values;
  REQUIRE(values.size() == 6);
  CHECK(values[4] == 1.0);  // relu(W 0 + b) = (1, 0): silent neurons decode to 0
  CHECK(values[5] == 0.0);
  // A wrong shape in the file is an error naming the layer's key.
  const auto wrong = parse(R"(
populations:
  pop: {model: lif, size: 2}
bridge:
  dec: {kind: count_decoder, input: pop, output: l}
layers:
  l: {inputs: dec, size: 2, weights: {file: )" + file.string() + R"(, group: /l1}}
)");
  CHECK_THROWS_WITH(build_network(wrong), Catch::Contains("net.yaml: layers.l.weights: needs 4 values, got 6"));
}

TEST_CASE("network builder: every listed neuron model lowers by name", "[io][builder]") {
  for (const auto& model : tandem::neurons::models()) {
    INFO(model.name);
    const auto network = parse("populations:\n  p: {model: " + std::string(model.name) + ", size: 3}\n");
    auto built = build_network(network);
    built.simulation->run(10);
    CHECK(built.simulation->now() == 10);
  }
}

TEST_CASE("network builder: precision per population, network default, and what has no such form", "[io][builder][precision]") {
  const std::string net =
      "simulation: {precision: tianjic}\n"
      "inputs:\n  src: {kind: spike_times, size: 2, times_ms: [[1, 5], [2]]}\n"
      "populations:\n  a: {model: lif, size: 2}\n  b: {model: lif, size: 2, precision: loihi}\n"
      "  c: {model: lif, size: 2, precision: float32}\n"
      "projections:\n  src_a: {from: src, to: a, rule: one_to_one, weight: 30.0}\n"
      "  src_b: {from: src, to: b, rule: one_to_one, weight: 30.0}\n";
  auto built = build_network(parse(net));
  built.simulation->run(10);
  std::map<std::string, std::string> precision;
  for (const auto& engine : built.simulation->engines()) {
    for (const auto& node : engine->counters()) precision[node.node] = node.precision;
  }
  CHECK(precision.at("a") == "tianjic");
  CHECK(precision.at("b") == "loihi");
  CHECK(precision.at("c") == "float32");
  CHECK_THAT(build_error("populations:\n  a: {model: lif, size: 2, precision: fixed}\n"),
             Catch::Contains("populations.a.precision") && Catch::Contains("populations compute in float32, tianjic or loihi"));
  CHECK_THAT(build_error("populations:\n  a: {model: izhikevich, size: 2, precision: tianjic}\n"),
             Catch::Contains("model 'izhikevich' has no tianjic precision"));
  CHECK_THAT(build_error("populations:\n  a: {model: lif, size: 2, precision: double}\n"),
             Catch::Contains("populations.a.precision"));
}
