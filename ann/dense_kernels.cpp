#include "ann/dense_kernels.hpp"

namespace tandem::ann {
namespace {

// Accumulates 4 int8 columns at a time: one pass over the accumulator per 4 inputs. Each
// product |w| * |c| <= 128 * 254 fits in int16, which lets the compiler use 16-bit multiplies.
void accumulate_four(const std::int8_t* w0, const std::int8_t* w1, const std::int8_t* w2, const std::int8_t* w3,
                     std::int16_t c0, std::int16_t c1, std::int16_t c2, std::int16_t c3, std::int32_t* acc,
                     std::size_t rows) {
  for (std::size_t i = 0; i < rows; ++i) {
    const auto p0 = static_cast<std::int16_t>(w0[i] * c0);
    const auto p1 = static_cast<std::int16_t>(w1[i] * c1);
    const auto p2 = static_cast<std::int16_t>(w2[i] * c2);
    const auto p3 = static_cast<std::int16_t>(w3[i] * c3);
    acc[i] += (static_cast<std::int32_t>(p0) + p1) + (static_cast<std::int32_t>(p2) + p3);
  }
}

void accumulate_one(const std::int8_t* w, std::int16_t c, std::int32_t* acc, std::size_t rows) {
  for (std::size_t i = 0; i < rows; ++i) acc[i] += static_cast<std::int16_t>(w[i] * c);
}

}  // namespace

void full_product(const Eigen::MatrixXf& weight, const Eigen::VectorXf& bias, const Eigen::VectorXf& input,
                  Eigen::VectorXf& pre) {
  pre.noalias() = weight * input;
  pre += bias;
}

void accumulate_columns(const Eigen::MatrixXf& weight, const Gathered<float>& gathered, Eigen::VectorXf& pre) {
  const std::size_t count = gathered.size();
  const auto* columns = gathered.columns.data();
  const auto* c = gathered.coefficients.data();
  std::size_t k = 0;
  // Four columns per pass over `pre` keep the accumulator traffic a quarter of one-by-one axpy.
  for (; k + 4 <= count; k += 4) {
    pre += weight.col(columns[k]) * c[k] + weight.col(columns[k + 1]) * c[k + 1] +
           weight.col(columns[k + 2]) * c[k + 2] + weight.col(columns[k + 3]) * c[k + 3];
  }
  for (; k < count; ++k) pre += weight.col(columns[k]) * c[k];
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
