// Parsing the example network, relative path resolution and the resolved-config round trip.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "io/network_file.hpp"

using namespace tandem;
using namespace tandem::io;

namespace {

const std::filesystem::path example = std::filesystem::path(TANDEM_SOURCE_DIR) / "examples/networks/hybrid_demo.yaml";

// A scratch folder per test case, removed at the end.
struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& name)
      : path(std::filesystem::temp_directory_path() / ("tandem_io_" + name + "_" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  void write(const std::string& relative, const std::string& text) const {
    std::filesystem::create_directories((path / relative).parent_path());
    std::ofstream(path / relative) << text;
  }
};

}  // namespace

TEST_CASE("network file: the hybrid example parses to what the file says", "[io][network]") {
  const NetworkDescription net = load_network(example);
  CHECK(net.simulation.dt_ms == 1.0);
  CHECK(net.simulation.ticks == Tick{500});  // duration_ms 500 / dt_ms 1
  CHECK(net.simulation.seed == 42U);
  CHECK(net.simulation.mode == ExecutionMode::event);
  CHECK(net.simulation.chip == "tianjic");

  REQUIRE(net.inputs.size() == 1);
  CHECK(net.inputs[0].name == "drive");
  CHECK(net.inputs[0].size == 20);
  REQUIRE(std::holds_alternative<PoissonInput>(net.inputs[0].source));
  CHECK(std::get<PoissonInput>(net.inputs[0].source).rate_hz == ValueSource{40.0});

  REQUIRE(net.populations.size() == 1);
  const auto& exc = net.populations[0];
  CHECK(exc.model == "lif");
  CHECK(exc.size == 8);
  CHECK(exc.parameters.at("tau_m_ms") == ParameterValue{20.0});
  CHECK(exc.parameters.size() == 5);
  CHECK(exc.reset == "value");
  CHECK(exc.initial.at("v") == DrawnValues{-65.0});

  REQUIRE(net.projections.size() == 1);
  CHECK(net.projections[0].rule == ConnectionRule::fixed_probability);
  CHECK(net.projections[0].p == 0.5);
  CHECK(net.projections[0].delay_ticks == 1);
  CHECK(net.projections[0].target == "v");

  REQUIRE(net.bridge.size() == 1);
  CHECK(net.bridge[0].kind == "rate_decoder");
  CHECK(net.bridge[0].input == "exc");
  CHECK(net.bridge[0].output == "readout");
  CHECK(net.bridge[0].window_ticks == 20);

  REQUIRE(net.layers.size() == 1);
  const auto& readout = net.layers[0];
  CHECK(readout.inputs == std::vector<std::string>{"exc_rate"});
  CHECK(readout.event_kind == DenseEventKind::delta);
  CHECK(readout.event_threshold == 0.01);
  CHECK(readout.period_ticks == 20);
  REQUIRE(readout.weights.has_value());
  const auto& weights = std::get<Matrix>(*readout.weights);
  CHECK(weights.rows == 2);
  CHECK(weights.cols == 8);  // fan-in = the decoder's width = exc's size
  CHECK(weights.values[4] == -0.5);   // row 0, column 4
  CHECK(weights.values[8] == -0.5);   // row 1, column 0

  CHECK(net.outputs == std::vector<NodePort>{{"readout", ""}});
  REQUIRE(net.probes.size() == 3);
  CHECK(net.probes[1].units == std::vector<std::int64_t>{0, 1, 2});
  CHECK(net.probes[2].every_ticks == 20);
  CHECK_FALSE(net.environment.has_value());
}

TEST_CASE("network file: relative paths resolve against the file's folder", "[io][network]") {
  const TempDir dir("relative");
  dir.write("nets/weights/readout.h5", "");  // only existence is checked at parse time
  dir.write("nets/chips/mine.yaml", "");
  dir.write("nets/net.yaml", R"(
simulation: {chip: chips/mine.yaml}
populations:
  exc: {model: lif, size: 4}
layers:
  readout:
    inputs: [exc]
    size: 2
    weights: {file: weights/readout.h5, group: readout}
)");
  // The working directory is not nets/, so a path resolved against it would not exist.
  const NetworkDescription net = load_network(dir.path / "nets/net.yaml");
  const auto& ref = std::get<Hdf5Ref>(*net.layers[0].weights);
  CHECK(std::filesystem::equivalent(ref.file, dir.path / "nets/weights/readout.h5"));
  CHECK(ref.file.is_absolute());
  CHECK(ref.group == "readout");
  CHECK(std::filesystem::equivalent(net.simulation.chip, dir.path / "nets/chips/mine.yaml"));

  // The resolved dump carries absolute paths, so it reloads from anywhere.
  const NetworkDescription again = parse_network_text(net.resolved_yaml, "dump", "/nonexistent");
  CHECK(std::get<Hdf5Ref>(*again.layers[0].weights).file == ref.file);
}

TEST_CASE("network file: the resolved-config dump reloads to the same description", "[io][network]") {
  const std::vector<Override> overrides = {parse_override("simulation.seed=7"),
                                           parse_override("populations.exc.parameters.tau_m_ms=12.5")};
  const NetworkDescription first = load_network(example, overrides);
  NetworkDescription second = parse_network_text(first.resolved_yaml, "dump.yaml", "/");
  CHECK(second.simulation.seed == 7U);
  CHECK(second.populations[0].parameters.at("tau_m_ms") == ParameterValue{12.5});
  CHECK(second.resolved_yaml == first.resolved_yaml);  // dumping is idempotent
  second.source = first.source;
  CHECK(second == first);
}

