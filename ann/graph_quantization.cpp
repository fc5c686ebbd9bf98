#include "ann/graph_quantization.hpp"

#include <algorithm>

#include "ann/convolution.hpp"
#include "core/error.hpp"

namespace tandem::ann {
namespace {

// Scale that maps the largest magnitude to 127; an all-zero range gets 1/127 (any positive
// scale represents zero exactly).
float scale_for(float largest) { return largest > 0.0f ? largest / 127.0f : 1.0f / 127.0f; }

float largest_magnitude(const Eigen::MatrixXf& values) { return values.size() > 0 ? values.cwiseAbs().maxCoeff() : 0.0f; }

}  // namespace

const ErrorStats& QuantizationReport::of(const std::string& layer) const {
  for (const auto& entry : layers) {
    if (entry.layer == layer) return entry.error;
  }
  throw InputError("quantization report: unknown layer '" + layer + "'");
}

void sum_sources(const std::vector<const std::int8_t*>& sources, std::size_t width, std::int8_t* out) {
  if (sources.size() == 1) {
    std::copy(sources[0], sources[0] + width, out);
    return;
  }
  for (std::size_t j = 0; j < width; ++j) {
    std::int32_t total = 0;
    for (const std::int8_t* source : sources) total += source[j];
    out[j] = saturate_int8(total);
  }
}

QuantizationReport quantize(LayerGraph& graph, const Batch& calibration, Precision precision) {
  if (precision != Precision::fixed && precision != Precision::tianjic) {
    throw InputError("quantize: dense layers quantise to fixed or tianjic precision, not " +
                     std::string(to_string(precision)));
  }
  if (!graph.finalized()) graph.finalize();
  Batch pre;
  const Batch outputs = graph.forward(calibration, &pre);
  const std::size_t input_count = graph.inputs().size();
  const auto& layers = graph.layers();
  // Output scale per node (inputs first), from the calibration ranges.
  std::vector<float> node_scale(input_count + layers.size());
  for (std::size_t i = 0; i < input_count; ++i) {
    node_scale[i] = scale_for(largest_magnitude(calibration.at(graph.inputs()[i].name)));
  }
  for (std::size_t i = 0; i < layers.size(); ++i) {
    node_scale[input_count + i] = layers[i].activation.kind == ActivationKind::softmax
                                      ? 1.0f / 127.0f
                                      : scale_for(largest_magnitude(outputs.at(layers[i].name)));
  }
  // Sources summed by one layer must share a scale, and a flatten layer passes its input's int8
  // values (and scale) on unchanged; raising scales only, so this terminates.
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t i = 0; i < layers.size(); ++i) {
      std::vector<std::size_t> tied = graph.source_nodes(i);
      if (layers[i].kind == LayerKind::flatten) tied.push_back(input_count + i);
      float shared = 0.0f;
      for (const std::size_t node : tied) shared = std::max(shared, node_scale[node]);
      for (const std::size_t node : tied) {
        if (node_scale[node] != shared) {
          node_scale[node] = shared;
          changed = true;
        }
      }
    }
  }
  for (std::size_t i = 0; i < input_count; ++i) graph.set_input_scale(graph.inputs()[i].name, node_scale[i]);
  // tianjic: outputs summed with others must take the shared scale, which only a lookup can.
  std::vector<bool> summed(input_count + layers.size(), false);
  for (std::size_t i = 0; i < layers.size(); ++i) {
    if (graph.source_nodes(i).size() < 2) continue;
    for (const std::size_t node : graph.source_nodes(i)) summed[node] = true;
  }
  // Layers are in topological order, so a source's scale is final when its targets read it.
  for (std::size_t i = 0; i < layers.size(); ++i) {
    DenseLayerSpec& layer = graph.layer(layers[i].name);
    const float input_scale = node_scale[graph.source_nodes(i).front()];
    const float pre_scale = scale_for(largest_magnitude(pre.at(layer.name)));
    const std::string where = "layer '" + layer.name + "'";
    if (layer.kind == LayerKind::flatten) {
      LayerQuantization pass;
      pass.arithmetic = precision;
      pass.input_scale = pass.pre_scale = pass.output_scale = input_scale;
      layer.quantization = std::move(pass);
      continue;
    }
    if (precision == Precision::tianjic) {
      const ActivationKind kind = layer.activation.kind;
      TianjicSoma soma = TianjicSoma::lookup;
      if (!summed[input_count + i] && (kind == ActivationKind::identity || kind == ActivationKind::softmax)) {
        soma = TianjicSoma::cut;
      } else if (!summed[input_count + i] && kind == ActivationKind::relu) {
        soma = TianjicSoma::compare;
      }
      layer.quantization = quantize_layer_tianjic(layer.weight, layer.bias, layer.activation, soma, input_scale,
                                                  pre_scale, node_scale[input_count + i], where);
      node_scale[input_count + i] = layer.quantization->output_scale;
      continue;
    }
    const float output_scale =
        layer.activation.kind == ActivationKind::softmax ? pre_scale : node_scale[input_count + i];
    layer.quantization =
        quantize_layer(layer.weight, layer.bias, layer.activation, input_scale, pre_scale, output_scale, where);
  }
  return quantization_error(graph, calibration);
}

