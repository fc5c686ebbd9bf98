#include <catch2/catch.hpp>
#include <cmath>
#include <memory>

#include "core/chip_presets.hpp"
#include "core/core_mapping.hpp"
#include "core/error.hpp"
#include "core/simulation.hpp"
#include "neurons/event_engine.hpp"
#include "neurons/lif.hpp"
#include "tests/energy/mapping_test_nodes.hpp"
#include "tests/energy/test_chip.hpp"

using namespace tandem;
using testing::chip;
using testing::node;

TEST_CASE("mapping: a population larger than a core is split across cores in order", "[energy][mapping]") {
  const CoreMapping mapping({node("big", NodeKind::spiking, 10)}, {}, chip(2, 2, 4));
  REQUIRE(mapping.cores_used() == 3);
  CHECK(mapping.cores()[0].neurons == 4);
  CHECK(mapping.cores()[1].neurons == 4);
  CHECK(mapping.cores()[2].neurons == 2);
  CHECK(mapping.cores()[2].x == 0);  // row-major: core 2 of a 2-wide mesh is (0, 1)
  CHECK(mapping.cores()[2].y == 1);
  CHECK(mapping.core_share(0) == Approx(3.0));
  CHECK(mapping.utilisation().neurons_mean == Approx(10.0 / 12.0));
  CHECK(mapping.utilisation().neurons_max == Approx(1.0));
}

TEST_CASE("mapping: synapse memory and fan-in limit what a core holds", "[energy][mapping]") {
  // 600 bytes per unit: only one unit fits a 1000-byte core.
  const CoreMapping by_memory({node("heavy", NodeKind::spiking, 3, 1, 1800)}, {}, chip(4, 1, 4));
  CHECK(by_memory.cores_used() == 3);
  // Fan-in 20 on 8-axon cores: 3 input slices of the same 2 units.
  const CoreMapping by_fan_in({node("wide", NodeKind::spiking, 2, 20)}, {}, chip(4, 1, 4));
  REQUIRE(by_fan_in.cores_used() == 3);
  CHECK(by_fan_in.cores()[0].fan_in == 7);  // ceil(20 / 3)
  CHECK(by_fan_in.cores()[1].neurons == 2);
}

TEST_CASE("mapping: small nodes share a core; projections live on their target", "[energy][mapping]") {
  auto input = node("in", NodeKind::input, 2);
  input.targets = {"proj"};
  auto projection = node("proj", NodeKind::projection, 0, 2, 16);
  projection.targets = {"pop"};
  const auto pop = node("pop", NodeKind::spiking, 2);
  const CoreMapping mapping({input, projection, pop}, {{"in", "proj"}, {"proj", "pop"}}, chip(2, 2, 4));
  REQUIRE(mapping.cores_used() == 1);
  CHECK(mapping.cores()[0].neurons == 4);
  CHECK(mapping.cores()[0].fan_in == 2);
  CHECK(mapping.cores()[0].synapse_memory_bytes == 16);
  CHECK(mapping.core_share(0) == Approx(0.5));
  CHECK(mapping.core_share(1) == 0.0);
  // Same core: one packet per event, no hops.
  const RouteCounts route = mapping.route(0, 5);
  CHECK(route.packets == 5);
  CHECK(route.hops() == 0);
}

TEST_CASE("mapping: a network larger than the chip is an error unless chips are tiled", "[energy][mapping]") {
  const std::vector<NodeCounters> nodes{node("huge", NodeKind::spiking, 20)};
  CHECK_THROWS_WITH(CoreMapping(nodes, {}, chip(2, 2, 4)),
                    Catch::Contains("does not fit on 4 cores") && Catch::Contains("huge"));
  const CoreMapping board(nodes, {}, chip(2, 2, 4), BoardLayout{2, 1});
  CHECK(board.cores_used() == 5);
  CHECK(board.cores_available() == 8);
  CHECK(board.cores()[4].chip_x == 1);
  CHECK(board.cores()[4].x == 2);  // first core of the second chip
}

