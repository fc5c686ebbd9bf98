#include "ann/quantization.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "ann/dense_kernels.hpp"
#include "core/error.hpp"
#include "tianjic/compare.hpp"
#include "tianjic/cut.hpp"
#include "tianjic/integer_arithmetic.hpp"
#include "tianjic/lookup_table.hpp"

namespace tandem::ann {
namespace {

void check_scale(float scale, const char* what, const std::string& where) {
  if (!std::isfinite(scale) || !(scale > 0.0f)) {
    throw InputError(where + ": " + what + " must be finite and > 0, got " + format_number(scale));
  }
}

// Half the int32 range, leaving the other half for W·x (see max_fixed_point_fan_in).
constexpr double bias_limit = 1073741824.0;  // 2^30

// Symmetric int8 weights at weight_scale = max|W| / 127.
void quantize_weights(const Eigen::MatrixXf& weight, LayerQuantization& q) {
  const float largest = weight.size() > 0 ? weight.cwiseAbs().maxCoeff() : 0.0f;
  q.weight_scale = largest > 0.0f ? largest / 127.0f : 1.0f;
  q.weight.resize(weight.rows(), weight.cols());
  for (Eigen::Index j = 0; j < weight.cols(); ++j) {
    for (Eigen::Index i = 0; i < weight.rows(); ++i) q.weight(i, j) = quantize_value(weight(i, j), q.weight_scale);
  }
}

// Bias in accumulator units, rounded half away and clamped to [-limit, limit].
void quantize_bias(const Eigen::VectorXf& bias, double accumulator_scale, double limit, LayerQuantization& q) {
  q.bias.resize(static_cast<std::size_t>(bias.size()));
  for (Eigen::Index i = 0; i < bias.size(); ++i) {
    const double scaled = std::round(static_cast<double>(bias[i]) / accumulator_scale);
    q.bias[static_cast<std::size_t>(i)] = static_cast<std::int32_t>(std::clamp(scaled, -limit, limit));
  }
}

double accumulator_scale_of(const LayerQuantization& q) {
  return static_cast<double>(q.input_scale) * static_cast<double>(q.weight_scale);
}

// The activation's output at pre-activation q·pre_scale, in output_scale steps (softmax: identity).
std::int8_t tabulated(const Activation& activation, int pre, float pre_scale, float output_scale) {
  const float x = static_cast<float>(pre) * pre_scale;
  const float y = activation.kind == ActivationKind::softmax ? x : activate(activation, x);
  return quantize_value(y, output_scale);
}

}  // namespace

LayerQuantization quantize_layer(const Eigen::MatrixXf& weight, const Eigen::VectorXf& bias,
                                 const Activation& activation, float input_scale, float pre_scale,
                                 float output_scale, const std::string& where) {
  check_scale(input_scale, "input scale", where);
  check_scale(pre_scale, "pre-activation scale", where);
  check_scale(output_scale, "output scale", where);
  if (static_cast<std::size_t>(weight.cols()) > max_fixed_point_fan_in) {
    throw InputError(where + ": fan-in " + std::to_string(weight.cols()) + " exceeds the fixed-point limit " +
                     std::to_string(max_fixed_point_fan_in) + " (int32 accumulator headroom)");
  }
  LayerQuantization q;
  q.input_scale = input_scale;
  q.pre_scale = pre_scale;
  q.output_scale = output_scale;
  quantize_weights(weight, q);
  const double accumulator_scale = accumulator_scale_of(q);
  quantize_bias(bias, accumulator_scale, bias_limit, q);
  q.to_pre = Requantizer::from_real(accumulator_scale / static_cast<double>(pre_scale));
  for (int pre = -127; pre <= 127; ++pre) {
    q.table[static_cast<std::size_t>(pre + 127)] = tabulated(activation, pre, pre_scale, output_scale);
  }
  return q;
}

int choose_bit_shift_num(double accumulator_scale, double ideal_pre_scale) {
  for (int bsn = 0; bsn < tianjic::max_bit_shift_num; ++bsn) {
    if (std::ldexp(accumulator_scale, 2 * bsn) >= ideal_pre_scale) return bsn;
  }
  return tianjic::max_bit_shift_num;
}

LayerQuantization quantize_layer_tianjic(const Eigen::MatrixXf& weight, const Eigen::VectorXf& bias,
                                         const Activation& activation, TianjicSoma soma, float input_scale,
                                         float ideal_pre_scale, float output_scale, const std::string& where) {
  check_scale(input_scale, "input scale", where);
  check_scale(ideal_pre_scale, "pre-activation scale", where);
  check_scale(output_scale, "output scale", where);
  LayerQuantization q;
  q.arithmetic = Precision::tianjic;
  q.tianjic_soma = soma;
  q.input_scale = input_scale;
  quantize_weights(weight, q);
  const double accumulator_scale = accumulator_scale_of(q);
  quantize_bias(bias, accumulator_scale, static_cast<double>(tianjic::int32_max), q);
  // Primitive 04 saturates the int32 sum after every MAC, in input order. With int8 operands
  // (|x|, |w| <= 128) no partial sum — of any subset of the products, in any order, as zero-skip
  // and delta form them — can leave (-2^31, 2^31) while |bias| + fan_in·128·128 < 2^31, so the
  // saturation never acts and the exact (order-free, vectorised) int32 kernels of dense_kernels
  // compute the chip's sums bit for bit. Layers beyond the bound are refused rather than emulated.
  std::int64_t largest_bias = 0;
  for (const std::int32_t b : q.bias) largest_bias = std::max(largest_bias, std::abs(static_cast<std::int64_t>(b)));
  const std::int64_t bound = largest_bias + static_cast<std::int64_t>(weight.cols()) * 128 * 128;
  if (bound >= tianjic_accumulator_limit) {
    throw InputError(where + ": |bias| + fan-in·128·128 = " + std::to_string(bound) + " (fan-in " +
                     std::to_string(weight.cols()) +
                     ") reaches 2^31, so the tianjic int32 accumulator could saturate; reduce the fan-in or the bias");
  }
  q.bit_shift_num = choose_bit_shift_num(accumulator_scale, ideal_pre_scale);
  q.pre_scale = static_cast<float>(std::ldexp(accumulator_scale, 2 * q.bit_shift_num));
  q.output_scale = soma == TianjicSoma::lookup ? output_scale : q.pre_scale;
  if (soma == TianjicSoma::lookup) {
    q.lookup_table.resize(tianjic::lookup_table_length(8));
    for (int pre = -128; pre <= 127; ++pre) {
      const auto entry = static_cast<std::size_t>(pre >= 0 ? pre : 256 + pre);
      q.lookup_table[entry] = tabulated(activation, pre, q.pre_scale, q.output_scale);
    }
  }
  return q;
}

void apply_soma(const LayerQuantization& layer, std::span<const std::int32_t> accumulator, std::span<std::int8_t> output,
                std::vector<std::int32_t>& scratch) {
  if (layer.arithmetic != Precision::tianjic) {
    for (std::size_t i = 0; i < accumulator.size(); ++i) {
      output[i] = layer.activate(saturate_int8(layer.to_pre.apply(accumulator[i])));
    }
    return;
  }
  scratch.resize(accumulator.size());
  OpCounts counted_by_caller;
  switch (layer.tianjic_soma) {
    case TianjicSoma::cut:
      tianjic::cut(accumulator, tianjic::Precision::int8, layer.bit_shift_num, scratch, counted_by_caller);
      break;
    case TianjicSoma::compare:
      tianjic::compare_relu(accumulator, layer.bit_shift_num, 0U, scratch, counted_by_caller);
      break;
    case TianjicSoma::lookup:
      tianjic::lookup(accumulator,
                      tianjic::LookupParameters{.data_width = 8, .input = tianjic::LookupInput::int32,
                                                .bit_shift_num = layer.bit_shift_num},
                      layer.lookup_table, scratch, counted_by_caller);
      break;
  }
  // Every value is in int8 range: cut and compare clip to [-128, 127], table entries are int8.
  for (std::size_t i = 0; i < scratch.size(); ++i) output[i] = static_cast<std::int8_t>(scratch[i]);
}

ErrorStats error_stats(const Eigen::MatrixXf& approximate, const Eigen::MatrixXf& reference) {
  ErrorStats stats;
  stats.count = static_cast<std::size_t>(reference.size());
  if (stats.count == 0) return stats;
  const Eigen::ArrayXXd difference = (approximate.cast<double>() - reference.cast<double>()).array().abs();
  stats.max_abs = difference.maxCoeff();
  stats.rms = std::sqrt(difference.square().mean());
  return stats;
}

void fixed_forward(const LayerQuantization& layer, const std::int8_t* input, std::vector<std::int32_t>& accumulator,
                   std::vector<std::int8_t>& output) {
  const auto rows = static_cast<std::size_t>(layer.weight.rows());
  accumulator.resize(rows);
  output.resize(rows);
  full_product(layer.weight, layer.bias, std::span<const std::int8_t>(input, static_cast<std::size_t>(layer.weight.cols())),
               accumulator);
  std::vector<std::int32_t> scratch;
  apply_soma(layer, accumulator, output, scratch);
}

}  // namespace tandem::ann
