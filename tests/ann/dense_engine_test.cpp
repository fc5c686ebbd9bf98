#include <catch2/catch.hpp>

#include "ann/dense_engine.hpp"
#include "ann/graph_quantization.hpp"
#include "core/error.hpp"
#include "core/memory_recorder.hpp"
#include "core/simulation.hpp"
#include "tests/support/relay_engine.hpp"
#include "tests/ann/ann_test_support.hpp"

using namespace tandem;
using namespace tandem::ann;
using Catch::Matchers::Contains;

namespace {

// 3 outputs x 4 inputs, all weights 1, bias (0, -10, 0), ReLU: for input (1, 0, 0, 2)
// the outputs are (3, 0, 3).
LayerGraph counting_graph(EventKind kind) {
  DenseLayerSpec layer = make_dense_layer("L", {"in"}, 3, 4, std::vector<float>(12, 1.0f), {0.0f, -10.0f, 0.0f},
                                          Activation{ActivationKind::relu});
  layer.event_kind = kind;
  return sequential("in", 4, {layer});
}

Eigen::VectorXf vec(std::initializer_list<float> values) {
  Eigen::VectorXf v(static_cast<Eigen::Index>(values.size()));
  Eigen::Index i = 0;
  for (const float value : values) v[i++] = value;
  return v;
}

}  // namespace

TEST_CASE("dense engine: ports, nodes and counter structure", "[ann][engine]") {
  RandomStream random(2);
  LayerGraph graph;
  graph.add_input("obs", 6);
  graph.add_layer(testing::random_layer("h", {"obs"}, 5, 6, random));
  graph.add_layer(testing::random_layer("pi", {"h"}, 2, 5, random));
  graph.add_layer(testing::random_layer("v", {"h"}, 1, 5, random));
  DenseEngine engine("ann", std::move(graph));
  const auto ports = engine.ports();
  REQUIRE(ports.size() == 3);
  CHECK(ports[0].name == "obs");
  CHECK(ports[0].direction == PortDirection::in);
  CHECK(ports[0].width == 6);
  CHECK(ports[1].name == "pi.out");
  CHECK(ports[1].width == 2);
  CHECK(ports[1].node == "pi");
  CHECK(ports[2].name == "v.out");
  const auto counters = engine.counters();
  REQUIRE(counters.size() == 4);
  CHECK(counters[0].kind == NodeKind::input);
  CHECK(counters[0].targets == std::vector<std::string>{"h"});
  CHECK(counters[1].node == "h");
  CHECK(counters[1].kind == NodeKind::dense);
  CHECK(counters[1].units == 5);
  CHECK(counters[1].fan_in == 6);
  CHECK(counters[1].synapse_memory_bytes == (5 * 6 + 5) * 4);
  CHECK(counters[1].targets == std::vector<std::string>{"pi", "v"});
}

