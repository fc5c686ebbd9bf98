// Primitive 05 with a 1×1 window, the compare soma: y = max(cmp, clip(floor(x / 4^bsn), -128, 127)).
// The compare values come from one 32-bit word: channel c compares with byte (c mod 4) of it,
// sign-extended, so a word of 0 makes this ReLU + requantise to int8. (Pooling windows larger
// than 1×1 and the ternary-output variant are not implemented.)
#pragma once

#include <cstdint>
#include <span>

#include "core/op_counts.hpp"

namespace tandem::tianjic {

// The compare value of channel `channel`: byte (channel mod 4) of `compare_word`, sign-extended.
std::int32_t channel_compare_value(std::uint32_t compare_word, std::size_t channel);

// y[c] = max(channel_compare_value(compare_word, c), int8 cut of x[c]); one activation per value.
void compare_relu(std::span<const std::int32_t> x, int bit_shift_num, std::uint32_t compare_word,
                  std::span<std::int32_t> y, OpCounts& executed);

}  // namespace tandem::tianjic
