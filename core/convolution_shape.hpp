// The geometry of a 2D convolution (Conv1d is the case height 1) as NIR and PyTorch define it,
// shared by the dense engine's convolution layers and the spiking engine's convolutional
// projections: shapes, validation, and which outputs one input reaches through which kernel tap.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace tandem {

// Input C×H×W and output O×H'×W' are flattened row-major (channel, row, column). The kernel is
// [out_channels, in_channels/groups, kernel_height, kernel_width] (NIR's weight layout); output
// channel o sees the input channels of its group, g = o / (out_channels/groups):
//   y[o, r, c] = bias[o] + Σ_{i, u, v} K[o, i, u, v] · x[g·in_channels/groups + i,
//                                                       r·stride_h − pad_h + u·dilation_h,
//                                                       c·stride_w − pad_w + v·dilation_w]
// where positions outside the input (the zero padding) contribute nothing.
// H' = (H + 2·pad_h − dilation_h·(kernel_h − 1) − 1) / stride_h + 1 (floor), W' likewise.
struct ConvolutionShape {
  std::size_t in_channels = 1, in_height = 1, in_width = 1;
  std::size_t out_channels = 1;
  std::size_t kernel_height = 1, kernel_width = 1;
  std::size_t stride_height = 1, stride_width = 1;
  std::size_t padding_height = 0, padding_width = 0;
  std::size_t dilation_height = 1, dilation_width = 1;
  std::size_t groups = 1;

  [[nodiscard]] std::size_t in_per_group() const { return in_channels / groups; }
  [[nodiscard]] std::size_t out_per_group() const { return out_channels / groups; }
  [[nodiscard]] std::size_t out_height() const {
    return span_out(in_height, padding_height, dilation_height, kernel_height, stride_height);
  }
  [[nodiscard]] std::size_t out_width() const {
    return span_out(in_width, padding_width, dilation_width, kernel_width, stride_width);
  }
  [[nodiscard]] std::size_t inputs() const { return in_channels * in_height * in_width; }
  [[nodiscard]] std::size_t outputs() const { return out_channels * out_height() * out_width(); }
  // Kernel taps per output channel (its largest fan-in): in_per_group · kernel_h · kernel_w.
  [[nodiscard]] std::size_t kernel_columns() const { return in_per_group() * kernel_height * kernel_width; }
  [[nodiscard]] std::size_t kernel_values() const { return out_channels * kernel_columns(); }

 private:
  static std::size_t span_out(std::size_t in, std::size_t pad, std::size_t dilation, std::size_t kernel,
                              std::size_t stride) {
    const std::size_t reach = dilation * (kernel - 1) + 1;
    return in + 2 * pad < reach ? 0 : (in + 2 * pad - reach) / stride + 1;
  }
};

// InputError "<where>: <problem>" for zero sizes, strides or dilations, channels not divisible
// by groups, or a (dilated) kernel larger than the padded input.
inline void validate(const ConvolutionShape& s, const std::string& where) {
  const auto fail = [&](const std::string& problem) { throw InputError(where + ": " + problem); };
  if (s.in_channels == 0 || s.in_height == 0 || s.in_width == 0 || s.out_channels == 0) {
    fail("input " + std::to_string(s.in_channels) + "x" + std::to_string(s.in_height) + "x" +
         std::to_string(s.in_width) + " and output channels " + std::to_string(s.out_channels) + " must be > 0");
  }
  if (s.kernel_height == 0 || s.kernel_width == 0) fail("the kernel has a zero size");
  if (s.stride_height == 0 || s.stride_width == 0) fail("stride must be >= 1");
  if (s.dilation_height == 0 || s.dilation_width == 0) fail("dilation must be >= 1");
  if (s.groups == 0 || s.in_channels % s.groups != 0 || s.out_channels % s.groups != 0) {
    fail("in_channels " + std::to_string(s.in_channels) + " and out_channels " + std::to_string(s.out_channels) +
         " must both be divisible by groups " + std::to_string(s.groups));
  }
  const std::size_t reach_h = s.dilation_height * (s.kernel_height - 1) + 1;
  const std::size_t reach_w = s.dilation_width * (s.kernel_width - 1) + 1;
  if (reach_h > s.in_height + 2 * s.padding_height || reach_w > s.in_width + 2 * s.padding_width) {
    fail("kernel " + std::to_string(s.kernel_height) + "x" + std::to_string(s.kernel_width) + " (dilated " +
         std::to_string(reach_h) + "x" + std::to_string(reach_w) + ") is larger than the padded input " +
         std::to_string(s.in_height + 2 * s.padding_height) + "x" + std::to_string(s.in_width + 2 * s.padding_width));
  }
}

