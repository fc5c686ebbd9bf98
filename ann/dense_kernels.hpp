// The inner loops of a dense layer, float32 and integer (fixed and tianjic precision): the full matrix-vector product
// (always-on), and column accumulation over a gathered list of inputs (zero-skip, delta).
// Kernels only compute; callers count operations from the sizes they return.
#pragma once

#include <Eigen/Core>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "ann/quantization.hpp"
#include "core/worker_pool.hpp"

namespace tandem::ann {

// Inputs selected for accumulation: column index and the coefficient multiplying it.
template <typename Coefficient>
struct Gathered {
  std::vector<std::uint32_t> columns;
  std::vector<Coefficient> coefficients;
  void clear() {
    columns.clear();
    coefficients.clear();
  }
  [[nodiscard]] std::size_t size() const { return columns.size(); }
};

// Zero-skip: every non-zero input, with its value as coefficient.
template <typename Value, typename Coefficient>
void gather_nonzero(std::span<const Value> input, Gathered<Coefficient>& out) {
  out.clear();
  for (std::size_t j = 0; j < input.size(); ++j) {
    if (input[j] != Value{0}) {
      out.columns.push_back(static_cast<std::uint32_t>(j));
      out.coefficients.push_back(static_cast<Coefficient>(input[j]));
    }
  }
}

// Sigma-delta: every input whose change since last sent is non-zero and reaches `threshold`;
// the coefficient is the change and `sent` takes the new value.
template <typename Value, typename Coefficient>
void gather_changes(std::span<const Value> input, std::span<Value> sent, Coefficient threshold,
                    Gathered<Coefficient>& out) {
  out.clear();
  for (std::size_t j = 0; j < input.size(); ++j) {
    const Coefficient change = static_cast<Coefficient>(static_cast<Coefficient>(input[j]) -
                                                        static_cast<Coefficient>(sent[j]));
    if (change != Coefficient{0} && std::abs(change) >= threshold) {
      out.columns.push_back(static_cast<std::uint32_t>(j));
      out.coefficients.push_back(change);
      sent[j] = input[j];
    }
  }
}

// Every product below may be spread over `workers` (nullptr: the calling thread) by blocks of
// output rows: each row's sum is computed by the same operations in the same order whichever
// thread runs it, so the results do not depend on the thread count (docs/threads.md).

// pre = b + W·x, accumulating columns in index order (see accumulate_columns).
void full_product(const Eigen::MatrixXf& weight, const Eigen::VectorXf& bias, const Eigen::VectorXf& input,
                  Eigen::VectorXf& pre, WorkerPool* workers = nullptr);
// pre += W.col(columns[0]) * coefficients[0], then columns[1] …, in that order for every
// element: with ascending columns this rounds exactly like full_product skipping exact zeros.
void accumulate_columns(const Eigen::MatrixXf& weight, const Gathered<float>& gathered, Eigen::VectorXf& pre,
                        WorkerPool* workers = nullptr);

// accumulator = bias + W·x, exact in int32 (the fan-in limit guarantees no overflow).
void full_product(const MatrixI8& weight, std::span<const std::int32_t> bias, std::span<const std::int8_t> input,
                  std::span<std::int32_t> accumulator, WorkerPool* workers = nullptr);
// accumulator += sum_k W.col(columns[k]) * coefficients[k]; coefficients are changes in
// [-255, 255] (or values in [-128, 127]; -128 only from tianjic's cut), so every product fits in int16.
void accumulate_columns(const MatrixI8& weight, const Gathered<std::int16_t>& gathered,
                        std::span<std::int32_t> accumulator, WorkerPool* workers = nullptr);

}  // namespace tandem::ann
