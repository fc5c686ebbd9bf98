#include <catch2/catch.hpp>

#include "ann/weights_hdf5.hpp"
#include "core/error.hpp"
#include "tests/ann/hdf5_fixture.hpp"

using namespace tandem;
using namespace tandem::ann;
using Catch::Matchers::Contains;

TEST_CASE("weights hdf5: weight [out x in] and bias [out] load as NIR stores them", "[ann][hdf5]") {
  testing::Hdf5Fixture file("weights_ok.h5");
  file.group("/fc1");
  file.floats("/fc1/weight", {2, 3}, {1, 2, 3, 4, 5, 6});
  file.doubles("/fc1/bias", {2}, {0.5, -0.5});
  file.floats("/weight", {1, 2}, {7, 8});
  file.close();

  const DenseWeights weights = load_dense_weights(file.path(), "/fc1");
  REQUIRE(weights.weight.rows() == 2);
  REQUIRE(weights.weight.cols() == 3);
  // Row i of the file is output i: W(1, 0) is the 4th value written.
  CHECK(weights.weight(0, 2) == 3.0f);
  CHECK(weights.weight(1, 0) == 4.0f);
  CHECK(weights.bias[1] == -0.5f);

  const DenseWeights root = load_dense_weights(file.path(), "/", BiasPolicy::optional_zero);
  CHECK(root.weight(0, 1) == 8.0f);
  CHECK(root.bias.size() == 1);
  CHECK(root.bias[0] == 0.0f);
}

TEST_CASE("weights hdf5: malformed files are errors naming file, dataset and problem", "[ann][hdf5]") {
  testing::Hdf5Fixture file("weights_bad.h5");
  file.group("/no_bias");
  file.floats("/no_bias/weight", {2, 2}, {1, 2, 3, 4});
  file.group("/rank");
  file.floats("/rank/weight", {4}, {1, 2, 3, 4});
  file.floats("/rank/bias", {2}, {0, 0});
  file.group("/shape");
  file.floats("/shape/weight", {2, 2}, {1, 2, 3, 4});
  file.floats("/shape/bias", {3}, {0, 0, 0});
  file.group("/text");
  file.text("/text/weight", "oops");
  file.group("/nan");
  file.floats("/nan/weight", {1, 2}, {1, std::numeric_limits<float>::quiet_NaN()});
  file.floats("/nan/bias", {1}, {0});
  file.group("/huge");
  file.doubles("/huge/weight", {1, 1}, {1e300});
  file.doubles("/huge/bias", {1}, {0});
  file.close();
  const std::string& path = file.path();

  CHECK_THROWS_AS(load_dense_weights("/no/such/file.h5", "/fc"), InputError);
  CHECK_THROWS_WITH(load_dense_weights(path, "/absent"), Contains(path) && Contains("group '/absent' not found"));
  CHECK_THROWS_WITH(load_dense_weights(path, "/no_bias"), Contains("/no_bias/bias") && Contains("dataset missing"));
  CHECK_THROWS_WITH(load_dense_weights(path, "/rank"), Contains("/rank/weight") && Contains("rank 2") && Contains("[4]"));
  CHECK_THROWS_WITH(load_dense_weights(path, "/shape"), Contains("/shape/bias") && Contains("[3]") && Contains("[2 x 2]"));
  CHECK_THROWS_WITH(load_dense_weights(path, "/text"), Contains("/text/weight") && Contains("not numeric"));
  CHECK_THROWS_WITH(load_dense_weights(path, "/nan"), Contains("/nan/weight") && Contains("value 1 is nan"));
  CHECK_THROWS_WITH(load_dense_weights(path, "/huge"), Contains("/huge/weight") && Contains("finite float32"));
}
