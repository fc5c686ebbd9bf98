// Energy on the real engines: the always-on baseline an event run derives analytically equals
// what an always-on run executes (counts and joules, per node and total), and a hand-countable
// hybrid network's counters and joules match arithmetic written here.
#include <catch2/catch.hpp>

#include "core/chip_presets.hpp"
#include "core/energy_ledger.hpp"
#include "tests/equivalence/hybrid_network.hpp"

namespace tandem {
namespace {

// Loihi's published costs (Davies et al. 2018: 23.6 pJ/synaptic op, 81/52 pJ active/idle
// update, 1.7 pJ spike, 3.0/4.0 pJ E-W/N-S hop) on cores that also run dense layers, with
// made-up prime costs for the other ops so that every counter weighs in, and static power.
ChipModel loihi_like_chip() {
  return parse_chip_text(R"(name: loihi-like
description: Loihi costs on hybrid cores (test chip)
source: tests/equivalence/hybrid_energy_test.cpp
mesh: {width: 8, height: 8}
core: {neurons: 32, fan_in: 256, synapse_memory_bytes: 100000, modes: [snn, ann]}
costs_pj:
  synaptic_ops: 23.6
  neuron_updates: 81
  neuron_updates_skipped: 52
  spikes: 1.7
  hops_east_west: 3.0
  hops_north_south: 4.0
  packets: 2
  macs: 5
  activations: 7
  input_events: 13
  encoder_conversions: 17
  decoder_conversions: 19
  memory_bytes_read: 0.25
static_power_w: 1e-3
clock_hz: 1e8
)",
                         "loihi_like.yaml");
}

struct PricedRun {
  std::unique_ptr<Simulation> sim;
  std::unique_ptr<EnergyLedger> ledger;
};

PricedRun priced_hybrid(const testing::HybridShape& shape, ExecutionMode mode, const ChipModel& chip) {
  PricedRun run;
  run.sim = std::make_unique<Simulation>(SimulationSettings{.time = TimeBase{1.0}, .seed = shape.seed, .mode = mode});
  testing::build_hybrid(*run.sim, shape);
  run.ledger = std::make_unique<EnergyLedger>(*run.sim, chip, EnergyLedgerSettings{.window_ticks = 50});
  run.sim->run(230);  // not a whole number of windows: the last one is partial
  run.ledger->finish();
  return run;
}

void require_baseline_matches(const NodeEnergy& event, const NodeEnergy& always_on) {
  INFO("node " << event.node);
  REQUIRE(event.node == always_on.node);
  for (std::size_t op = 0; op < op_kind_count; ++op) {
    INFO("counter " << op_name(static_cast<Op>(op)));
    CHECK(event.always_on.value[op] == always_on.executed.value[op]);
    CHECK(always_on.always_on.value[op] == always_on.executed.value[op]);
  }
  CHECK(event.always_on_route.packets == always_on.executed_route.packets);
  CHECK(event.always_on_route.hops() == always_on.executed_route.hops());
  CHECK(event.always_on_dynamic_j == Approx(always_on.dynamic_j).epsilon(1e-12).margin(1e-30));
  CHECK(event.static_j == Approx(always_on.static_j).epsilon(1e-12).margin(1e-30));
  CHECK(event.always_on_energy_j() == Approx(always_on.energy_j()).epsilon(1e-12).margin(1e-30));
}

const NodeEnergy& find(const EnergyLedger& ledger, const std::string& name) {
  for (const auto& node : ledger.nodes()) {
    if (node.node == name) return node;
  }
  FAIL("no node named " << name);
  throw;
}

}  // namespace

TEST_CASE("hybrid energy: the analytic always-on baseline equals an executed always-on run", "[equivalence][energy]") {
  const bool tianjic = GENERATE(true, false);
  const ChipModel chip = tianjic ? load_chip("tianjic") : loihi_like_chip();
  const auto precision = GENERATE(Precision::float32, Precision::fixed);
  const testing::HybridShape shape{.inputs = 20, .hidden = 10, .seed = 5, .precision = precision};
  INFO("chip " << chip.name);
  const PricedRun event = priced_hybrid(shape, ExecutionMode::event, chip);
  const PricedRun always_on = priced_hybrid(shape, ExecutionMode::always_on, chip);
  REQUIRE(event.ledger->nodes().size() == always_on.ledger->nodes().size());
  REQUIRE(event.ledger->nodes().size() >= 10);  // populations, projections, units, layers
  for (std::size_t k = 0; k < event.ledger->nodes().size(); ++k) {
    require_baseline_matches(event.ledger->nodes()[k], always_on.ledger->nodes()[k]);
  }
  const NodeEnergy event_total = event.ledger->total();
  const NodeEnergy always_on_total = always_on.ledger->total();
  require_baseline_matches(event_total, always_on_total);
  // And the event run is cheaper than its baseline.
  CHECK(event_total.dynamic_j < event_total.always_on_dynamic_j);
  CHECK(event_total.always_on_dynamic_j > 0.0);
}

