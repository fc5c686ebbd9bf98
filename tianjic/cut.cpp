#include "tianjic/cut.hpp"

#include <algorithm>
#include <stdexcept>

#include "tianjic/integer_arithmetic.hpp"

namespace tandem::tianjic {

std::int32_t cut_value(std::int32_t x, Precision out_precision, int bit_shift_num) {
  const std::int64_t shifted = cut_by_bit_shift(x, bit_shift_num);
  switch (out_precision) {
    case Precision::int8: return static_cast<std::int32_t>(std::clamp<std::int64_t>(shifted, -128, 127));
    // Ternary clips to [-1, 1]: a cut never produces the code-2 value +2.
    case Precision::ternary: return static_cast<std::int32_t>(std::clamp<std::int64_t>(shifted, -1, 1));
    case Precision::uint8: return static_cast<std::int32_t>(shifted & 0xff);
  }
  return 0;
}

void cut(std::span<const std::int32_t> x, Precision out_precision, int bit_shift_num, std::span<std::int32_t> y,
         OpCounts& executed) {
  if (x.size() != y.size()) throw std::invalid_argument("cut: input and output sizes differ");
  for (std::size_t i = 0; i < x.size(); ++i) y[i] = cut_value(x[i], out_precision, bit_shift_num);
  executed.add(Op::activation, x.size());
}

}  // namespace tandem::tianjic
