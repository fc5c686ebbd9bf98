// Primitive 04 on hand-worked vectors: every precision pair, the ternary code 2 = +2 quirk,
// both rails, and the per-MAC saturation order.
#include <catch2/catch.hpp>

#include <climits>
#include <cstdint>
#include <vector>

#include "tianjic/precision.hpp"
#include "tianjic/vector_matrix.hpp"

using namespace tandem;
using namespace tandem::tianjic;

namespace {

std::vector<std::uint8_t> codes_of(Precision precision, const std::vector<std::int32_t>& values) {
  std::vector<std::uint8_t> codes;
  for (const std::int32_t value : values) codes.push_back(encode(precision, value));
  return codes;
}

// x · W + bias for an nif x nof matrix given row by row, values (not codes).
std::vector<std::int32_t> multiply(Precision x_precision, const std::vector<std::int32_t>& x, Precision w_precision,
                                   const std::vector<std::vector<std::int32_t>>& rows, VectorMatrixBias bias,
                                   OpCounts& counts) {
  std::vector<std::int32_t> flat;
  for (const auto& row : rows) flat.insert(flat.end(), row.begin(), row.end());
  const std::vector<std::uint8_t> x_codes = codes_of(x_precision, x);
  const std::vector<std::uint8_t> w_codes = codes_of(w_precision, flat);
  std::vector<std::int32_t> out(rows.empty() ? 0 : rows[0].size());
  vector_matrix({x_precision, x_codes}, {w_precision, w_codes}, bias, out, counts);
  return out;
}

std::vector<std::int32_t> multiply(Precision x_precision, const std::vector<std::int32_t>& x, Precision w_precision,
                                   const std::vector<std::vector<std::int32_t>>& rows, VectorMatrixBias bias) {
  OpCounts counts;
  return multiply(x_precision, x, w_precision, rows, bias, counts);
}

}  // namespace

TEST_CASE("tianjic vmm: ternary codes read 0, 1, +2, -1 and int8/uint8 codes as bytes", "[tianjic][vmm]") {
  CHECK(decode(Precision::ternary, 0) == 0);
  CHECK(decode(Precision::ternary, 1) == 1);
  CHECK(decode(Precision::ternary, 2) == 2);  // the quirk: not a third state, +2
  CHECK(decode(Precision::ternary, 3) == -1);
  CHECK(encode(Precision::ternary, -1) == 3);
  CHECK(encode(Precision::ternary, 2) == 2);
  CHECK(decode(Precision::int8, 0x80) == -128);
  CHECK(decode(Precision::int8, 0xff) == -1);
  CHECK(decode(Precision::uint8, 0xff) == 255);
  CHECK(encode(Precision::int8, -1) == 0xff);
  // A raw ternary code 2 in a product: 3 · (+2) + 5 · (-1) = 1.
  const std::vector<std::uint8_t> x = {3, 5};
  const std::vector<std::uint8_t> w = {2, 3};
  std::vector<std::int32_t> out(1);
  OpCounts counts;
  vector_matrix({Precision::int8, x}, {Precision::ternary, w}, {{}, 0}, out, counts);
  CHECK(out[0] == 1);
}

TEST_CASE("tianjic vmm: a small product with a per-output bias", "[tianjic][vmm]") {
  const std::vector<std::int32_t> bias = {10, -10};
  // out0 = 10 + 1·1 - 2·3 + 3·5 = 20; out1 = -10 + 1·2 - 2·4 + 3·(-6) = -34
  CHECK(multiply(Precision::int8, {1, -2, 3}, Precision::int8, {{1, 2}, {3, 4}, {5, -6}}, {bias, 0}) ==
        std::vector<std::int32_t>{20, -34});
}

TEST_CASE("tianjic vmm: every precision pair, extremes of each range", "[tianjic][vmm]") {
  // The same three values per precision for x and for the single weight column; a constant bias 7.
  struct Extremes {
    Precision precision;
    std::vector<std::int32_t> values;
  };
  const std::vector<Extremes> operands = {{Precision::int8, {-128, 127, -1}},
                                          {Precision::uint8, {255, 0, 128}},
                                          {Precision::ternary, {-1, 2, 1}}};
  // Dot products worked by hand, rows x precision, columns w precision (int8, uint8, ternary).
  const std::int32_t expected[3][3] = {
      {16384 + 16129 + 1, -32640 - 128, 128 + 254 - 1},  // int8 x
      {-32640 - 128, 65025 + 16384, -255 + 128},         // uint8 x
      {128 + 254 - 1, -255 + 128, 1 + 4 + 1},            // ternary x
  };
  for (std::size_t a = 0; a < 3; ++a) {
    for (std::size_t b = 0; b < 3; ++b) {
      CAPTURE(to_string(operands[a].precision), to_string(operands[b].precision));
      const auto& w = operands[b].values;
      const auto out = multiply(operands[a].precision, operands[a].values, operands[b].precision,
                                {{w[0]}, {w[1]}, {w[2]}}, {{}, 7});
      CHECK(out == std::vector<std::int32_t>{expected[a][b] + 7});
    }
  }
}

