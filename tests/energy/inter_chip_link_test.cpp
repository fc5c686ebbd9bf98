// Inter-chip links (docs/energy.md "Inter-chip links") against arithmetic done by hand: the toy
// network (tests/energy/toy_network_engine.hpp) on boards of small test chips, its crossings,
// their energy (crossings × link energy per packet) and the time the links add to the chip.
#include <catch2/catch.hpp>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/chip_presets.hpp"
#include "core/energy_ledger.hpp"
#include "core/energy_report.hpp"
#include "core/memory_recorder.hpp"
#include "core/simulation.hpp"
#include "tests/energy/ledger_test_helpers.hpp"
#include "tests/energy/test_chip.hpp"
#include "tests/energy/toy_network_engine.hpp"

using namespace tandem;

namespace {

constexpr double pj = 1e-12;

// Input spikes: 2 at tick 0, 1 at tick 2, 4 at tick 5 (7); the population fires (all 3) at 0
// and 5 (6 spikes); always-on, 4 inputs and 3 neurons send every one of the 10 ticks.
std::vector<std::pair<Tick, std::uint32_t>> schedule() {
  return {{0, 0}, {0, 1}, {2, 2}, {5, 0}, {5, 1}, {5, 2}, {5, 3}};
}

// A link of 2.5 pJ/bit × 16 bits = 40 pJ and 50 ns per crossing.
const std::string link_block =
    "inter_chip_link: {energy_pj_per_bit: 2.5, packet_bits: 16, latency_ns: 50, source: \"assumed: test link\"}\n";

// The timed test chip (latencies in ns equal to its costs in pJ, 100 ns barrier) reshaped to
// `width` × `height` tiles, with the test link.
ChipModel chip(const std::string& width, const std::string& height, const std::string& link = link_block) {
  std::string yaml = testing::timed_test_chip_yaml();
  yaml.replace(yaml.find("mesh: {width: 2, height: 2}"), 27, "mesh: {width: " + width + ", height: " + height + "}");
  return parse_chip_text(yaml + link, "link_test_chip.yaml");
}

struct BoardRun {
  std::unique_ptr<Simulation> simulation;
  std::unique_ptr<EnergyLedger> ledger;
};

// 10 ticks of 1 ms in one-tick epochs on a board of `chips_x` × 1 chips.
BoardRun run_on_board(const ChipModel& model, std::size_t chips_x, const PinnedCores& pinned = {}) {
  BoardRun run;
  SimulationSettings settings;
  settings.max_epoch_ticks = 1;
  run.simulation = std::make_unique<Simulation>(settings);
  run.simulation->add(std::make_unique<testing::ToyNetworkEngine>(schedule()));
  run.ledger = std::make_unique<EnergyLedger>(
      *run.simulation, model, EnergyLedgerSettings{.window_ticks = 4, .board = {chips_x, 1}, .pinned = pinned});
  run.simulation->run(10);
  run.ledger->finish();
  return run;
}

using testing::find_node;

}  // namespace

