// The timing model and static power against arithmetic done by hand on the toy network
// (tests/energy/toy_network_engine.hpp) on the timed test chip (tests/energy/test_chip.hpp).
#include <catch2/catch.hpp>
#include <cmath>
#include <memory>

#include "core/core_mapping.hpp"
#include "core/energy_ledger.hpp"
#include "core/energy_report.hpp"
#include "core/neurobench.hpp"
#include "core/simulation.hpp"
#include "tests/energy/test_chip.hpp"
#include "tests/energy/toy_network_engine.hpp"

using namespace tandem;

namespace {

// Input spikes: 2 at tick 0, 1 at tick 2, 4 at tick 5; the population fires (all 3) at 0 and 5.
std::vector<std::pair<Tick, std::uint32_t>> schedule() {
  return {{0, 0}, {0, 1}, {2, 2}, {5, 0}, {5, 1}, {5, 2}, {5, 3}};
}

struct TimedRun {
  std::unique_ptr<Simulation> simulation;
  std::unique_ptr<EnergyLedger> ledger;
};

// 10 ticks of 1 ms in one-tick epochs.
TimedRun run_timed(const ChipModel& chip, Pacing pacing = Pacing::real_time) {
  TimedRun run;
  SimulationSettings settings;
  settings.max_epoch_ticks = 1;
  run.simulation = std::make_unique<Simulation>(settings);
  run.simulation->add(std::make_unique<testing::ToyNetworkEngine>(schedule()));
  run.ledger = std::make_unique<EnergyLedger>(*run.simulation, chip,
                                              EnergyLedgerSettings{.window_ticks = 4, .pacing = pacing});
  run.simulation->run(10);
  run.ledger->finish();
  return run;
}

ChipModel timed_chip(const std::string& pipelines = "serial", const std::string& timing_extra = "") {
  return parse_chip_text(testing::timed_test_chip_yaml(pipelines, timing_extra), "timed_test_chip.yaml");
}

}  // namespace

// Cores: 0 = input (0,0), 1 = pop and its projection (1,0), 2 = readout (0,1); core 3 unused.
// Per tick, serial pipelines (ns): core 0 = spikes × (11 + 13 per packet); core 1 = synaptic ops
// × 2 + updates × 3 (or skipped × 1) + spikes × (11 + 13); core 2 = MACs × 5 + activations × 7
// + spikes × 11. Transit: input -> pop 1 E-W hop (17), pop -> readout 1 E-W + 1 N-S (36).
//   tick 0: core 0 = 48, core 1 = 12 + 9 + 33 + 39 = 93, core 2 = 30 + 14 + 22 = 66 -> 93 + 36 + 100 = 229
//   tick 2: core 0 = 24, core 1 = 6 + 9 = 15, core 2 = 0             -> 24 + 17 + 100 = 141
//   tick 5: core 0 = 96, core 1 = 24 + 9 + 33 + 39 = 105, core 2 = 66 -> 105 + 36 + 100 = 241
//   the 7 other ticks: core 1 = 3 skipped updates                      -> 3 + 100 = 103
TEST_CASE("chip time: tick times of the toy network match hand arithmetic", "[energy][time]") {
  const TimedRun run = run_timed(timed_chip());
  const ChipRunTime& time = run.ledger->run_time();
  CHECK(time.chip_time_s == Approx((229 + 141 + 241 + 7 * 103) * 1e-9));
  CHECK(time.tick_max_s == Approx(241e-9));
  // Always-on every tick is tick 5's work: 4 inputs, 3 updates and spikes, 6 MACs.
  CHECK(run.ledger->always_on_run_time().chip_time_s == Approx(10 * 241e-9));
  const EnergyReport report = make_energy_report(*run.ledger);
  CHECK(report.tick_mean_s(time) == Approx(133.2e-9));
  CHECK(report.real_time_factor(time) == Approx(1332e-9 / 10e-3));
}

TEST_CASE("chip time: overlapped pipelines take the larger of a core's two sides", "[energy][time]") {
  // Always-on, every tick: core 0 = 96 (send only); core 1 = max(send 9 + 33 + 39, receive 24)
  // = 81; core 2 = max(14 + 22, 30) = 36 -> 96 + 36 + 100 = 232.
  const TimedRun run = run_timed(timed_chip("overlapped"));
  CHECK(run.ledger->always_on_run_time().chip_time_s == Approx(10 * 232e-9));
}