// Along one axis: the output coordinate that input coordinate `at` reaches through tap `tap`
// (out·stride = at + pad − tap·dilation), reach_none when none does, reach_past when no later
// tap can either (the taps are already left of the input).
inline constexpr std::size_t reach_none = static_cast<std::size_t>(-1);
inline constexpr std::size_t reach_past = static_cast<std::size_t>(-2);
inline std::size_t reach_along(std::size_t at, std::size_t pad, std::size_t tap, std::size_t dilation,
                               std::size_t stride, std::size_t out_size) {
  if (at + pad < tap * dilation) return reach_past;
  const std::size_t scaled = at + pad - tap * dilation;
  return scaled % stride != 0 || scaled / stride >= out_size ? reach_none : scaled / stride;
}

// Every (output position, kernel column) input `input` reaches, in ascending kernel position:
// visit(first_channel, position, column) means the outputs (first_channel + o)·H'·W' + position
// for o in [0, out_per_group) receive K[first_channel + o][column] · x[input], where column =
// (i·kernel_h + u)·kernel_w + v indexes the kernel's [in_per_group, kh, kw] part. An output
// position is reached from one input through at most one tap, so accumulating inputs in
// ascending order adds each output's terms in ascending input order.
template <typename Visit>
void for_each_reach(const ConvolutionShape& s, std::size_t input, Visit&& visit) {
  const std::size_t plane = s.in_height * s.in_width;
  const std::size_t channel = input / plane;
  const std::size_t row = (input % plane) / s.in_width;
  const std::size_t col = input % s.in_width;
  const std::size_t in_group = channel % s.in_per_group();
  const std::size_t first_channel = channel / s.in_per_group() * s.out_per_group();
  const std::size_t out_h = s.out_height();
  const std::size_t out_w = s.out_width();
  for (std::size_t u = 0; u < s.kernel_height; ++u) {
    const std::size_t r = reach_along(row, s.padding_height, u, s.dilation_height, s.stride_height, out_h);
    if (r == reach_past) break;
    if (r == reach_none) continue;
    for (std::size_t v = 0; v < s.kernel_width; ++v) {
      const std::size_t c = reach_along(col, s.padding_width, v, s.dilation_width, s.stride_width, out_w);
      if (c == reach_past) break;
      if (c != reach_none) visit(first_channel, r * out_w + c, (in_group * s.kernel_height + u) * s.kernel_width + v);
    }
  }
}

// The real multiply-accumulates of one full evaluation: Σ over inputs of taps reached × out_per_group.
inline std::size_t convolution_macs(const ConvolutionShape& s) {
  std::size_t taps = 0;
  for (std::size_t j = 0; j < s.inputs(); ++j) for_each_reach(s, j, [&](std::size_t, std::size_t, std::size_t) { ++taps; });
  return taps * s.out_per_group();
}

// NIR's Conv1d / Conv2d fields: weight_shape [O, C/groups, k] or [O, C/groups, kh, kw];
// input_shape the spatial size as NIR stores it ([L] or [H, W]), or with the channels first
// ([C, L], [C, H, W]; C must then be C/groups · groups); stride, padding and dilation with one
// entry per spatial dimension or one entry for all (empty = 1, 0, 1).
struct NirConvolutionFields {
  std::vector<std::size_t> input_shape;
  std::vector<std::size_t> weight_shape;
  std::vector<std::size_t> stride;
  std::vector<std::size_t> padding;
  std::vector<std::size_t> dilation;
  std::size_t groups = 1;
};

