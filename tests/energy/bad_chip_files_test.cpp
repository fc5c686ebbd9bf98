// Every file in tests/data/bad/chips/ must be refused by the chip loader with an InputError that
// starts with the file name and names the key and the problem: never a crash or silent acceptance.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "core/chip_model.hpp"
#include "core/error.hpp"
#include "tests/support/bad_file_table.hpp"

namespace {

struct BadChip {
  const char* file;
  const char* key;      // "key 'x'" expected in the message ("" for whole-file problems)
  const char* problem;  // expected in the message too
};

const std::filesystem::path bad_chip_dir = std::filesystem::path(TANDEM_SOURCE_DIR) / "tests/data/bad/chips";

}  // namespace

TEST_CASE("chip: every bad chip file is refused naming file, key and problem", "[energy][chip][bad]") {
  const BadChip table[] = {
      {"truncated.yaml", "", "not valid YAML"},
      {"empty.yaml", "(top level)", "expected a map describing a chip"},
      {"negative_cost.yaml", "costs_pj.macs", "must not be negative, got -5"},
      {"nan_cost.yaml", "costs_pj.macs", "must be finite"},
      {"inf_clock.yaml", "clock_hz", "must be finite"},
      {"wrong_type_neurons.yaml", "core.neurons", "expected a number, got 'four'"},
      {"fractional_fan_in.yaml", "core.fan_in", "must be a whole number >= 1, got 8.5"},
      {"zero_mesh.yaml", "mesh.width", "must be a whole number >= 1, got 0"},
      {"huge_mesh.yaml", "mesh", "more than 2^24 cores, which would exhaust memory"},
      {"huge_capacity.yaml", "core.synapse_memory_bytes", "above 2^40, which would exhaust memory"},
      {"unknown_op.yaml", "costs_pj.maccs", "unknown op name"},
      {"unknown_mode.yaml", "core.modes", "unknown mode 'gpu'"},
      {"unknown_key.yaml", "colour", "unknown key"},
      {"missing_key.yaml", "static_power", "missing"},
      {"costs_not_map.yaml", "costs_pj", "expected a map"},
  };
  CHECK(tandem::testing::files_with_extension(bad_chip_dir, ".yaml") == std::size(table));  // a new bad file needs a row here

  for (const auto& bad : table) {
    const std::string file = (bad_chip_dir / bad.file).string();
    INFO(bad.file);
    const std::string message = tandem::testing::input_error_of([](const std::string& f) { tandem::load_chip_file(f); }, file);
    INFO(message);
    if (bad.key[0] != '\0') CHECK(message.find(std::string("key '") + bad.key + "'") != std::string::npos);
    CHECK(message.find(bad.problem) != std::string::npos);
  }
}

TEST_CASE("chip: a missing chip file is refused naming it", "[energy][chip][bad]") {
  const std::string file = (bad_chip_dir / "no_such_chip.yaml").string();
  REQUIRE_THROWS_WITH(tandem::load_chip_file(file), Catch::StartsWith(file) && Catch::Contains("cannot open"));
}
