// NIR graphs included in network files (`subnetworks:`): wired through their Input and Output
// nodes, they spike exactly as the same graph run on its own (`tandem run model.nir`) does with
// the same input one tick later (the wire's latency); event and always-on agree; names, probes
// and every wrong reference are checked with messages naming the key and the NIR node.
#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>

#include "core/error.hpp"
#include "core/memory_recorder.hpp"
#include "core/random.hpp"
#include "io/network_builder.hpp"
#include "io/network_file.hpp"
#include "io/nir_import.hpp"
#include "tests/io/nir_fixture.hpp"

using namespace tandem;
using namespace tandem::io;

namespace {

const std::filesystem::path data_dir = std::filesystem::path(TANDEM_SOURCE_DIR) / "tests/data/nir";

// Seeded input events: unit k fires at tick t with probability p, as (tick, unit) pairs and as a
// table [ticks x width] for the direct import.
struct Events {
  std::vector<std::vector<double>> times_ms;  // per unit
  std::vector<double> table;
};
Events random_events(std::size_t width, std::size_t ticks, double p, double dt_ms, std::uint64_t seed) {
  RandomStream random(seed);
  Events events{std::vector<std::vector<double>>(width), std::vector<double>(width * ticks, 0.0)};
  for (std::size_t t = 0; t < ticks; ++t) {
    for (std::size_t k = 0; k < width; ++k) {
      if (random.uniform() < p) {
        events.times_ms[k].push_back(static_cast<double>(t) * dt_ms);
        events.table[t * width + k] = 1.0;
      }
    }
  }
  return events;
}

std::string times_yaml(const Events& events) {
  std::ostringstream out;
  out << "[";
  for (std::size_t k = 0; k < events.times_ms.size(); ++k) {
    out << (k == 0 ? "[" : ", [");
    for (std::size_t i = 0; i < events.times_ms[k].size(); ++i) out << (i == 0 ? "" : ", ") << events.times_ms[k][i];
    out << "]";
  }
  out << "]";
  return out.str();
}

struct Recorded {
  std::vector<double> ticks;
  std::vector<double> indices;
};

std::map<std::string, Recorded> run_file(const std::string& yaml, Tick ticks, const std::vector<std::string>& nodes,
                                         ExecutionMode mode = ExecutionMode::event) {
  const auto network = parse_network_text(yaml, "net.yaml", data_dir);
  auto built = build_network(network, {.mode = mode});
  MemoryRecorder recorder;
  built.simulation->set_recorder(&recorder);
  for (const auto& node : nodes) built.simulation->add_probe(Probe{node, "spikes", {}, 1});
  built.simulation->run(ticks);
  built.simulation->set_recorder(nullptr);
  std::map<std::string, Recorded> out;
  for (const auto& node : nodes) {
    out[node] = {recorder.stream("/snn/" + node + "/spikes/tick").values, recorder.stream("/snn/" + node + "/spikes/index").values};
  }
  return out;
}

std::string build_error(const std::string& yaml) {
  try {
    const auto network = parse_network_text(yaml, "net.yaml", data_dir);
    build_network(network);
  } catch (const InputError& error) {
    return error.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("subnetworks: the NIR paper's CNN wired into a network file spikes as the graph run on its own",
          "[io][nir][subnetwork]") {
  // Direct: the Input node replays the table at tick t. In the file: a spike_times input fires at
  // tick t, the wire (1 tick) brings it to the relay of cnn.input at t + 1.
  const std::size_t ticks = 30;
  const Events events = random_events(2 * 34 * 34, ticks, 0.15, 1000.0, 5);
  auto direct = import_nir(data_dir / "cnn_sinabs.nir", {.dt_ms = 1000.0});
  direct.set_input("input", events.table);
  MemoryRecorder recorder;
  direct.simulation->set_recorder(&recorder);
  const std::vector<std::string> layers = {"1", "3", "6", "12"};
  for (const auto& node : layers) direct.simulation->add_probe(Probe{node, "spikes", {}, 1});
  direct.simulation->run(static_cast<Tick>(ticks));
  direct.simulation->set_recorder(nullptr);

  const std::string yaml = "simulation: {dt_ms: 1000, seed: 1}\n"
                           "inputs:\n  events: {kind: spike_times, size: 2312, times_ms: " + times_yaml(events) + "}\n"
                           "subnetworks:\n  cnn: {nir: cnn_sinabs.nir}\n"
                           "wires:\n  - {from: events, to: cnn.input}\n";
  std::vector<std::string> nodes;
  for (const auto& node : layers) nodes.push_back("cnn." + node);
  for (const ExecutionMode mode : {ExecutionMode::event, ExecutionMode::always_on}) {
    CAPTURE(mode == ExecutionMode::event);
    const auto in_file = run_file(yaml, static_cast<Tick>(ticks + 1), nodes, mode);
    std::size_t spikes = 0;
    for (const auto& node : layers) {
      CAPTURE(node);
      const auto& expected_ticks = recorder.stream("/snn/" + node + "/spikes/tick").values;
      std::vector<double> shifted;
      for (const double t : expected_ticks) shifted.push_back(t + 1.0);
      CHECK(in_file.at("cnn." + node).ticks == shifted);
      CHECK(in_file.at("cnn." + node).indices == recorder.stream("/snn/" + node + "/spikes/index").values);
      spikes += expected_ticks.size();
    }
    CHECK(spikes > 100);
  }
}

TEST_CASE("subnetworks: an Output feeds a bridge decoder and a dense layer; a population feeds an Input",
          "[io][nir][subnetwork]") {
  // Hybrid wiring: poisson -> lif population -> (wire) -> cnn.input; cnn (its only Output) -> rate
  // decoder -> dense layer. It builds, runs, and the decoder sees the CNN's output spikes.
  const std::string yaml = R"(
simulation: {dt_ms: 1000, seed: 2}
inputs:
  noise: {kind: poisson, size: 2312, rate_hz: 0.2}
populations:
  retina: {model: if, size: 2312, parameters: {v_threshold_mv: 0.5}}
projections:
  drive: {from: noise, to: retina, rule: one_to_one, weight: 1.0}
subnetworks:
  cnn: {nir: cnn_sinabs.nir, reset: subtract}
bridge:
  votes: {kind: rate_decoder, input: cnn, window_ticks: 5}
layers:
  head: {inputs: [votes], size: 2, weights: 0.5}
wires:
  - {from: retina, to: cnn.input}
)";
  const auto recorded = run_file(yaml, 40, {"retina", "cnn.12"});
  CHECK(recorded.at("retina").ticks.size() > 1000);
  CHECK(!recorded.at("cnn.12").ticks.empty());
}

TEST_CASE("subnetworks: wrong references are refused naming the key and the NIR nodes", "[io][nir][subnetwork][errors]") {
  const std::string head = "simulation: {dt_ms: 1000}\ninputs:\n  events: {kind: poisson, size: 2312, rate_hz: 0.1}\n"
                           "subnetworks:\n  cnn: {nir: cnn_sinabs.nir}\n";
  CHECK_THAT(build_error(head + "wires:\n  - {from: events, to: cnn.pixels}\n"),
             Catch::Contains("wires.0.to") && Catch::Contains("no Input node 'pixels'") && Catch::Contains("'input'"));
  CHECK_THAT(build_error(head + "wires:\n  - {from: cnn.logits, to: events}\n"),
             Catch::Contains("wires.0.from") && Catch::Contains("no Output node 'logits'"));
  CHECK_THAT(build_error(head + "probes:\n  - {node: cnn.4, variable: v}\n"),
             Catch::Contains("probes.0.node") && Catch::Contains("no population 'cnn.4'") && Catch::Contains("cnn.3"));
  CHECK_THAT(build_error(head + "populations:\n  p: {model: lif, size: 10}\nprojections:\n  x: {from: cnn, to: p}\n"),
             Catch::Contains("projections.x") && Catch::Contains("Input and Output nodes"));
  CHECK_THAT(build_error("subnetworks:\n  cnn: {nir: missing.nir}\n"), Catch::Contains("subnetworks.cnn.nir") && Catch::Contains("missing.nir"));
  CHECK_THAT(build_error("subnetworks:\n  cnn: {nir: cnn_sinabs.nir, precision: fixed}\n"),
             Catch::Contains("subnetworks.cnn") && Catch::Contains("fixed"));
  CHECK_THAT(build_error("subnetworks:\n  cnn: {nir: cnn_sinabs.nir, reset: never}\n"), Catch::Contains("subnetworks.cnn.reset"));
  // A graded Output (LI) cannot travel over a wire.
  using tandem::testing::NirArray;
  tandem::testing::NirGraphSpec li;
  li.nodes = {{"in", {"Input", {{"shape", NirArray{{3.0}, {}}}}}},
              {"x", {"LI", {{"tau", NirArray{{0.002}, {}}}, {"r", NirArray{{1.0}, {}}}, {"v_leak", NirArray{{0.0}, {}}}}}},
              {"out", {"Output", {}}}};
  li.edges = {{"in", "x"}, {"x", "out"}};
  const auto path = (std::filesystem::path(TANDEM_BINARY_DIR) / "nir_subnetwork_li.nir").string();
  tandem::testing::write_nir(path, li);
  CHECK_THAT(build_error("simulation: {dt_ms: 0.1}\nsubnetworks:\n  leaky: {nir: " + path + "}\n"
                         "populations:\n  p: {model: lif, size: 3}\nwires:\n  - {from: leaky.out, to: p}\n"),
             Catch::Contains("wires.0.from") && Catch::Contains("graded"));
  CHECK(build_error("simulation: {dt_ms: 0.1}\nsubnetworks:\n  leaky: {nir: " + path + "}\n"
                    "probes:\n  - {node: leaky.x, variable: v}\n") == "(no error)");
}