namespace {

// The hand-countable network, 30 ticks of 1 ms:
//   gen (2 spike sources): unit 0 spikes at ticks 2 and 5, unit 1 at 5 and 12
//   -> gen_lif (all-to-all, 6 synapses, weight 25 mV onto v, delay 1 tick)
//   -> lif (3 LIF neurons, threshold 20 mV, reset to rest 0: every arrival fires all three)
//   -> count decoder (3 channels, 10-tick window, value = spikes / 10), latency 1
//   -> dense layer 2x3, W = [[1 2 3], [-1 -2 -3]], b = [0.5, 0], relu, every 10 ticks, latency 1.
constexpr Tick hand_ticks = 30;

// Costs chosen so every op has its own price and packets/hops cost nothing (routing is the
// ledger's own arithmetic, tested in tests/energy).
ChipModel hand_chip() {
  return parse_chip_text(R"(name: hand
description: hand-countable costs
source: tests/equivalence/hybrid_energy_test.cpp
mesh: {width: 4, height: 4}
core: {neurons: 8, fan_in: 64, synapse_memory_bytes: 10000, modes: [snn, ann]}
costs_pj: {neuron_updates: 3, neuron_updates_skipped: 1, synaptic_ops: 2, macs: 5, activations: 7,
           spikes: 11, input_events: 13, decoder_conversions: 17, memory_bytes_read: 0.5,
           packets: 0, hops: 0}
static_power_w: 0
clock_hz: 1e6
)",
                         "hand.yaml");
}

PricedRun hand_network(ExecutionMode mode) {
  using namespace neurons;
  PricedRun run;
  run.sim = std::make_unique<Simulation>(SimulationSettings{.time = TimeBase{1.0}, .seed = 1, .mode = mode});
  auto snn = std::make_unique<EventEngine>("snn", run.sim->settings().time);
  snn->add_spike_generator("gen", 2, {{2, 0}, {5, 0}, {5, 1}, {12, 1}});
  snn->add_population<Lif>("lif", 3);
  snn->connect({.name = "gen_lif", .source = "gen", .target = "lif", .receptor = "v", .rule = Rule::all_to_all,
                .weight = 25.0F, .delay_ms = 1.0});
  run.sim->add(std::move(snn));
  std::vector<std::unique_ptr<bridge::Unit>> units;
  units.push_back(bridge::make_count_decoder({.name = "count", .channels = 3, .window = {10, 0}, .range = {0.0, 1.0}}));
  run.sim->add(std::make_unique<bridge::BridgeEngine>("bridge", std::move(units)));
  ann::LayerGraph graph;
  graph.add_input("counts", 3);
  ann::DenseLayerSpec layer = ann::make_dense_layer("dense", {"counts"}, 2, 3, {1, 2, 3, -1, -2, -3}, {0.5F, 0.0F});
  layer.activation.kind = ann::ActivationKind::relu;
  layer.period_ticks = 10;
  graph.add_layer(std::move(layer));
  graph.finalize();
  run.sim->add(std::make_unique<ann::DenseEngine>("mlp", std::move(graph)));
  run.sim->connect({{"snn", "lif.spikes"}, {"bridge", "count.in"}, 1});
  run.sim->connect({{"bridge", "count.out"}, {"mlp", "counts"}, 1});
  run.ledger = std::make_unique<EnergyLedger>(*run.sim, hand_chip(), EnergyLedgerSettings{.window_ticks = 10});
  run.sim->run(hand_ticks);
  run.ledger->finish();
  return run;
}

OpCounts counts(std::initializer_list<std::pair<Op, std::uint64_t>> entries) {
  OpCounts result;
  for (const auto& [op, amount] : entries) result[op] = amount;
  return result;
}

// Counts without the ledger's routed packets and hops (priced at 0 here).
OpCounts unrouted(OpCounts ops) {
  ops[Op::packet] = 0;
  ops[Op::hop] = 0;
  return ops;
}

}  // namespace

