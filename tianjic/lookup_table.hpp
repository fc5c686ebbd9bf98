// Primitive 07, the lookup-table soma. The index is the input cut to the table's data width,
// idx = clip(floor(x / 4^bsn), -2^(w-1), 2^(w-1)-1), and the table is stored f(0 … max) followed
// by f(min … -1), so entry idx >= 0 ? idx : length + idx. Int8 inputs keep the simulator's
// quirks: width 8 indexes with x itself (no shift), widths 12 and 16 read entry 0 for every input,
// width 4 cuts like an int32 input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/op_counts.hpp"

namespace tandem::tianjic {

enum class LookupInput { int32, int8 };

struct LookupParameters {
  int data_width = 8;  // 4, 8, 12 or 16 bits of index
  LookupInput input = LookupInput::int32;
  int bit_shift_num = 0;
};

// Entries of a table of `data_width` bits: 16, 256, 4096 or 65536.
std::size_t lookup_table_length(int data_width);
// The entry input `x` reads; x must be in int8 range for an int8 input.
std::size_t lookup_index(std::int32_t x, const LookupParameters& parameters);

// y[i] = table[lookup_index(x[i])]; table has lookup_table_length(data_width) entries.
// One activation per value.
void lookup(std::span<const std::int32_t> x, const LookupParameters& parameters, std::span<const std::int32_t> table,
            std::span<std::int32_t> y, OpCounts& executed);

}  // namespace tandem::tianjic