TEST_CASE("tianjic vmm: saturation at both rails", "[tianjic][vmm]") {
  CHECK(multiply(Precision::int8, {1}, Precision::int8, {{127}}, {{}, INT32_MAX - 10}) ==
        std::vector<std::int32_t>{INT32_MAX});
  CHECK(multiply(Precision::int8, {-128}, Precision::int8, {{127}}, {{}, INT32_MIN + 5}) ==
        std::vector<std::int32_t>{INT32_MIN});
  CHECK(multiply(Precision::uint8, {255}, Precision::uint8, {{255}}, {{}, INT32_MAX}) ==
        std::vector<std::int32_t>{INT32_MAX});
  // Exactly at the rail is not beyond it.
  CHECK(multiply(Precision::int8, {1}, Precision::int8, {{1}}, {{}, INT32_MAX - 1}) ==
        std::vector<std::int32_t>{INT32_MAX});
}

TEST_CASE("tianjic vmm: saturation after every MAC, in input order", "[tianjic][vmm]") {
  // bias MAX-100, then +127·127 = +16129 (clamps to MAX), then -128·127 = -16256.
  const std::int32_t bias = INT32_MAX - 100;
  const auto in_order = multiply(Precision::int8, {127, -128}, Precision::int8, {{127}, {127}}, {{}, bias});
  CHECK(in_order[0] == INT32_MAX - 16256);
  // Clamping only at the end would give MAX - 100 + 16129 - 16256 = MAX - 227.
  CHECK(in_order[0] != INT32_MAX - 227);
  // The same terms in the other order never touch the rail, and give MAX - 227: order matters.
  const auto reversed = multiply(Precision::int8, {-128, 127}, Precision::int8, {{127}, {127}}, {{}, bias});
  CHECK(reversed[0] == INT32_MAX - 227);
  // The lower rail: MIN+100, -128·127 clamps to MIN, then +127·127.
  const auto lower = multiply(Precision::int8, {-128, 127}, Precision::int8, {{127}, {127}}, {{}, INT32_MIN + 100});
  CHECK(lower[0] == INT32_MIN + 16129);
}

TEST_CASE("tianjic vmm: counts one MAC per weight and the weight bytes read", "[tianjic][vmm]") {
  OpCounts counts;
  multiply(Precision::int8, {1, 2, 3}, Precision::int8, {{1, 2}, {3, 4}, {5, 6}}, {{}, 0}, counts);
  CHECK(counts[Op::mac] == 6);
  CHECK(counts[Op::memory_byte_read] == 6);
  OpCounts ternary;
  multiply(Precision::int8, {1, 2, 3}, Precision::ternary, {{1, 0}, {-1, 2}, {0, 1}}, {{}, 0}, ternary);
  CHECK(ternary[Op::mac] == 6);
  CHECK(ternary[Op::memory_byte_read] == 2);  // 6 weights of 2 bits
  CHECK(ternary[Op::activation] == 0);
}

TEST_CASE("tianjic vmm: mismatched shapes are refused", "[tianjic][vmm]") {
  const std::vector<std::uint8_t> x = {1, 2};
  const std::vector<std::uint8_t> w = {1, 2, 3};
  const std::vector<std::int32_t> bias = {1};
  std::vector<std::int32_t> out(2);
  OpCounts counts;
  CHECK_THROWS_AS(vector_matrix({Precision::int8, x}, {Precision::int8, w}, {{}, 0}, out, counts), std::invalid_argument);
  const std::vector<std::uint8_t> w4 = {1, 2, 3, 4};
  CHECK_THROWS_AS(vector_matrix({Precision::int8, x}, {Precision::int8, w4}, {bias, 0}, out, counts),
                  std::invalid_argument);
}