// Two chips of 2 × 1 cores side by side (global mesh 4 × 1). Fill placement: input on core 0
// (0,0) and pop on core 1 (1,0), both chip 0; readout on core 2 (2,0), chip 1. input -> pop is
// one east-west hop on chip 0; pop -> readout crosses the one boundary between x = 1 and x = 2.
TEST_CASE("inter-chip link: a 2x1 board's crossings, energy and time by hand", "[energy][link]") {
  const BoardRun run = run_on_board(chip("2", "1"), 2);
  const EnergyLedger& ledger = *run.ledger;
  REQUIRE(ledger.mapping().cores_used() == 3);
  CHECK(ledger.mapping().cores()[2].chip_x == 1);
  const NodeEnergy& input = find_node(ledger, "input");
  CHECK(input.executed_route == RouteCounts{.packets = 7, .hops_east_west = 7});
  const NodeEnergy& pop = find_node(ledger, "pop");
  CHECK(pop.executed_route == RouteCounts{.packets = 6, .hops_inter_chip = 6, .inter_chip_packets = 6});
  CHECK(pop.always_on_route == RouteCounts{.packets = 30, .hops_inter_chip = 30, .inter_chip_packets = 30});
  // pop: 9 updates × 3 + 21 skipped × 1 + 6 spikes × 11 + 6 packets × 13 + 6 crossings × 40 pJ.
  CHECK(pop.dynamic_j == Approx((27 + 21 + 66 + 78 + 6 * 40) * pj));
  CHECK(ledger.model().link_energy_j(pop.executed_route) == Approx(6 * 40 * pj));
  // Time: the longest route of a tick in which pop sends is its crossing, 50 ns (input's on-chip
  // hop is 17 ns). Ticks 0 and 5: slowest core 93 / 105 ns + 50 + barrier 100 (was + 17 without
  // the link); tick 2: 24 + 17 + 100; the 7 others: 3 + 100.
  const ChipRunTime& time = ledger.run_time();
  CHECK(time.chip_time_s == Approx((243 + 141 + 255 + 7 * 103) * 1e-9));
  CHECK(time.link_time_s == Approx(2 * (50 - 17) * 1e-9));
  // Always-on, every tick is tick 5's work with pop sending: 33 ns more than without the link.
  CHECK(ledger.always_on_run_time().link_time_s == Approx(10 * 33e-9));

  const EnergyReport report = make_energy_report(ledger, "toy");
  CHECK(report.link_energy_j(report.total.executed_route) == Approx(240 * pj));
  CHECK(report.link_energy_j(report.total.always_on_route) == Approx(30 * 40 * pj));
  const std::string line = format_inter_chip_links(report);
  CHECK_THAT(line, Catch::Contains("6 crossings (6 packets) event / 30 (30) always-on"));
  CHECK_THAT(line, Catch::Contains("2.4e-10 J / 1.2e-09 J (40 pJ per crossing = 2.5 pJ/bit x 16 bits)"));
  CHECK_THAT(line, Catch::Contains("50 ns per crossing"));
  CHECK_THAT(line, Catch::Contains("source: assumed: test link"));
  CHECK_THAT(format_energy_table(report), Catch::Contains("inter-chip links: 6 crossings"));
}

TEST_CASE("inter-chip link: the trace carries link energy and time per window", "[energy][link][trace]") {
  MemoryRecorder recorder;
  SimulationSettings settings;
  settings.max_epoch_ticks = 1;
  Simulation simulation(settings);
  simulation.add(std::make_unique<testing::ToyNetworkEngine>(schedule()));
  EnergyLedger ledger(simulation, chip("2", "1"), EnergyLedgerSettings{.window_ticks = 4, .board = {2, 1}}, &recorder);
  simulation.run(10);
  ledger.finish();
  // Windows end at ticks 4, 8, 10: pop sends 3 spikes (3 crossings) at tick 0 and 3 at tick 5.
  const auto& link_j = recorder.stream("/energy/total/link_j").values;
  REQUIRE(link_j.size() == 3);
  CHECK(link_j[0] == Approx(3 * 40 * pj));
  CHECK(link_j[1] == Approx(3 * 40 * pj));
  CHECK(link_j[2] == 0.0);
  const auto& link_s = recorder.stream("/energy/time/link_time_s").values;
  REQUIRE(link_s.size() == 3);
  CHECK(link_s[0] == Approx(33e-9));
  CHECK(link_s[1] == Approx(33e-9));
  CHECK(link_s[2] == 0.0);
  CHECK(recorder.stream("/energy/time/link_time_s").spec.attributes.at("unit") == "s");
}

// Three one-core chips in a row; pinned so that pop (core 0) sends to readout (core 2) across
// both boundaries and input (core 1) sends to pop across one.
TEST_CASE("inter-chip link: a route across two boundaries is two crossings", "[energy][link]") {
  const BoardRun run = run_on_board(chip("1", "1"), 3, {{"input", {1}}, {"pop", {0}}, {"readout", {2}}});
  const EnergyLedger& ledger = *run.ledger;
  const NodeEnergy& pop = find_node(ledger, "pop");
  CHECK(pop.executed_route == RouteCounts{.packets = 6, .hops_inter_chip = 12, .inter_chip_packets = 6});
  CHECK(find_node(ledger, "input").executed_route == RouteCounts{.packets = 7, .hops_inter_chip = 7, .inter_chip_packets = 7});
  CHECK(ledger.model().link_energy_j(pop.executed_route) == Approx(12 * 40 * pj));
  // Ticks 0 and 5 take pop's two crossings (100 ns) as their longest route; tick 2 input's one
  // (50 ns): nothing on-chip, so all transit is the links'.
  CHECK(ledger.run_time().link_time_s == Approx((100 + 50 + 100) * 1e-9));
}

