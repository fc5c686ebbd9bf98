#include <catch2/catch.hpp>
#include <memory>

#include "core/energy_ledger.hpp"
#include "core/memory_recorder.hpp"
#include "core/simulation.hpp"
#include "tests/energy/ledger_test_helpers.hpp"
#include "tests/energy/test_chip.hpp"
#include "tests/energy/toy_network_engine.hpp"

using namespace tandem;

namespace {

constexpr double pj = 1e-12;

// Input spikes: 2 at tick 0, 1 at tick 2, 4 at tick 5 (7 in all).
std::vector<std::pair<Tick, std::uint32_t>> schedule() {
  return {{0, 0}, {0, 1}, {2, 2}, {5, 0}, {5, 1}, {5, 2}, {5, 3}};
}

struct ToyRun {
  std::unique_ptr<Simulation> simulation;
  std::unique_ptr<EnergyLedger> ledger;
};

// 10 ticks of 1 ms in epochs of 2 ticks, priced in windows of 4 ticks (ends 4, 8, 10).
ToyRun run_toy(ExecutionMode mode, const std::string& static_power_w = "0", Recorder* recorder = nullptr) {
  ToyRun run;
  SimulationSettings settings;
  settings.mode = mode;
  settings.max_epoch_ticks = 2;
  run.simulation = std::make_unique<Simulation>(settings);
  run.simulation->add(std::make_unique<testing::ToyNetworkEngine>(schedule()));
  run.ledger = std::make_unique<EnergyLedger>(*run.simulation, testing::test_chip(static_power_w),
                                              EnergyLedgerSettings{.window_ticks = 4}, recorder);
  run.simulation->run(10);
  run.ledger->finish();
  return run;
}

}  // namespace

// Layout on the 2 x 2 test chip (4 neurons per core): input -> core 0 (0,0); pop (3 units,
// mode snn, cannot share the full core 0) -> core 1 (1,0); readout (ann) -> core 2 (0,1).
// input -> pop: 1 E-W hop; pop -> readout: 1 E-W + 1 N-S hop.

TEST_CASE("energy: counts of the toy network match hand counting", "[energy][ledger]") {
  const ToyRun run = run_toy(ExecutionMode::event);
  const EnergyLedger& ledger = *run.ledger;
  CHECK(ledger.mapping().cores_used() == 3);
  const NodeEnergy& input = testing::find_node(ledger, "input");
  CHECK(input.executed[Op::spike] == 7);
  CHECK(input.executed[Op::packet] == 7);
  CHECK(input.executed_route == RouteCounts{7, 7, 0, 0});
  CHECK(testing::find_node(ledger, "in_to_pop").executed[Op::synaptic_op] == 21);  // 7 spikes × 3 targets
  const NodeEnergy& pop = testing::find_node(ledger, "pop");
  CHECK(pop.executed[Op::neuron_update] == 9);           // ticks 0, 2, 5 × 3 neurons
  CHECK(pop.executed[Op::neuron_update_skipped] == 21);  // the other 7 ticks
  CHECK(pop.executed[Op::spike] == 6);                   // each neuron at ticks 0 and 5
  CHECK(pop.executed_route == RouteCounts{6, 6, 6, 0});
  CHECK(pop.executed[Op::hop] == 12);
  const NodeEnergy& readout = testing::find_node(ledger, "readout");
  CHECK(readout.executed[Op::mac] == 12);
  CHECK(readout.executed[Op::activation] == 4);
  CHECK(readout.executed[Op::packet] == 0);  // no targets
  // Always-on over 10 ticks.
  CHECK(input.always_on[Op::spike] == 40);
  CHECK(input.always_on_route == RouteCounts{40, 40, 0, 0});
  CHECK(testing::find_node(ledger, "in_to_pop").always_on[Op::synaptic_op] == 120);
  CHECK(pop.always_on[Op::neuron_update] == 30);
  CHECK(readout.always_on[Op::mac] == 60);
}

