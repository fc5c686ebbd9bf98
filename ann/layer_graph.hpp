// A graph of dense layers: named inputs, layers whose input is the sum of their sources'
// outputs, and output layers. Shapes, names and acyclicity are checked by finalize();
// layers are then kept in topological order. Also the float batch forward pass (reference).
#pragma once

#include <Eigen/Core>
#include <map>
#include <string>
#include <vector>

#include "ann/dense_layer.hpp"

namespace tandem::ann {

struct GraphInput {
  std::string name;
  std::size_t width = 0;
  float scale = 1.0f;  // fixed and tianjic: real value per int8 step (set by quantize())
};

// Values per node for a batch: node name -> [width x samples].
using Batch = std::map<std::string, Eigen::MatrixXf>;

class LayerGraph {
 public:
  void add_input(std::string name, std::size_t width);
  // Validates the layer on its own (see validate(DenseLayerSpec)); graph checks come in finalize().
  void add_layer(DenseLayerSpec layer);
  // Output layers (exposed as engine ports). Default: every layer that feeds no other layer.
  void set_outputs(std::vector<std::string> names);
  // Checks unique names, known sources, no cycles, source widths == layer inputs, softmax only
  // on output layers; sorts layers topologically (stable). InputError names layers and shapes.
  void finalize();
  [[nodiscard]] bool finalized() const { return finalized_; }

  [[nodiscard]] const std::vector<GraphInput>& inputs() const { return inputs_; }
  [[nodiscard]] const std::vector<DenseLayerSpec>& layers() const { return layers_; }
  [[nodiscard]] DenseLayerSpec& layer(const std::string& name);
  [[nodiscard]] const DenseLayerSpec& layer(const std::string& name) const;
  void set_input_scale(const std::string& input, float scale);
  [[nodiscard]] const std::vector<std::string>& outputs() const { return outputs_; }
  // After finalize: node ids of layer i's sources (id < inputs().size(): an input, else the
  // layer at id - inputs().size()), and the names of the layers layer i feeds.
  [[nodiscard]] const std::vector<std::size_t>& source_nodes(std::size_t layer_index) const;
  [[nodiscard]] const std::vector<std::string>& targets(std::size_t layer_index) const;
  [[nodiscard]] std::size_t layer_index(const std::string& name) const;  // InputError if unknown
  [[nodiscard]] std::size_t node_width(std::size_t node) const;

  // Float32 reference on a batch: every layer runs once per sample (periods ignored).
  // `inputs` holds [width x samples] per graph input; returns every layer's output, and, when
  // `pre_activations` is given, every layer's W·x + b.
  [[nodiscard]] Batch forward(const Batch& inputs, Batch* pre_activations = nullptr) const;

 private:
  void require_finalized() const;
  std::vector<GraphInput> inputs_;
  std::vector<DenseLayerSpec> layers_;
  std::vector<std::string> outputs_;
  bool outputs_given_ = false;
  std::vector<std::vector<std::size_t>> source_nodes_;
  std::vector<std::vector<std::string>> targets_;
  bool finalized_ = false;
};

// A chain: `input` (width values) -> layers[0] -> layers[1] -> …; sources are filled in.
LayerGraph sequential(const std::string& input, std::size_t width, std::vector<DenseLayerSpec> layers);

}  // namespace tandem::ann
