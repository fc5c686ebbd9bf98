// The run-time state of one dense layer and one run of it in a given execution mode:
// always-on (full product), zero-skip (non-zero inputs only) or delta (changed inputs only,
// into a persistent pre-activation), for every layer kind (dense, convolution, pooling, flatten), in float32, fixed or tianjic precision (core/precision.hpp;
// both integer precisions run the int8 path, their somas differ). Counts what it executed.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "ann/dense_kernels.hpp"
#include "ann/dense_layer.hpp"
#include "core/execution_mode.hpp"
#include "core/op_counts.hpp"
#include "core/precision.hpp"

namespace tandem::ann {

// Bytes of one output accumulator a run writes: a float32 sum or an int32 integer one.
inline constexpr std::size_t dense_accumulator_bytes = 4;

class LayerRuntime {
 public:
  // `spec` must outlive the runtime. fixed and tianjic require spec.quantization in that
  // arithmetic (quantize(graph, calibration, precision)); InputError for loihi.
  LayerRuntime(const DenseLayerSpec& spec, Precision precision);

  // Initial state: outputs 0, nothing sent, pre-activation = bias. `workers`: the threads its
  // matrix products may split their rows over (nullptr: the calling thread).
  void reset(WorkerPool* workers = nullptr);
  // One run on the layer's input (the sum of its sources). Updates output(); adds what was
  // executed to `executed`. mode == always_on runs the full product whatever the event kind.
  void run(const Eigen::VectorXf& input, ExecutionMode mode, OpCounts& executed);
  void run(std::span<const std::int8_t> input, ExecutionMode mode, OpCounts& executed);
  // What one run costs always-on (the analytic baseline).
  void add_always_on(OpCounts& always_on) const;

  // Output after the last run (dequantised in fixed and tianjic); zeros before the first run.
  [[nodiscard]] const Eigen::VectorXf& output() const { return output_; }
  [[nodiscard]] std::span<const std::int8_t> output_q() const { return output_q_; }
  [[nodiscard]] std::size_t weight_bytes() const;
  [[nodiscard]] std::size_t bias_bytes() const;

 private:
  // The products of each layer kind; they return the MACs done. `x` all inputs, `gathered` some.
  std::size_t product_all(const Eigen::VectorXf& x);
  std::size_t product_all(std::span<const std::int8_t> x);
  std::size_t accumulate(const Gathered<float>& gathered);
  std::size_t accumulate(const Gathered<std::int16_t>& gathered);
  // Weight bytes a run reads for these inputs: a dense layer its columns; a convolution the
  // kernel slice of every input channel with an event, once per run (the kernel is shared).
  [[nodiscard]] std::size_t weight_bytes_read(const std::vector<std::uint32_t>& columns) const;
  void run_flatten(const Eigen::VectorXf& input, ExecutionMode mode, OpCounts& executed);
  void run_flatten(std::span<const std::int8_t> input, ExecutionMode mode, OpCounts& executed);
  void count(OpCounts& executed, std::size_t macs, std::size_t bytes_read, std::size_t events, std::size_t sent) const;

  const DenseLayerSpec* spec_;
  Precision precision_;
  WorkerPool* workers_ = nullptr;
  std::size_t runs_ = 0;
  std::size_t always_on_macs_ = 0;
  std::vector<float> bias_;               // per output (a convolution's bias expanded over positions)
  std::vector<std::int32_t> bias_q_;
  // float32
  Eigen::VectorXf sent_;  // delta: input values last sent
  Eigen::VectorXf pre_;   // pre-activation (persistent in delta)
  Eigen::VectorXf output_;
  Gathered<float> gathered_;
  // fixed and tianjic
  std::vector<std::int8_t> sent_q_;
  std::vector<std::int32_t> accumulator_;  // persistent in delta
  std::vector<std::int8_t> output_q_;
  Gathered<std::int16_t> gathered_q_;
  std::int16_t threshold_q_ = 0;
  std::vector<std::int32_t> soma_scratch_;
  std::vector<std::int8_t> soma_output_;  // the soma's outputs before they replace output_q_
};

}  // namespace tandem::ann
