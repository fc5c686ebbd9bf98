// fuzz/known/: NIR files on which libhdf5 1.10 itself crashes, allocates gigabytes or loops. Read
// as a user would (io::read_nir), each must end in an InputError naming the file, never a crash
// or a hang: the read runs in a child process first (core/contained_read.hpp). The time limit is
// lowered here so the looping file costs seconds, not the default 30 s.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <string>

#include "core/contained_read.hpp"
#include "core/error.hpp"
#include "io/nir_graph.hpp"

namespace {
const std::filesystem::path known_dir = std::filesystem::path(TANDEM_SOURCE_DIR) / "fuzz/known";

std::string read_error(const std::filesystem::path& file, const tandem::ContainmentLimits& limits) {
  try {
    (void)tandem::io::read_nir(file, nullptr, limits);
  } catch (const tandem::InputError& error) {
    return error.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("untrusted HDF5: every known libhdf5 failure becomes an InputError naming the file", "[io][nir][bad][hdf5]") {
  const tandem::ContainmentLimits limits{.seconds = 3.0};
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(known_dir)) {
    if (entry.path().extension() != ".nir") continue;
    ++files;
    CAPTURE(entry.path().filename().string());
    const auto start = std::chrono::steady_clock::now();
    const std::string message = read_error(entry.path(), limits);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(message.rfind(entry.path().string(), 0) == 0);  // starts with the file
    CHECK(seconds < 30.0);
  }
  CHECK(files == 4);
  CHECK_THAT(read_error(known_dir / "hdf5_global_heap_timeout.nir", limits), Catch::Contains("no answer after 3 s"));
}

TEST_CASE("untrusted HDF5: a child's InputError comes back with its message, a good read returns its value", "[io][hdf5]") {
  const std::string file = std::string(TANDEM_SOURCE_DIR) + "/tests/data/nir/lif_norse.nir";
  CHECK_THROWS_WITH(tandem::check_read_in_child(file, [] { throw tandem::InputError("x.nir: node 'y': broken"); }),
                    "x.nir: node 'y': broken");
  CHECK_THROWS_WITH(tandem::check_read_in_child(file, [] { throw std::bad_alloc(); }), Catch::Contains("needs more than"));
  CHECK(tandem::read_contained(file, [] { return 42; }) == 42);
  const auto graph = tandem::io::read_nir(file);
  CHECK_FALSE(graph.nodes.empty());
}