TEST_CASE("mapping: a node needs cores of its mode", "[energy][mapping]") {
  ChipModel snn_only = chip(2, 2, 4);
  snn_only.core.ann = false;
  CHECK_THROWS_WITH(CoreMapping({node("layer", NodeKind::dense, 2)}, {}, snn_only),
                    Catch::Contains("layer") && Catch::Contains("ann"));
  // A dense layer does not share an snn core.
  const CoreMapping mixed({node("pop", NodeKind::spiking, 1), node("layer", NodeKind::dense, 1)}, {}, chip(2, 2, 4));
  CHECK(mixed.cores_used() == 2);
  // On a chip whose cores run both at once (a conventional processor), they share one core,
  // so a hybrid network fits on a single-core chip.
  ChipModel processor = chip(1, 1, 4);
  CHECK_THROWS_WITH(CoreMapping({node("pop", NodeKind::spiking, 1), node("layer", NodeKind::dense, 1)}, {}, processor),
                    Catch::Contains("does not fit"));
  processor.core.mixed_modes = true;
  const CoreMapping shared({node("pop", NodeKind::spiking, 1), node("layer", NodeKind::dense, 1)}, {}, processor);
  CHECK(shared.cores_used() == 1);
}

TEST_CASE("chip: mixed_modes is an optional true/false key", "[energy][chip]") {
  std::string text = testing::test_chip_yaml();
  CHECK_FALSE(parse_chip_text(text, "plain.yaml").core.mixed_modes);
  const std::string modes = "modes: [snn, ann]";
  const std::string mixed = text.replace(text.find(modes), modes.size(), modes + ", mixed_modes: true");
  CHECK(parse_chip_text(mixed, "mixed.yaml").core.mixed_modes);
  std::string bad = testing::test_chip_yaml();
  bad.replace(bad.find(modes), modes.size(), modes + ", mixed_modes: sometimes");
  CHECK_THROWS_WITH(parse_chip_text(bad, "bad.yaml"), Catch::Contains("bad.yaml") && Catch::Contains("mixed_modes"));
  for (const char* name : {"cpu", "gpu", "arm"}) CHECK(load_chip(name).core.mixed_modes);
  CHECK_FALSE(load_chip("tianjic").core.mixed_modes);
}

TEST_CASE("mapping: XY hops on a known layout, split by direction and chip boundary", "[energy][mapping]") {
  // 2 x 2 mesh, one neuron per core: a -> (0,0), b -> (1,0), c -> (0,1), d -> (1,1).
  const std::vector<NodeCounters> nodes{node("a", NodeKind::spiking, 1), node("b", NodeKind::spiking, 1),
                                        node("c", NodeKind::spiking, 1), node("d", NodeKind::spiking, 1)};
  const CoreMapping mapping(nodes, {{"a", "d"}, {"a", "b"}, {"b", "c"}}, chip(2, 2, 1));
  const RouteCounts a = mapping.route(0, 10);  // to d: 1 E-W + 1 N-S; to b: 1 E-W
  CHECK(a.packets == 20);
  CHECK(a.hops_east_west == 20);
  CHECK(a.hops_north_south == 10);
  const RouteCounts b = mapping.route(1, 3);  // (1,0) -> (0,1)
  CHECK(b == RouteCounts{3, 3, 3, 0});
  CHECK(mapping.route(3, 7) == RouteCounts{});  // d has no targets

  // Two 2 x 1 chips side by side: a (0,0) -> c (2,0) crosses one chip boundary.
  const CoreMapping board({nodes[0], nodes[1], nodes[2]}, {{"a", "c"}}, chip(2, 1, 1), BoardLayout{2, 1});
  CHECK(board.route(0, 4) == RouteCounts{.packets = 4, .hops_east_west = 4, .hops_inter_chip = 4, .inter_chip_packets = 4});
}

