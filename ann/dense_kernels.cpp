#include "ann/dense_kernels.hpp"

#include <algorithm>
#include <array>

namespace tandem::ann {
namespace {

// One product term. Integer: |w| <= 128 and |c| <= 255 so w * c fits in int16, which lets
// the compiler use 16-bit multiplies; the sum is int32.
inline float product(float w, float c) { return w * c; }
inline std::int32_t product(std::int8_t w, std::int32_t c) {
  return static_cast<std::int32_t>(static_cast<std::int16_t>(static_cast<std::int16_t>(w) * c));
}

// acc[i] += w[0][i] c[0], then + w[1][i] c[1] … — `Block` columns per pass over the accumulator,
// added strictly one after the other, so float rounding is exactly that of adding the columns
// one by one in order. Skipping a zero input then skips an exact no-op (adding ±0), which makes
// float zero-skip bit-identical to the full product (up to the sign of a zero).
template <std::size_t Block, typename Weight, typename Coefficient, typename Accumulator>
void accumulate_block(const std::array<const Weight*, Block>& w, const Coefficient* c, Accumulator* acc,
                      std::size_t rows) {
  for (std::size_t i = 0; i < rows; ++i) {
    Accumulator p = acc[i];
    for (std::size_t b = 0; b < Block; ++b) p += product(w[b][i], c[b]);
    acc[i] = p;
  }
}

// A block of rows is worth a thread from about this many multiply-accumulates (~10 µs) on.
constexpr std::size_t parallel_block_macs = 32768;
// Row blocks start on a 64-byte line of the accumulator (16 floats or int32s).
constexpr std::size_t row_align = 16;

// acc += sum_k column(k) * c[k] for k = 0 … count-1, in order, eight columns per pass; rows split
// into blocks over `workers` (each row's terms in the same order whichever thread adds them).
template <typename Weight, typename Coefficient, typename Accumulator, typename ColumnOf>
void accumulate_in_order(ColumnOf column, const Coefficient* c, std::size_t count, Accumulator* acc,
                         std::size_t rows, WorkerPool* workers) {
  const std::size_t min_rows = std::max<std::size_t>(row_align, parallel_block_macs / std::max<std::size_t>(count, 1));
  sum_over_blocks(workers, rows, min_rows, row_align, [&](std::size_t first, std::size_t end) -> std::uint64_t {
    const std::size_t length = end - first;
    std::size_t k = 0;
    for (; k + 8 <= count; k += 8) {
      const std::array<const Weight*, 8> w = {column(k) + first,     column(k + 1) + first, column(k + 2) + first,
                                              column(k + 3) + first, column(k + 4) + first, column(k + 5) + first,
                                              column(k + 6) + first, column(k + 7) + first};
      accumulate_block<8>(w, c + k, acc + first, length);
    }
    for (; k < count; ++k) accumulate_block<1>(std::array<const Weight*, 1>{column(k) + first}, c + k, acc + first, length);
    return 0;
  });
}

template <typename Matrix>
auto column_of(const Matrix& weight) {
  return [&weight](std::size_t j) { return weight.col(static_cast<Eigen::Index>(j)).data(); };
}

template <typename Matrix, typename Coefficient>
auto gathered_column_of(const Matrix& weight, const Gathered<Coefficient>& gathered) {
  return [&weight, &gathered](std::size_t k) {
    return weight.col(static_cast<Eigen::Index>(gathered.columns[k])).data();
  };
}

}  // namespace

void full_product(const Eigen::MatrixXf& weight, const Eigen::VectorXf& bias, const Eigen::VectorXf& input,
                  Eigen::VectorXf& pre, WorkerPool* workers) {
  pre = bias;
  accumulate_in_order<float>(column_of(weight), input.data(), static_cast<std::size_t>(input.size()), pre.data(),
                             static_cast<std::size_t>(weight.rows()), workers);
}

void accumulate_columns(const Eigen::MatrixXf& weight, const Gathered<float>& gathered, Eigen::VectorXf& pre,
                        WorkerPool* workers) {
  accumulate_in_order<float>(gathered_column_of(weight, gathered), gathered.coefficients.data(), gathered.size(),
                             pre.data(), static_cast<std::size_t>(weight.rows()), workers);
}

void full_product(const MatrixI8& weight, std::span<const std::int32_t> bias, std::span<const std::int8_t> input,
                  std::span<std::int32_t> accumulator, WorkerPool* workers) {
  std::copy(bias.begin(), bias.end(), accumulator.begin());
  accumulate_in_order<std::int8_t>(column_of(weight), input.data(), input.size(), accumulator.data(),
                                   static_cast<std::size_t>(weight.rows()), workers);
}

void accumulate_columns(const MatrixI8& weight, const Gathered<std::int16_t>& gathered,
                        std::span<std::int32_t> accumulator, WorkerPool* workers) {
  accumulate_in_order<std::int8_t>(gathered_column_of(weight, gathered), gathered.coefficients.data(),
                                   gathered.size(), accumulator.data(), static_cast<std::size_t>(weight.rows()), workers);
}

}  // namespace tandem::ann