TEST_CASE("chip time: destination cores take in each packet", "[energy][time]") {
  // Always-on with 20 ns per packet received: core 1 takes in 4 input packets (receive side 24 +
  // 80 = 104 > send 81), core 2 takes in 3 from the population (30 + 60 = 90 > 36), core 0 stays
  // at 96 -> 104 + 36 + 100 = 240.
  const TimedRun run = run_timed(timed_chip("overlapped", "  packet_receive_ns: 20\n"));
  CHECK(run.ledger->always_on_run_time().chip_time_s == Approx(10 * 240e-9));
}

// A core works in a tick when it does anything but skipped updates: ticks 0 and 5 all three
// cores, tick 2 cores 0 and 1, the 7 other ticks none (core 1 only skips).
TEST_CASE("static power: working and idle core-ticks, unused cores, by hand", "[energy][static]") {
  SECTION("real-time pacing: every tick lasts dt = 1 ms") {
    const TimedRun run = run_timed(timed_chip());
    const ChipRunTime& time = run.ledger->run_time();
    CHECK(time.core_ticks_working == 8);
    CHECK(time.core_ticks_idle == 22);
    CHECK(time.duration_s == Approx(10e-3));
    // 8 × 1 W × 1 ms + 22 × 0.5 W × 1 ms on the cores in use, and the unused core idles 10 ms.
    CHECK(time.unused_cores_static_j == Approx(5e-3));
    const NodeEnergy total = run.ledger->total();
    CHECK(total.static_j == Approx(19e-3 + 5e-3));
    // Always-on: every core in use works every tick.
    CHECK(total.always_on_static_j == Approx(30e-3 + 5e-3));
    // The population alone holds core 1: working at ticks 0, 2 and 5.
    for (const NodeEnergy& node : run.ledger->nodes()) {
      if (node.node == "pop") CHECK(node.static_j == Approx(3 * 1e-3 + 7 * 0.5e-3));
      if (node.node == "in_to_pop") CHECK(node.static_j == 0.0);
    }
  }
  SECTION("free-running: static power over the chip's own tick times") {
    const TimedRun run = run_timed(timed_chip(), Pacing::free_running);
    // Per tick: tick time × (1 W per working core + 0.5 W per idle core in use + 0.5 W unused).
    const double expected = 229e-9 * 3.5 + 141e-9 * 3.0 + 241e-9 * 3.5 + 7 * 103e-9 * 2.0;
    CHECK(run.ledger->total().static_j == Approx(expected));
    CHECK(run.ledger->run_time().duration_s == Approx(1332e-9));
  }
}

TEST_CASE("static power: free-running needs a timing model", "[energy][static][bad]") {
  SimulationSettings settings;
  Simulation simulation(settings);
  simulation.add(std::make_unique<testing::ToyNetworkEngine>(schedule()));
  REQUIRE_THROWS_WITH(EnergyLedger(simulation, testing::test_chip(), EnergyLedgerSettings{.pacing = Pacing::free_running}),
                      Catch::Contains("no timing model"));
}

TEST_CASE("chip time: the barrier table by tiles in use, linear or steps, clamped", "[energy][time]") {
  ChipTiming timing;
  timing.sync_ns_by_tiles = {{1, 600}, {2, 1000}, {4, 1400}, {29, 1800}};
  CHECK(timing.sync_ns(0) == 600);
  CHECK(timing.sync_ns(1) == 600);
  CHECK(timing.sync_ns(3) == Approx(1200));
  CHECK(timing.sync_ns(16) == Approx(1400 + 400.0 * 12 / 25));
  CHECK(timing.sync_ns(29) == 1800);
  CHECK(timing.sync_ns(500) == 1800);
  timing.sync_steps = true;  // SANA-FE's table: the entry of the largest tile count not above
  CHECK(timing.sync_ns(3) == 1000);
  CHECK(timing.sync_ns(28) == 1400);
  CHECK(timing.sync_ns(32) == 1800);
  CHECK(ChipTiming{}.sync_ns(7) == 0.0);
}

