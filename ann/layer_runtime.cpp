#include "ann/layer_runtime.hpp"

#include <cmath>

#include "ann/convolution.hpp"
#include "core/error.hpp"

namespace tandem::ann {
namespace {

std::uint64_t as_count(std::size_t value) { return static_cast<std::uint64_t>(value); }

}  // namespace

LayerRuntime::LayerRuntime(const DenseLayerSpec& spec, Precision precision) : spec_(&spec), precision_(precision) {
  if (precision == Precision::loihi) {
    throw InputError("layer '" + spec.name + "': dense layers compute in float32, fixed or tianjic, not loihi");
  }
  if (precision != Precision::float32) {
    if (!spec.quantization) {
      throw InputError("layer '" + spec.name + "': " + std::string(to_string(precision)) +
                       " precision needs quantised weights (quantize())");
    }
    if (spec.quantization->arithmetic != precision) {
      throw InputError("layer '" + spec.name + "': quantised for " +
                       std::string(to_string(spec.quantization->arithmetic)) + " precision, not " +
                       std::string(to_string(precision)) + " (quantize(graph, calibration, precision))");
    }
    // The threshold in whole int8 steps of the input scale (round half away from zero).
    const double steps = std::round(static_cast<double>(spec.delta_threshold) / spec.quantization->input_scale);
    threshold_q_ = static_cast<std::int16_t>(std::min(steps, 255.0));
  }
  if (spec.convolution) {
    always_on_macs_ = convolution_macs(*spec.convolution);
    bias_ = expand_bias<float>(*spec.convolution, std::span<const float>(spec.bias.data(), spec.convolution->out_channels));
    if (spec.quantization) bias_q_ = expand_bias<std::int32_t>(*spec.convolution, spec.quantization->bias);
  } else if (spec.kind == LayerKind::dense) {
    always_on_macs_ = spec.inputs() * spec.outputs();
    bias_.assign(spec.bias.data(), spec.bias.data() + spec.bias.size());
    if (spec.quantization) bias_q_ = spec.quantization->bias;
  }
  reset();
}

void LayerRuntime::reset(WorkerPool* workers) {
  workers_ = workers;
  runs_ = 0;
  const auto n = static_cast<Eigen::Index>(spec_->inputs());
  const auto m = static_cast<Eigen::Index>(spec_->outputs());
  output_ = Eigen::VectorXf::Zero(m);
  if (precision_ == Precision::float32) {
    sent_ = Eigen::VectorXf::Zero(n);
    pre_ = Eigen::Map<const Eigen::VectorXf>(bias_.data(), static_cast<Eigen::Index>(bias_.size()));
  } else {
    sent_q_.assign(spec_->inputs(), 0);
    accumulator_ = bias_q_;
    output_q_.assign(spec_->outputs(), 0);
  }
}

// The stored weights (a convolution's kernel once, however many positions share it); flatten none.
std::size_t LayerRuntime::weight_bytes() const {
  return static_cast<std::size_t>(spec_->weight.size()) *
         (precision_ == Precision::float32 ? sizeof(float) : sizeof(std::int8_t));
}

std::size_t LayerRuntime::bias_bytes() const {
  return static_cast<std::size_t>(spec_->bias.size()) *
         (precision_ == Precision::float32 ? sizeof(float) : sizeof(std::int32_t));
}

void LayerRuntime::add_always_on(OpCounts& always_on) const {
  const std::size_t n = spec_->inputs();
  const std::size_t m = spec_->outputs();
  const bool computes = spec_->kind != LayerKind::flatten;
  always_on.add(Op::mac, as_count(always_on_macs_));
  always_on.add(Op::activation, as_count(computes ? m : 0));
  always_on.add(Op::input_event, as_count(n));
  always_on.add(Op::spike, as_count(m));
  always_on.add(Op::memory_byte_read, as_count(weight_bytes()));
  always_on.add(Op::memory_byte_written, as_count(computes ? m * dense_accumulator_bytes : 0));
}

// `macs` multiply-accumulates reading `bytes_read` weight bytes, `events` inputs received,
// `sent` values sent onward.
void LayerRuntime::count(OpCounts& executed, std::size_t macs, std::size_t bytes_read, std::size_t events,
                         std::size_t sent) const {
  const std::size_t m = spec_->outputs();
  const bool computes = spec_->kind != LayerKind::flatten;
  executed.add(Op::mac, as_count(macs));
  executed.add(Op::activation, as_count(computes ? m : 0));
  executed.add(Op::input_event, as_count(events));
  executed.add(Op::spike, as_count(sent));
  executed.add(Op::memory_byte_read, as_count(bytes_read));
  // Every run writes its m accumulators (the outputs it then sends or holds).
  executed.add(Op::memory_byte_written, as_count(computes ? m * dense_accumulator_bytes : 0));
}

std::size_t LayerRuntime::weight_bytes_read(const std::vector<std::uint32_t>& columns) const {
  if (!spec_->convolution) return columns.size() * weight_bytes() / std::max<std::size_t>(spec_->inputs(), 1);
  const ConvolutionShape& shape = *spec_->convolution;
  const std::size_t plane = shape.in_height * shape.in_width;
  std::size_t channels = 0;
  std::size_t last = static_cast<std::size_t>(-1);
  for (const std::uint32_t j : columns) {  // ascending, so a channel's inputs are adjacent
    channels += j / plane != last ? 1 : 0;
    last = j / plane;
  }
  return channels * weight_bytes() / shape.in_channels;
}

std::size_t LayerRuntime::product_all(const Eigen::VectorXf& x) {
  if (spec_->convolution) {
    return convolution_full_product(*spec_->convolution, spec_->weight, bias_,
                                    std::span<const float>(x.data(), spec_->inputs()), pre_.data());
  }
  full_product(spec_->weight, spec_->bias, x, pre_, workers_);
  return always_on_macs_;
}

std::size_t LayerRuntime::product_all(std::span<const std::int8_t> x) {
  const LayerQuantization& q = *spec_->quantization;
  if (spec_->convolution) return convolution_full_product(*spec_->convolution, q.weight, bias_q_, x, accumulator_.data());
  full_product(q.weight, q.bias, x, accumulator_, workers_);
  return always_on_macs_;
}

std::size_t LayerRuntime::accumulate(const Gathered<float>& gathered) {
  if (spec_->convolution) return convolution_accumulate(*spec_->convolution, spec_->weight, gathered, pre_.data());
  accumulate_columns(spec_->weight, gathered, pre_, workers_);
  return gathered.size() * spec_->outputs();
}

std::size_t LayerRuntime::accumulate(const Gathered<std::int16_t>& gathered) {
  const LayerQuantization& q = *spec_->quantization;
  if (spec_->convolution) return convolution_accumulate(*spec_->convolution, q.weight, gathered, accumulator_.data());
  accumulate_columns(q.weight, gathered, accumulator_, workers_);
  return gathered.size() * spec_->outputs();
}

// Flatten: the output is the input (delta: the values last sent); nothing is computed.
void LayerRuntime::run_flatten(const Eigen::VectorXf& input, ExecutionMode mode, OpCounts& executed) {
  const std::size_t n = spec_->inputs();
  std::size_t events = n;
  if (mode == ExecutionMode::always_on || spec_->event_kind == EventKind::zero_skip) {
    output_ = input;
    if (mode == ExecutionMode::event) events = static_cast<std::size_t>((input.array() != 0.0f).count());
  } else {
    gather_changes(std::span<const float>(input.data(), n), std::span<float>(sent_.data(), n), spec_->delta_threshold,
                   gathered_);
    events = gathered_.size();
    output_ = sent_;
  }
  ++runs_;
  count(executed, 0, 0, events, events);
}

void LayerRuntime::run_flatten(std::span<const std::int8_t> input, ExecutionMode mode, OpCounts& executed) {
  const float scale = spec_->quantization->output_scale;
  std::size_t events = input.size();
  if (mode == ExecutionMode::always_on || spec_->event_kind == EventKind::zero_skip) {
    output_q_.assign(input.begin(), input.end());
    if (mode == ExecutionMode::event) events = input.size() - static_cast<std::size_t>(std::count(input.begin(), input.end(), 0));
  } else {
    gather_changes(input, std::span<std::int8_t>(sent_q_), threshold_q_, gathered_q_);
    events = gathered_q_.size();
    output_q_ = sent_q_;
  }
  for (std::size_t i = 0; i < output_q_.size(); ++i) output_[static_cast<Eigen::Index>(i)] = static_cast<float>(output_q_[i]) * scale;
  ++runs_;
  count(executed, 0, 0, events, events);
}

void LayerRuntime::run(const Eigen::VectorXf& input, ExecutionMode mode, OpCounts& executed) {
  if (spec_->kind == LayerKind::flatten) {
    run_flatten(input, mode, executed);
    return;
  }
  const std::size_t n = spec_->inputs();
  const std::size_t m = spec_->outputs();
  std::size_t macs = 0;
  std::size_t bytes_read = weight_bytes();
  std::size_t events = n;
  const bool delta = mode == ExecutionMode::event && spec_->event_kind == EventKind::delta;
  if (mode == ExecutionMode::always_on) {
    macs = product_all(input);
  } else if (!delta) {
    gather_nonzero(std::span<const float>(input.data(), n), gathered_);
    std::copy(bias_.begin(), bias_.end(), pre_.data());
    macs = accumulate(gathered_);
    bytes_read = weight_bytes_read(gathered_.columns);
    events = gathered_.size();
  } else {
    gather_changes(std::span<const float>(input.data(), n), std::span<float>(sent_.data(), n),
                   spec_->delta_threshold, gathered_);
    events = gathered_.size();
    const bool refresh = spec_->refresh_runs > 0 && (runs_ + 1) % spec_->refresh_runs == 0;
    if (refresh) {
      // Exact recomputation from what was sent: float rounding of the running sum is dropped.
      macs = product_all(sent_);
    } else {
      macs = accumulate(gathered_);
      bytes_read = weight_bytes_read(gathered_.columns);
    }
  }
  ++runs_;
  std::size_t sent = m;
  if (mode == ExecutionMode::always_on) {
    output_ = pre_;
    apply_activation(spec_->activation, Eigen::Ref<Eigen::VectorXf>(output_));
  } else if (!delta) {
    output_ = pre_;
    apply_activation(spec_->activation, Eigen::Ref<Eigen::VectorXf>(output_));
    sent = static_cast<std::size_t>((output_.array() != 0.0f).count());
  } else {
    Eigen::VectorXf next = pre_;
    apply_activation(spec_->activation, Eigen::Ref<Eigen::VectorXf>(next));
    sent = static_cast<std::size_t>((next.array() != output_.array()).count());
    output_.swap(next);
  }
  count(executed, macs, bytes_read, events, sent);
}

void LayerRuntime::run(std::span<const std::int8_t> input, ExecutionMode mode, OpCounts& executed) {
  if (spec_->kind == LayerKind::flatten) {
    run_flatten(input, mode, executed);
    return;
  }
  const LayerQuantization& q = *spec_->quantization;
  const std::size_t n = spec_->inputs();
  const std::size_t m = spec_->outputs();
  std::size_t macs = 0;
  std::size_t bytes_read = weight_bytes();
  std::size_t events = n;
  const bool delta = mode == ExecutionMode::event && spec_->event_kind == EventKind::delta;
  if (mode == ExecutionMode::always_on) {
    macs = product_all(input);
  } else {
    if (!delta) {
      gather_nonzero(input, gathered_q_);
      accumulator_ = bias_q_;
    } else {
      // Integer sums are exact, so the persistent accumulator always equals bias + W·x_sent.
      gather_changes(input, std::span<std::int8_t>(sent_q_), threshold_q_, gathered_q_);
    }
    macs = accumulate(gathered_q_);
    bytes_read = weight_bytes_read(gathered_q_.columns);
    events = gathered_q_.size();
  }
  ++runs_;
  std::size_t sent = 0;
  soma_output_.resize(m);
  apply_soma(q, accumulator_, soma_output_, soma_scratch_);
  for (std::size_t i = 0; i < m; ++i) {
    const std::int8_t value = soma_output_[i];
    sent += delta ? (value != output_q_[i] ? 1 : 0) : (value != 0 ? 1 : 0);
    output_q_[i] = value;
    output_[static_cast<Eigen::Index>(i)] = static_cast<float>(value) * q.output_scale;
  }
  if (mode == ExecutionMode::always_on) sent = m;
  if (spec_->activation.kind == ActivationKind::softmax) {
    apply_activation(spec_->activation, Eigen::Ref<Eigen::VectorXf>(output_));
  }
  count(executed, macs, bytes_read, events, sent);
}

}  // namespace tandem::ann
