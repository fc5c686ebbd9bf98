// The network builder: dense layers onto one dense engine per precision, with their inputs from
// other engines and their quantisation calibrated on seeded inputs (io/network_lowering.hpp).
#include "io/network_lowering.hpp"

#include <algorithm>
#include <cmath>

#include "ann/dense_engine.hpp"
#include "core/contained_read.hpp"
#include "core/error.hpp"
#include "core/hdf5_reader.hpp"
#include "core/random.hpp"
#include "io/lowering_parts.hpp"

namespace tandem::io::detail {

ann::DenseLayerSpec NetworkLowering::layer_spec(const DenseLayerDescription& layer, std::size_t fan_in) {
  const std::string path = "layers." + layer.name;
  const auto rows = static_cast<std::size_t>(layer.size);
  std::vector<double> weights;
  std::vector<double> bias(rows, 0.0);
  if (!layer.weights) fail(path + ".weights", "required (a number, a matrix or {file, dataset|group})");
  const auto* ref = std::get_if<Hdf5Ref>(&*layer.weights);
  if (ref != nullptr && !ref->group.empty()) {
    // A group holds "weights" (or NIR's "weight") [size x fan-in] and "bias" [size].
    Hdf5Ref w = *ref, b = *ref;
    w.group.clear();
    b.group.clear();
    // Which datasets the group holds, asked in a child process like every read of a user's HDF5 file.
    const auto [has_weights, has_bias] = read_contained(ref->file.string(), [&] {
      const Hdf5Reader reader(ref->file.string());
      return std::pair{reader.exists(ref->group + "/weights"), reader.exists(ref->group + "/bias")};
    });
    w.dataset = ref->group + (has_weights ? "/weights" : "/weight");
    b.dataset = ref->group + "/bias";
    weights = expand_values(net_, w, rows * fan_in, path + ".weights");
    if (has_bias) bias = expand_values(net_, b, rows, path + ".weights");
  } else {
    weights = expand_values(net_, *layer.weights, rows * fan_in, path + ".weights");
  }
  if (layer.bias) bias = expand_values(net_, *layer.bias, rows, path + ".bias");
  ann::Activation activation;
  try {
    activation.kind = ann::parse_activation_kind(layer.activation, path + ".activation");
  } catch (const InputError& error) {
    fail(path + ".activation", error.what());
  }
  std::vector<float> w(weights.begin(), weights.end());
  std::vector<float> b(bias.begin(), bias.end());
  std::vector<std::string> sources;
  for (const auto& source : layer.inputs) {
    sources.push_back(nodes_.at(source).engine == nodes_.at(layer.name).engine ? source : graph_input_name(source, layer));
  }
  auto spec = ann::make_dense_layer(layer.name, sources, rows, fan_in, w, b, activation);
  spec.period_ticks = layer.period_ticks;
  spec.phase_ticks = layer.phase_ticks;
  spec.event_kind = layer.event_kind == DenseEventKind::delta ? ann::EventKind::delta : ann::EventKind::zero_skip;
  spec.delta_threshold = static_cast<float>(layer.event_threshold);
  return spec;
}

void NetworkLowering::add_layers() {
  for (const auto& layer : net_.layers) {
    nodes_[layer.name] = {"layers", layer_engine(layer_precision(layer)), layer.name + ".out", PortKind::dense,
                          static_cast<std::size_t>(layer.size)};
  }
  for (const Precision precision : {Precision::float32, Precision::fixed, Precision::tianjic}) {
    const std::string engine = layer_engine(precision);
    ann::LayerGraph graph;
    std::set<std::string> graph_inputs;
    std::set<std::string> outputs;
    bool any = false;
    for (const auto& layer : net_.layers) {
      if (layer_precision(layer) != precision) continue;
      any = true;
      std::size_t fan_in = 0;
      for (std::size_t i = 0; i < layer.inputs.size(); ++i) {
        const std::string& source = layer.inputs[i];
        const std::string source_path = "layers." + layer.name + ".inputs";
        const NodeInfo& info = nodes_.at(source);
        if (info.kind != PortKind::dense) {
          fail(source_path, "'" + source + "' sends spikes; put a bridge decoder between it and the layer");
        }
        if (info.width == 0) fail(source_path, "the width of '" + source + "' is unknown");
        fan_in += info.width;
        if (info.engine != engine && graph_inputs.insert(source).second) graph.add_input(graph_input_name(source, layer), info.width);
      }
      graph.add_layer(layer_spec(layer, fan_in));
    }
    if (!any) continue;
    for (const auto& layer : net_.layers) {
      if (layer_precision(layer) != precision) continue;
      if (feeds_other_engine(layer.name, engine) || is_leaf(layer.name)) outputs.insert(layer.name);
    }
    ann::QuantizationReport quantisation;
    try {
      graph.set_outputs({outputs.begin(), outputs.end()});
      graph.finalize();
      if (precision != Precision::float32) quantisation = quantize_for_calibration(graph, precision);
    } catch (const InputError& error) {
      fail("layers", error.what());
    }
    ann::DenseEngineOptions options;
    options.precision = precision;  // float32, fixed or tianjic: layer_precision never gives loihi
    auto dense = std::make_unique<ann::DenseEngine>(engine, std::move(graph), options);
    dense->note_quantisation(quantisation, "calibration: seeded inputs uniform in [0, 1)");
    sim_->add(std::move(dense));
  }
}

std::string NetworkLowering::graph_input_name(const std::string& source, const DenseLayerDescription& layer) const {
  return source + "@" + nodes_.at(layer.name).engine;
}

ann::QuantizationReport NetworkLowering::quantize_for_calibration(ann::LayerGraph& graph, Precision precision) const {
  ann::Batch batch;
  RandomStream random = RandomStream::derived(sim_->settings().seed, "calibration");
  for (const auto& input : graph.inputs()) {
    Eigen::MatrixXf values(static_cast<Eigen::Index>(input.width), calibration_samples);
    for (Eigen::Index j = 0; j < values.cols(); ++j) {
      for (Eigen::Index i = 0; i < values.rows(); ++i) values(i, j) = random.uniform_float();
    }
    batch[input.name] = values;
  }
  return ann::quantize(graph, batch, precision);
}

bool NetworkLowering::is_leaf(const std::string& layer) const {
  for (const auto& other : net_.layers) {
    if (std::find(other.inputs.begin(), other.inputs.end(), layer) != other.inputs.end()) return false;
  }
  return true;
}

bool NetworkLowering::feeds_other_engine(const std::string& layer, const std::string& engine) const {
  for (const auto& unit : net_.bridge) {
    if (unit.input == layer) return true;
  }
  for (const auto& other : net_.layers) {
    const bool reads = std::find(other.inputs.begin(), other.inputs.end(), layer) != other.inputs.end();
    if (reads && nodes_.at(other.name).engine != engine) return true;
  }
  for (const auto& wire : net_.wires) {
    if (wire.from.node == layer) return true;
  }
  for (const auto& output : net_.outputs) {
    if (output.node == layer) return true;
  }
  return false;
}

}  // namespace tandem::io::detail
