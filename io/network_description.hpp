// The validated description of a network file (docs/network-format.md): plain data that the
// lowering turns into engines. Names are checked to exist, sizes are bounded, numbers finite;
// model- and kind-specific parameters stay typed maps for each model's own validation.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/execution_mode.hpp"
#include "core/precision.hpp"
#include "core/time.hpp"

namespace tandem::io {

// A parameter value: one number, a list of numbers (e.g. one per unit) or a string.
using ParameterValue = std::variant<double, std::vector<double>, std::string>;
using ParameterMap = std::map<std::string, ParameterValue, std::less<>>;

// Data in an HDF5 file: a dataset, or a group holding the datasets "weights" and "bias".
// `file` is absolute (relative paths resolve against the network file's folder) and exists.
struct Hdf5Ref {
  std::filesystem::path file;
  std::string dataset;  // exactly one of dataset / group is set
  std::string group;
  bool operator==(const Hdf5Ref&) const = default;
};

// Row-major matrix given inline as a list of rows.
struct Matrix {
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::vector<double> values;
  bool operator==(const Matrix&) const = default;
};

// A number for every element, one number per element, a matrix, or data in a file.
using ValueSource = std::variant<double, std::vector<double>, Matrix, Hdf5Ref>;

// Values drawn per element: `{distribution: uniform, low, high}` (a, b = low, high) or
// `{distribution: normal, mean, sd}` (a, b = mean, sd), from a stream derived from the run seed
// and the key path (docs/network-format.md, "Distributions").
struct Distribution {
  std::string kind;  // uniform | normal
  double a = 0.0;
  double b = 0.0;
  bool operator==(const Distribution&) const = default;
};

// Per-element values: one number for all, one per element, an HDF5 dataset, or drawn.
using DrawnValues = std::variant<double, std::vector<double>, Hdf5Ref, Distribution>;
using DrawnMap = std::map<std::string, DrawnValues, std::less<>>;

struct SimulationDescription {
  double dt_ms = 1.0;
  std::optional<Tick> ticks;  // from duration_ms or ticks; unset = left to the command line
  std::uint64_t seed = 1;
  ExecutionMode mode = ExecutionMode::event;
  std::size_t threads = 1;  // threads the engines spread their loops over; no result depends on it
  std::string chip;  // preset name, or an absolute path to a chip YAML file; "" = default
  // The network's default precision, for every node that does not name its own (docs/precision.md).
  Precision precision = Precision::float32;
  bool operator==(const SimulationDescription&) const = default;
};

struct PoissonInput {
  ValueSource rate_hz;  // number or one per unit
  bool operator==(const PoissonInput&) const = default;
};
// Every tick each unit receives a Poisson count of events with mean rate_hz·dt (NEST's
// poisson_generator per neuron, Brian2's PoissonInput); reaches a population one to one, each
// event adding the projection's weight.
struct PoissonDriveInput {
  double rate_hz = 0.0;
  bool operator==(const PoissonDriveInput&) const = default;
};
struct SpikeTimesInput {
  std::vector<std::vector<double>> times_ms;  // one list per unit (inline) ...
  std::optional<Hdf5Ref> file;                // ... or from a file
  bool operator==(const SpikeTimesInput&) const = default;
};
struct CurrentInput {
  ValueSource value;  // number, one per unit, or a file
  bool operator==(const CurrentInput&) const = default;
};

// Dense values sent by a program that steps the network (the Python module's Simulation.step:
// an observation, a sensor frame); a run nobody steps sends none.
struct ExternalValuesInput {
  bool operator==(const ExternalValuesInput&) const = default;
};

struct InputDescription {
  std::string name;
  std::int64_t size = 0;
  std::variant<PoissonInput, SpikeTimesInput, CurrentInput, PoissonDriveInput, ExternalValuesInput> source;
  bool operator==(const InputDescription&) const = default;
};

struct PopulationDescription {
  std::string name;
  std::string model;  // e.g. "lif"; the lowering looks it up in the model list
  std::int64_t size = 0;
  ParameterMap parameters;
  // Parameters given per neuron from a file or a distribution (lists stay in `parameters`).
  DrawnMap drawn_parameters;
  std::string reset = "value";  // value (v <- v_reset) | subtract (v <- v - v_th)
  DrawnMap initial;             // variable -> number, one per unit, a file or a distribution
  std::optional<Precision> precision;  // unset: the network's default
  bool operator==(const PopulationDescription&) const = default;
};

enum class ConnectionRule { all_to_all, one_to_one, fixed_probability, fixed_indegree, explicit_list };

struct ProjectionDescription {
  std::string name;
  std::string from;
  std::string to;
  std::string target;  // receptor / variable of `to` that receives the weight
  ConnectionRule rule = ConnectionRule::all_to_all;
  double p = 0.0;             // fixed_probability
  std::int64_t k = 0;         // fixed_indegree
  std::vector<std::pair<std::int64_t, std::int64_t>> pairs;  // explicit_list (pre, post), inline
  std::optional<Hdf5Ref> pairs_file;                          // explicit_list from a file
  // explicit_list from one file holding pre, post and optionally weight and delay_ms
  // (HDF5 group with those datasets, NPY [n x 2..4] or CSV with a header naming the columns).
  std::optional<Hdf5Ref> synapses_file;
  ValueSource weight = 0.0;   // number, one per synapse, or a file
  std::optional<Distribution> weight_distribution;  // drawn per synapse instead
  bool weight_given = false;  // `weight` is in the file (a synapse file's weights would conflict)
  double delay_ms = 0.0;      // unset in the file: one tick (dt_ms)
  Tick delay_ticks = 1;
  std::optional<ValueSource> delays_ms;             // one per synapse (explicit lists) or a file
  std::optional<Distribution> delay_distribution;   // uniform in whole ticks [a, b] ms
  bool delay_given = false;   // `delay_ms` is in the file
  bool operator==(const ProjectionDescription&) const = default;
};

enum class DenseEventKind { zero_skip, delta };

struct DenseLayerDescription {
  std::string name;
  std::vector<std::string> inputs;  // nodes feeding the layer; fan-in = sum of their sizes
  std::int64_t size = 0;
  std::string activation = "identity";
  std::optional<Precision> precision;  // unset: the network's default
  DenseEventKind event_kind = DenseEventKind::zero_skip;
  double event_threshold = 0.0;  // delta mode: changes smaller than this are not sent
  Tick period_ticks = 1;
  Tick phase_ticks = 0;  // runs at ticks t with t % period_ticks == phase_ticks
  std::optional<ValueSource> weights;  // Matrix [size x fan_in], Hdf5Ref (dataset or group)
  std::optional<ValueSource> bias;     // number, one per unit, or Hdf5Ref
  bool operator==(const DenseLayerDescription&) const = default;
};

struct BridgeUnitDescription {
  std::string name;
  std::string kind;    // encoder/decoder kind, e.g. "rate_decoder"
  std::string input;   // node it reads from
  std::string output;  // node it feeds ("" = none, or via wires)
  std::int64_t size = 0;  // output width; defaults to the input node's size
  Tick window_ticks = 1;
  ParameterMap parameters;
  bool operator==(const BridgeUnitDescription&) const = default;
};

struct NodePort {
  std::string node;
  std::string port;  // "" = the node's default port
  bool operator==(const NodePort&) const = default;
};

struct WireDescription {
  NodePort from;
  NodePort to;
  Tick latency_ticks = 1;
  bool operator==(const WireDescription&) const = default;
};

struct ProbeDescription {
  std::string node;
  std::string variable;
  std::vector<std::int64_t> units;  // indices; empty = all
  Tick every_ticks = 1;
  bool operator==(const ProbeDescription&) const = default;
};

// A NIR graph included as a subnetwork (docs/network-format.md#subnetworks): lowered onto the
// event engine with its nodes named "<name>.<NIR node>"; wires reach its Input and Output nodes
// as the ports "<name>.<Input>" and "<name>.<Output>".
struct SubnetworkDescription {
  std::string name;
  std::filesystem::path nir;            // resolved against the network file's folder
  std::string reset = "zero";           // zero | subtract (io/nir_lowering.hpp NirReset)
  std::optional<Precision> precision;   // of its LIF nodes; unset: the network's default
  double loihi_scale = 0.0;             // integer precisions: 0 = each node's default rule
  bool operator==(const SubnetworkDescription&) const = default;
};

struct EnvironmentDescription {
  std::string name;  // also its node name in wires
  ParameterMap parameters;
  bool operator==(const EnvironmentDescription&) const = default;
};

struct NetworkDescription {
  std::string source;  // file name as given (or a label for text)
  SimulationDescription simulation;
  std::vector<InputDescription> inputs;
  std::vector<PopulationDescription> populations;
  std::vector<ProjectionDescription> projections;
  std::vector<DenseLayerDescription> layers;
  std::vector<BridgeUnitDescription> bridge;
  std::vector<SubnetworkDescription> subnetworks;
  std::vector<WireDescription> wires;
  std::vector<NodePort> outputs;
  std::vector<ProbeDescription> probes;
  std::optional<EnvironmentDescription> environment;
  // Nodes pinned to physical chip cores (`placement:`), node name -> core indices.
  std::map<std::string, std::vector<std::size_t>> placement;
  // The tree after --set overrides, relative paths made absolute, as YAML text: goes into
  // the trace's /meta so the run can be reproduced (load it back with parse_network_text).
  std::string resolved_yaml;
  bool operator==(const NetworkDescription&) const = default;
};

}  // namespace tandem::io
