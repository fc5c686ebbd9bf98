#include "tianjic/compare.hpp"

#include <algorithm>
#include <stdexcept>

#include "tianjic/cut.hpp"
#include "tianjic/integer_arithmetic.hpp"

namespace tandem::tianjic {

std::int32_t channel_compare_value(std::uint32_t compare_word, std::size_t channel) {
  return sign_extend(compare_word >> (8 * (channel % 4)), 8);
}

void compare_relu(std::span<const std::int32_t> x, int bit_shift_num, std::uint32_t compare_word,
                  std::span<std::int32_t> y, OpCounts& executed) {
  if (x.size() != y.size()) throw std::invalid_argument("compare_relu: input and output sizes differ");
  for (std::size_t c = 0; c < x.size(); ++c) {
    y[c] = std::max(channel_compare_value(compare_word, c), cut_value(x[c], Precision::int8, bit_shift_num));
  }
  executed.add(Op::activation, x.size());
}

}  // namespace tandem::tianjic