TEST_CASE("dense engine: counters on a hand-countable layer, zero-skip and delta", "[ann][engine][counters]") {
  const std::vector<Eigen::VectorXf> inputs = {vec({1, 0, 0, 2}), vec({1, 0, 0, 2}), vec({1, 0, 0, 3})};
  SECTION("zero-skip") {
    DenseEngine engine("ann", counting_graph(EventKind::zero_skip));
    engine.reset(testing::context(ExecutionMode::event));
    const auto frames = testing::drive(engine, inputs, 0, 1);
    REQUIRE(frames.size() == 3);
    CHECK(frames[0].values == vec({3, 0, 3}));
    CHECK(frames[2].values == vec({4, 0, 4}));
    const NodeCounters& node = engine.counters()[1];
    // Every run: 2 non-zero inputs x 3 outputs = 6 MACs, 3 activations, 2 outputs non-zero.
    CHECK(node.executed[Op::mac] == 18);
    CHECK(node.executed[Op::input_event] == 6);
    CHECK(node.executed[Op::activation] == 9);
    CHECK(node.executed[Op::spike] == 6);
    CHECK(node.executed[Op::memory_byte_read] == 18 * 4);
    CHECK(node.always_on[Op::mac] == 36);
    CHECK(node.always_on[Op::input_event] == 12);
    CHECK(node.always_on[Op::spike] == 9);
    CHECK(node.always_on[Op::memory_byte_read] == 36 * 4);
    const DenseSummary summary = summarize_dense(engine.counters());
    CHECK(summary.effective_macs == 18);
    CHECK(summary.dense_macs == 36);
    CHECK(summary.activation_sparsity == Approx(0.5));
    CHECK(summary.footprint_bytes == (12 + 3) * 4);
  }
  SECTION("delta") {
    DenseEngine engine("ann", counting_graph(EventKind::delta));
    engine.reset(testing::context(ExecutionMode::event));
    const auto frames = testing::drive(engine, inputs, 0, 1);
    REQUIRE(frames.size() == 3);
    CHECK(frames[2].values == vec({4, 0, 4}));
    const NodeCounters& node = engine.counters()[1];
    // Run 1: 2 changes (6 MACs), 2 outputs change; run 2: nothing; run 3: 1 change (3 MACs), 2 outputs change.
    CHECK(node.executed[Op::mac] == 9);
    CHECK(node.executed[Op::input_event] == 3);
    CHECK(node.executed[Op::spike] == 4);
    CHECK(node.executed[Op::activation] == 9);
    CHECK(node.always_on[Op::mac] == 36);
  }
  SECTION("always-on mode executes what event mode reports as always-on") {
    DenseEngine event("ann", counting_graph(EventKind::delta));
    event.reset(testing::context(ExecutionMode::event));
    testing::drive(event, inputs, 0, 1);
    DenseEngine always("ann", counting_graph(EventKind::delta));
    always.reset(testing::context(ExecutionMode::always_on));
    testing::drive(always, inputs, 0, 1);
    CHECK(always.counters()[1].executed == event.counters()[1].always_on);
    CHECK(always.counters()[1].always_on == event.counters()[1].always_on);
  }
}

TEST_CASE("dense engine: a layer of period k runs at t % k == phase and holds its input", "[ann][engine][period]") {
  DenseLayerSpec first = make_dense_layer("first", {"in"}, 1, 1, {1.0f}, {0.0f});
  DenseLayerSpec slow = make_dense_layer("slow", {"first"}, 1, 1, {2.0f}, {0.0f});
  slow.period_ticks = 3;
  slow.phase_ticks = 1;
  DenseEngine engine("ann", sequential("in", 1, {first, slow}));
  engine.reset(testing::context(ExecutionMode::event));
  // A frame every tick with value = tick; port 1 is slow.out.
  std::vector<Eigen::VectorXf> inputs;
  for (int t = 0; t < 10; ++t) inputs.push_back(vec({static_cast<float>(t)}));
  const auto frames = testing::drive(engine, inputs, 0, 1);
  REQUIRE(frames.size() == 3);
  CHECK(frames[0].tick == 1);
  CHECK(frames[1].tick == 4);
  CHECK(frames[2].tick == 7);
  // 'first' ran at the same tick before 'slow', so slow sees the value that arrived at t.
  CHECK(frames[1].values[0] == 8.0f);
  CHECK(engine.counters()[2].always_on[Op::activation] == 3);
  CHECK(engine.counters()[1].always_on[Op::activation] == 10);
}

TEST_CASE("dense engine: a frame sets the input from its tick on", "[ann][engine]") {
  DenseEngine engine("ann", sequential("in", 1, {make_dense_layer("id", {"in"}, 1, 1, {1.0f}, {0.0f})}));
  engine.reset(testing::context(ExecutionMode::event));
  Mailbox inbox(2);
  Mailbox outbox(2);
  inbox.port(0).frames.push_back(DenseFrame{3, vec({5.0f})});
  engine.advance(Epoch{0, 6}, inbox, outbox);
  const auto& frames = outbox.port(1).frames;
  REQUIRE(frames.size() == 6);
  CHECK(frames[2].values[0] == 0.0f);
  CHECK(frames[3].values[0] == 5.0f);
  CHECK(frames[5].values[0] == 5.0f);
  Mailbox bad(2);
  bad.port(0).frames.push_back(DenseFrame{6, vec({1.0f, 2.0f})});
  CHECK_THROWS_WITH(engine.advance(Epoch{6, 7}, bad, outbox), Contains("input 'in'") && Contains("tick 6"));
}

