// A dense layer in integer arithmetic: int8 weights (symmetric, one scale per layer), int32 bias
// in accumulator units, and a soma from the int32 accumulator to an int8 output. In `fixed`
// precision the soma is the requantiser to an int8 pre-activation and the activation as a
// 255-entry table; in `tianjic` precision it is one of Tianjic's somas, a cut by 4^bit_shift_num
// (06), a compare with 0 (05, ReLU) or a lookup table (07) — docs/precision-dense.md.
#pragma once

#include <Eigen/Core>
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "ann/activation.hpp"
#include "ann/fixed_point.hpp"
#include "core/precision.hpp"

namespace tandem::ann {

using MatrixI8 = Eigen::Matrix<std::int8_t, Eigen::Dynamic, Eigen::Dynamic>;  // column-major

// Tianjic's soma for a dense layer: identity and softmax's pre-activation cut (primitive 06),
// ReLU compares with 0 (05), any other activation — or any activation whose output must take a
// scale imposed from outside, as when several layers' outputs are summed — looks up (07).
enum class TianjicSoma { cut, compare, lookup };

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
  // Which arithmetic the soma follows: Precision::fixed (to_pre and table above) or
  // Precision::tianjic (tianjic_soma below; to_pre and table are unused).
  Precision arithmetic = Precision::fixed;
  TianjicSoma tianjic_soma = TianjicSoma::cut;
  // tianjic: pre-activation = clip(floor(accumulator / 4^bit_shift_num)), so
  // pre_scale = input_scale * weight_scale * 4^bit_shift_num.
  int bit_shift_num = 0;
  // tianjic lookup: 256 entries as primitive 07 stores them, f(0 … 127) then f(-128 … -1),
  // f(q) = the output (in output_scale steps) for pre-activation q.
  std::vector<std::int32_t> lookup_table;

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

// Accumulator bound of tianjic precision: |bias| + fan_in·128·128 must stay below 2^31, so no
// partial sum, in any order, reaches the int32 rails where primitive 04 saturates.
inline constexpr std::int64_t tianjic_accumulator_limit = std::int64_t{1} << 31;

// The smallest bit_shift_num in [0, 15] with accumulator_scale·4^bsn >= ideal_pre_scale (15 if
// none): the coarsest pre-activation step that power-of-4 hardware offers without clipping
// the calibrated range, at a cost of up to 2 bits of resolution against ideal_pre_scale.
int choose_bit_shift_num(double accumulator_scale, double ideal_pre_scale);

// As quantize_layer for Tianjic's arithmetic: the same int8 weights, a bias rounded to int32
// accumulator units, bit_shift_num from choose_bit_shift_num(input_scale·weight_scale,
// ideal_pre_scale) and pre_scale = input_scale·weight_scale·4^bit_shift_num. `soma` cut and
// compare give output_scale = pre_scale; lookup tabulates quantize(activation(q·pre_scale),
// output_scale) for q in [-128, 127] (softmax tabulated as identity). InputError naming `where`
// for bad scales or when |bias| + fan_in·128·128 >= 2^31 (the accumulator could saturate).
LayerQuantization quantize_layer_tianjic(const Eigen::MatrixXf& weight, const Eigen::VectorXf& bias,
                                         const Activation& activation, TianjicSoma soma, float input_scale,
                                         float ideal_pre_scale, float output_scale, const std::string& where);

// The layer's soma on every accumulator: fixed, output = table[saturate(requantise)]; tianjic,
// the cut, compare or lookup kernel of tianjic/. `scratch` holds the kernels' int32 outputs.
void apply_soma(const LayerQuantization& layer, std::span<const std::int32_t> accumulator, std::span<std::int8_t> output,
                std::vector<std::int32_t>& scratch);

// Max and RMS absolute difference between two equally sized sets of values.
struct ErrorStats {
  double max_abs = 0.0;
  double rms = 0.0;
  std::size_t count = 0;
};
ErrorStats error_stats(const Eigen::MatrixXf& approximate, const Eigen::MatrixXf& reference);

// One integer forward pass of a layer on one int8 input (always-on, used for calibration and
// as the reference): accumulator = bias + W·x (exact int32), output = apply_soma(accumulator).
// `accumulator` and `output` are resized.
void fixed_forward(const LayerQuantization& layer, const std::int8_t* input, std::vector<std::int32_t>& accumulator,
                   std::vector<std::int8_t>& output);

}  // namespace tandem::ann
