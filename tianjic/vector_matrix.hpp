// Primitive 04, the axon's vector × matrix ("MLP"): out[f] = bias[f] + Σ_r W[r][f] · x[r] over
// int8, uint8 or ternary operands, accumulated in int32 that saturates after every single
// multiply-accumulate, in input order r = 0 … nif-1. Once a sum touches a rail the result
// depends on that order, so the loop below must not be reordered or vectorised across r.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/op_counts.hpp"
#include "tianjic/precision.hpp"

namespace tandem::tianjic {

// A vector or a matrix as the chip stores it: one code per element (see precision.hpp).
struct Operand {
  Precision precision = Precision::int8;
  std::span<const std::uint8_t> codes;
};

// One int32 per output, or the same constant for every output when per_output is empty.
struct VectorMatrixBias {
  std::span<const std::int32_t> per_output;
  std::int32_t constant = 0;
};

// input: nif codes; weight: nif × nof codes, row r holding input r's weights to the nof outputs;
// out: nof int32 (neither shifted nor clipped: that is a soma's job). Counts nif·nof MACs and
// the weight bytes read (a ternary weight takes 2 bits).
void vector_matrix(const Operand& input, const Operand& weight, const VectorMatrixBias& bias,
                   std::span<std::int32_t> out, OpCounts& executed);

}  // namespace tandem::tianjic
