// Every file in tests/data/bad/ must be refused with an InputError that names the file, the
// place (line:column where there is one) and the key path of the mistake.
#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>
#include <string>

#include "core/error.hpp"
#include "io/network_file.hpp"

namespace {

struct BadFile {
  const char* file;
  const char* key_path;  // expected in the message
  const char* problem;   // expected in the message too
  bool located;          // message has file:line:col
};

const std::filesystem::path bad_dir = std::filesystem::path(TANDEM_SOURCE_DIR) / "tests/data/bad";

}  // namespace

TEST_CASE("network file: every bad file is refused naming file, place and key path", "[io][bad]") {
  const BadFile table[] = {
      {"truncated.yaml", "", "YAML syntax error", true},
      {"wrong_type_size.yaml", "populations.exc.size", "must be a number, got 'ten'", true},
      {"negative_size.yaml", "populations.exc.size", "must be a positive integer, got -3", true},
      {"huge_size.yaml", "populations.big.size", "would exhaust memory", true},
      {"huge_synapses.yaml", "projections.everything", "1e+10 synapses", true},
      {"nan_parameter.yaml", "populations.exc.parameters.tau_m_ms", "finite number, got nan", true},
      {"inf_rate.yaml", "inputs.drive.rate_hz", "finite number, got inf", true},
      {"unknown_key.yaml", "populations.exc.sise", "did you mean 'size'", true},
      {"unknown_section.yaml", "population", "did you mean 'populations'", true},
      {"dangling_reference.yaml", "projections.exc_to_inh.to", "no node named 'inh'", true},
      {"duplicate_names.yaml", "layers.exc", "already used by populations.exc", true},
      {"duplicate_key.yaml", "populations.exc", "given twice", true},
      {"zero_latency_cycle.yaml", "", "zero-latency cycle", true},
      {"missing_weight_file.yaml", "layers.readout.weights.file", "file not found", true},
      {"wrong_type_dt.yaml", "simulation.dt_ms", "must be a number, got a list", true},
      {"bad_mode.yaml", "simulation.mode", "must be one of event, always-on", true},
      {"duration_not_whole_ticks.yaml", "simulation.duration_ms", "whole number", true},
      {"weight_shape.yaml", "layers.readout.weights", "must be 2 x 3", true},
      {"probe_out_of_range.yaml", "probes.0.units.0", "out of range", true},
      {"empty.yaml", "", "must be a mapping", false},
      {"missing_model.yaml", "populations.exc.model", "is required", true},
      {"probability_above_one.yaml", "projections.recurrent.p", "must be <= 1", true},
      {"negative_delay.yaml", "projections.recurrent.delay_ms", "must be at least one tick", true},
      {"zero_delay.yaml", "projections.recurrent.delay_ms", "must be at least one tick (dt_ms = 1), got 0", true},
      {"bad_wire_port.yaml", "wires.0.from", "'node' or 'node.port'", true},
      {"input_key_of_other_kind.yaml", "inputs.drive.value", "unknown key", true},
  };
  std::size_t files_in_dir = 0;
  for (const auto& entry : std::filesystem::directory_iterator(bad_dir)) files_in_dir += entry.path().extension() == ".yaml";
  CHECK(files_in_dir == std::size(table));  // a new bad file needs a row here

  for (const auto& bad : table) {
    const std::string file = (bad_dir / bad.file).string();
    INFO(bad.file);
    try {
      tandem::io::load_network(file);
      FAIL("accepted " << bad.file);
    } catch (const tandem::InputError& error) {
      const std::string message = error.what();
      INFO(message);
      CHECK(message.rfind(file, 0) == 0);  // starts with the file name
      CHECK(message.find(std::string(bad.key_path)) != std::string::npos);
      CHECK(message.find(bad.problem) != std::string::npos);
      if (bad.located) {
        CHECK(std::regex_search(message, std::regex("^[^:]+:[0-9]+:[0-9]+: ")));
      }
      if (bad.key_path[0] != '\0') CHECK(message.find(std::string(": ") + bad.key_path) != std::string::npos);
    }
  }
}

TEST_CASE("network file: the reported line and column point at the mistake", "[io][bad]") {
  const std::string file = (bad_dir / "negative_size.yaml").string();
  // "    size: -3" is line 4; the value starts in column 11.
  REQUIRE_THROWS_WITH(tandem::io::load_network(file),
                      file + ":4:11: populations.exc.size: must be a positive integer, got -3");
}

TEST_CASE("network file: a zero-latency cycle is named node by node", "[io][bad]") {
  try {
    tandem::io::load_network(bad_dir / "zero_latency_cycle.yaml");
    FAIL("cycle accepted");
  } catch (const tandem::InputError& error) {
    const std::string message = error.what();
    // exc -> decode (bridge input) -> control (layer input) -> encode (bridge input) -> exc (wire)
    for (const char* hop : {"exc -> decode", "decode -> control", "control -> encode", "encode -> exc"}) {
      CHECK(message.find(hop) != std::string::npos);
    }
  }
}

TEST_CASE("network file: a missing file is an InputError naming it", "[io][bad]") {
  REQUIRE_THROWS_WITH(tandem::io::load_network("no/such/net.yaml"), Catch::Contains("no/such/net.yaml"));
}
