#include "tianjic/lookup_table.hpp"

#include <algorithm>
#include <stdexcept>

#include "tianjic/integer_arithmetic.hpp"

namespace tandem::tianjic {

std::size_t lookup_table_length(int data_width) {
  if (data_width != 4 && data_width != 8 && data_width != 12 && data_width != 16) {
    throw std::invalid_argument("lookup_table_length: data width must be 4, 8, 12 or 16");
  }
  return std::size_t{1} << data_width;
}

std::size_t lookup_index(std::int32_t x, const LookupParameters& parameters) {
  const auto length = static_cast<std::int64_t>(lookup_table_length(parameters.data_width));
  if (parameters.input == LookupInput::int8 && (x < -128 || x > 127)) {
    throw std::invalid_argument("lookup_index: an int8 input out of int8 range");
  }
  std::int64_t index = 0;
  if (parameters.input == LookupInput::int8 && parameters.data_width == 8) {
    index = x;
  } else if (parameters.input == LookupInput::int8 && parameters.data_width > 8) {
    index = 0;  // the quirk: every int8 input reads entry 0 of a 12- or 16-bit table
  } else {
    index = std::clamp(cut_by_bit_shift(x, parameters.bit_shift_num), -length / 2, length / 2 - 1);
  }
  return static_cast<std::size_t>(index >= 0 ? index : length + index);
}

void lookup(std::span<const std::int32_t> x, const LookupParameters& parameters, std::span<const std::int32_t> table,
            std::span<std::int32_t> y, OpCounts& executed) {
  if (table.size() != lookup_table_length(parameters.data_width)) {
    throw std::invalid_argument("lookup: table length does not match the data width");
  }
  if (x.size() != y.size()) throw std::invalid_argument("lookup: input and output sizes differ");
  for (std::size_t i = 0; i < x.size(); ++i) y[i] = table[lookup_index(x[i], parameters)];
  executed.add(Op::activation, x.size());
}

}  // namespace tandem::tianjic
