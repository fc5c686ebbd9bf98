#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>

#include "core/chip_model.hpp"
#include "core/chip_presets.hpp"
#include "core/error.hpp"
#include "tests/energy/ledger_test_helpers.hpp"
#include "tests/energy/test_chip.hpp"

using namespace tandem;

namespace {

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("chip: test chip parses every field", "[energy][chip]") {
  const ChipModel chip = testing::test_chip("0.5");
  CHECK(chip.name == "test");
  CHECK(chip.mesh_width == 2);
  CHECK(chip.mesh_height == 2);
  CHECK(chip.cores() == 4);
  CHECK(chip.core.neurons == 4);
  CHECK(chip.core.fan_in == 8);
  CHECK(chip.core.synapse_memory_bytes == 1000);
  CHECK(chip.core.snn);
  CHECK(chip.core.ann);
  CHECK(chip.cost(Op::synaptic_op) == 2);
  CHECK(chip.cost(Op::memory_byte_read) == 0);  // not listed: free
  CHECK(chip.hop_east_west_pj == 17);
  CHECK(chip.hop_north_south_pj == 19);
  CHECK(chip.cost(Op::hop) == 18);            // mean of the two directions
  CHECK(chip.link.energy_pj == 18);           // no inter_chip_link block: as the mean hop
  CHECK(chip.link.origin == InterChipLink::Origin::on_chip_hop);
  CHECK(chip.static_power.core_active_w == 0.5);
  CHECK(chip.static_power.core_idle_w == 0.5);
  CHECK(chip.static_power.unused_cores_power_gated);
  CHECK(chip.clock_hz == 1e6);
}

TEST_CASE("chip: every preset loads with its documented key figures", "[energy][chip][presets]") {
  const auto names = list_preset_names();
  for (const char* expected : {"loihi", "loihi_davies2018", "loihi2", "tianjic", "horowitz45", "cpu", "gpu", "arm", "spinnaker", "spinnaker2"}) {
    CHECK(std::find(names.begin(), names.end(), expected) != names.end());
  }
  for (const auto& name : names) {
    INFO(name);
    const ChipModel chip = load_chip(name);
    CHECK(chip.name == name);
    CHECK(chip.cores() >= 1);
    CHECK_FALSE(chip.source.empty());
    // Static power and time are in every report: every preset has both, with a source.
    CHECK_FALSE(chip.static_power.source.empty());
    CHECK(chip.timing.modelled);
    CHECK_FALSE(chip.timing.source.empty());
    CHECK(chip.untimed_without_reason().empty());
  }
  // loihi is SANA-FE's model (arch/loihi.yaml): 32 tiles of 4 cores.
  const ChipModel loihi = load_chip("loihi");
  CHECK(loihi.cores() == 128);
  CHECK(loihi.tiles() == 32);
  CHECK(loihi.core.neurons == 1024);
  CHECK(loihi.cost(Op::synaptic_op) == Approx(35.5));
  CHECK(loihi.cost(Op::neuron_update) == Approx(51.2 + 21.6));
  CHECK(loihi.cost(Op::neuron_update_skipped) == Approx(51.2));
  CHECK(loihi.cost(Op::spike) == Approx(69.3));
  CHECK(loihi.cost(Op::packet) == Approx(111));
  CHECK(loihi.hop_east_west_pj == Approx(3.0));
  CHECK(loihi.hop_north_south_pj == Approx(4.2));
  CHECK(loihi.timing.pipelines_overlap);
  CHECK(loihi.timing.sync_ns(1) == Approx(600));   // SANA-FE's table by tiles in use, as steps
  CHECK(loihi.timing.sync_ns(3) == Approx(1000));
  CHECK(loihi.timing.sync_ns(28) == Approx(1400));
  CHECK(loihi.timing.sync_ns(32) == Approx(1800));
  CHECK_FALSE(loihi.core.ann);
  const ChipModel davies = load_chip("loihi_davies2018");
  CHECK(davies.cost(Op::synaptic_op) == Approx(23.6));
  CHECK(davies.cost(Op::hop) == Approx(3.5));  // mean of 3.0 E-W and 4.0 N-S
  // Loihi 2 runs dense layers as graded-spike neurons, so hybrid networks map onto it.
  const ChipModel loihi2 = load_chip("loihi2");
  CHECK(loihi2.cores() == 128);
  CHECK(loihi2.core.ann);
  CHECK(loihi2.cost(Op::mac) == Approx(23.6));
  const ChipModel tianjic = load_chip("tianjic");
  CHECK(tianjic.cores() == 156);
  CHECK(tianjic.cost(Op::mac) == Approx(2.0 / 1.28));   // 1.28 TOPS/W, 2 ops per MAC
  CHECK(tianjic.cost(Op::synaptic_op) == Approx(1e12 / 650e9).epsilon(1e-3));
  CHECK(load_chip("horowitz45").cost(Op::mac) == Approx(3.7 + 0.9));
  CHECK(load_chip("spinnaker2").cost(Op::neuron_update) == Approx(2.19e-9 / 1e-12));
  CHECK(load_chip("cpu").cost(Op::mac) == load_chip("cpu").cost(Op::synaptic_op));
}

TEST_CASE("chip: --chip resolves a .yaml path and refuses unknown names", "[energy][chip][presets]") {
  const std::string path = std::string(TANDEM_SOURCE_DIR) + "/presets/tianjic.yaml";
  CHECK(resolve_chip_path(path) == path);
  CHECK(load_chip(path).name == "tianjic");
  CHECK_THROWS_WITH(resolve_chip_path("no_such_chip"), Catch::Contains("no_such_chip") && Catch::Contains("loihi"));
  CHECK_THROWS_WITH(resolve_chip_path("/nowhere/chip.yaml"), Catch::Contains("no such chip file"));
}

TEST_CASE("chip: malformed files name the file, key, line and problem", "[energy][chip]") {
  const std::string good = testing::test_chip_yaml();
  SECTION("missing key") {
    const std::string message = testing::chip_parse_error(replaced(good, "static_power_w: 0\n", ""));
    CHECK_THAT(message, Catch::Contains("bad.yaml") && Catch::Contains("static_power_w") && Catch::Contains("missing"));
  }
  SECTION("negative cost, with its line") {
    const std::string message = testing::chip_parse_error(replaced(good, "macs: 5", "macs: -5"));
    CHECK_THAT(message, Catch::Contains("bad.yaml: line 10") && Catch::Contains("costs_pj.macs") &&
                            Catch::Contains("negative"));
  }
  SECTION("NaN cost") {
    CHECK_THAT(testing::chip_parse_error(replaced(good, "macs: 5", "macs: .nan")),
               Catch::Contains("costs_pj.macs") && Catch::Contains("finite"));
  }
  SECTION("zero mesh") {
    CHECK_THAT(testing::chip_parse_error(replaced(good, "width: 2", "width: 0")),
               Catch::Contains("mesh.width") && Catch::Contains(">= 1"));
  }
  SECTION("unknown op name") {
    CHECK_THAT(testing::chip_parse_error(replaced(good, "macs: 5", "maccs: 5")),
               Catch::Contains("costs_pj.maccs") && Catch::Contains("unknown op name"));
  }
  SECTION("unknown mode and unknown key") {
    CHECK_THAT(testing::chip_parse_error(replaced(good, "[snn, ann]", "[snn, gpu]")), Catch::Contains("unknown mode 'gpu'"));
    CHECK_THAT(testing::chip_parse_error(good + "colour: red\n"), Catch::Contains("'colour'") && Catch::Contains("unknown key"));
  }
  SECTION("only one hop direction") {
    CHECK_THAT(testing::chip_parse_error(replaced(good, "  hops_north_south: 19\n", "")), Catch::Contains("hops_east_west"));
  }
  SECTION("unpriced: an unknown op, a priced op, a missing reason") {
    CHECK_THAT(testing::chip_parse_error(good + "unpriced: {maccs: folded}\n"), Catch::Contains("unpriced.maccs") && Catch::Contains("unknown op"));
    CHECK_THAT(testing::chip_parse_error(good + "unpriced: {macs: folded}\n"), Catch::Contains("unpriced.macs") && Catch::Contains("has a figure in costs_pj too"));
    CHECK_THAT(testing::chip_parse_error(good + "unpriced: {input_events: [1]}\n"), Catch::Contains("unpriced.input_events") && Catch::Contains("reason"));
  }
  SECTION("not YAML") {
    CHECK_THAT(testing::chip_parse_error("mesh: {width: 2"), Catch::Contains("bad.yaml: line") && Catch::Contains("not valid YAML"));
  }
  SECTION("a missing file") {
    CHECK_THROWS_AS(load_chip_file("/nowhere/x.yaml"), InputError);
  }
}

TEST_CASE("chip: every preset prices every counter or says why not (no silent zero)", "[energy][chip][presets]") {
  for (const auto& name : list_preset_names()) {
    const ChipModel chip = load_chip(name);
    INFO("preset " << name);
    CHECK(chip.unexplained_zeros().empty());
    for (const auto& [op, reason] : chip.unpriced) CHECK(reason.size() > 20);  // a reason, not a word
  }
  // The test chip leaves input events, conversions and memory unpriced without a word.
  const ChipModel test = testing::test_chip();
  CHECK(test.unexplained_zeros() == std::vector<std::string>{"input_events", "encoder_conversions", "decoder_conversions",
                                                             "memory_bytes_read", "memory_bytes_written"});
}
