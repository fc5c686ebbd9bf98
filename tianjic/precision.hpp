// The narrow number formats Tianjic's axon reads and its somas write: int8, uint8 and the
// 2-bit "ternary" code, whose code 2 reads as +2 (not a third state of {-1, 0, 1}).
// Operands are held as the chip stores them (one code per byte) and decoded where used.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace tandem::tianjic {

enum class Precision { int8, uint8, ternary };

std::string_view to_string(Precision precision);
// "int8", "uint8" or "ternary"; nothing for any other name.
std::optional<Precision> precision_from_name(std::string_view name);

struct ValueRange {
  std::int32_t min;
  std::int32_t max;
};

// The values a precision can hold: int8 [-128, 127], uint8 [0, 255], ternary [-1, 2] (codes 3, 0, 1, 2).
ValueRange value_range(Precision precision);

// Stored code of `value`, which must lie in value_range(precision).
std::uint8_t encode(Precision precision, std::int32_t value);
// Value of a stored code: int8 two's complement, uint8 as is, ternary 0, 1, +2, -1 for codes 0 … 3.
constexpr std::int32_t decode(Precision precision, std::uint8_t code) {
  switch (precision) {
    case Precision::int8: return static_cast<std::int8_t>(code);
    case Precision::uint8: return code;
    case Precision::ternary: return (code & 3U) == 3U ? -1 : code & 3;
  }
  return 0;
}

}  // namespace tandem::tianjic
