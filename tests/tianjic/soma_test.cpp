// The stateless somas on hand-worked vectors: cut (06) to each precision, compare/ReLU (05)
// with per-channel compare bytes, and the lookup table (07) at every width, with its layout
// and its int8-input quirks.
#include <catch2/catch.hpp>

#include <climits>
#include <cstdint>
#include <vector>

#include "tianjic/compare.hpp"
#include "tianjic/cut.hpp"
#include "tianjic/lookup_table.hpp"

using namespace tandem;
using namespace tandem::tianjic;

namespace {

std::vector<std::int32_t> cut_all(const std::vector<std::int32_t>& x, Precision precision, int bsn) {
  std::vector<std::int32_t> y(x.size());
  OpCounts counts;
  cut(x, precision, bsn, y, counts);
  return y;
}

std::vector<std::int32_t> relu_all(const std::vector<std::int32_t>& x, int bsn, std::uint32_t compare_word) {
  std::vector<std::int32_t> y(x.size());
  OpCounts counts;
  compare_relu(x, bsn, compare_word, y, counts);
  return y;
}

// A table whose entry k holds k, so the output is the position read.
std::vector<std::int32_t> positions(int width) {
  std::vector<std::int32_t> table(lookup_table_length(width));
  for (std::size_t k = 0; k < table.size(); ++k) table[k] = static_cast<std::int32_t>(k);
  return table;
}

std::vector<std::int32_t> lookup_all(const std::vector<std::int32_t>& x, LookupParameters parameters,
                                     const std::vector<std::int32_t>& table) {
  std::vector<std::int32_t> y(x.size());
  OpCounts counts;
  lookup(x, parameters, table, y, counts);
  return y;
}

}  // namespace

TEST_CASE("tianjic cut: int8 clips after a floor shift", "[tianjic][cut]") {
  CHECK(cut_all({-129, -128, 0, 127, 128, INT32_MAX, INT32_MIN}, Precision::int8, 0) ==
        std::vector<std::int32_t>{-128, -128, 0, 127, 127, 127, -128});
  // bsn 1 divides by 4 and floors: -1 -> -1 (not 0), -5 -> -2.
  CHECK(cut_all({-1, -4, -5, 3, 507, 508, 511, -512, -513}, Precision::int8, 1) ==
        std::vector<std::int32_t>{-1, -1, -2, 0, 126, 127, 127, -128, -128});
  // bsn 15 divides by 2^30.
  CHECK(cut_all({INT32_MIN, INT32_MAX, -1}, Precision::int8, 15) == std::vector<std::int32_t>{-2, 1, -1});
}

TEST_CASE("tianjic cut: ternary clips to [-1, 1]", "[tianjic][cut]") {
  CHECK(cut_all({-5, -1, 0, 1, 2, 100}, Precision::ternary, 0) == std::vector<std::int32_t>{-1, -1, 0, 1, 1, 1});
  // bsn 2 divides by 16: 15 -> 0, 16 -> 1, -1 -> -1, -17 -> -2 -> -1.
  CHECK(cut_all({15, 16, -1, -16, -17, 40}, Precision::ternary, 2) == std::vector<std::int32_t>{0, 1, -1, -1, -1, 1});
}

TEST_CASE("tianjic cut: uint8 wraps instead of clipping", "[tianjic][cut]") {
  CHECK(cut_all({255, 256, 257, -1, -256, 1000}, Precision::uint8, 0) ==
        std::vector<std::int32_t>{255, 0, 1, 255, 0, 232});
  // bsn 1: -4 -> -1 -> 255; 1024 -> 256 -> 0; 1028 -> 257 -> 1; -3 -> floor(-0.75) = -1 -> 255.
  CHECK(cut_all({-4, 1024, 1028, -3}, Precision::uint8, 1) == std::vector<std::int32_t>{255, 0, 1, 255});
}

TEST_CASE("tianjic cut: one activation per value", "[tianjic][cut]") {
  std::vector<std::int32_t> y(5);
  OpCounts counts;
  cut(std::vector<std::int32_t>{1, 2, 3, 4, 5}, Precision::int8, 0, y, counts);
  CHECK(counts[Op::activation] == 5);
  CHECK(counts[Op::mac] == 0);
}

TEST_CASE("tianjic relu: compare word 0 is ReLU and requantise to int8", "[tianjic][relu]") {
  CHECK(relu_all({-5, 0, 7, 300, -300}, 0, 0) == std::vector<std::int32_t>{0, 0, 7, 127, 0});
  // bsn 1: -1 -> -1 -> 0; 3 -> 0; 4 -> 1; 600 -> 150 -> 127.
  CHECK(relu_all({-1, 3, 4, 600}, 1, 0) == std::vector<std::int32_t>{0, 0, 1, 127});
}

