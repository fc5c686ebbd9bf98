// Straightforward re-implementations of NIR's Conv2d (Conv1d: height 1) and pooling for the
// tests: nested loops over output channel, output position and kernel tap, in double, written
// from the definitions and sharing no code with the engines. Also random convolution shapes.
#pragma once

#include <cstddef>
#include <vector>

#include "core/convolution_shape.hpp"
#include "core/random.hpp"

namespace tandem::testing {

// y[o, r, c] = bias[o] + Σ_{i,u,v} K[o, i, u, v] · x[g·Cg + i, r·s − p + u·d, c·s − p + v·d];
// `kernel` row-major [O, C/groups, kh, kw], `bias` [O] or empty.
inline std::vector<double> reference_convolution(const ConvolutionShape& s, const std::vector<float>& kernel,
                                                 const std::vector<float>& bias, const std::vector<float>& x) {
  const std::size_t oh = s.out_height();
  const std::size_t ow = s.out_width();
  const std::size_t cin_g = s.in_channels / s.groups;
  const std::size_t cout_g = s.out_channels / s.groups;
  std::vector<double> y(s.out_channels * oh * ow, 0.0);
  for (std::size_t o = 0; o < s.out_channels; ++o) {
    const std::size_t g = o / cout_g;
    for (std::size_t r = 0; r < oh; ++r) {
      for (std::size_t c = 0; c < ow; ++c) {
        double sum = bias.empty() ? 0.0 : bias[o];
        for (std::size_t i = 0; i < cin_g; ++i) {
          for (std::size_t u = 0; u < s.kernel_height; ++u) {
            for (std::size_t v = 0; v < s.kernel_width; ++v) {
              const auto row = static_cast<long>(r * s.stride_height + u * s.dilation_height) -
                               static_cast<long>(s.padding_height);
              const auto col = static_cast<long>(c * s.stride_width + v * s.dilation_width) -
                               static_cast<long>(s.padding_width);
              if (row < 0 || col < 0 || row >= static_cast<long>(s.in_height) || col >= static_cast<long>(s.in_width)) {
                continue;
              }
              const std::size_t channel = g * cin_g + i;
              const double w = kernel[((o * cin_g + i) * s.kernel_height + u) * s.kernel_width + v];
              sum += w * x[(channel * s.in_height + static_cast<std::size_t>(row)) * s.in_width +
                           static_cast<std::size_t>(col)];
            }
          }
        }
        y[(o * oh + r) * ow + c] = sum;
      }
    }
  }
  return y;
}

// Sum over each window (padding as zeros), divided by kh·kw when `average`.
inline std::vector<double> reference_pooling(std::size_t channels, std::size_t height, std::size_t width,
                                             std::size_t kh, std::size_t kw, std::size_t stride_h, std::size_t stride_w,
                                             std::size_t pad_h, std::size_t pad_w, bool average,
                                             const std::vector<float>& x) {
  const std::size_t oh = (height + 2 * pad_h - kh) / stride_h + 1;
  const std::size_t ow = (width + 2 * pad_w - kw) / stride_w + 1;
  std::vector<double> y;
  for (std::size_t ch = 0; ch < channels; ++ch) {
    for (std::size_t r = 0; r < oh; ++r) {
      for (std::size_t c = 0; c < ow; ++c) {
        double sum = 0.0;
        for (std::size_t u = 0; u < kh; ++u) {
          for (std::size_t v = 0; v < kw; ++v) {
            const long row = static_cast<long>(r * stride_h + u) - static_cast<long>(pad_h);
            const long col = static_cast<long>(c * stride_w + v) - static_cast<long>(pad_w);
            if (row >= 0 && col >= 0 && row < static_cast<long>(height) && col < static_cast<long>(width)) {
              sum += x[(ch * height + static_cast<std::size_t>(row)) * width + static_cast<std::size_t>(col)];
            }
          }
        }
        y.push_back(average ? sum / static_cast<double>(kh * kw) : sum);
      }
    }
  }
  return y;
}

// A random valid shape: groups 1–3, 1–2 input and 1–3 output channels per group, sizes 1–9
// (odd ones included), kernel 1–3, stride 1–3, padding 0–2, dilation 1–2; height 1 and
// kernel height 1 when `one_d` (Conv1d).
inline ConvolutionShape random_convolution_shape(RandomStream& random, bool one_d) {
  for (;;) {
    ConvolutionShape s;
    s.groups = 1 + random.below(3);
    s.in_channels = s.groups * (1 + random.below(2));
    s.out_channels = s.groups * (1 + random.below(3));
    s.in_width = 1 + random.below(9);
    s.kernel_width = 1 + random.below(3);
    s.stride_width = 1 + random.below(3);
    s.padding_width = random.below(3);
    s.dilation_width = 1 + random.below(2);
    if (!one_d) {
      s.in_height = 1 + random.below(9);
      s.kernel_height = 1 + random.below(3);
      s.stride_height = 1 + random.below(3);
      s.padding_height = random.below(3);
      s.dilation_height = 1 + random.below(2);
    }
    const bool fits = s.dilation_height * (s.kernel_height - 1) + 1 <= s.in_height + 2 * s.padding_height &&
                      s.dilation_width * (s.kernel_width - 1) + 1 <= s.in_width + 2 * s.padding_width;
    if (fits) return s;
  }
}

inline std::vector<float> random_values(std::size_t count, double non_zero, RandomStream& random) {
  std::vector<float> values(count, 0.0f);
  for (float& v : values) {
    if (random.bernoulli(non_zero)) v = static_cast<float>(random.uniform(-1.0, 1.0));
  }
  return values;
}

}  // namespace tandem::testing