TEST_CASE("mapping: a split source weights hops by the units on each core", "[energy][mapping]") {
  // 4 x 1 mesh, 2 neurons per core: s on cores 0 (2 units) and 1 (1 unit); d on core 2.
  const CoreMapping mapping({node("s", NodeKind::spiking, 3), node("d", NodeKind::spiking, 2)}, {{"s", "d"}},
                            chip(4, 1, 2));
  // Hops per event = (2 units × 2 hops + 1 unit × 1 hop) / 3 units; 3 events -> 5 hops.
  CHECK(mapping.route(0, 3) == RouteCounts{3, 5, 0, 0});
}

TEST_CASE("mapping: traffic naming an unknown node is an error", "[energy][mapping]") {
  CHECK_THROWS_WITH(CoreMapping({node("a", NodeKind::spiking, 1)}, {{"a", "ghost"}}, chip(2, 2, 4)),
                    Catch::Contains("ghost"));
}

namespace {

// An engine with one node and one spike port that names the node.
class OneNodeEngine : public Engine {
 public:
  OneNodeEngine(std::string name, std::string node_name, PortDirection direction, std::vector<std::string> targets)
      : name_(std::move(name)) {
    ports_ = {PortSpec{"port", PortKind::spikes, direction, 1, node_name}};
    NodeCounters counters;
    counters.node = std::move(node_name);
    counters.units = 1;
    counters.targets = std::move(targets);
    counters_.push_back(counters);
  }
  std::string_view name() const override { return name_; }
  std::span<const PortSpec> ports() const override { return ports_; }
  void reset(const RunContext&) override {}
  void advance(const Epoch&, const Mailbox&, Mailbox&) override {}
  std::span<const NodeCounters> counters() const override { return counters_; }
  bool enroll_probe(const Probe&, Recorder&) override { return false; }
  void record(Recorder&) override {}

 private:
  std::string name_;
  std::vector<PortSpec> ports_;
  std::vector<NodeCounters> counters_;
};

}  // namespace

TEST_CASE("mapping: traffic edges come from node targets and from wires between port nodes", "[energy][mapping]") {
  Simulation simulation(SimulationSettings{});
  simulation.add(std::make_unique<OneNodeEngine>("a", "src", PortDirection::out, std::vector<std::string>{"dst"}));
  simulation.add(std::make_unique<OneNodeEngine>("b", "dst", PortDirection::in, std::vector<std::string>{}));
  simulation.connect(Wire{{"a", "port"}, {"b", "port"}, 1});
  const auto edges = traffic_edges(simulation);
  REQUIRE(edges.size() == 2);
  CHECK(edges[0].from == "src");  // from the node's targets
  CHECK(edges[0].to == "dst");
  CHECK(edges[1].from == "src");  // from the wire's port nodes
  CHECK(edges[1].to == "dst");
  // Both edges name the same destination core: still one packet per event.
  const CoreMapping mapping(simulation.counters(), edges, chip(2, 2, 1));
  CHECK(mapping.route(0, 2) == RouteCounts{2, 2, 0, 0});
}

