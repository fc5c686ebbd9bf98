// Reading the values of a `tandem tianjic run` case file (docs/tianjic.md): integers in the
// range of their width, arrays of a required length, precision names and bit_shift_num, each
// failing with the file, the key path and the problem (InputError).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/json_reader.hpp"
#include "tianjic/precision.hpp"

namespace tandem::tianjic {

// Any int32.
std::int32_t read_int32(const JsonReader& reader);
// An int32 in [min, max].
std::int32_t read_int32(const JsonReader& reader, std::int64_t min, std::int64_t max);
// An array of exactly `length` integers in [min, max].
std::vector<std::int32_t> read_int_array(const JsonReader& reader, std::size_t length, std::int64_t min,
                                         std::int64_t max);
// An array of any length of int32 values.
std::vector<std::int32_t> read_int32_array(const JsonReader& reader);
// An array of exactly `length` values of `precision`, as stored codes.
std::vector<std::uint8_t> read_codes(const JsonReader& reader, std::size_t length, Precision precision);
// "int8", "uint8" or "ternary".
Precision read_precision(const JsonReader& reader);
// bit_shift_num in [0, max_bit_shift_num].
int read_bit_shift_num(const JsonReader& reader);

}  // namespace tandem::tianjic
