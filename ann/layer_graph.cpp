#include "ann/layer_graph.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "ann/convolution.hpp"
#include "core/error.hpp"
#include "core/topological_order.hpp"

namespace tandem::ann {
namespace {

std::string shape(const DenseLayerSpec& layer) {
  return std::to_string(layer.outputs()) + " x " + std::to_string(layer.inputs());
}

}  // namespace

void LayerGraph::add_input(std::string name, std::size_t width) {
  if (name.empty()) throw InputError("a dense graph input has an empty name");
  if (width == 0) throw InputError("dense graph input '" + name + "': width must be > 0");
  inputs_.push_back(GraphInput{std::move(name), width, 1.0f});
  finalized_ = false;
}

void LayerGraph::add_layer(DenseLayerSpec layer) {
  validate(layer);
  layers_.push_back(std::move(layer));
  finalized_ = false;
}

void LayerGraph::set_outputs(std::vector<std::string> names) {
  outputs_ = std::move(names);
  outputs_given_ = true;
  finalized_ = false;
}

void LayerGraph::finalize() {
  std::map<std::string, std::size_t> node_of;  // name -> id in the original order
  for (std::size_t i = 0; i < inputs_.size(); ++i) {
    if (!node_of.emplace(inputs_[i].name, i).second) {
      throw InputError("dense graph: the name '" + inputs_[i].name + "' is used twice");
    }
  }
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    if (!node_of.emplace(layers_[i].name, inputs_.size() + i).second) {
      throw InputError("dense graph: the name '" + layers_[i].name + "' is used twice");
    }
  }
  if (layers_.empty()) throw InputError("dense graph: no layers");
  for (const auto& layer : layers_) {
    for (const auto& source : layer.sources) {
      if (!node_of.contains(source)) {
        throw InputError("layer '" + layer.name + "': unknown source '" + source + "' (not an input or layer)");
      }
    }
  }
  // Layers no edge constrains keep the order they were added in.
  const std::size_t n = layers_.size();
  std::vector<std::pair<std::size_t, std::size_t>> edges;
  for (std::size_t i = 0; i < n; ++i) {
    for (const auto& source : layers_[i].sources) {
      if (node_of[source] >= inputs_.size()) edges.emplace_back(node_of[source] - inputs_.size(), i);
    }
  }
  const TopologicalOrder ordered = stable_topological_order(n, edges);
  if (!ordered.complete()) {
    std::string cycle;
    for (std::size_t i = 0; i < n; ++i) {
      if (!ordered.placed[i]) cycle += (cycle.empty() ? "'" : ", '") + layers_[i].name + "'";
    }
    throw InputError("dense graph: layers " + cycle + " form a cycle");
  }
  const std::vector<std::size_t>& order = ordered.order;
  std::vector<DenseLayerSpec> sorted;
  sorted.reserve(n);
  for (const std::size_t i : order) sorted.push_back(std::move(layers_[i]));
  layers_ = std::move(sorted);

  // Node ids in the sorted order; shape checks.
  std::map<std::string, std::size_t> id;
  for (std::size_t i = 0; i < inputs_.size(); ++i) id[inputs_[i].name] = i;
  for (std::size_t i = 0; i < n; ++i) id[layers_[i].name] = inputs_.size() + i;
  source_nodes_.assign(n, {});
  targets_.assign(n, {});
  for (std::size_t i = 0; i < n; ++i) {
    const DenseLayerSpec& layer = layers_[i];
    for (const auto& source : layer.sources) {
      const std::size_t node = id[source];
      source_nodes_[i].push_back(node);
      if (node_width(node) != layer.inputs()) {
        throw InputError("layer '" + layer.name + "' (" + shape(layer) + ", expects " + std::to_string(layer.inputs()) +
                         " inputs): source '" + source + "' gives " + std::to_string(node_width(node)) + " values");
      }
      if (node >= inputs_.size()) targets_[node - inputs_.size()].push_back(layer.name);
    }
  }
  if (!outputs_given_) {
    outputs_.clear();
    for (std::size_t i = 0; i < n; ++i) {
      if (targets_[i].empty()) outputs_.push_back(layers_[i].name);
    }
  }
  std::set<std::string> seen;
  for (const auto& output : outputs_) {
    if (!id.contains(output) || id[output] < inputs_.size()) {
      throw InputError("dense graph: output '" + output + "' is not a layer");
    }
    if (!seen.insert(output).second) throw InputError("dense graph: output '" + output + "' is listed twice");
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (layers_[i].activation.kind == ActivationKind::softmax && !targets_[i].empty()) {
      throw InputError("layer '" + layers_[i].name + "': softmax is allowed on output layers only, but it feeds '" +
                       targets_[i].front() + "'");
    }
  }
  finalized_ = true;
}

