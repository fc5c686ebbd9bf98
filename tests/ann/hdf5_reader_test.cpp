#include <catch2/catch.hpp>
#include <fstream>

#include "core/error.hpp"
#include "core/hdf5_reader.hpp"
#include "tests/ann/hdf5_fixture.hpp"

using namespace tandem;
using Catch::Matchers::Contains;

TEST_CASE("hdf5 reader: lists groups and reads numeric data with dims", "[core][hdf5_reader]") {
  testing::Hdf5Fixture file("reader_basic.h5");
  file.group("/net");
  file.group("/net/l1");
  file.doubles("/net/l1/weight", {2, 3}, {1, 2, 3, 4, 5, 6});
  file.ints("/net/count", {}, {7});
  file.text("/net/kind", "Affine");
  file.text_attribute("/net", "version", "0.1");
  file.close();

  const Hdf5Reader reader(file.path());
  CHECK(reader.exists("/net/l1/weight"));
  CHECK(reader.exists("net/l1"));
  CHECK_FALSE(reader.exists("/net/missing/weight"));
  CHECK(reader.is_group("/net/l1"));
  CHECK_FALSE(reader.is_group("/net/l1/weight"));
  CHECK(reader.is_dataset("/net/l1/weight"));
  CHECK(reader.members("/net") == std::vector<std::string>{"count", "kind", "l1"});
  CHECK(reader.members("/") == std::vector<std::string>{"net"});

  const NumericDataset weight = reader.read_numeric("/net/l1/weight");
  CHECK(weight.dims == std::vector<std::size_t>{2, 3});
  CHECK(weight.values == std::vector<double>{1, 2, 3, 4, 5, 6});  // row-major as written
  const NumericDataset count = reader.read_numeric("/net/count");
  CHECK(count.dims.empty());
  CHECK(count.values == std::vector<double>{7});
  CHECK(reader.dims("/net/l1/weight") == std::vector<std::size_t>{2, 3});
  CHECK(reader.read_string("/net/kind") == "Affine");
  CHECK(reader.read_string_attribute("/net", "version") == "0.1");
  CHECK_FALSE(reader.has_attribute("/net", "other"));
}

TEST_CASE("hdf5 reader: errors name the file, the object and the problem", "[core][hdf5_reader]") {
  CHECK_THROWS_WITH(Hdf5Reader("/nonexistent/dir/w.h5"), Contains("/nonexistent/dir/w.h5") && Contains("no such file"));

  const std::string text_path = (std::filesystem::temp_directory_path() / "tandem_ann_not_hdf5.h5").string();
  std::ofstream(text_path) << "this is not HDF5\n";
  CHECK_THROWS_WITH(Hdf5Reader(text_path), Contains("not an HDF5 file"));
  std::filesystem::remove(text_path);

  testing::Hdf5Fixture file("reader_errors.h5");
  file.text("/name", "x");
  file.doubles("/values", {2}, {1, 2});
  file.close();
  const Hdf5Reader reader(file.path());
  CHECK_THROWS_WITH(reader.read_numeric("/name"), Contains(file.path()) && Contains("/name") && Contains("not numeric"));
  CHECK_THROWS_WITH(reader.read_numeric("/absent"), Contains("/absent") && Contains("no such dataset"));
  CHECK_THROWS_WITH(reader.read_string("/values"), Contains("/values") && Contains("not a string"));
  CHECK_THROWS_WITH(reader.members("/values"), Contains("no such group"));
  CHECK_THROWS_WITH(reader.read_string_attribute("/", "missing"), Contains("'missing'") && Contains("missing"));
}
