// Convolution and pooling layers of the dense engine: a DenseLayerSpec whose `convolution` shape
// is set keeps its kernel once (weights shared over positions, never expanded to a dense matrix)
// and runs by scattering each input's contribution to the outputs its kernel taps reach.
// Builders from NIR-style arrays (Conv1d, Conv2d, SumPool2d, AvgPool2d, Flatten) and the kernels.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "ann/dense_kernels.hpp"
#include "ann/dense_layer.hpp"
#include "core/convolution_shape.hpp"

namespace tandem::ann {

// A convolution layer: `weight_row_major` is NIR's [out_channels, in_channels/groups, kh, kw]
// (Conv1d: kh = 1) flattened row-major; `bias` has out_channels values, or is empty (no bias).
// Input and output are C×H×W flattened row-major. InputError naming the layer for a shape
// mismatch (see validate(DenseLayerSpec)).
DenseLayerSpec make_convolution_layer(std::string name, std::vector<std::string> sources, const ConvolutionShape& shape,
                                      const std::vector<float>& weight_row_major, const std::vector<float>& bias,
                                      Activation activation = {});

// The same from NIR Conv1d / Conv2d fields (core/convolution_shape.hpp); bias [O] or empty.
DenseLayerSpec make_convolution_layer_from_nir(std::string name, std::vector<std::string> sources,
                                               const NirConvolutionFields& fields,
                                               const std::vector<float>& weight_row_major,
                                               const std::vector<float>& bias, Activation activation = {});

// A pooling layer over C×H×W (shape from pooling_shape()): a depthwise convolution whose kernel
// is pool_tap_weight(shape, kind) — 1 (sum) or 1/(kh·kw) (average) — in every tap, no bias.
DenseLayerSpec make_pooling_layer(std::string name, std::vector<std::string> sources, const ConvolutionShape& shape,
                                  PoolKind kind);

// NIR Flatten as a layer: output = input (an index map that is the identity on the flattened,
// row-major vector); `width` values. No weights, no MACs; identity activation. A lowering may as
// well connect the Flatten's source straight to its targets.
DenseLayerSpec make_flatten_layer(std::string name, std::vector<std::string> sources, std::size_t width);

// The bias per output unit: bias[o] repeated over the H'×W' positions of channel o.
template <typename Value>
std::vector<Value> expand_bias(const ConvolutionShape& shape, std::span<const Value> per_channel) {
  const std::size_t plane = shape.out_height() * shape.out_width();
  std::vector<Value> expanded(shape.outputs());
  for (std::size_t o = 0; o < shape.out_channels; ++o) {
    std::fill_n(expanded.begin() + static_cast<std::ptrdiff_t>(o * plane), plane, per_channel[o]);
  }
  return expanded;
}

// Kernels. `kernel` is [out_channels x kernel_columns] (column-major: one tap's weights for all
// output channels are contiguous). They return the multiply-accumulates done.
// pre += Σ_k reach(columns[k]) · coefficients[k], inputs in the gathered (ascending) order, so a
// float output receives its terms in ascending input order — as the full product below does.
std::size_t convolution_accumulate(const ConvolutionShape& shape, const Eigen::MatrixXf& kernel,
                                   const Gathered<float>& gathered, float* pre);
std::size_t convolution_accumulate(const ConvolutionShape& shape, const MatrixI8& kernel,
                                   const Gathered<std::int16_t>& gathered, std::int32_t* accumulator);
// pre = expanded bias + the contributions of every input (zeros included), in input order.
std::size_t convolution_full_product(const ConvolutionShape& shape, const Eigen::MatrixXf& kernel,
                                     std::span<const float> expanded_bias, std::span<const float> input, float* pre);
std::size_t convolution_full_product(const ConvolutionShape& shape, const MatrixI8& kernel,
                                     std::span<const std::int32_t> expanded_bias, std::span<const std::int8_t> input,
                                     std::int32_t* accumulator);

// The layer's pre-activation W·x + b for a batch [inputs x samples] in float32, for every layer
// kind (dense: Eigen's product; convolution: convolution_full_product per sample; flatten: x).
Eigen::MatrixXf pre_activation(const DenseLayerSpec& layer, const Eigen::MatrixXf& x);

// One integer forward pass of any layer kind (see fixed_forward(LayerQuantization, …)).
void fixed_forward(const DenseLayerSpec& layer, const std::int8_t* input, std::vector<std::int32_t>& accumulator,
                   std::vector<std::int8_t>& output);

}  // namespace tandem::ann