TEST_CASE("hybrid energy: a hand-countable hybrid network", "[equivalence][energy]") {
  const PricedRun run = hand_network(ExecutionMode::event);
  const EnergyLedger& ledger = *run.ledger;
  constexpr double pj = 1e-12;

  // gen: 4 spikes; sources do no neuron updates.
  const NodeEnergy& gen = find(ledger, "gen");
  CHECK(unrouted(gen.executed) == counts({{Op::spike, 4}}));
  CHECK(unrouted(gen.always_on) == counts({{Op::spike, 4}}));

  // gen_lif: 4 spikes x 3 synapses each = 12 synaptic ops reading 4 bytes each (target index;
  // weight and delay are one per projection); always-on reads all 6 synapses x 30 ticks.
  const NodeEnergy& projection = find(ledger, "gen_lif");
  CHECK(unrouted(projection.executed) == counts({{Op::synaptic_op, 12}, {Op::memory_byte_read, 48}}));
  CHECK(unrouted(projection.always_on) == counts({{Op::synaptic_op, 180}, {Op::memory_byte_read, 720}}));

  // lif: input arrives at ticks 3, 6 (two spikes onto each neuron: 50 mV, one spike) and 13:
  // 3 x 3 updates and 9 spikes; the other 90 - 9 updates are skipped (exactly at rest). Each
  // update writes v and the refractory counter: 8 bytes.
  const NodeEnergy& lif = find(ledger, "lif");
  CHECK(unrouted(lif.executed) ==
        counts({{Op::neuron_update, 9}, {Op::neuron_update_skipped, 81}, {Op::spike, 9}, {Op::memory_byte_written, 72}}));
  CHECK(unrouted(lif.always_on) == counts({{Op::neuron_update, 90}, {Op::spike, 9}, {Op::memory_byte_written, 720}}));
  CHECK(lif.dynamic_j == Approx((9 * 3 + 81 * 1 + 9 * 11) * pj));
  CHECK(lif.always_on_dynamic_j == Approx((90 * 3 + 9 * 11) * pj));

  // count: 9 spikes in; 3 windows end (ticks 9, 19, 29), each sending 3 values; the windows
  // ending at 9 and 19 received spikes on all 3 channels and convert them, the last received
  // none and sends the silent values without converting; always-on converts 3 channels every tick.
  const NodeEnergy& count = find(ledger, "count");
  CHECK(unrouted(count.executed) == counts({{Op::input_event, 9}, {Op::decoder_conversion, 6}, {Op::spike, 9}}));
  CHECK(unrouted(count.always_on) == counts({{Op::input_event, 9}, {Op::decoder_conversion, 90}, {Op::spike, 9}}));
  CHECK(count.dynamic_j == Approx((9 * 13 + 6 * 17 + 9 * 11) * pj));
  CHECK(count.always_on_dynamic_j == Approx((9 * 13 + 90 * 17 + 9 * 11) * pj));

  // dense runs at ticks 0, 10, 20 on inputs 0, [0.2 0.2 0.2] (window 0-9: spikes at 4, 7 on
  // every channel), [0.1 0.1 0.1] (window 10-19: one spike at 14): zero-skip reads 0 + 3 + 3
  // columns (2 MACs and 8 weight bytes each); outputs [0.5 0], [1.7 0], [1.1 0]: one value
  // sent per run; 2 activations per run, each run writing its 2 four-byte accumulators.
  // Always-on: 3 runs x (6 MACs, 3 inputs, 2 sent, 24 B read, 8 B written).
  const NodeEnergy& dense = find(ledger, "dense");
  CHECK(unrouted(dense.executed) == counts({{Op::mac, 12}, {Op::activation, 6}, {Op::input_event, 6}, {Op::spike, 3},
                                            {Op::memory_byte_read, 48}, {Op::memory_byte_written, 24}}));
  CHECK(unrouted(dense.always_on) == counts({{Op::mac, 18}, {Op::activation, 6}, {Op::input_event, 9}, {Op::spike, 6},
                                             {Op::memory_byte_read, 72}, {Op::memory_byte_written, 24}}));
  CHECK(dense.dynamic_j == Approx((12 * 5 + 6 * 7 + 6 * 13 + 3 * 11 + 48 * 0.5) * pj));
  CHECK(dense.always_on_dynamic_j == Approx((18 * 5 + 6 * 7 + 9 * 13 + 6 * 11 + 72 * 0.5) * pj));
  const auto& mlp = dynamic_cast<const ann::DenseEngine&>(run.sim->engine("mlp"));
  CHECK(mlp.output("dense")[0] == Approx(0.5 + 0.1 * 6));
  CHECK(mlp.output("dense")[1] == 0.0F);

  // Total: the sum of the nodes above plus the dense input node, which does no priced work.
  double total_j = 0.0;
  for (const NodeEnergy* node : {&gen, &projection, &lif, &count, &dense}) total_j += node->dynamic_j;
  CHECK(ledger.total().dynamic_j == Approx(total_j));
  CHECK(ledger.total().executed[Op::spike] == 4 + 9 + 9 + 3);
  CHECK(ledger.total().static_j == 0.0);
}

}  // namespace tandem
