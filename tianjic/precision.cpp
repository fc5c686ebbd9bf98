#include "tianjic/precision.hpp"

namespace tandem::tianjic {

std::string_view to_string(Precision precision) {
  switch (precision) {
    case Precision::int8: return "int8";
    case Precision::uint8: return "uint8";
    case Precision::ternary: return "ternary";
  }
  return "?";
}

std::optional<Precision> precision_from_name(std::string_view name) {
  for (const Precision precision : {Precision::int8, Precision::uint8, Precision::ternary}) {
    if (to_string(precision) == name) return precision;
  }
  return std::nullopt;
}

ValueRange value_range(Precision precision) {
  switch (precision) {
    case Precision::int8: return {-128, 127};
    case Precision::uint8: return {0, 255};
    case Precision::ternary: return {-1, 2};
  }
  return {0, 0};
}

std::uint8_t encode(Precision precision, std::int32_t value) {
  // Two's complement truncated to the field: -1 becomes 0xff for int8 and code 3 for ternary.
  const auto bits = static_cast<std::uint8_t>(static_cast<std::uint32_t>(value) & 0xffU);
  return precision == Precision::ternary ? static_cast<std::uint8_t>(bits & 3U) : bits;
}

}  // namespace tandem::tianjic