TEST_CASE("chip time: the barrier follows the tiles in use, not the cores", "[energy][time]") {
  // 4 cores per tile: cores 0-3 are one tile, cores 0, 4, 8, 12 four tiles.
  ChipModel chip = testing::test_chip();
  chip.mesh_width = 4;
  chip.cores_per_tile = 4;
  chip.timing.sync_ns_by_tiles = {{1, 600}, {2, 1000}, {4, 1400}};
  chip.timing.sync_steps = true;
  const std::vector<NodeCounters> nodes{NodeCounters{.node = "a", .kind = NodeKind::spiking, .units = 4}};
  const CoreMapping one_tile(nodes, {}, chip, {}, Placement::fill, {{"a", {0, 1, 2, 3}}});
  const CoreMapping four_tiles(nodes, {}, chip, {}, Placement::fill, {{"a", {0, 4, 8, 12}}});
  CHECK(one_tile.tiles_used() == 1);
  CHECK(four_tiles.tiles_used() == 4);
  CHECK(four_tiles.cores()[1].x == 1);  // core 4 is tile 1: one hop east of tile 0
  CHECK(chip.timing.sync_ns(one_tile.tiles_used()) == 600);
  CHECK(chip.timing.sync_ns(four_tiles.tiles_used()) == 1400);
}

