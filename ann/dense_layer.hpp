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
#include "core/time.hpp"

namespace tandem::ann {

// How a layer runs in event mode (RunContext::mode == event). Always-on mode ignores it.
enum class EventKind {
  zero_skip,  // only non-zero inputs touch their weight column
  delta,      // sigma-delta: only inputs whose change since last sent reaches the threshold
};
std::string_view to_string(EventKind kind);
EventKind parse_event_kind(std::string_view name, const std::string& where);

struct DenseLayerSpec {
  std::string name;
  std::vector<std::string> sources;  // graph inputs or layers; their outputs are summed
  Eigen::MatrixXf weight;            // [outputs x inputs], column-major (a column per input)
  Eigen::VectorXf bias;              // [outputs]
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

  [[nodiscard]] std::size_t inputs() const { return static_cast<std::size_t>(weight.cols()); }
  [[nodiscard]] std::size_t outputs() const { return static_cast<std::size_t>(weight.rows()); }
};

// InputError naming the layer for: empty name, no sources, empty weight, bias size != outputs,
// non-finite weights/biases, period < 1, phase outside [0, period), bad threshold, bad activation.
void validate(const DenseLayerSpec& layer);

// Builds a layer from row-major [outputs x inputs] weights (as HDF5/NIR/numpy store them).
DenseLayerSpec make_dense_layer(std::string name, std::vector<std::string> sources, std::size_t outputs,
                                std::size_t inputs, const std::vector<float>& weight_row_major,
                                const std::vector<float>& bias, Activation activation = {});

}  // namespace tandem::ann
