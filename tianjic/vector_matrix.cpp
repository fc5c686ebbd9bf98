#include "tianjic/vector_matrix.hpp"

#include "tianjic/integer_arithmetic.hpp"

#include <stdexcept>


namespace tandem::tianjic {

void vector_matrix(const Operand& input, const Operand& weight, const VectorMatrixBias& bias,
                   std::span<std::int32_t> out, OpCounts& executed) {
  const std::size_t inputs = input.codes.size();
  const std::size_t outputs = out.size();
  if (weight.codes.size() != inputs * outputs) throw std::invalid_argument("vector_matrix: weight is not nif x nof");
  if (!bias.per_output.empty() && bias.per_output.size() != outputs) {
    throw std::invalid_argument("vector_matrix: one bias per output expected");
  }
  for (std::size_t f = 0; f < outputs; ++f) out[f] = bias.per_output.empty() ? bias.constant : bias.per_output[f];
  for (std::size_t r = 0; r < inputs; ++r) {
    const std::int64_t x = decode(input.precision, input.codes[r]);
    const std::uint8_t* row = weight.codes.data() + r * outputs;
    for (std::size_t f = 0; f < outputs; ++f) {
      out[f] = saturate_int32(std::int64_t{out[f]} + x * decode(weight.precision, row[f]));
    }
  }
  const std::size_t weight_bits = (weight.precision == Precision::ternary ? 2 : 8) * inputs * outputs;
  executed.add(Op::mac, inputs * outputs);
  executed.add(Op::memory_byte_read, (weight_bits + 7) / 8);
}

}  // namespace tandem::tianjic