Batch fixed_point_forward(const LayerGraph& graph, const Batch& inputs) {
  const std::size_t input_count = graph.inputs().size();
  const auto& layers = graph.layers();
  for (const auto& layer : layers) {
    if (!layer.quantization) throw InputError("layer '" + layer.name + "': not quantised (call quantize() first)");
  }
  Eigen::Index samples = 0;
  std::vector<std::vector<std::int8_t>> node_q(input_count + layers.size());
  Batch result;
  for (const auto& layer : layers) result[layer.name].resize(static_cast<Eigen::Index>(layer.outputs()), 0);
  if (!inputs.empty()) samples = inputs.begin()->second.cols();
  for (auto& [name, values] : result) values.resize(values.rows(), samples);
  std::vector<std::int32_t> accumulator;
  std::vector<std::int8_t> layer_input;
  for (Eigen::Index s = 0; s < samples; ++s) {
    for (std::size_t i = 0; i < input_count; ++i) {
      const GraphInput& input = graph.inputs()[i];
      const auto found = inputs.find(input.name);
      if (found == inputs.end() || static_cast<std::size_t>(found->second.rows()) != input.width ||
          found->second.cols() != samples) {
        throw InputError("fixed-point forward: input '" + input.name + "' missing or of the wrong shape");
      }
      node_q[i].resize(input.width);
      for (std::size_t j = 0; j < input.width; ++j) {
        node_q[i][j] = quantize_value(found->second(static_cast<Eigen::Index>(j), s), input.scale);
      }
    }
    for (std::size_t i = 0; i < layers.size(); ++i) {
      const DenseLayerSpec& layer = layers[i];
      const LayerQuantization& q = *layer.quantization;
      std::vector<const std::int8_t*> sources;
      for (const std::size_t node : graph.source_nodes(i)) sources.push_back(node_q[node].data());
      layer_input.resize(layer.inputs());
      sum_sources(sources, layer.inputs(), layer_input.data());
      std::vector<std::int8_t>& out = node_q[input_count + i];
      fixed_forward(layer, layer_input.data(), accumulator, out);
      auto column = result[layer.name].col(s);
      for (std::size_t r = 0; r < out.size(); ++r) {
        column[static_cast<Eigen::Index>(r)] = static_cast<float>(out[r]) * q.output_scale;
      }
      if (layer.activation.kind == ActivationKind::softmax) {
        apply_activation(layer.activation, Eigen::Ref<Eigen::VectorXf>(column));
      }
    }
  }
  return result;
}

QuantizationReport quantization_error(const LayerGraph& graph, const Batch& inputs) {
  const Batch fixed = fixed_point_forward(graph, inputs);
  const Batch reference = graph.forward(inputs);
  QuantizationReport report;
  for (const auto& layer : graph.layers()) {
    report.layers.push_back(LayerError{layer.name, error_stats(fixed.at(layer.name), reference.at(layer.name))});
  }
  return report;
}

}  // namespace tandem::ann
