#include "ann/convolution.hpp"

#include <algorithm>
#include <type_traits>

#include "core/error.hpp"

namespace tandem::ann {
namespace {

// As in dense_kernels: |w| <= 128, |c| <= 255, so an integer product fits in int16.
inline float product(float w, float c) { return w * c; }
inline std::int32_t product(std::int8_t w, std::int32_t c) {
  return static_cast<std::int32_t>(static_cast<std::int16_t>(static_cast<std::int16_t>(w) * c));
}

// acc[(first + o)·plane + position] += kernel(first + o, column) · c for each tap input j
// reaches; returns the MACs.
template <typename Kernel, typename Coefficient, typename Accumulator>
std::size_t scatter(const ConvolutionShape& shape, const Kernel& kernel, std::size_t input, Coefficient c,
                    Accumulator* acc) {
  const std::size_t plane = shape.out_height() * shape.out_width();
  const std::size_t per_group = shape.out_per_group();
  std::size_t taps = 0;
  for_each_reach(shape, input, [&](std::size_t first, std::size_t position, std::size_t column) {
    const auto* w = kernel.col(static_cast<Eigen::Index>(column)).data() + first;
    Accumulator* out = acc + first * plane + position;
    for (std::size_t o = 0; o < per_group; ++o) out[o * plane] += product(w[o], c);
    ++taps;
  });
  return taps * per_group;
}

template <typename Kernel, typename Coefficient, typename Accumulator>
std::size_t accumulate(const ConvolutionShape& shape, const Kernel& kernel, const Gathered<Coefficient>& gathered,
                       Accumulator* acc) {
  std::size_t macs = 0;
  for (std::size_t k = 0; k < gathered.size(); ++k) {
    macs += scatter(shape, kernel, gathered.columns[k], gathered.coefficients[k], acc);
  }
  return macs;
}

template <typename Kernel, typename Value, typename Accumulator>
std::size_t full(const ConvolutionShape& shape, const Kernel& kernel, std::span<const Accumulator> expanded_bias,
                 std::span<const Value> input, Accumulator* acc) {
  std::copy(expanded_bias.begin(), expanded_bias.end(), acc);
  std::size_t macs = 0;
  for (std::size_t j = 0; j < input.size(); ++j) {
    using Coefficient = std::conditional_t<std::is_same_v<Value, float>, float, std::int32_t>;
    macs += scatter(shape, kernel, j, static_cast<Coefficient>(input[j]), acc);
  }
  return macs;
}

DenseLayerSpec structured_layer(std::string name, std::vector<std::string> sources, const ConvolutionShape& shape,
                                LayerKind kind, const std::vector<float>& weight_row_major,
                                const std::vector<float>& bias, Activation activation) {
  const std::string where = "layer '" + name + "'";
  validate(shape, where);
  const std::vector<float> zeros(shape.out_channels, 0.0f);
  DenseLayerSpec layer = make_dense_layer(std::move(name), std::move(sources), shape.out_channels,
                                          shape.kernel_columns(), weight_row_major, bias.empty() ? zeros : bias,
                                          std::move(activation));
  layer.kind = kind;
  layer.convolution = shape;
  validate(layer);
  return layer;
}

}  // namespace

DenseLayerSpec make_convolution_layer(std::string name, std::vector<std::string> sources, const ConvolutionShape& shape,
                                      const std::vector<float>& weight_row_major, const std::vector<float>& bias,
                                      Activation activation) {
  return structured_layer(std::move(name), std::move(sources), shape, LayerKind::convolution, weight_row_major, bias,
                          std::move(activation));
}

DenseLayerSpec make_convolution_layer_from_nir(std::string name, std::vector<std::string> sources,
                                               const NirConvolutionFields& fields,
                                               const std::vector<float>& weight_row_major,
                                               const std::vector<float>& bias, Activation activation) {
  const ConvolutionShape shape = convolution_shape_from_nir(fields, "layer '" + name + "'");
  return make_convolution_layer(std::move(name), std::move(sources), shape, weight_row_major, bias,
                                std::move(activation));
}

DenseLayerSpec make_pooling_layer(std::string name, std::vector<std::string> sources, const ConvolutionShape& shape,
                                  PoolKind kind) {
  const std::string where = "layer '" + name + "'";
  if (shape.groups != shape.in_channels || shape.out_channels != shape.in_channels) {
    throw InputError(where + ": a pooling shape keeps the channels (groups = in = out channels; use pooling_shape())");
  }
  return structured_layer(std::move(name), std::move(sources), shape,
                          kind == PoolKind::sum ? LayerKind::sum_pool : LayerKind::average_pool,
                          std::vector<float>(shape.kernel_values(), pool_tap_weight(shape, kind)), {}, Activation{});
}

DenseLayerSpec make_flatten_layer(std::string name, std::vector<std::string> sources, std::size_t width) {
  DenseLayerSpec layer;
  layer.name = std::move(name);
  layer.sources = std::move(sources);
  layer.kind = LayerKind::flatten;
  layer.flatten_width = width;
  validate(layer);
  return layer;
}

std::size_t convolution_accumulate(const ConvolutionShape& shape, const Eigen::MatrixXf& kernel,
                                   const Gathered<float>& gathered, float* pre) {
  return accumulate(shape, kernel, gathered, pre);
}

std::size_t convolution_accumulate(const ConvolutionShape& shape, const MatrixI8& kernel,
                                   const Gathered<std::int16_t>& gathered, std::int32_t* accumulator) {
  return accumulate(shape, kernel, gathered, accumulator);
}

std::size_t convolution_full_product(const ConvolutionShape& shape, const Eigen::MatrixXf& kernel,
                                     std::span<const float> expanded_bias, std::span<const float> input, float* pre) {
  return full(shape, kernel, expanded_bias, input, pre);
}

std::size_t convolution_full_product(const ConvolutionShape& shape, const MatrixI8& kernel,
                                     std::span<const std::int32_t> expanded_bias, std::span<const std::int8_t> input,
                                     std::int32_t* accumulator) {
  return full(shape, kernel, expanded_bias, input, accumulator);
}

Eigen::MatrixXf pre_activation(const DenseLayerSpec& layer, const Eigen::MatrixXf& x) {
  if (layer.kind == LayerKind::flatten) return x;
  if (!layer.convolution) {
    Eigen::MatrixXf pre = layer.weight * x;
    pre.colwise() += layer.bias;
    return pre;
  }
  const ConvolutionShape& shape = *layer.convolution;
  const std::vector<float> bias = expand_bias<float>(shape, std::span<const float>(layer.bias.data(), shape.out_channels));
  Eigen::MatrixXf pre(static_cast<Eigen::Index>(shape.outputs()), x.cols());
  for (Eigen::Index s = 0; s < x.cols(); ++s) {
    const Eigen::VectorXf column = x.col(s);
    convolution_full_product(shape, layer.weight, bias, std::span<const float>(column.data(), shape.inputs()),
                             pre.col(s).data());
  }
  return pre;
}

void fixed_forward(const DenseLayerSpec& layer, const std::int8_t* input, std::vector<std::int32_t>& accumulator,
                   std::vector<std::int8_t>& output) {
  const LayerQuantization& q = *layer.quantization;
  if (layer.kind == LayerKind::flatten) {
    output.assign(input, input + layer.flatten_width);
    accumulator.assign(input, input + layer.flatten_width);
    return;
  }
  if (!layer.convolution) {
    fixed_forward(q, input, accumulator, output);
    return;
  }
  const ConvolutionShape& shape = *layer.convolution;
  accumulator.resize(shape.outputs());
  output.resize(shape.outputs());
  const std::vector<std::int32_t> bias = expand_bias<std::int32_t>(shape, q.bias);
  convolution_full_product(shape, q.weight, bias, std::span<const std::int8_t>(input, shape.inputs()),
                           accumulator.data());
  std::vector<std::int32_t> scratch;
  apply_soma(q, accumulator, output, scratch);
}

}  // namespace tandem::ann
