// Quantising a whole layer graph from float weights: scales are chosen from the float ranges
// seen on calibration inputs, every layer gets its int8 weights, and the error of the
// fixed-point forward pass against the float32 one is reported (max and RMS per layer).
#pragma once

#include <string>
#include <vector>

#include "ann/layer_graph.hpp"
#include "ann/quantization.hpp"

namespace tandem::ann {

struct LayerError {
  std::string layer;
  ErrorStats error;  // dequantised fixed-point output vs float32 output
};

struct QuantizationReport {
  std::vector<LayerError> layers;  // in topological order
  [[nodiscard]] const ErrorStats& of(const std::string& layer) const;  // InputError if unknown
};

// Scales: inputs max|x|/127, pre-activations max|W·x+b|/127, outputs max|y|/127 over the
// calibration batch (softmax outputs: 1/127); the sources of a layer with several sources
// share the largest of their scales (their int8 values are added). Sets every layer's
// quantization and every input's scale, then reports the error on the calibration batch.
QuantizationReport quantize(LayerGraph& graph, const Batch& calibration);

// The fixed-point forward pass as the engine computes it (every layer once per sample),
// dequantised: layer name -> [outputs x samples]. Requires every layer quantised.
Batch fixed_point_forward(const LayerGraph& graph, const Batch& inputs);

// Fixed-point vs float32 outputs per layer on `inputs`.
QuantizationReport quantization_error(const LayerGraph& graph, const Batch& inputs);

// The int8 input of a layer: the saturated sum of its sources' int8 values (shared with the engine).
void sum_sources(const std::vector<const std::int8_t*>& sources, std::size_t width, std::int8_t* out);

}  // namespace tandem::ann
