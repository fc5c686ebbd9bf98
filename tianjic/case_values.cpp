#include "tianjic/case_values.hpp"

#include "tianjic/integer_arithmetic.hpp"

namespace tandem::tianjic {

std::int32_t read_int32(const JsonReader& reader) { return read_int32(reader, int32_min, int32_max); }

std::int32_t read_int32(const JsonReader& reader, std::int64_t min, std::int64_t max) {
  return static_cast<std::int32_t>(reader.integer(min, max));
}

std::vector<std::int32_t> read_int_array(const JsonReader& reader, std::size_t length, std::int64_t min,
                                         std::int64_t max) {
  const std::size_t size = reader.size();
  if (size != length) {
    reader.fail("expected " + std::to_string(length) + " values, got " + std::to_string(size));
  }
  std::vector<std::int32_t> values(size);
  for (std::size_t i = 0; i < size; ++i) values[i] = read_int32(reader.at(i), min, max);
  return values;
}

std::vector<std::int32_t> read_int32_array(const JsonReader& reader) {
  return read_int_array(reader, reader.size(), int32_min, int32_max);
}

std::vector<std::uint8_t> read_codes(const JsonReader& reader, std::size_t length, Precision precision) {
  const ValueRange range = value_range(precision);
  const std::vector<std::int32_t> values = read_int_array(reader, length, range.min, range.max);
  std::vector<std::uint8_t> codes(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) codes[i] = encode(precision, values[i]);
  return codes;
}

Precision read_precision(const JsonReader& reader) {
  const std::string name = reader.text();
  if (const auto precision = precision_from_name(name)) return *precision;
  reader.fail("unknown precision '" + name + "' (expected int8, uint8 or ternary)");
}

int read_bit_shift_num(const JsonReader& reader) { return read_int32(reader, 0, max_bit_shift_num); }

}  // namespace tandem::tianjic