TEST_CASE("inter-chip link: a network on one chip has no link traffic", "[energy][link]") {
  SECTION("a single chip") {
    const BoardRun run = run_on_board(chip("2", "2"), 1);
    const EnergyReport report = make_energy_report(*run.ledger);
    CHECK(report.total.executed_route.hops_inter_chip == 0);
    CHECK(report.total.always_on_route.hops_inter_chip == 0);
    CHECK(report.link_energy_j(report.total.always_on_route) == 0.0);
    CHECK(report.time.always_on.link_time_s == 0.0);
    CHECK(format_inter_chip_links(report).empty());  // one chip: no line
  }
  SECTION("a 2x1 board whose first chip holds the whole network") {
    const BoardRun run = run_on_board(chip("2", "2"), 2);
    const EnergyReport report = make_energy_report(*run.ledger);
    for (const CoreLoad& core : report.mapping.cores) CHECK(core.chip_x == 0);
    CHECK(report.total.always_on_route.hops_inter_chip == 0);
    CHECK(report.total.always_on_route.inter_chip_packets == 0);
    CHECK(report.time.always_on.link_time_s == 0.0);
    CHECK_THAT(format_inter_chip_links(report), Catch::Contains("0 crossings (0 packets) event / 0 (0) always-on"));
  }
}

TEST_CASE("inter-chip link: the JSON report carries the link and reads back", "[energy][link][json]") {
  const BoardRun run = run_on_board(chip("2", "1"), 2);
  const EnergyReport report = make_energy_report(*run.ledger, "toy");
  const std::string json = energy_report_to_json(report);
  CHECK_THAT(json, Catch::Contains("\"inter_chip_link\"") && Catch::Contains("\"crossings\": 30") &&
                       Catch::Contains("\"source\": \"assumed: test link\""));
  const EnergyReport back = parse_energy_report(json, "r.json");
  CHECK(back.link.energy_pj == 40);
  CHECK(back.link.latency_ns == 50);
  CHECK(back.link.packet_bits == 16);
  CHECK(back.link.source == "assumed: test link");
  CHECK(back.total.executed_route == report.total.executed_route);
  CHECK(back.time.executed.link_time_s == Approx(report.time.executed.link_time_s));
  CHECK(format_inter_chip_links(back) == format_inter_chip_links(report));
  // A report written before the link block still reads; its line says it has no link figures.
  auto older = nlohmann::json::parse(json);
  older.erase("inter_chip_link");
  const EnergyReport old = parse_energy_report(older.dump(), "old.json");
  CHECK_THAT(format_inter_chip_links(old), Catch::Contains("6 crossings") && Catch::Contains("no link figures"));
  // `tandem energy compare` gives the crossings and their energy a row each.
  const std::string comparison = format_energy_comparison({report, back});
  CHECK_THAT(comparison, Catch::Contains("inter_chip_crossings") && Catch::Contains("link_J"));
  CHECK_THAT(comparison, Catch::Contains("2.4e-10"));
}

