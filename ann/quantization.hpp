// A dense layer in fixed point: int8 weights (symmetric, one scale per layer), int32 bias in
// accumulator units, the requantiser to an int8 pre-activation, and the activation as a
// 255-entry table from int8 pre-activation to int8 output — a hybrid chip's soma lookup.
#pragma once

#include <Eigen/Core>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "ann/activation.hpp"
#include "ann/fixed_point.hpp"

namespace tandem::ann {

using MatrixI8 = Eigen::Matrix<std::int8_t, Eigen::Dynamic, Eigen::Dynamic>;  // column-major

// Real value = integer * scale for every quantity (input, weight, pre-activation, output);
// accumulator units are input_scale * weight_scale.
struct LayerQuantization {
  float input_scale = 1.0f;
  float weight_scale = 1.0f;
  float pre_scale = 1.0f;
  float output_scale = 1.0f;
  MatrixI8 weight;                   // [outputs x inputs]
  std::vector<std::int32_t> bias;    // [outputs], accumulator units
  Requantizer to_pre;                // accumulator -> pre-activation: factor acc_scale / pre_scale
  std::array<std::int8_t, 255> table{};  // output for pre-activation q at index q + 127

  [[nodiscard]] std::int8_t activate(std::int8_t pre) const { return table[static_cast<std::size_t>(pre + 127)]; }
};

// The largest fan-in whose exact int32 sum cannot overflow with |w|, |x| <= 127 and a bias
// limited to half the int32 range: (2^31 - 1 - 2^30) / 127^2 = 66,571.
inline constexpr std::size_t max_fixed_point_fan_in = 66571;

// Quantises float weights and bias with the given scales (weight_scale = max|W| / 127) and
// tabulates the activation: table[q] = quantize(activation(q * pre_scale), output_scale).
// Softmax (not element-wise) is tabulated as identity; the engine applies it to the output.
// InputError naming `where` for non-positive/NaN scales or a fan-in over max_fixed_point_fan_in.
LayerQuantization quantize_layer(const Eigen::MatrixXf& weight, const Eigen::VectorXf& bias,
                                 const Activation& activation, float input_scale, float pre_scale,
                                 float output_scale, const std::string& where);

// Max and RMS absolute difference between two equally sized sets of values.
struct ErrorStats {
  double max_abs = 0.0;
  double rms = 0.0;
  std::size_t count = 0;
};
ErrorStats error_stats(const Eigen::MatrixXf& approximate, const Eigen::MatrixXf& reference);

// One fixed-point forward pass of a layer on one int8 input (always-on, used for calibration
// and as the reference): accumulator = bias + W·x (exact int32), pre = saturate(requantise),
// output = table[pre]. `accumulator` and `output` are resized.
void fixed_forward(const LayerQuantization& layer, const std::int8_t* input, std::vector<std::int32_t>& accumulator,
                   std::vector<std::int8_t>& output);

}  // namespace tandem::ann
