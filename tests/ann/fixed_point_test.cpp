#include <catch2/catch.hpp>
#include <limits>

#include "ann/fixed_point.hpp"
#include "core/error.hpp"
#include "core/random.hpp"

using namespace tandem;
using namespace tandem::ann;

TEST_CASE("fixed point: the rounding rule is half away from zero", "[ann][fixed]") {
  // value / 2: ties go away from zero (half-even would give 0, 2, -2 for 1, 3, -3 … not these).
  CHECK(shift_round_half_away(1, 1) == 1);
  CHECK(shift_round_half_away(-1, 1) == -1);
  CHECK(shift_round_half_away(3, 1) == 2);
  CHECK(shift_round_half_away(5, 1) == 3);
  CHECK(shift_round_half_away(-5, 1) == -3);
  // Non-ties round to nearest: 5/4 = 1.25 -> 1, 7/4 = 1.75 -> 2, -7/4 -> -2.
  CHECK(shift_round_half_away(5, 2) == 1);
  CHECK(shift_round_half_away(7, 2) == 2);
  CHECK(shift_round_half_away(-7, 2) == -2);
  CHECK(shift_round_half_away(42, 0) == 42);
  CHECK(quantize_value(0.25, 0.5) == 1);    // 0.5 step -> 1
  CHECK(quantize_value(-0.25, 0.5) == -1);  // -0.5 step -> -1
  CHECK(quantize_value(0.74, 0.5) == 1);    // 1.48 -> 1
}

TEST_CASE("fixed point: saturation clamps to the symmetric int8 and the int32 range", "[ann][fixed]") {
  CHECK(saturate_int8(1000) == 127);
  CHECK(saturate_int8(-1000) == -127);
  CHECK(saturate_int8(-128) == -127);
  CHECK(saturate_int8(5) == 5);
  CHECK(quantize_value(1e9, 1.0) == 127);
  CHECK(quantize_value(-1e9, 1.0) == -127);
  CHECK(saturate_int32(std::int64_t{1} << 40) == std::numeric_limits<std::int32_t>::max());
  CHECK(saturate_int32(-(std::int64_t{1} << 40)) == std::numeric_limits<std::int32_t>::min());
}

TEST_CASE("fixed point: requantiser equals rounding the exact real product", "[ann][fixed]") {
  const Requantizer half = Requantizer::from_real(0.5);
  CHECK(half.multiplier == (std::int64_t{1} << 30));
  CHECK(half.apply(3) == 2);   // 1.5 -> 2
  CHECK(half.apply(-3) == -2);
  RandomStream random(7);
  for (int trial = 0; trial < 200; ++trial) {
    const double factor = std::exp(random.uniform(-12.0, 2.0));
    const Requantizer q = Requantizer::from_real(factor);
    CHECK(q.real() == Approx(factor).epsilon(1e-9));  // 31 significant bits
    const auto accumulator = static_cast<std::int32_t>(random.uniform(-2e6, 2e6));
    const double exact = static_cast<double>(accumulator) * q.real();
    // The integer result is the exact product of the represented factor, rounded half away.
    const double expected = exact >= 0 ? std::floor(exact + 0.5) : -std::floor(-exact + 0.5);
    CHECK(static_cast<double>(q.apply(accumulator)) == expected);
  }
  CHECK_THROWS_AS(Requantizer::from_real(0.0), InputError);
  CHECK_THROWS_AS(Requantizer::from_real(std::nan("")), InputError);
  CHECK_THROWS_AS(Requantizer::from_real(4e9), InputError);
  CHECK(Requantizer::from_real(1e-30).apply(std::numeric_limits<std::int32_t>::max()) == 0);
}