TEST_CASE("inter-chip link: the block is checked and the legacy keys still load", "[energy][link][bad]") {
  const std::string base = testing::timed_test_chip_yaml();
  // Per packet instead of per bit.
  const ChipModel per_packet = parse_chip_text(
      base + "inter_chip_link: {energy_pj_per_packet: 70, latency_ns: 9, bandwidth_gbit_s: 2, source: s}\n", "t.yaml");
  CHECK(per_packet.link.energy_pj == 70);
  CHECK(per_packet.link.bandwidth_gbit_s == 2);
  CHECK(per_packet.link.origin == InterChipLink::Origin::block);
  // Legacy keys: a crossing priced and timed as given, and the source says where it came from.
  std::string legacy = base;
  legacy.replace(legacy.find("  hops_north_south: 19\n"), 23, "  hops_north_south: 19\n  hops_inter_chip: 25\n");
  const ChipModel old = parse_chip_text(legacy, "old.yaml");
  CHECK(old.link.origin == InterChipLink::Origin::legacy_keys);
  CHECK(old.link.energy_pj == 25);
  CHECK(old.link.latency_ns == 18);  // not given in latency_ns: as the mean on-chip hop
  CHECK_THAT(old.link.source, Catch::Contains("hops_inter_chip in old.yaml"));
  // Neither: an on-chip hop, said so.
  const ChipModel none = parse_chip_text(base, "none.yaml");
  CHECK(none.link.energy_pj == 18);
  CHECK_THAT(none.link.source, Catch::Contains("as an on-chip hop"));
  // Errors name the key and what to change.
  const auto error_of = [](const std::string& yaml) { return testing::chip_parse_error(yaml, "t.yaml"); };
  CHECK_THAT(error_of(legacy + link_block), Catch::Contains("costs_pj.hops_inter_chip") && Catch::Contains("remove"));
  const std::pair<std::string, std::vector<std::string>> bad_blocks[] = {
      {"{energy_pj_per_bit: 2, latency_ns: 5, source: s}", {"inter_chip_link.packet_bits", "missing"}},
      {"{energy_pj_per_packet: 2, energy_pj_per_bit: 2, packet_bits: 8, latency_ns: 5, source: s}", {"not both"}},
      {"{energy_pj_per_packet: 2, latency_ns: 5}", {"inter_chip_link.source", "missing"}},
      {"{energy_pj_per_packet: 2, source: s}", {"inter_chip_link.latency_ns", "missing"}},
      {"{energy_pj_per_packet: -1, latency_ns: 5, source: s}", {"must not be negative"}},
      {"{energy_pj_per_packet: 2, latency_ns: 5, source: s, pj: 3}", {"inter_chip_link.pj", "unknown key"}}};
  for (const auto& [block, expected] : bad_blocks) {
    const std::string message = error_of(base + "inter_chip_link: " + block + "\n");
    INFO(message);
    for (const std::string& part : expected) CHECK(message.find(part) != std::string::npos);
  }
  const ChipModel na = parse_chip_text(base + "inter_chip_link: {not_applicable: \"one device\"}\n", "t.yaml");
  CHECK_FALSE(na.link.applicable);
  CHECK(na.link.energy_pj == 0);
  CHECK(na.link.source == "not applicable: one device");
}

// Every preset gives the block; every figure in it has a comment naming its source or marking
// it assumed or derived, and the block's source says which.
TEST_CASE("inter-chip link: every preset has a sourced or assumed link", "[energy][link][presets]") {
  for (const auto& name : list_preset_names()) {
    INFO(name);
    const ChipModel model = load_chip(name);
    CHECK(model.link.origin == InterChipLink::Origin::block);
    REQUIRE_FALSE(model.link.source.empty());
    if (!model.link.applicable) {
      CHECK(model.link.source.rfind("not applicable: ", 0) == 0);
      continue;
    }
    CHECK(model.link.energy_pj > 0);
    CHECK(model.link.latency_ns > 0);
    std::ifstream file(resolve_chip_path(name));
    std::string line;
    bool in_block = false;
    while (std::getline(file, line)) {
      if (line.rfind("inter_chip_link:", 0) == 0) {
        in_block = true;
        continue;
      }
      if (in_block && (line.empty() || line[0] != ' ')) break;
      if (!in_block || line.find("source:") != std::string::npos) continue;
      INFO(line);
      const auto comment = line.find('#');
      REQUIRE(comment != std::string::npos);
      const std::string why = line.substr(comment);
      CHECK((why.find("assumed") != std::string::npos || why.find("derived") != std::string::npos ||
             why.find("et al") != std::string::npos));
    }
    CHECK(in_block);
  }
}
