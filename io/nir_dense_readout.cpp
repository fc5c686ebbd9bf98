#include "io/nir_dense_readout.hpp"

#include <algorithm>
#include <memory>
#include <vector>

#include "ann/dense_engine.hpp"
#include "bridge/bridge_engine.hpp"
#include "bridge/window_decoders.hpp"

namespace tandem::io {

std::map<std::string, NirReadoutPort> add_nir_dense_readouts(Simulation& simulation, const std::string& snn_engine,
                                                             const NirLowering& lowering, const std::string& prefix) {
  std::map<std::string, NirReadoutPort> ports;
  if (lowering.dense_outputs.empty()) return ports;
  const std::string bridge_name = prefix + "readout.bridge";
  const std::string dense_name = prefix + "readout";
  std::vector<std::unique_ptr<bridge::Unit>> decoders;
  ann::LayerGraph graph;
  std::vector<Wire> wires;
  for (const auto& [node, readout] : lowering.dense_outputs) {
    const std::string layer = prefix + node;
    // The decoder (bridge units take no '.' in their names, a subnetwork's prefix has one).
    std::string spikes = layer + "_spikes";
    std::replace(spikes.begin(), spikes.end(), '.', '_');
    // A one-tick window with range [0, 1] reads n/1: each neuron's spike count this tick, 0 or 1.
    bridge::CountDecoderParams decoder;
    decoder.name = spikes;
    decoder.channels = readout.inputs;
    decoder.window = bridge::Window{1, 0};
    decoder.range = bridge::ValueRange{0.0, 1.0};
    decoders.push_back(bridge::make_count_decoder(decoder));
    // The dense engine's input node: named apart from the decoder, as node names are unique in a run.
    const std::string input = spikes + "@" + dense_name;
    graph.add_input(input, readout.inputs);
    ann::DenseLayerSpec spec;
    spec.name = layer;
    spec.sources = {input};
    spec.weight = Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
        readout.weight.data(), static_cast<Eigen::Index>(readout.outputs), static_cast<Eigen::Index>(readout.inputs));
    spec.bias = Eigen::Map<const Eigen::VectorXf>(readout.bias.data(), static_cast<Eigen::Index>(readout.outputs));
    graph.add_layer(std::move(spec));
    wires.push_back(Wire{{snn_engine, readout.source + ".spikes"}, {bridge_name, spikes + ".in"}, 0});
    wires.push_back(Wire{{bridge_name, spikes + ".out"}, {dense_name, input}, 0});
    ports[node] = NirReadoutPort{dense_name, layer + ".out", layer, readout.outputs};
  }
  graph.finalize();
  simulation.add(std::make_unique<bridge::BridgeEngine>(bridge_name, std::move(decoders)));
  simulation.add(std::make_unique<ann::DenseEngine>(dense_name, std::move(graph)));
  for (Wire& wire : wires) simulation.connect(std::move(wire));
  return ports;
}

}  // namespace tandem::io