TEST_CASE("network file: zero-latency chains without a cycle and cycles with latency are accepted",
          "[io][network]") {
  const std::string text = R"(
populations:
  exc: {model: lif, size: 4}
bridge:
  decode: {kind: rate_decoder, input: exc}
  encode: {kind: poisson_encoder, input: control}
layers:
  control: {inputs: [decode], size: 4}
wires:
  - {from: encode.spikes, to: exc.input, latency_ms: 1.0}
)";
  const NetworkDescription net = parse_network_text(text, "loop.yaml", ".");
  CHECK(net.wires[0].latency_ticks == 1);
  CHECK(net.bridge[0].size == 0);  // defaults to the input's width at lowering
  CHECK(net.wires[0].from == NodePort{"encode", "spikes"});
}

TEST_CASE("network file: explicit pairs and per-synapse weights must agree", "[io][network]") {
  const std::string base = R"(
populations:
  a: {model: lif, size: 3}
  b: {model: lif, size: 2}
projections:
  ab: {from: a, to: b, rule: explicit, pairs: [[0, 1], [2, 0]], weight: )";
  const NetworkDescription net = parse_network_text(base + "[0.5, -0.5]}\n", "pairs.yaml", ".");
  CHECK(net.projections[0].pairs == std::vector<std::pair<std::int64_t, std::int64_t>>{{0, 1}, {2, 0}});
  REQUIRE_THROWS_WITH(parse_network_text(base + "[0.5]}\n", "pairs.yaml", "."),
                      Catch::Contains("projections.ab.weight: needs 2 values"));
}

TEST_CASE("network file: sizes that fit one by one but not together are refused", "[io][network]") {
  const std::string text = R"(
populations:
  a: {model: lif, size: 600000000}
  b: {model: lif, size: 600000000}
)";
  REQUIRE_THROWS_WITH(parse_network_text(text, "big.yaml", "."),
                      Catch::StartsWith("big.yaml:4:") && Catch::Contains("populations.b.size") &&
                          Catch::Contains("1200000000 units"));
}

TEST_CASE("network file: --set gives a population without parameters its model's parameter", "[io][overrides]") {
  const TempDir dir("set_parameters");
  dir.write("net.yaml", "simulation: {dt_ms: 1.0, ticks: 10}\npopulations:\n  cells: {model: lif, size: 3}\n");
  const auto net = load_network(dir.path / "net.yaml", {parse_override("populations.cells.parameters.rest_tolerance_mv=0.01")});
  CHECK(net.populations[0].parameters.at("rest_tolerance_mv") == ParameterValue{0.01});
  REQUIRE_THROWS_WITH(load_network(dir.path / "net.yaml", {parse_override("populations.cells.parameters.tau_syn_ms=5")}),
                      Catch::Contains("unknown path"));
}

TEST_CASE("network file: inline lists above 20,000 entries get advice naming the key and the HDF5 form", "[io][network]") {
  NetworkDescription network;
  network.source = "net.yaml";
  ProjectionDescription small;
  small.name = "small";
  small.pairs.assign(large_inline_list, {0, 0});
  ProjectionDescription big;
  big.name = "big";
  big.pairs.assign(large_inline_list + 1, {0, 0});
  big.weight = std::vector<double>(large_inline_list + 1, 0.5);
  network.projections = {small, big};
  const auto advice = large_inline_list_advice(network);
  REQUIRE(advice.size() == 2);
  CHECK_THAT(advice[0], Catch::StartsWith("net.yaml: projections.big.pairs has 20001 entries inline") &&
                            Catch::Contains("{file: syn.h5, dataset: /pairs}"));
  CHECK_THAT(advice[1], Catch::Contains("projections.big.weight"));
  network.projections = {small};
  CHECK(large_inline_list_advice(network).empty());
}

TEST_CASE("network file: placement pins nodes to cores; bad entries name the key", "[io][network][placement]") {
  const std::string base = R"(
populations:
  exc: {model: lif, size: 4}
projections:
  ee: {from: exc, to: exc, rule: one_to_one, weight: 1.0}
)";
  const NetworkDescription net = parse_network_text(base + "placement: {exc: [5, 2]}\n", "net.yaml", "/");
  CHECK(net.placement.at("exc") == std::vector<std::size_t>{5, 2});
  const auto error_of = [&](const std::string& placement) {
    try {
      parse_network_text(base + placement, "net.yaml", "/");
    } catch (const InputError& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  CHECK_THAT(error_of("placement: {inh: [0]}\n"), Catch::Contains("placement.inh") && Catch::Contains("no input, population"));
  CHECK_THAT(error_of("placement: {ee: [0]}\n"), Catch::Contains("placement.ee") && Catch::Contains("target population"));
  CHECK_THAT(error_of("placement: {exc: []}\n"), Catch::Contains("placement.exc") && Catch::Contains("at least one core"));
  CHECK_THAT(error_of("placement: {exc: [1, -2]}\n"), Catch::Contains("placement.exc") && Catch::Contains(">= 0"));
  CHECK_THAT(error_of("placement: {exc: [1, 1]}\n"), Catch::Contains("named twice"));
  CHECK_THAT(error_of("placement: {exc: 3}\n"), Catch::Contains("placement.exc"));
}
