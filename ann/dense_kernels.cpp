#include "ann/dense_kernels.hpp"

#include <array>

namespace tandem::ann {
namespace {

// Accumulates 4 int8 columns at a time: one pass over the accumulator per 4 inputs. Each
// product |w| * |c| <= 128 * 254 fits in int16, which lets the compiler use 16-bit multiplies.
void accumulate_four(const std::int8_t* w0, const std::int8_t* w1, const std::int8_t* w2, const std::int8_t* w3,
                     std::int16_t c0, std::int16_t c1, std::int16_t c2, std::int16_t c3, std::int32_t* acc,
                     std::size_t rows) {
  // Pairs of int16 products summed as int32: the pmaddwd pattern on x86 (SSE2).
  for (std::size_t i = 0; i < rows; ++i) {
    acc[i] += static_cast<std::int32_t>(static_cast<std::int16_t>(w0[i]) * c0) +
              static_cast<std::int32_t>(static_cast<std::int16_t>(w1[i]) * c1) +
              static_cast<std::int32_t>(static_cast<std::int16_t>(w2[i]) * c2) +
              static_cast<std::int32_t>(static_cast<std::int16_t>(w3[i]) * c3);
  }
}

void accumulate_one(const std::int8_t* w, std::int16_t c, std::int32_t* acc, std::size_t rows) {
  for (std::size_t i = 0; i < rows; ++i) acc[i] += static_cast<std::int16_t>(w[i] * c);
}

// Float: four columns per pass over the accumulator, but added strictly one after the other
// (p + w0 c0, then + w1 c1 …), so the rounding is exactly that of accumulating the columns one
// by one in index order. Skipping a zero input then skips an exact no-op (adding ±0), which
// makes zero-skip bit-identical to the full product (up to the sign of a zero).
void accumulate_four(const float* w0, const float* w1, const float* w2, const float* w3, float c0, float c1, float c2,
                     float c3, float* pre, std::size_t rows) {
  for (std::size_t i = 0; i < rows; ++i) {
    float p = pre[i];
    p += w0[i] * c0;
    p += w1[i] * c1;
    p += w2[i] * c2;
    p += w3[i] * c3;
    pre[i] = p;
  }
}

// Eight columns per pass: half the accumulator traffic of four, same order of additions.
void accumulate_eight(const float* const* w, const float* c, float* pre, std::size_t rows) {
  for (std::size_t i = 0; i < rows; ++i) {
    float p = pre[i];
    p += w[0][i] * c[0];
    p += w[1][i] * c[1];
    p += w[2][i] * c[2];
    p += w[3][i] * c[3];
    p += w[4][i] * c[4];
    p += w[5][i] * c[5];
    p += w[6][i] * c[6];
    p += w[7][i] * c[7];
    pre[i] = p;
  }
}

void accumulate_one(const float* w, float c, float* pre, std::size_t rows) {
  for (std::size_t i = 0; i < rows; ++i) pre[i] += w[i] * c;
}

}  // namespace

void full_product(const Eigen::MatrixXf& weight, const Eigen::VectorXf& bias, const Eigen::VectorXf& input,
                  Eigen::VectorXf& pre) {
  const auto rows = static_cast<std::size_t>(weight.rows());
  const auto cols = static_cast<std::size_t>(weight.cols());
  pre = bias;
  const auto column = [&](std::size_t j) { return weight.col(static_cast<Eigen::Index>(j)).data(); };
  std::size_t j = 0;
  for (; j + 8 <= cols; j += 8) {
    const std::array<const float*, 8> w = {column(j),     column(j + 1), column(j + 2), column(j + 3),
                                           column(j + 4), column(j + 5), column(j + 6), column(j + 7)};
    accumulate_eight(w.data(), input.data() + j, pre.data(), rows);
  }
  for (; j + 4 <= cols; j += 4) {
    accumulate_four(column(j), column(j + 1), column(j + 2), column(j + 3), input[static_cast<Eigen::Index>(j)],
                    input[static_cast<Eigen::Index>(j + 1)], input[static_cast<Eigen::Index>(j + 2)],
                    input[static_cast<Eigen::Index>(j + 3)], pre.data(), rows);
  }
  for (; j < cols; ++j) accumulate_one(column(j), input[static_cast<Eigen::Index>(j)], pre.data(), rows);
}

void accumulate_columns(const Eigen::MatrixXf& weight, const Gathered<float>& gathered, Eigen::VectorXf& pre) {
  const auto rows = static_cast<std::size_t>(weight.rows());
  const std::size_t count = gathered.size();
  const auto* columns = gathered.columns.data();
  const auto* c = gathered.coefficients.data();
  const auto column = [&](std::size_t k) { return weight.col(static_cast<Eigen::Index>(columns[k])).data(); };
  std::size_t k = 0;
  for (; k + 8 <= count; k += 8) {
    const std::array<const float*, 8> w = {column(k),     column(k + 1), column(k + 2), column(k + 3),
                                           column(k + 4), column(k + 5), column(k + 6), column(k + 7)};
    accumulate_eight(w.data(), c + k, pre.data(), rows);
  }
  for (; k + 4 <= count; k += 4) {
    accumulate_four(column(k), column(k + 1), column(k + 2), column(k + 3), c[k], c[k + 1], c[k + 2], c[k + 3],
                    pre.data(), rows);
  }
  for (; k < count; ++k) accumulate_one(column(k), c[k], pre.data(), rows);
}

void full_product(const MatrixI8& weight, std::span<const std::int32_t> bias, std::span<const std::int8_t> input,
                  std::span<std::int32_t> accumulator) {
  const auto rows = static_cast<std::size_t>(weight.rows());
  const std::size_t cols = input.size();
  std::copy(bias.begin(), bias.end(), accumulator.begin());
  std::size_t j = 0;
  for (; j + 4 <= cols; j += 4) {
    accumulate_four(weight.col(static_cast<Eigen::Index>(j)).data(), weight.col(static_cast<Eigen::Index>(j + 1)).data(),
                    weight.col(static_cast<Eigen::Index>(j + 2)).data(), weight.col(static_cast<Eigen::Index>(j + 3)).data(),
                    input[j], input[j + 1], input[j + 2], input[j + 3], accumulator.data(), rows);
  }
  for (; j < cols; ++j) accumulate_one(weight.col(static_cast<Eigen::Index>(j)).data(), input[j], accumulator.data(), rows);
}

void accumulate_columns(const MatrixI8& weight, const Gathered<std::int16_t>& gathered,
                        std::span<std::int32_t> accumulator) {
  const auto rows = static_cast<std::size_t>(weight.rows());
  const std::size_t count = gathered.size();
  const auto* columns = gathered.columns.data();
  const auto* c = gathered.coefficients.data();
  const auto column = [&](std::size_t k) { return weight.col(static_cast<Eigen::Index>(columns[k])).data(); };
  std::size_t k = 0;
  for (; k + 4 <= count; k += 4) {
    accumulate_four(column(k), column(k + 1), column(k + 2), column(k + 3), c[k], c[k + 1], c[k + 2], c[k + 3],
                    accumulator.data(), rows);
  }
  for (; k < count; ++k) accumulate_one(column(k), c[k], accumulator.data(), rows);
}

}  // namespace tandem::ann
