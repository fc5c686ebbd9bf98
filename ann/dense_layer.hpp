// One dense (affine) layer as the user describes it: y = activation(W·x + b), where x is the
// sum of the outputs of the layer's sources; how often it runs and how it runs in event mode.
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "ann/activation.hpp"
#include "ann/quantization.hpp"
#include "core/convolution_shape.hpp"
#include "core/time.hpp"

namespace tandem::ann {

// How a layer runs in event mode (RunContext::mode == event). Always-on mode ignores it.
enum class EventKind {
  zero_skip,  // only non-zero inputs touch their weight column
  delta,      // sigma-delta: only inputs whose change since last sent reaches the threshold
};
std::string_view to_string(EventKind kind);
EventKind parse_event_kind(std::string_view name, const std::string& where);

// What a layer computes from its (summed) input. Convolution and pooling layers keep one shared
// kernel (ann/convolution.hpp, docs/convolution.md); flatten passes its input through.
enum class LayerKind { dense, convolution, sum_pool, average_pool, flatten };
std::string_view to_string(LayerKind kind);

struct DenseLayerSpec {
  std::string name;
  std::vector<std::string> sources;  // graph inputs or layers; their outputs are summed
  // dense: [outputs x inputs], column-major (a column per input). convolution and pooling: the
  // kernel [out_channels x in_channels/groups·kh·kw] (column (i·kh + u)·kw + v). flatten: empty.
  Eigen::MatrixXf weight;
  Eigen::VectorXf bias;  // dense: [outputs]; convolution and pooling: [out_channels]; flatten: empty
  LayerKind kind = LayerKind::dense;
  std::optional<ConvolutionShape> convolution;  // convolution and pooling kinds
  std::size_t flatten_width = 0;                // flatten: values in = values out
  Activation activation;
  Tick period_ticks = 1;  // runs at ticks t with t % period_ticks == phase_ticks
  Tick phase_ticks = 0;
  EventKind event_kind = EventKind::zero_skip;
  // delta only: an input is sent when |x - x_sent| >= threshold (and the change is non-zero);
  // in fixed and tianjic precision the threshold is rounded to whole int8 steps of the input scale.
  float delta_threshold = 0.0f;
  // delta in float only: every refresh_runs runs the pre-activation is recomputed exactly
  // (W·x_sent + b), which bounds float drift; 0 never refreshes.
  std::size_t refresh_runs = 64;
  // Set by quantize() (or by hand); required for fixed and tianjic runs.
  std::optional<LayerQuantization> quantization;

  [[nodiscard]] bool is_convolution() const { return convolution.has_value(); }
  [[nodiscard]] std::size_t inputs() const {
    if (kind == LayerKind::flatten) return flatten_width;
    return convolution ? convolution->inputs() : static_cast<std::size_t>(weight.cols());
  }
  [[nodiscard]] std::size_t outputs() const {
    if (kind == LayerKind::flatten) return flatten_width;
    return convolution ? convolution->outputs() : static_cast<std::size_t>(weight.rows());
  }
  // Largest number of inputs one output reads (kernel taps for a convolution).
  [[nodiscard]] std::size_t fan_in() const {
    if (kind == LayerKind::flatten) return 1;
    return convolution ? convolution->kernel_columns() : static_cast<std::size_t>(weight.cols());
  }
};

// InputError naming the layer for: empty name, no sources, empty weight, bias size != outputs,
// a convolution's bad shape or kernel size (core/convolution_shape.hpp), non-finite weights/biases, period < 1, phase outside [0, period), bad threshold, bad activation.
void validate(const DenseLayerSpec& layer);

// Builds a layer from row-major [outputs x inputs] weights (as HDF5/NIR/numpy store them).
DenseLayerSpec make_dense_layer(std::string name, std::vector<std::string> sources, std::size_t outputs,
                                std::size_t inputs, const std::vector<float>& weight_row_major,
                                const std::vector<float>& bias, Activation activation = {});

}  // namespace tandem::ann