TEST_CASE("mapping: a real event-engine network, cores, fan-in and memory counted by hand", "[energy][mapping]") {
  // Spike generator `in` (8 units) and lif populations `a` (6) and `b` (10); every b neuron
  // gets 4 synapses from in and 2 from a (fixed in-degree), so b's fan-in is 6 — not 6 + 4 + 2
  // (each projection's in-degree added again, which split b into two input slices and would
  // not fit this 8-core chip).
  neurons::EventEngine engine("snn", TimeBase{1.0});
  engine.add_spike_generator("in", 8, {});
  engine.add_population<neurons::Lif>("a", 6);
  engine.add_population<neurons::Lif>("b", 10);
  engine.connect({.name = "in_b", .source = "in", .target = "b", .receptor = "v", .rule = neurons::Rule::fixed_in_degree,
                  .in_degree = 4, .weight = 1.0F, .delay_ms = 1.0});
  engine.connect({.name = "a_b", .source = "a", .target = "b", .receptor = "v", .rule = neurons::Rule::fixed_in_degree,
                  .in_degree = 2, .weight = 1.0F, .delay_ms = 1.0});
  engine.reset(RunContext{TimeBase{1.0}, 1, ExecutionMode::event});
  const auto counters = engine.counters();
  const std::vector<NodeCounters> nodes(counters.begin(), counters.end());
  const CoreMapping mapping(nodes, {}, chip(4, 2, 4));  // 8 cores of 4 neurons, 8 axons, 1000 B

  // Synapse memory: 4 bytes per synapse (uniform weight and delay: the target index only) plus
  // 8 bytes per source row start (sources + 1): in_b 40·4 + 9·8 = 232, a_b 20·4 + 7·8 = 136.
  const std::size_t b_memory = 232 + 136;
  // in: 8 units on cores 0–1; a: 6 on cores 2–3; b: 10 units, 36.8 B each, 4 per core on cores 4–6.
  REQUIRE(mapping.cores_used() == 7);
  const std::vector<std::size_t> neurons_per_core{4, 4, 4, 2, 4, 4, 2};
  for (std::size_t core = 0; core < 7; ++core) {
    INFO("core " << core);
    CHECK(mapping.cores()[core].neurons == neurons_per_core[core]);
  }
  for (std::size_t core = 4; core < 7; ++core) {
    CHECK(mapping.cores()[core].fan_in == 6);
    CHECK(mapping.cores()[core].nodes == std::vector<std::string>{"b"});
  }
  const double per_unit = static_cast<double>(b_memory) / 10.0;
  CHECK(mapping.cores()[4].synapse_memory_bytes == static_cast<std::size_t>(std::ceil(4 * per_unit)));
  CHECK(mapping.cores()[6].synapse_memory_bytes == static_cast<std::size_t>(std::ceil(2 * per_unit)));
  CHECK(mapping.cores()[2].fan_in == 0);  // a has no incoming projection
}

TEST_CASE("mapping: balance spreads a node evenly over as many cores as fill uses", "[energy][mapping]") {
  const CoreMapping fill({node("big", NodeKind::spiking, 10)}, {}, chip(2, 2, 4));
  const CoreMapping balance({node("big", NodeKind::spiking, 10)}, {}, chip(2, 2, 4), {}, Placement::balance);
  REQUIRE(fill.cores_used() == 3);
  REQUIRE(balance.cores_used() == 3);
  CHECK(fill.cores()[2].neurons == 2);  // 4, 4, 2
  CHECK(balance.cores()[0].neurons == 4);  // 4, 3, 3
  CHECK(balance.cores()[1].neurons == 3);
  CHECK(balance.cores()[2].neurons == 3);
  CHECK(balance.utilisation().neurons_max == Approx(1.0));
  CHECK(parse_placement("balance") == Placement::balance);
  CHECK_THROWS_WITH(parse_placement("even"), Catch::Contains("fill, balance or min-hops"));
}

