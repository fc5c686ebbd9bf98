#include "ann/quantization.hpp"

#include <cmath>

#include "ann/dense_kernels.hpp"
#include "core/error.hpp"

namespace tandem::ann {
namespace {

void check_scale(float scale, const char* what, const std::string& where) {
  if (!std::isfinite(scale) || !(scale > 0.0f)) {
    throw InputError(where + ": " + what + " must be finite and > 0, got " + format_number(scale));
  }
}

// Half the int32 range, leaving the other half for W·x (see max_fixed_point_fan_in).
constexpr double bias_limit = 1073741824.0;  // 2^30

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
  const float largest = weight.size() > 0 ? weight.cwiseAbs().maxCoeff() : 0.0f;
  q.weight_scale = largest > 0.0f ? largest / 127.0f : 1.0f;
  q.weight.resize(weight.rows(), weight.cols());
  for (Eigen::Index j = 0; j < weight.cols(); ++j) {
    for (Eigen::Index i = 0; i < weight.rows(); ++i) q.weight(i, j) = quantize_value(weight(i, j), q.weight_scale);
  }
  const double accumulator_scale = static_cast<double>(input_scale) * static_cast<double>(q.weight_scale);
  q.bias.resize(static_cast<std::size_t>(bias.size()));
  for (Eigen::Index i = 0; i < bias.size(); ++i) {
    const double scaled = std::round(static_cast<double>(bias[i]) / accumulator_scale);
    q.bias[static_cast<std::size_t>(i)] = static_cast<std::int32_t>(std::clamp(scaled, -bias_limit, bias_limit));
  }
  q.to_pre = Requantizer::from_real(accumulator_scale / static_cast<double>(pre_scale));
  for (int pre = -127; pre <= 127; ++pre) {
    const float x = static_cast<float>(pre) * pre_scale;
    const float y = activation.kind == ActivationKind::softmax ? x : activate(activation, x);
    q.table[static_cast<std::size_t>(pre + 127)] = quantize_value(y, output_scale);
  }
  return q;
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
  for (std::size_t i = 0; i < rows; ++i) output[i] = layer.activate(saturate_int8(layer.to_pre.apply(accumulator[i])));
}

}  // namespace tandem::ann