TEST_CASE("tianjic relu: channel c compares with byte c mod 4, sign-extended", "[tianjic][relu]") {
  // 0x8005ff02: bytes 2, -1, 5, -128 for channels 0, 1, 2, 3, then again.
  const std::uint32_t word = 0x8005ff02U;
  CHECK(channel_compare_value(word, 0) == 2);
  CHECK(channel_compare_value(word, 1) == -1);
  CHECK(channel_compare_value(word, 2) == 5);
  CHECK(channel_compare_value(word, 3) == -128);
  CHECK(channel_compare_value(word, 6) == 5);
  CHECK(relu_all({0, -50, 3, -128, 10, -1, 6, -300}, 0, word) ==
        std::vector<std::int32_t>{2, -1, 5, -128, 10, -1, 6, -128});
}

TEST_CASE("tianjic lut: the table is f(0 … max) then f(min … -1)", "[tianjic][lut]") {
  // Width 4, int32 input: index clipped to [-8, 7]; -1 reads the last entry, -8 entry 8.
  const LookupParameters four{4, LookupInput::int32, 0};
  CHECK(lookup_all({-9, -8, -1, 0, 7, 8, 100}, four, positions(4)) == std::vector<std::int32_t>{8, 8, 15, 0, 7, 7, 7});
  // With f(v) = 1000 + v stored in that layout the output is f of the clipped input.
  std::vector<std::int32_t> f(16);
  for (int k = 0; k < 16; ++k) f[static_cast<std::size_t>(k)] = 1000 + (k < 8 ? k : k - 16);
  CHECK(lookup_all({-9, -8, -1, 0, 7, 8}, four, f) == std::vector<std::int32_t>{992, 992, 999, 1000, 1007, 1007});
}

TEST_CASE("tianjic lut: int32 input at widths 8, 12 and 16", "[tianjic][lut]") {
  // Width 8, bsn 1: floor(x / 4) clipped to [-128, 127].
  CHECK(lookup_all({-513, -512, -5, -4, 3, 4, 511, 512}, {8, LookupInput::int32, 1}, positions(8)) ==
        std::vector<std::int32_t>{128, 128, 254, 255, 0, 1, 127, 127});
  CHECK(lookup_all({-3000, -2048, 2047, 5000, -1}, {12, LookupInput::int32, 0}, positions(12)) ==
        std::vector<std::int32_t>{2048, 2048, 2047, 2047, 4095});
  // Width 16, bsn 2: floor(x / 16) clipped to [-32768, 32767].
  CHECK(lookup_all({INT32_MIN, INT32_MAX, -17, 16}, {16, LookupInput::int32, 2}, positions(16)) ==
        std::vector<std::int32_t>{32768, 32767, 65534, 1});
}

TEST_CASE("tianjic lut: int8 input quirks", "[tianjic][lut]") {
  // Width 8: the index is the input itself, bit_shift_num ignored.
  CHECK(lookup_all({-128, -1, 0, 127}, {8, LookupInput::int8, 3}, positions(8)) ==
        std::vector<std::int32_t>{128, 255, 0, 127});
  // Widths 12 and 16: every input reads entry 0.
  CHECK(lookup_all({-128, 5, 127}, {12, LookupInput::int8, 0}, positions(12)) == std::vector<std::int32_t>{0, 0, 0});
  CHECK(lookup_all({-128, 5, 127}, {16, LookupInput::int8, 1}, positions(16)) == std::vector<std::int32_t>{0, 0, 0});
  // Width 4: cut like an int32 input, floor(x / 4) clipped to [-8, 7].
  CHECK(lookup_all({-128, -5, 4, 127}, {4, LookupInput::int8, 1}, positions(4)) ==
        std::vector<std::int32_t>{8, 14, 1, 7});
}

TEST_CASE("tianjic lut: lengths, counts and refused shapes", "[tianjic][lut]") {
  CHECK(lookup_table_length(4) == 16);
  CHECK(lookup_table_length(8) == 256);
  CHECK(lookup_table_length(12) == 4096);
  CHECK(lookup_table_length(16) == 65536);
  CHECK_THROWS_AS(lookup_table_length(6), std::invalid_argument);
  std::vector<std::int32_t> y(2);
  OpCounts counts;
  lookup(std::vector<std::int32_t>{1, 2}, {4, LookupInput::int32, 0}, positions(4), y, counts);
  CHECK(counts[Op::activation] == 2);
  CHECK_THROWS_AS(lookup(std::vector<std::int32_t>{1, 2}, {8, LookupInput::int32, 0}, positions(4), y, counts),
                  std::invalid_argument);
  CHECK_THROWS_AS(lookup(std::vector<std::int32_t>{1, 200}, {8, LookupInput::int8, 0}, positions(8), y, counts),
                  std::invalid_argument);
}