TEST_CASE("mapping: pinned nodes go on their named cores, the others around them", "[energy][mapping]") {
  // 3 x 2 mesh, 4 units per core. "a" pinned to cores 4 and 1 (5 units: 3 then 2), "b" free.
  const std::vector<NodeCounters> nodes{node("b", NodeKind::spiking, 4), node("a", NodeKind::spiking, 5),
                                        node("c", NodeKind::spiking, 2)};
  const CoreMapping mapping(nodes, {{"b", "a"}}, chip(3, 2, 4), {}, Placement::fill, {{"a", {4, 1}}});
  REQUIRE(mapping.cores_used() == 4);
  // b takes core 0 (the first free core); a's cores 4 = (1, 1) and 1 = (1, 0); c skips the
  // reserved core 1 and opens core 2 (it does not share a pinned core).
  CHECK(mapping.cores()[0].core == 0);
  CHECK(mapping.cores()[0].nodes == std::vector<std::string>{"b"});
  CHECK(mapping.cores()[1].core == 4);
  CHECK(mapping.cores()[1].x == 1);
  CHECK(mapping.cores()[1].y == 1);
  CHECK(mapping.cores()[1].node_units == std::vector<std::size_t>{3});
  CHECK(mapping.cores()[2].core == 1);
  CHECK(mapping.cores()[2].node_units == std::vector<std::size_t>{2});
  CHECK(mapping.cores()[3].core == 2);
  CHECK(mapping.cores()[3].nodes == std::vector<std::string>{"c"});
  // b -> a: one packet to each of a's two cores; from (0,0) to (1,1): 1 E-W + 1 N-S, to (1,0): 1 E-W.
  const RouteCounts route = mapping.route(0, 1);
  CHECK(route.packets == 2);
  CHECK(route.hops_east_west == 2);
  CHECK(route.hops_north_south == 1);
}

TEST_CASE("mapping: two pinned nodes may share a core that holds both", "[energy][mapping]") {
  const CoreMapping mapping({node("a", NodeKind::spiking, 2), node("b", NodeKind::spiking, 2)}, {}, chip(2, 2, 4), {},
                            Placement::fill, {{"a", {3}}, {"b", {3}}});
  REQUIRE(mapping.cores_used() == 1);
  CHECK(mapping.cores()[0].core == 3);
  CHECK(mapping.cores()[0].neurons == 4);
  CHECK(mapping.core_share(0) == Approx(0.5));  // half the core's units, half its static power
}

