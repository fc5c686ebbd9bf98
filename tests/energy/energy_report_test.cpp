#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "core/energy_report.hpp"
#include "core/error.hpp"
#include "core/simulation.hpp"
#include "tests/energy/test_chip.hpp"
#include "tests/energy/toy_network_engine.hpp"

using namespace tandem;

namespace {

EnergyReport toy_report(ExecutionMode mode) {
  SimulationSettings settings;
  settings.mode = mode;
  Simulation simulation(settings);
  simulation.add(std::make_unique<testing::ToyNetworkEngine>(
      std::vector<std::pair<Tick, std::uint32_t>>{{0, 0}, {0, 1}, {2, 2}, {5, 0}, {5, 1}, {5, 2}, {5, 3}}));
  EnergyLedger ledger(simulation, testing::test_chip("0"), EnergyLedgerSettings{.window_ticks = 4});
  simulation.run(10);
  ledger.finish();
  return make_energy_report(ledger, "toy");
}

std::string parse_error(const std::string& text) {
  try {
    parse_energy_report(text, "r.json");
  } catch (const InputError& error) {
    return error.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("report: header fields describe the run", "[energy][report]") {
  const EnergyReport report = toy_report(ExecutionMode::event);
  CHECK(report.chip == "test");
  CHECK(report.mode == "event");
  CHECK(report.ticks == 10);
  CHECK(report.duration_ms == 10.0);
  CHECK(report.mapping.cores_used == 3);
  CHECK(report.mapping.cores_available == 4);
  CHECK(report.nodes.size() == 4);
  CHECK(report.total.energy_j() == Approx(869e-12));
}

TEST_CASE("report: JSON round trip keeps every figure", "[energy][report]") {
  const EnergyReport report = toy_report(ExecutionMode::event);
  const std::string path = (std::filesystem::temp_directory_path() / "tandem_energy_report_test.json").string();
  write_energy_report(report, path);
  const EnergyReport back = read_energy_report(path);
  std::filesystem::remove(path);
  CHECK(back.schema_version == 1);
  CHECK(back.chip == report.chip);
  CHECK(back.mode == report.mode);
  CHECK(back.ticks == report.ticks);
  CHECK(back.network == "toy");
  REQUIRE(back.nodes.size() == report.nodes.size());
  for (std::size_t i = 0; i < report.nodes.size(); ++i) {
    CHECK(back.nodes[i].node == report.nodes[i].node);
    CHECK(back.nodes[i].kind == report.nodes[i].kind);
    CHECK(back.nodes[i].executed == report.nodes[i].executed);
    CHECK(back.nodes[i].always_on == report.nodes[i].always_on);
    CHECK(back.nodes[i].executed_route == report.nodes[i].executed_route);
    CHECK(back.nodes[i].energy_j() == report.nodes[i].energy_j());  // JSON doubles round-trip exactly
  }
  CHECK(back.total.always_on_energy_j() == report.total.always_on_energy_j());
  CHECK(back.mapping.cores.size() == 3);
  CHECK(back.mapping.cores[1].nodes == std::vector<std::string>{"pop"});
}

TEST_CASE("report: JSON has the documented schema", "[energy][report]") {
  const auto json = nlohmann::json::parse(energy_report_to_json(toy_report(ExecutionMode::event)));
  for (const char* key : {"schema_version", "tandem_version", "network", "chip", "mode", "dt_ms", "ticks",
                          "duration_ms", "window_ticks", "nodes", "total", "mapping"}) {
    CHECK(json.contains(key));
  }
  const auto& pop = json["nodes"][2];
  CHECK(pop["node"] == "pop");
  CHECK(pop["executed"]["spikes"] == 6);
  CHECK(pop["routing"]["executed"]["north_south"] == 6);
  CHECK(pop["energy_j"]["total"].get<double>() == Approx(408e-12));
  CHECK(json["total"]["ratio"].get<double>() == Approx(869.0 / 4430.0));
  CHECK(json["mapping"]["utilisation"]["neurons"]["max"].get<double>() == Approx(1.0));
}

TEST_CASE("report: the reader names the file, key and problem", "[energy][report]") {
  auto json = nlohmann::json::parse(energy_report_to_json(toy_report(ExecutionMode::event)));
  CHECK_THAT(parse_error("{"), Catch::Contains("r.json") && Catch::Contains("not valid JSON"));
  auto future = json;
  future["schema_version"] = 2;
  CHECK_THAT(parse_error(future.dump()), Catch::Contains("unsupported schema_version 2"));
  auto missing = json;
  missing["nodes"][1]["executed"].erase("macs");
  CHECK_THAT(parse_error(missing.dump()), Catch::Contains("r.json: key 'nodes[1].executed.macs': missing"));
  auto negative = json;
  negative["total"]["energy_j"]["dynamic"] = -1.0;
  CHECK_THAT(parse_error(negative.dump()), Catch::Contains("total.energy_j.dynamic"));
  auto wrong_mode = json;
  wrong_mode["mode"] = "turbo";
  CHECK_THAT(parse_error(wrong_mode.dump()), Catch::Contains("'mode'"));
  CHECK_THROWS_AS(read_energy_report("/nowhere/report.json"), InputError);
}

TEST_CASE("report: console table and comparison", "[energy][report]") {
  const EnergyReport event = toy_report(ExecutionMode::event);
  const EnergyReport always_on = toy_report(ExecutionMode::always_on);
  const std::string table = format_energy_table(event);
  CHECK_THAT(table, Catch::Contains("chip 'test'") && Catch::Contains("cores used 3 of 4") &&
                        Catch::Contains("8.69e-10") && Catch::Contains("4.43e-09") && Catch::Contains("0.196"));
  const std::string comparison = format_energy_comparison({event, always_on}, {"event.json", "always.json"});
  CHECK_THAT(comparison, Catch::Contains("event.json") && Catch::Contains("always.json") &&
                             Catch::Contains("always-on"));
  // Energy of the always-on run over the event run: 4430 / 869.
  CHECK_THAT(comparison, Catch::Contains("x5.098"));
  // synaptic ops: 120 vs 21.
  CHECK_THAT(comparison, Catch::Contains("x5.714"));
  CHECK(format_energy_comparison({}).empty());
}

TEST_CASE("report: an interrupted run says so in JSON, in the table and in a comparison",
          "[energy][report]") {
  EnergyReport report = toy_report(ExecutionMode::event);
  report.status = "interrupted";
  report.stop_reason = "interrupted by SIGINT after 10 ticks";
  const EnergyReport back = parse_energy_report(energy_report_to_json(report), "r.json");
  CHECK(back.status == "interrupted");
  CHECK(back.stop_reason == report.stop_reason);
  CHECK_THAT(format_energy_table(report), Catch::Contains("interrupted: interrupted by SIGINT after 10 ticks"));
  CHECK_THAT(format_energy_comparison({toy_report(ExecutionMode::event), report}), Catch::Contains("interrupted"));

  auto json = nlohmann::json::parse(energy_report_to_json(report));
  json.erase("status");  // reports written before the key existed ran to completion
  json.erase("stop_reason");
  CHECK(parse_energy_report(json.dump(), "r.json").status == "complete");
  json["status"] = "paused";
  CHECK_THAT(parse_error(json.dump()), Catch::Contains("'status'") && Catch::Contains("complete"));
}

TEST_CASE("report: static power, time, step, memory and approximation survive the JSON round trip",
          "[energy][report]") {
  Simulation simulation(SimulationSettings{});
  simulation.add(std::make_unique<testing::ToyNetworkEngine>(
      std::vector<std::pair<Tick, std::uint32_t>>{{0, 0}, {0, 1}, {2, 2}, {5, 0}, {5, 1}, {5, 2}, {5, 3}}));
  EnergyLedger ledger(simulation, parse_chip_text(testing::timed_test_chip_yaml(), "timed.yaml"),
                      EnergyLedgerSettings{.window_ticks = 4});
  simulation.run(10);
  ledger.finish();
  EnergyReport report = make_energy_report(ledger, "toy");
  report.step_ticks = 5;
  report.step_name = "control step";
  report.nodes.back().approximation_error = 0.25;
  const EnergyReport back = parse_energy_report(energy_report_to_json(report), "r.json");
  CHECK(back.static_power.core_active_w == 1.0);
  CHECK(back.static_power.core_idle_w == 0.5);
  CHECK_FALSE(back.static_power.unused_cores_power_gated);
  CHECK(back.static_power.source == "assumed: test");
  CHECK(back.time.modelled);
  CHECK(back.time.pacing == "real-time");
  CHECK(back.time.sync_ns == 100.0);
  CHECK(back.time.executed.chip_time_s == report.time.executed.chip_time_s);
  CHECK(back.time.executed.core_ticks_working == report.time.executed.core_ticks_working);
  CHECK(back.time.always_on.unused_cores_static_j == report.time.always_on.unused_cores_static_j);
  CHECK(back.step_ticks == 5);
  CHECK(back.step_name == "control step");
  CHECK(back.total.static_j == report.total.static_j);
  CHECK(back.total.always_on_static_j == report.total.always_on_static_j);
  CHECK(back.nodes.back().approximation_error == 0.25);
  CHECK(std::isnan(back.nodes.front().approximation_error));
  CHECK(back.nodes[0].weight_bytes == report.nodes[0].weight_bytes);
  CHECK(back.nodes[1].possible_synapses == 12.0);
  CHECK(back.mapping.cores[1].node_units == std::vector<std::size_t>{3});
  const std::string table = format_energy_table(report);
  CHECK_THAT(table, Catch::Contains("time on chip: tick mean") && Catch::Contains("per control step (5 ticks)") &&
                        Catch::Contains("NeuroBench: effective ACs 21") && Catch::Contains("approximation: readout"));
}
