// The network builder's lowering (io/network_builder.hpp), private to io/: one class whose parts
// live in their own files — network_builder.cpp (the build order, engines, environment, external
// engine), population_lowering.cpp (inputs, populations, per-neuron values, bias currents),
// projection_lowering.cpp (projections and synapse lists), layer_lowering.cpp (dense layers and
// their quantisation), network_wiring.cpp (bridge units, subnetworks, ports and wires).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "ann/graph_quantization.hpp"
#include "ann/layer_graph.hpp"
#include "bridge/unit.hpp"
#include "core/external_engine.hpp"
#include "core/simulation.hpp"
#include "io/network_builder.hpp"
#include "io/subnetworks.hpp"
#include "neurons/event_engine.hpp"
#include "neurons/registry.hpp"

namespace tandem::io::detail {

inline constexpr const char* snn_engine = "snn";
inline constexpr const char* bridge_engine = "bridge";
// Fixed and tianjic layers are calibrated on this many seeded inputs uniform in [0, 1] (the bridge
// decoders' default value range), since a network file carries no calibration data.
inline constexpr Eigen::Index calibration_samples = 256;

// Where a node's values leave, and what they are.
struct NodeInfo {
  std::string section;  // inputs, populations, layers, bridge, environment
  std::string engine;   // engine holding the node
  std::string out_port; // its default output port ("" = none)
  PortKind kind = PortKind::spikes;
  std::size_t width = 0;
};

struct Edge {
  NodePort from;
  NodePort to;
  Tick latency_ticks = 1;
  std::string path;       // key path of what asked for it
  std::string to_engine;  // resolved target port, or "" to resolve from `to` when connecting
  std::string to_port;
};

class NetworkLowering {
 public:
  NetworkLowering(const NetworkDescription& network, const BuildOptions& options);

  BuiltNetwork build();

 private:
  [[noreturn]] void fail(const std::string& path, const std::string& problem) const;

  // A node's precision: its own, else the network's default where the node has that precision.
  // A default a node kind has no form of (populations have no `fixed`, layers no `loihi`) leaves
  // the node in float32; the run reports every node's precision, so the mix is visible.
  Precision layer_precision(const DenseLayerDescription& layer) const;
  Precision population_precision(const PopulationDescription& pop) const;
  static std::string layer_engine(Precision precision);

  neurons::EventEngine& snn();

  Tick ticks_of_ms(double ms) const;

  void add_spiking();

  void add_population(const PopulationDescription& pop);

  // The bias parameter's name: the unit of the model's i_ext (mV of drive for lif_coba, else nA).
  static std::string bias_parameter(const std::string& model);

  static std::string per_neuron_limit(const std::string& bias_key);

  void check_parameter_name(const neurons::ModelInfo& info, const PopulationDescription& pop, const std::string& key,
                            const std::string& path) const;

  // `count` values: one number repeated, a list of `count`, an HDF5 dataset, or drawn from a
  // stream derived from the run seed and `stream` (default: the key path).
  std::vector<double> drawn_values(const DrawnValues& value, std::size_t count, const std::string& path,
                                   const std::string& stream = "") const;

  std::vector<double> draw(const Distribution& distribution, std::size_t count, const std::string& stream) const;

  // A constant current per neuron into i_ext, added every tick like an input current: one
  // current per distinct value, neurons with bias 0 left out (they can still come to rest).
  void add_bias(const PopulationDescription& pop, const std::vector<double>& bias, const std::string& path);

  // Each NIR graph onto the event engine; the node "<name>" sends its only Output by default.
  void add_subnetworks();

  // The engine and output port behind `from` ("node" or "node.port"): a node's own, an
  // environment's named port, a subnetwork Output's population (spikes only: wires carry no
  // graded values) or its dense readout layer.
  PortRef output_port(const NodePort& from, const NodeInfo& info, const std::string& path);
  // The engine and input port that feed a subnetwork's Input node ("" = its only one) from
  // `kind` traffic: a port of its relay population on the event engine (the subnetwork's node
  // names its output's engine, which is a dense readout's when it has one).
  PortRef subnetwork_input_port(const std::string& subnetwork, const std::string& port, PortKind kind,
                                const std::string& path);

  void add_environment();

  // Width of what `node` emits; bridge units ahead of their own creation are resolved recursively.
  std::size_t width_of(const std::string& node, const std::string& path);

  void add_bridge_unit(const BridgeUnitDescription& unit);

  void add_bridge();

  ann::DenseLayerSpec layer_spec(const DenseLayerDescription& layer, std::size_t fan_in);

  void add_layers();

  // The dense engine's input node (and port) for values from another engine: "<source>@<engine>",
  // so it never collides with the source's own node name in counters and mapping.
  std::string graph_input_name(const std::string& source, const DenseLayerDescription& layer) const;

  // Quantises on seeded inputs uniform in [0, 1) and returns the error measured on them.
  ann::QuantizationReport quantize_for_calibration(ann::LayerGraph& graph, Precision precision) const;

  bool is_leaf(const std::string& layer) const;

  bool feeds_other_engine(const std::string& layer, const std::string& engine) const;

  // The external engine: `kind: external` inputs, and (external_outputs_) every output wired to it.
  void add_external();

  void add_projections();
  void lower_input_projection(const ProjectionDescription& proj, const NodeInfo& from, const neurons::PopulationBase& target,
                              const std::string& path);
  void read_synapses_file(const ProjectionDescription& proj, const std::string& path,
                          std::vector<std::pair<std::int64_t, std::int64_t>>& pairs,
                          std::optional<std::vector<double>>& weights, std::optional<std::vector<double>>& delays_ms) const;
  // Whole ticks uniform in [low_ms, high_ms], as ProjectionSpec::delay_max_ms draws them.
  std::vector<double> draw_delays(const Distribution& distribution, std::size_t count, const std::string& stream) const;
  // Per-synapse delays from a list or file: each a whole number of ticks, at least one.
  void check_delays(const std::vector<double>& delays_ms, const std::string& path) const;
  void collect_edges();
  void connect(const Edge& edge);
  std::string population_input_port(const std::string& population, const std::string& receptor, PortKind kind,
                                    float weight, const std::string& path);

  const NetworkDescription& net_;
  TimeBase time_{1.0};
  std::uint64_t seed_ = 1;
  std::unique_ptr<Simulation> sim_;
  const InterruptGuard* interrupt_;
  Precision default_precision_;
  void check_interrupt(const std::string& part) const;
  neurons::EventEngine* snn_ = nullptr;
  std::map<std::string, NodeInfo> nodes_;
  std::map<std::string, LoweredSubnetwork> subnetworks_;
  std::set<std::string> in_progress_;
  std::vector<std::unique_ptr<bridge::Unit>> units_;
  std::map<std::string, double> unit_weight_;
  std::map<std::string, std::string> unit_receptor_;
  std::vector<Edge> edges_;
  int port_counter_ = 0;
  bool external_outputs_ = false;
  std::vector<ExternalInput> external_inputs_;
  ExternalEngine* external_ = nullptr;
};

}  // namespace tandem::io::detail
