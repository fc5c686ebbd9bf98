#include "ann/layer_runtime.hpp"

#include <cmath>

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
  reset();
}

void LayerRuntime::reset() {
  runs_ = 0;
  const auto n = static_cast<Eigen::Index>(spec_->inputs());
  const auto m = static_cast<Eigen::Index>(spec_->outputs());
  output_ = Eigen::VectorXf::Zero(m);
  if (precision_ == Precision::float32) {
    sent_ = Eigen::VectorXf::Zero(n);
    pre_ = spec_->bias;
  } else {
    const LayerQuantization& q = *spec_->quantization;
    sent_q_.assign(spec_->inputs(), 0);
    accumulator_.assign(q.bias.begin(), q.bias.end());
    output_q_.assign(spec_->outputs(), 0);
  }
}

std::size_t LayerRuntime::weight_bytes() const {
  return spec_->inputs() * spec_->outputs() * (precision_ == Precision::float32 ? sizeof(float) : sizeof(std::int8_t));
}

std::size_t LayerRuntime::bias_bytes() const {
  return spec_->outputs() * (precision_ == Precision::float32 ? sizeof(float) : sizeof(std::int32_t));
}

void LayerRuntime::add_always_on(OpCounts& always_on) const {
  const std::size_t n = spec_->inputs();
  const std::size_t m = spec_->outputs();
  always_on.add(Op::mac, as_count(n * m));
  always_on.add(Op::activation, as_count(m));
  always_on.add(Op::input_event, as_count(n));
  always_on.add(Op::spike, as_count(m));
  always_on.add(Op::memory_byte_read, as_count(weight_bytes()));
  always_on.add(Op::memory_byte_written, as_count(m * dense_accumulator_bytes));
}

// `columns` weight columns were read (each `outputs` MACs), `events` inputs received,
// `sent` values sent onward.
void LayerRuntime::count(OpCounts& executed, std::size_t columns, std::size_t events, std::size_t sent) const {
  const std::size_t m = spec_->outputs();
  executed.add(Op::mac, as_count(columns * m));
  executed.add(Op::activation, as_count(m));
  executed.add(Op::input_event, as_count(events));
  executed.add(Op::spike, as_count(sent));
  executed.add(Op::memory_byte_read, as_count(columns * weight_bytes() / std::max<std::size_t>(spec_->inputs(), 1)));
  // Every run writes its m accumulators (the outputs it then sends or holds).
  executed.add(Op::memory_byte_written, as_count(m * dense_accumulator_bytes));
}

void LayerRuntime::run(const Eigen::VectorXf& input, ExecutionMode mode, OpCounts& executed) {
  const std::size_t n = spec_->inputs();
  const std::size_t m = spec_->outputs();
  std::size_t columns = n;
  std::size_t events = n;
  const bool delta = mode == ExecutionMode::event && spec_->event_kind == EventKind::delta;
  if (mode == ExecutionMode::always_on) {
    full_product(spec_->weight, spec_->bias, input, pre_);
  } else if (!delta) {
    gather_nonzero(std::span<const float>(input.data(), n), gathered_);
    pre_ = spec_->bias;
    accumulate_columns(spec_->weight, gathered_, pre_);
    columns = events = gathered_.size();
  } else {
    gather_changes(std::span<const float>(input.data(), n), std::span<float>(sent_.data(), n),
                   spec_->delta_threshold, gathered_);
    events = gathered_.size();
    const bool refresh = spec_->refresh_runs > 0 && (runs_ + 1) % spec_->refresh_runs == 0;
    if (refresh) {
      // Exact recomputation from what was sent: float rounding of the running sum is dropped.
      full_product(spec_->weight, spec_->bias, sent_, pre_);
      columns = n;
    } else {
      accumulate_columns(spec_->weight, gathered_, pre_);
      columns = events;
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
  count(executed, columns, events, sent);
}

void LayerRuntime::run(std::span<const std::int8_t> input, ExecutionMode mode, OpCounts& executed) {
  const LayerQuantization& q = *spec_->quantization;
  const std::size_t n = spec_->inputs();
  const std::size_t m = spec_->outputs();
  std::size_t columns = n;
  std::size_t events = n;
  const bool delta = mode == ExecutionMode::event && spec_->event_kind == EventKind::delta;
  if (mode == ExecutionMode::always_on) {
    full_product(q.weight, q.bias, input, accumulator_);
  } else if (!delta) {
    gather_nonzero(input, gathered_q_);
    std::copy(q.bias.begin(), q.bias.end(), accumulator_.begin());
    accumulate_columns(q.weight, gathered_q_, accumulator_);
    columns = events = gathered_q_.size();
  } else {
    // Integer sums are exact, so the persistent accumulator always equals bias + W·x_sent.
    gather_changes(input, std::span<std::int8_t>(sent_q_), threshold_q_, gathered_q_);
    accumulate_columns(q.weight, gathered_q_, accumulator_);
    columns = events = gathered_q_.size();
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
  count(executed, columns, events, sent);
}

}  // namespace tandem::ann
