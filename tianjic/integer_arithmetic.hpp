// The integer operations Tianjic's primitives are built from (docs/tianjic.md): int32 saturation
// (shared with ann/fixed_point.hpp), saturation to the 28-bit membrane, the two
// divisions by powers of two (floor for the "cut by bit_shift_num" of primitives 05/06/07,
// truncation toward zero for primitive 08's output register), int32 wrap-around and
// two's-complement reinterpretation of narrow fields.
#pragma once

#include <algorithm>
#include <cstdint>

namespace tandem::tianjic {

inline constexpr std::int64_t int32_min = INT32_MIN;
inline constexpr std::int64_t int32_max = INT32_MAX;
inline constexpr std::int64_t membrane_min = -(std::int64_t{1} << 27);
inline constexpr std::int64_t membrane_max = (std::int64_t{1} << 27) - 1;

// bit_shift_num counts 2-bit units. tandem accepts 0 … 15: at 15 a cut already divides by
// 2^30, leaving two bits of an int32, and primitive 08's divisor 2 << 30 still fits int64.
inline constexpr int max_bit_shift_num = 15;

// int32 saturation, as the axon applies after every multiply-accumulate.
constexpr std::int32_t saturate_int32(std::int64_t x) { return static_cast<std::int32_t>(std::clamp(x, int32_min, int32_max)); }

// clamp28 of the specification: the membrane, threshold and threshold offsets are 28-bit.
constexpr std::int64_t clamp_membrane(std::int64_t x) { return std::clamp(x, membrane_min, membrane_max); }

// x mod 2^32 read as a signed int32, the result of int32 arithmetic that overflowed.
constexpr std::int32_t wrap_int32(std::int64_t x) {
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(static_cast<std::uint64_t>(x)));
}

// floor(x / 2^bits): an arithmetic right shift rounds toward −inf (defined since C++20).
constexpr std::int64_t floor_divide_pow2(std::int64_t x, int bits) { return x >> bits; }

// "cut by bsn": floor(x / 4^bsn).
constexpr std::int64_t cut_by_bit_shift(std::int64_t x, int bit_shift_num) {
  return floor_divide_pow2(x, 2 * bit_shift_num);
}

// x / 2^bits rounded toward zero (C++'s integer division), for |x| < 2^62.
constexpr std::int64_t truncate_divide_pow2(std::int64_t x, int bits) {
  return x < 0 ? -((-x) >> bits) : x >> bits;
}

// The low `width` bits of `bits` read as a two's-complement number.
constexpr std::int32_t sign_extend(std::uint32_t bits, int width) {
  const std::uint32_t field = width >= 32 ? bits : bits & ((std::uint32_t{1} << width) - 1U);
  const std::uint32_t sign = std::uint32_t{1} << (width - 1);
  return static_cast<std::int32_t>(static_cast<std::int64_t>(field ^ sign) - static_cast<std::int64_t>(sign));
}

}  // namespace tandem::tianjic
