// Fixed-point arithmetic as a hybrid chip's dense cores compute: symmetric int8 values,
// int32 accumulators, saturation, and requantisation by an integer multiplier and a shift.
// Rounding rule everywhere: round half away from zero (0.5 -> 1, -0.5 -> -1, 1.5 -> 2).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "tianjic/integer_arithmetic.hpp"

namespace tandem::ann {

// Symmetric int8: -127 … 127 (-128 is never produced, so negation never overflows).
inline constexpr std::int32_t int8_limit = 127;

inline std::int8_t saturate_int8(std::int64_t value) {
  return static_cast<std::int8_t>(std::clamp<std::int64_t>(value, -int8_limit, int8_limit));
}

// One int32 saturation for the generic and the Tianjic arithmetic.
using tianjic::saturate_int32;

// value / 2^shift rounded half away from zero; shift in [0, 62].
inline std::int64_t shift_round_half_away(std::int64_t value, int shift) {
  if (shift <= 0) return value;
  const std::int64_t half = std::int64_t{1} << (shift - 1);
  return value >= 0 ? (value + half) >> shift : -((-value + half) >> shift);
}

// x / scale rounded half away from zero and saturated to the symmetric int8 range;
// NaN maps to 0 (callers reject NaN inputs before they get here).
inline std::int8_t quantize_value(double x, double scale) {
  const double scaled = x / scale;
  if (std::isnan(scaled)) return 0;
  return static_cast<std::int8_t>(std::clamp(std::round(scaled), -127.0, 127.0));
}

// Multiplies an accumulator by a real factor M > 0 represented as multiplier * 2^-shift,
// multiplier in [2^30, 2^31) (31 significant bits), as integer-only hardware does.
struct Requantizer {
  std::int64_t multiplier = 0;
  int shift = 0;

  // InputError when M is not finite, not > 0, or so large that shift would be negative (M >= 2^31).
  static Requantizer from_real(double real_multiplier);
  // round_half_away(accumulator * multiplier / 2^shift), exact in int64 for |accumulator| < 2^31.
  [[nodiscard]] std::int64_t apply(std::int32_t accumulator) const {
    return shift_round_half_away(static_cast<std::int64_t>(accumulator) * multiplier, shift);
  }
  [[nodiscard]] double real() const { return std::ldexp(static_cast<double>(multiplier), -shift); }
};

}  // namespace tandem::ann