// The shape those fields describe, validated; InputError naming `where`.
inline ConvolutionShape convolution_shape_from_nir(const NirConvolutionFields& nir, const std::string& where) {
  const auto& [input_shape, weight_shape, stride, padding, dilation, groups] = nir;
  const std::size_t dims = weight_shape.size() == 3 ? 1 : 2;
  if ((weight_shape.size() != 3 && weight_shape.size() != 4) ||
      (input_shape.size() != dims && input_shape.size() != dims + 1)) {
    throw InputError(where + ": input shape has " + std::to_string(input_shape.size()) + " dimensions and weight " +
                     std::to_string(weight_shape.size()) + " (expected [L] or [C, L] with [O, C/groups, k], or "
                     "[H, W] or [C, H, W] with [O, C/groups, kh, kw])");
  }
  const std::size_t spatial = input_shape.size() - dims;  // index of the first spatial size
  const auto pick = [&](const std::vector<std::size_t>& values, std::size_t axis, std::size_t fallback,
                        const char* name) -> std::size_t {
    if (values.empty()) return fallback;
    if (values.size() != 1 && values.size() != dims) {
      throw InputError(where + ": " + name + " has " + std::to_string(values.size()) + " entries, expected 1 or " +
                       std::to_string(dims));
    }
    return values.size() == 1 ? values[0] : values[axis];
  };
  ConvolutionShape s;
  s.groups = groups;
  s.in_channels = spatial == 1 ? input_shape[0] : weight_shape[1] * groups;
  s.out_channels = weight_shape[0];
  const std::size_t h_axis = 0;  // index into per-dimension arrays for the height (2D only)
  const std::size_t w_axis = dims - 1;
  if (dims == 2) {
    s.in_height = input_shape[spatial];
    s.kernel_height = weight_shape[2];
    s.stride_height = pick(stride, h_axis, 1, "stride");
    s.padding_height = pick(padding, h_axis, 0, "padding");
    s.dilation_height = pick(dilation, h_axis, 1, "dilation");
  }
  s.in_width = input_shape[spatial + dims - 1];
  s.kernel_width = weight_shape[dims + 1];
  s.stride_width = pick(stride, w_axis, 1, "stride");
  s.padding_width = pick(padding, w_axis, 0, "padding");
  s.dilation_width = pick(dilation, w_axis, 1, "dilation");
  validate(s, where);
  if (groups != 0 && weight_shape[1] * groups != s.in_channels) {
    throw InputError(where + ": weight has " + std::to_string(weight_shape[1]) + " input channels per group, but the "
                     "input has " + std::to_string(s.in_channels) + " channels in " + std::to_string(groups) +
                     " groups (expected " + std::to_string(s.in_channels / groups) + ")");
  }
  return s;
}

enum class PoolKind {
  sum,      // NIR SumPool2d: the sum over the window (padding counts as zeros)
  average,  // NIR AvgPool2d: the window sum / (kernel_h · kernel_w), padding included (PyTorch's default)
};
// The weight of every kernel tap of a pooling: 1 (sum) or 1/(kh·kw) (average).
inline float pool_tap_weight(const ConvolutionShape& s, PoolKind kind) {
  return kind == PoolKind::sum ? 1.0f : 1.0f / static_cast<float>(s.kernel_height * s.kernel_width);
}

// Sum or average pooling over C channels as a depthwise convolution (groups = C, one kernel
// tap value for all): kernel, stride (default: the kernel) and padding per spatial dimension.
inline ConvolutionShape pooling_shape(std::size_t channels, std::size_t height, std::size_t width,
                                      std::size_t kernel_height, std::size_t kernel_width, std::size_t stride_height,
                                      std::size_t stride_width, std::size_t padding_height, std::size_t padding_width,
                                      const std::string& where) {
  ConvolutionShape s{.in_channels = channels, .in_height = height, .in_width = width, .out_channels = channels,
                     .kernel_height = kernel_height, .kernel_width = kernel_width, .stride_height = stride_height,
                     .stride_width = stride_width, .padding_height = padding_height, .padding_width = padding_width,
                     .groups = channels};
  validate(s, where);
  return s;
}

}  // namespace tandem