TEST_CASE("energy: joules of the toy network match hand arithmetic", "[energy][ledger]") {
  const ToyRun run = run_toy(ExecutionMode::event);
  const EnergyLedger& ledger = *run.ledger;
  // input: 7 × (spike 11 + packet 13 + E-W hop 17)
  CHECK(testing::find_node(ledger, "input").energy_j() == Approx(287 * pj));
  CHECK(testing::find_node(ledger, "in_to_pop").energy_j() == Approx(42 * pj));  // 21 × 2
  // pop: 9 × 3 + 21 × 1 + 6 × (11 + 13 + 17 + 19)
  CHECK(testing::find_node(ledger, "pop").energy_j() == Approx(408 * pj));
  CHECK(testing::find_node(ledger, "readout").energy_j() == Approx(132 * pj));  // 12 × 5 + 4 × 7 + 4 × 11
  CHECK(ledger.total().energy_j() == Approx(869 * pj));
  // Always-on: input 40 × 41; projection 120 × 2; pop 30 × 3 + 30 × 60; readout 60×5 + 20×7 + 20×11
  CHECK(testing::find_node(ledger, "input").always_on_energy_j() == Approx(1640 * pj));
  CHECK(testing::find_node(ledger, "pop").always_on_energy_j() == Approx(1890 * pj));
  CHECK(ledger.total().always_on_energy_j() == Approx(4430 * pj));
  CHECK(ledger.total().ratio() == Approx(869.0 / 4430.0));
}

TEST_CASE("energy: static power × time × cores in use", "[energy][ledger]") {
  const ToyRun run = run_toy(ExecutionMode::event, "1.5");
  // 3 cores × 1.5 W × 10 ms, on top of the dynamic energy, the same in both columns.
  CHECK(run.ledger->total().static_j == Approx(3 * 1.5 * 0.010));
  CHECK(run.ledger->total().energy_j() == Approx(869 * pj + 0.045));
  CHECK(run.ledger->total().always_on_energy_j() == Approx(4430 * pj + 0.045));
  CHECK(testing::find_node(*run.ledger, "pop").static_j == Approx(1.5 * 0.010));  // one whole core
  CHECK(testing::find_node(*run.ledger, "in_to_pop").static_j == 0.0);             // lives on pop's core
}

TEST_CASE("energy: the analytic always-on baseline equals an executed always-on run", "[energy][ledger]") {
  const ToyRun event = run_toy(ExecutionMode::event, "0.25");
  const ToyRun always_on = run_toy(ExecutionMode::always_on, "0.25");
  const NodeEnergy event_total = event.ledger->total();
  const NodeEnergy executed_total = always_on.ledger->total();
  CHECK(executed_total.executed == event_total.always_on);
  CHECK(executed_total.executed_route == event_total.always_on_route);
  CHECK(executed_total.energy_j() == Approx(event_total.always_on_energy_j()));
  for (std::size_t i = 0; i < event.ledger->nodes().size(); ++i) {
    CHECK(always_on.ledger->nodes()[i].executed == event.ledger->nodes()[i].always_on);
  }
  CHECK(executed_total.ratio() == Approx(1.0));
}

TEST_CASE("energy: the ledger prices and records every window", "[energy][ledger]") {
  MemoryRecorder recorder;
  const ToyRun run = run_toy(ExecutionMode::event, "0", &recorder);
  CHECK(run.ledger->windows() == 3);
  CHECK(recorder.stream("/energy/window_end_tick").values == std::vector<double>{4, 8, 10});
  // Window [0,4): input 3 spikes × 41; projection 9 × 2; pop 6×3 + 6×1 + 3×60; readout 6×5 + 2×7 + 2×11.
  // Window [4,8): input 4 × 41; projection 12 × 2; pop 3×3 + 9×1 + 3×60; readout 66.
  // Window [8,10): pop 6 skipped updates × 1.
  const auto& total = recorder.stream("/energy/total/energy_j").values;
  REQUIRE(total.size() == 3);
  CHECK(total[0] == Approx(411 * pj));
  CHECK(total[1] == Approx(452 * pj));
  CHECK(total[2] == Approx(6 * pj));
  CHECK(recorder.stream("/energy/input/spikes").values == std::vector<double>{3, 4, 0});
  CHECK(recorder.stream("/energy/pop/hops").values == std::vector<double>{6, 6, 0});
  CHECK(recorder.stream("/energy/pop/energy_j").values.size() == 3);
  // Active share of pop's 3 neurons: 6 of 12 updates, 3 of 12, none of 6.
  CHECK(recorder.stream("/energy/pop/active_fraction").values == std::vector<double>{0.5, 0.25, 0.0});
  CHECK(recorder.stream("/energy/pop/active_fraction").spec.attributes.at("unit") == "1");
  const auto& baseline = recorder.stream("/energy/always_on/total/energy_j").values;
  REQUIRE(baseline.size() == 3);
  CHECK(baseline[0] + baseline[1] + baseline[2] == Approx(4430 * pj));
  CHECK(baseline[2] == Approx(4430 * pj * 2 / 10));  // always-on cost is the same every tick
  CHECK(recorder.stream("/energy/total/energy_j").spec.attributes.at("unit") == "J");
}