TEST_CASE("chip time: timing blocks are checked like costs", "[energy][time][bad]") {
  const std::string good = testing::timed_test_chip_yaml();
  CHECK(parse_chip_text(good, "t.yaml").untimed_without_reason().empty());
  auto error_of = [](const std::string& yaml) {
    try {
      parse_chip_text(yaml, "t.yaml");
    } catch (const InputError& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  std::string both = good;
  both.replace(both.find("untimed: {"), 10, "untimed: {macs: x, ");
  CHECK_THAT(error_of(both), Catch::Contains("timing.untimed.macs") && Catch::Contains("not both"));
  std::string pipelines = good;
  pipelines.replace(pipelines.find("core_pipelines: serial"), 22, "core_pipelines: parallel");
  CHECK_THAT(error_of(pipelines), Catch::Contains("timing.core_pipelines") && Catch::Contains("serial or overlapped"));
  std::string table = good;
  table.replace(table.find("sync_ns: 100"), 12, "sync_ns_by_tiles: {0: 5}");
  CHECK_THAT(error_of(table), Catch::Contains("timing.sync_ns_by_tiles.0") && Catch::Contains(">= 1"));
  std::string lookup = good;
  lookup.replace(lookup.find("sync_ns: 100"), 12, "sync_ns: 100\n  sync_lookup: nearest");
  CHECK_THAT(error_of(lookup), Catch::Contains("timing.sync_lookup") && Catch::Contains("linear or step"));
  std::string unused = good;
  unused.replace(unused.find("unused_cores: idle"), 18, "unused_cores: off");
  CHECK_THAT(error_of(unused), Catch::Contains("static_power.unused_cores") && Catch::Contains("power_gated or idle"));
  std::string missing_source = good;
  missing_source.replace(missing_source.find("source: \"test latencies\""), 24, "");
  CHECK_THAT(error_of(missing_source), Catch::Contains("timing.source") && Catch::Contains("missing"));
  std::string partial = good;
  partial.replace(partial.find("memory_bytes_written: none"), 26, "");
  partial.replace(partial.find("memory_bytes_read: none, "), 25, "memory_bytes_read: none");
  CHECK(parse_chip_text(partial, "t.yaml").untimed_without_reason() == std::vector<std::string>{"memory_bytes_written"});
}

TEST_CASE("neurobench: the toy network's figures by hand", "[energy][neurobench]") {
  const TimedRun run = run_timed(timed_chip());
  const EnergyReport report = make_energy_report(*run.ledger);
  const NeuroBenchFigures all = neurobench_figures(report.nodes, report.ticks);
  CHECK(all.effective_acs == 21);          // 7 input spikes × 3 synapses
  CHECK(all.effective_macs == 12);         // 2 population bursts × 3 spikes × 2 outputs
  CHECK(all.dense_ops == 120 + 60);        // always-on: 4 × 3 synapses and 3 × 2 MACs, 10 ticks
  CHECK(all.neuron_updates == 9);
  // Outputs sent / possible: population 6 of 3 × 10, readout 4 of its 20 always-on activations.
  CHECK(all.activation_sparsity == Approx(1.0 - 10.0 / 50.0));
  CHECK(all.connection_sparsity == Approx(0.0));  // all-to-all: 12 of 4 × 3
  CHECK(all.weight_bytes == 48 + 24);
  CHECK(all.state_bytes == 24);
  for (const NodeEnergy& node : report.nodes) {
    const NeuroBenchFigures one = neurobench_figures(std::span<const NodeEnergy>(&node, 1), report.ticks);
    if (node.node == "pop") CHECK(one.activation_sparsity == Approx(0.8));
    if (node.node == "input") CHECK(std::isnan(one.activation_sparsity));
  }
}

// The toy network on the timed chip without dense cores: --host-offload runs the readout on a
// host processor (MAC 10 pJ / 1 ns, activation 20 / 2, value sent 30 / 3; a transfer 50 pJ / 7 ns).
TEST_CASE("host offload: dense nodes priced and timed on the host, transfers counted", "[energy][host]") {
  std::string yaml = testing::timed_test_chip_yaml();
  yaml.replace(yaml.find("modes: [snn, ann]"), 17, "modes: [snn]");
  yaml += R"(host:
  name: test host
  source: "assumed: test"
  costs_pj: {macs: 10, activations: 20, spikes: 30}
  unpriced: {neuron_updates: x, neuron_updates_skipped: x, synaptic_ops: x, input_events: x, encoder_conversions: x,
             decoder_conversions: x, packets: x, hops: x, memory_bytes_read: x, memory_bytes_written: x}
  latency_ns: {macs: 1, activations: 2, spikes: 3}
  transfer_pj: 50
  transfer_ns: 7
)";
  const ChipModel chip = parse_chip_text(yaml, "host_chip.yaml");
  for (const std::string& zero : chip.unexplained_zeros()) CHECK(zero.rfind("host.", 0) != 0);  // the host explains its zeros
  SimulationSettings settings;
  settings.max_epoch_ticks = 1;
  {
    Simulation refused(settings);
    refused.add(std::make_unique<testing::ToyNetworkEngine>(schedule()));
    REQUIRE_THROWS_WITH(EnergyLedger(refused, chip, {}), Catch::Contains("--host-offload"));
  }
  Simulation simulation(settings);
  simulation.add(std::make_unique<testing::ToyNetworkEngine>(schedule()));
  EnergyLedger ledger(simulation, chip, EnergyLedgerSettings{.window_ticks = 4, .host_offload = true});
  simulation.run(10);
  ledger.finish();
  for (const NodeEnergy& node : ledger.nodes()) {
    INFO(node.node);
    if (node.node == "readout") {
      CHECK(node.on_host);
      CHECK(node.static_j == 0.0);  // off the cores: the host's leak is in the chip's
      // 12 MACs × 10 + 4 activations × 20 + 4 values × 30 pJ.
      CHECK(node.dynamic_j == Approx(320e-12));
    }
    if (node.node == "pop") {
      CHECK_FALSE(node.on_host);
      CHECK(node.executed_route.host_transfers == 6);  // its 6 spikes cross to the host
      CHECK(node.executed[Op::packet] == 0);           // and no core receives them
      // 9 updates × 3 + 21 skipped × 1 + 6 spikes × 11 pJ, plus 6 transfers × 50 pJ.
      CHECK(node.dynamic_j == Approx(414e-12));
    }
  }
  CHECK(ledger.mapping().cores_used() == 2);
  // Tick 0: core 0 = 48, core 1 = 12 + 9 + 33 = 54 (+17 transit from the input); the host takes
  // 3 transfers × 7 + 6 MACs × 1 + 2 activations × 2 + 2 values × 3 = 37 -> 71 + 100 = 171 ns.
  // Tick 2: core 0 = 24, core 1 = 15; host idle -> 24 + 17 + 100 = 141. Tick 5: core 0 = 96,
  // core 1 = 24 + 9 + 33 = 66, host 37 -> 96 + 17 + 100 = 213. Others: 3 + 100 = 103.
  CHECK(ledger.run_time().chip_time_s == Approx((171 + 141 + 213 + 7 * 103) * 1e-9));
}
