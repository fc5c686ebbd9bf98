#include "ann/fixed_point.hpp"

#include "core/error.hpp"

namespace tandem::ann {

Requantizer Requantizer::from_real(double real_multiplier) {
  if (!std::isfinite(real_multiplier) || !(real_multiplier > 0.0)) {
    throw InputError("requantisation factor must be finite and > 0, got " + format_number(real_multiplier));
  }
  int exponent = 0;
  const double fraction = std::frexp(real_multiplier, &exponent);  // M = fraction * 2^exponent, fraction in [0.5, 1)
  auto multiplier = static_cast<std::int64_t>(std::round(std::ldexp(fraction, 31)));
  if (multiplier == (std::int64_t{1} << 31)) {
    multiplier >>= 1;
    ++exponent;
  }
  const int shift = 31 - exponent;
  if (shift < 0) {
    throw InputError("requantisation factor " + format_number(real_multiplier) + " is too large (>= 2^31)");
  }
  // Beyond 62 bits of shift every int32 accumulator rounds to 0: keep the representation finite.
  if (shift > 62) return Requantizer{0, 0};
  return Requantizer{multiplier, shift};
}

}  // namespace tandem::ann