TEST_CASE("mapping: impossible pins are refused naming node and core", "[energy][mapping][bad]") {
  const auto error_of = [](const std::vector<NodeCounters>& nodes, const PinnedCores& pinned) {
    try {
      CoreMapping(nodes, {}, chip(2, 2, 4), {}, Placement::fill, pinned);
    } catch (const InputError& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  const std::vector<NodeCounters> two{node("a", NodeKind::spiking, 3), node("d", NodeKind::dense, 2)};
  CHECK_THAT(error_of(two, {{"a", {4}}}), Catch::Contains("node 'a' names core 4") && Catch::Contains("cores 0 to 3"));
  CHECK_THAT(error_of(two, {{"x", {0}}}), Catch::Contains("no node named 'x'"));
  CHECK_THAT(error_of(two, {{"a", {0}}, {"d", {0}}}),
             Catch::Contains("node 'd' on core 0") && Catch::Contains("one mode per core"));
  CHECK_THAT(error_of({node("a", NodeKind::spiking, 6)}, {{"a", {1}}}),
             Catch::Contains("node 'a' on core 1") && Catch::Contains("6 units needed") && Catch::Contains("has 4"));
  CHECK_THAT(error_of({node("a", NodeKind::spiking, 2, 9)}, {{"a", {0}}}), Catch::Contains("input axons"));
  CHECK_THAT(error_of({node("a", NodeKind::spiking, 1)}, {{"a", {0, 1}}}), Catch::Contains("names 2 cores for 1 units"));
}

TEST_CASE("mapping: min-hops places talking nodes next to each other", "[energy][mapping]") {
  // 4 x 2 mesh, one 4-unit node per core. Only a -> b talk; four silent nodes come between them.
  std::vector<NodeCounters> nodes{node("a", NodeKind::spiking, 4)};
  for (const char* silent : {"x1", "x2", "x3", "x4"}) nodes.push_back(node(silent, NodeKind::spiking, 4));
  nodes.push_back(node("b", NodeKind::spiking, 4));
  const std::vector<TrafficEdge> edges{{"a", "b"}};
  const CoreMapping fill(nodes, edges, chip(4, 2, 4));
  const CoreMapping near(nodes, edges, chip(4, 2, 4), {}, Placement::min_hops);
  // fill: a (0,0) ... b on core 5 = (1,1): 2 hops. min-hops: b on core 1 = (1,0) beside a: 1 hop.
  CHECK(fill.route(0, 1).hops() == 2);
  CHECK(near.route(0, 1).hops() == 1);
  CHECK(near.cores_used() == fill.cores_used());
  // A node split over several cores keeps its pieces together around its neighbours: c (12
  // units, 3 cores) after d on a 4 x 4 mesh, d -> c.
  const std::vector<NodeCounters> split{node("d", NodeKind::spiking, 4), node("c", NodeKind::spiking, 12)};
  const CoreMapping spread(split, {{"d", "c"}}, chip(4, 4, 4), {}, Placement::min_hops);
  for (const CoreLoad& load : spread.cores()) CHECK(load.x + load.y <= 2);
  CHECK_THROWS_WITH(parse_placement("nearest"), Catch::Contains("fill, balance or min-hops"));
}

TEST_CASE("mapping: a convolution's feature map is split in whole channels, each core storing its channels' kernel",
          "[energy][mapping][convolution]") {
  // A convolution projection onto 8 channels of 25 units (a 5x5 plane), 8 x 36 = 288 kernel
  // bytes (36 per output channel). Cores of 60 units: 2 whole channels (50 units) per core.
  auto input = node("in", NodeKind::input, 4);
  input.targets = {"conv"};
  auto conv = node("conv", NodeKind::projection, 0, 4, 288);
  conv.weight_block_units = 25;
  conv.targets = {"map"};
  const auto map = node("map", NodeKind::spiking, 200, 0, 0);
  ChipModel model = chip(8, 1, 60);
  model.core.synapse_memory_bytes = 1000;
  const CoreMapping mapping({input, conv, map}, {{"in", "conv"}, {"conv", "map"}}, model);
  REQUIRE(mapping.cores_used() == 5);  // the input shares the first core; 4 cores of 2 channels
  std::size_t map_units = 0;
  for (const auto& core : mapping.cores()) {
    for (std::size_t k = 0; k < core.nodes.size(); ++k) {
      if (core.nodes[k] != "map") continue;
      CHECK(core.node_units[k] == 50);
      map_units += core.node_units[k];
      CHECK(core.synapse_memory_bytes == 72);  // 2 channels x 36 bytes: the kernel is not shared across cores
    }
  }
  CHECK(map_units == 200);
  // Balance keeps whole channels too.
  const CoreMapping balanced({input, conv, map}, {{"in", "conv"}, {"conv", "map"}}, model, {}, Placement::balance);
  for (const auto& core : balanced.cores()) {
    for (std::size_t k = 0; k < core.nodes.size(); ++k) {
      if (core.nodes[k] == "map") CHECK(core.node_units[k] % 25 == 0);
    }
  }
  // A channel larger than a core: every piece of it stores that channel's whole kernel slice,
  // and one straddling two channels stores both.
  auto wide = conv;
  wide.weight_block_units = 100;  // 2 channels of 100 units, 144 bytes each
  const auto two_channels = node("map", NodeKind::spiking, 200, 0, 0);
  const CoreMapping split({input, wide, two_channels}, {{"in", "conv"}, {"conv", "map"}}, chip(8, 1, 60));
  std::vector<std::size_t> bytes;
  for (const auto& core : split.cores()) {
    for (std::size_t k = 0; k < core.nodes.size(); ++k) {
      if (core.nodes[k] == "map") bytes.push_back(core.synapse_memory_bytes);
    }
  }
  // pieces [0,60) [60,120) [120,180) [180,200): channel 0, channels 0+1, channel 1, channel 1
  CHECK(bytes == std::vector<std::size_t>{144, 288, 144, 144});
}
