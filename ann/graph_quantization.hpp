// Quantising a whole layer graph from float weights: scales are chosen from the float ranges
// seen on calibration inputs, every layer gets its int8 weights, and the error of the
// integer (fixed or tianjic) forward pass against the float32 one is reported (max and RMS per layer).
#pragma once

#include <string>
#include <vector>

#include "ann/layer_graph.hpp"
#include "ann/quantization.hpp"

namespace tandem::ann {

struct LayerError {
  std::string layer;
  ErrorStats error;  // dequantised integer output vs float32 output
};

struct QuantizationReport {
  std::vector<LayerError> layers;  // in topological order
  [[nodiscard]] const ErrorStats& of(const std::string& layer) const;  // InputError if unknown
};

// Scales: inputs max|x|/127, pre-activations max|W·x+b|/127, outputs max|y|/127 over the
// calibration batch (softmax outputs: 1/127); the sources of a layer with several sources
// share the largest of their scales (their int8 values are added). Sets every layer's
// quantization and every input's scale, then reports the error on the calibration batch.
// `precision` fixed: quantize_layer. tianjic: quantize_layer_tianjic with the ideal
// pre-activation scale above (so pre_scale = input_scale·weight_scale·4^bsn >= it); identity
// and softmax layers cut, ReLU layers compare, others look up — except that a layer whose output
// is summed with others' looks up whatever its activation, to meet the shared scale, and a cut
// or compare layer's output scale is its pre_scale. InputError for float32 and loihi.
QuantizationReport quantize(LayerGraph& graph, const Batch& calibration, Precision precision = Precision::fixed);

// The integer forward pass as the engine computes it (every layer once per sample, each in its
// quantization's arithmetic, fixed or tianjic), dequantised: layer name -> [outputs x samples].
// Requires every layer quantised.
Batch fixed_point_forward(const LayerGraph& graph, const Batch& inputs);

// Integer (fixed or tianjic) vs float32 outputs per layer on `inputs`.
QuantizationReport quantization_error(const LayerGraph& graph, const Batch& inputs);

// The int8 input of a layer: the saturated sum of its sources' int8 values (shared with the engine).
void sum_sources(const std::vector<const std::int8_t*>& sources, std::size_t width, std::int8_t* out);

}  // namespace tandem::ann