TEST_CASE("dense engine: probes record activations with ticks into the recorder", "[ann][engine][probe]") {
  DenseEngine engine("ann", counting_graph(EventKind::zero_skip));
  MemoryRecorder recorder;
  CHECK_FALSE(engine.enroll_probe(Probe{"other", "activations", {}, 1}, recorder));
  CHECK_THROWS_WITH(engine.enroll_probe(Probe{"L", "v", {}, 1}, recorder), Contains("no variable 'v'"));
  CHECK_THROWS_WITH(engine.enroll_probe(Probe{"L", "activations", {7}, 1}, recorder), Contains("unit 7"));
  REQUIRE(engine.enroll_probe(Probe{"L", "activations", {0, 1}, 2}, recorder));
  engine.reset(testing::context(ExecutionMode::event));
  testing::drive(engine, {vec({1, 0, 0, 2}), vec({1, 0, 0, 2}), vec({1, 0, 0, 3})}, 0, 1);
  engine.record(recorder);
  const auto& values = recorder.stream("/ann/L/activations");
  CHECK(values.spec.columns == 2);
  CHECK(values.spec.attributes.at("every_ticks") == "2");
  CHECK(values.spec.attributes.at("units") == "0,1");
  CHECK(values.values == std::vector<double>{3, 0, 4, 0});  // ticks 0 and 2
  CHECK(recorder.stream("/ann/L/tick").values == std::vector<double>{0, 2});
}

TEST_CASE("dense engine: fixed point needs quantised layers", "[ann][engine][fixed]") {
  CHECK_THROWS_WITH(DenseEngine("ann", counting_graph(EventKind::zero_skip), DenseEngineOptions{Precision::fixed}),
                    Contains("layer 'L'") && Contains("quantised"));
}

TEST_CASE("dense engine: runs inside a Simulation, wired and probed like any engine", "[ann][engine][simulation]") {
  // relay.dense_out -> ann.in -> layer 'id' -> ann.id.out -> relay.dense_in (a loop of frames).
  Simulation sim(SimulationSettings{});
  auto& relay = sim.add_engine(std::make_unique<testing::RelayEngine>("relay", 1));
  sim.add(std::make_unique<DenseEngine>("ann", sequential("in", 1, {make_dense_layer("id", {"in"}, 1, 1, {2.0f}, {0.0f})})));
  sim.connect(Wire{{"relay", "dense_out"}, {"ann", "in"}, 1});
  sim.connect(Wire{{"ann", "id.out"}, {"relay", "dense_in"}, 1});
  MemoryRecorder recorder;
  sim.set_recorder(&recorder);
  sim.add_probe(Probe{"id", "activations", {}, 1});
  CHECK_THROWS_AS(sim.add_probe(Probe{"nope", "activations", {}, 1}), InputError);
  sim.build();
  sim.run(5);
  // A closed loop with nothing put in: the layer sees zeros, runs every tick, is probed every tick.
  const auto& ticks = recorder.stream("/ann/id/tick");
  CHECK(ticks.values == std::vector<double>{0, 1, 2, 3, 4});
  CHECK(recorder.stream("/ann/id/activations").values == std::vector<double>(5, 0.0));
  // Frames emitted at t arrive at the relay at t + 1: ticks 1 … 4 within 5 ticks.
  REQUIRE(relay.received_frames.size() == 4);
  CHECK(relay.received_frames.front().tick == 1);
  CHECK(sim.counters().size() == 3);  // relay, the input node, the layer
}