void LayerGraph::require_finalized() const {
  if (!finalized_) throw InputError("dense graph: finalize() must be called first");
}

DenseLayerSpec& LayerGraph::layer(const std::string& name) { return layers_.at(layer_index(name)); }
const DenseLayerSpec& LayerGraph::layer(const std::string& name) const { return layers_.at(layer_index(name)); }

std::size_t LayerGraph::layer_index(const std::string& name) const {
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    if (layers_[i].name == name) return i;
  }
  throw InputError("dense graph: unknown layer '" + name + "'");
}

void LayerGraph::set_input_scale(const std::string& input, float scale) {
  for (auto& graph_input : inputs_) {
    if (graph_input.name == input) {
      if (!std::isfinite(scale) || !(scale > 0.0f)) {
        throw InputError("dense graph input '" + input + "': scale must be finite and > 0, got " + format_number(scale));
      }
      graph_input.scale = scale;
      return;
    }
  }
  throw InputError("dense graph: unknown input '" + input + "'");
}

const std::vector<std::size_t>& LayerGraph::source_nodes(std::size_t layer_index) const {
  require_finalized();
  return source_nodes_.at(layer_index);
}

const std::vector<std::string>& LayerGraph::targets(std::size_t layer_index) const {
  require_finalized();
  return targets_.at(layer_index);
}

std::size_t LayerGraph::node_width(std::size_t node) const {
  return node < inputs_.size() ? inputs_[node].width : layers_.at(node - inputs_.size()).outputs();
}

Batch LayerGraph::forward(const Batch& inputs, Batch* pre_activations) const {
  require_finalized();
  Eigen::Index samples = -1;
  std::vector<const Eigen::MatrixXf*> node_values(inputs_.size() + layers_.size(), nullptr);
  for (std::size_t i = 0; i < inputs_.size(); ++i) {
    const auto found = inputs.find(inputs_[i].name);
    if (found == inputs.end()) throw InputError("dense forward: no values for input '" + inputs_[i].name + "'");
    const Eigen::MatrixXf& values = found->second;
    if (static_cast<std::size_t>(values.rows()) != inputs_[i].width || (samples >= 0 && values.cols() != samples)) {
      throw InputError("dense forward: input '" + inputs_[i].name + "' has shape " + std::to_string(values.rows()) +
                       " x " + std::to_string(values.cols()) + ", expected " + std::to_string(inputs_[i].width) +
                       " x samples (same samples for every input)");
    }
    samples = values.cols();
    node_values[i] = &values;
  }
  Batch outputs;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    const DenseLayerSpec& layer = layers_[i];
    Eigen::MatrixXf x = Eigen::MatrixXf::Zero(static_cast<Eigen::Index>(layer.inputs()), samples);
    for (const std::size_t node : source_nodes_[i]) x += *node_values[node];
    Eigen::MatrixXf pre = pre_activation(layer, x);
    if (pre_activations != nullptr) (*pre_activations)[layer.name] = pre;
    apply_activation(layer.activation, Eigen::Ref<Eigen::MatrixXf>(pre));
    auto [position, inserted] = outputs.emplace(layer.name, std::move(pre));
    node_values[inputs_.size() + i] = &position->second;
  }
  return outputs;
}

LayerGraph sequential(const std::string& input, std::size_t width, std::vector<DenseLayerSpec> layers) {
  LayerGraph graph;
  graph.add_input(input, width);
  std::string previous = input;
  for (auto& layer : layers) {
    layer.sources = {previous};
    previous = layer.name;
    graph.add_layer(std::move(layer));
  }
  graph.finalize();
  return graph;
}

}  // namespace tandem::ann
