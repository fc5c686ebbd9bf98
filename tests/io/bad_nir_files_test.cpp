// Every file in tests/data/bad/nir/ (written by make_bad_nir.py there) must be refused by the NIR
// import with an InputError that starts with the file name and names the node or object and the
// problem: never a crash, a hang or an allocation of the declared (absurd) size.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "core/error.hpp"
#include "tests/support/bad_file_table.hpp"
#include "io/nir_import.hpp"

namespace {

struct BadNir {
  const char* file;
  const char* where;    // node or object named in the message
  const char* problem;  // expected in the message too
};

const std::filesystem::path bad_nir_dir = std::filesystem::path(TANDEM_SOURCE_DIR) / "tests/data/bad/nir";

}  // namespace

TEST_CASE("nir: every bad file is refused naming file, node and problem", "[io][nir][bad]") {
  const BadNir table[] = {
      {"truncated.nir", "", "HDF5"},
      {"not_hdf5.nir", "", "not an HDF5 file"},
      {"no_node.nir", "/node", "not a NIR file"},
      {"not_a_graph.nir", "/node", "top-level type is 'LIF', not NIRGraph"},
      {"empty_graph.nir", "/node", "the graph has no nodes"},
      {"nan_parameter.nir", "node 'x'", "parameter 'tau' holds a value that is not finite"},
      {"inf_parameter.nir", "node 'x'", "parameter 'v_threshold' holds a value that is not finite"},
      {"negative_shape.nir", "node 'input'", "'shape' must hold positive whole numbers, got -4"},
      {"fractional_shape.nir", "node 'input'", "'shape' must hold positive whole numbers, got 2.5"},
      {"zero_shape.nir", "node 'input'", "'shape' must hold positive whole numbers, got 0"},
      {"huge_shape.nir", "node 'input'", "would exhaust memory"},
      {"huge_weight.nir", "node 'x'", "parameter 'weight' declares more than"},
      {"weight_not_matrix.nir", "node 'x'", "weight must be a matrix [out, in]"},
      {"bias_shape.nir", "node 'x'", "bias has 3 values, weight has 2 rows"},
      {"missing_parameter.nir", "node 'x'", "missing parameter 'v_threshold' of LIF"},
      {"string_parameter.nir", "node 'x'", "parameter 'tau' of LIF is not numeric"},
      {"negative_delay.nir", "node 'x'", "delay -0.002000 s is negative"},
      {"node_without_type.nir", "node 'x'", "has no 'type'"},
      {"unknown_type.nir", "node 'x'", "unknown NIR node type Wobble"},
      {"dangling_edge.nir", "edge [x -> nowhere]", "no node named 'nowhere'"},
      {"link_cycle.nir", "/node/nodes/again", "nested more than 32 deep"},
      {"edges_wrong_type.nir", "/node/edges", "not a string dataset"},
  };
  CHECK(tandem::testing::files_with_extension(bad_nir_dir, ".nir") == std::size(table));  // a new bad file needs a row here

  for (const auto& bad : table) {
    const std::string file = (bad_nir_dir / bad.file).string();
    INFO(bad.file);
    const std::string message = tandem::testing::input_error_of([](const std::string& f) { tandem::io::import_nir(f, {}); }, file);
    INFO(message);
    CHECK(message.find(bad.where) != std::string::npos);
    CHECK(message.find(bad.problem) != std::string::npos);
  }
}

TEST_CASE("nir: a missing file is refused naming it", "[io][nir][bad]") {
  const std::string file = (bad_nir_dir / "no_such_file.nir").string();
  REQUIRE_THROWS_AS(tandem::io::import_nir(file, {}), tandem::InputError);
  REQUIRE_THROWS_WITH(tandem::io::import_nir(file, {}), Catch::StartsWith(file) && Catch::Contains("no such file"));
}
