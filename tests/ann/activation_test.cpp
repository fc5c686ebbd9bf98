#include <catch2/catch.hpp>
#include <cmath>

#include "ann/activation.hpp"
#include "core/error.hpp"

using namespace tandem;
using namespace tandem::ann;

TEST_CASE("activation: element-wise functions match their definitions", "[ann][activation]") {
  Activation a;
  a.kind = ActivationKind::relu;
  CHECK(activate(a, -2.0f) == 0.0f);
  CHECK(activate(a, 3.0f) == 3.0f);
  a.kind = ActivationKind::clipped_relu;
  a.clip_max = 1.5f;
  CHECK(activate(a, -1.0f) == 0.0f);
  CHECK(activate(a, 1.0f) == 1.0f);
  CHECK(activate(a, 4.0f) == 1.5f);
  a.kind = ActivationKind::leaky_relu;
  a.leak_slope = 0.1f;
  CHECK(activate(a, -2.0f) == Approx(-0.2f));
  CHECK(activate(a, 2.0f) == 2.0f);
  a.kind = ActivationKind::tanh;
  CHECK(activate(a, 0.5f) == Approx(std::tanh(0.5)));
  a.kind = ActivationKind::sigmoid;
  CHECK(activate(a, 0.0f) == 0.5f);
  CHECK(activate(a, 2.0f) == Approx(1.0 / (1.0 + std::exp(-2.0))));
  a.kind = ActivationKind::identity;
  CHECK(activate(a, -7.25f) == -7.25f);
}

TEST_CASE("activation: lookup table interpolates linearly and clamps its input range", "[ann][activation]") {
  Activation a;
  a.kind = ActivationKind::lookup_table;
  a.table = LookupTable{-1.0f, 1.0f, {0.0f, 10.0f, 30.0f}};  // knots at -1, 0, 1
  CHECK(activate(a, -1.0f) == 0.0f);
  CHECK(activate(a, -0.5f) == Approx(5.0f));
  CHECK(activate(a, 0.0f) == Approx(10.0f));
  CHECK(activate(a, 0.25f) == Approx(15.0f));
  CHECK(activate(a, 1.0f) == Approx(30.0f));
  CHECK(activate(a, 5.0f) == Approx(30.0f));   // clamped above
  CHECK(activate(a, -9.0f) == Approx(0.0f));   // clamped below
}

TEST_CASE("activation: softmax is a stable probability vector", "[ann][activation]") {
  Activation a;
  a.kind = ActivationKind::softmax;
  Eigen::VectorXf v(3);
  v << 1000.0f, 1001.0f, 1002.0f;  // would overflow exp() without subtracting the max
  apply_activation(a, Eigen::Ref<Eigen::VectorXf>(v));
  CHECK(v.sum() == Approx(1.0f));
  const double denominator = 1.0 + std::exp(1.0) + std::exp(2.0);
  CHECK(v[2] == Approx(std::exp(2.0) / denominator));
  CHECK(v[0] == Approx(1.0 / denominator));
  CHECK_THROWS_AS(activate(a, 1.0f), InputError);
}

TEST_CASE("activation: bad parameters and names are input errors", "[ann][activation]") {
  Activation a;
  a.kind = ActivationKind::clipped_relu;
  a.clip_max = -1.0f;
  CHECK_THROWS_WITH(validate(a, "layer 'h'"), Catch::Contains("layer 'h'") && Catch::Contains("clip_max"));
  a.kind = ActivationKind::lookup_table;
  a.table = LookupTable{1.0f, 1.0f, {0.0f, 1.0f}};
  CHECK_THROWS_WITH(validate(a, "layer 'h'"), Catch::Contains("input range"));
  a.table = LookupTable{0.0f, 1.0f, {0.0f}};
  CHECK_THROWS_WITH(validate(a, "layer 'h'"), Catch::Contains("at least 2"));
  a.table = LookupTable{0.0f, 1.0f, {0.0f, std::nanf("")}};
  CHECK_THROWS_WITH(validate(a, "layer 'h'"), Catch::Contains("value 1"));
  CHECK(parse_activation_kind("tanh", "x") == ActivationKind::tanh);
  CHECK_THROWS_WITH(parse_activation_kind("gelu", "layer 'h'"), Catch::Contains("unknown activation 'gelu'"));
}
