// Primitive 06, the cut soma: an int32 (an axon's accumulator) to a narrow value,
// floor(x / 4^bit_shift_num) then clipped to int8 [-128, 127] or ternary [-1, 1], or for uint8
// wrapped (& 0xff) rather than clipped, as the chip does.
#pragma once

#include <cstdint>
#include <span>

#include "core/op_counts.hpp"
#include "tianjic/precision.hpp"

namespace tandem::tianjic {

// One value; bit_shift_num in [0, max_bit_shift_num].
std::int32_t cut_value(std::int32_t x, Precision out_precision, int bit_shift_num);

// y[i] = cut_value(x[i]); counts one activation per value.
void cut(std::span<const std::int32_t> x, Precision out_precision, int bit_shift_num, std::span<std::int32_t> y,
         OpCounts& executed);

}  // namespace tandem::tianjic
