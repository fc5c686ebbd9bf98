// Lowering an imported NIR graph (io/nir_graph.hpp) onto the event engine that network files use
// (docs/nir.md#lowering): neuron nodes become populations of the neurons/ models, integrated with
// forward Euler as NIR's reference equations are; every path of linear nodes (Affine, Linear,
// Scale, Flatten, Delay, nested Input/Output) between two populations becomes one projection whose
// weights are the product of the path's matrices, with the biases as constant currents; top-level
// Input nodes become value tables replayed as graded events; LI, I and CubaLI send v as graded
// events. An Output reached from one spiking population through linear nodes alone is reported as
// a dense readout (a dense layer, built by io/nir_dense_readout.hpp) instead of a population. A feed-forward path passes its values within the tick (same-tick projections), an edge
// closing a loop one tick later, as NIR's reference does.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/contained_read.hpp"
#include "core/precision.hpp"
#include "io/nir_graph.hpp"
#include "neurons/event_engine.hpp"

namespace tandem::io {

enum class NirReset { zero, subtract };  // zero: v <- v_reset (0 when the node has none)

struct NirImportOptions {
  double dt_ms = 0.1;  // NIR stores no dt; 0.1 ms = 1e-4 s, the NIR paper's
  NirReset reset = NirReset::zero;
  // The precision of the LIF nodes (float32, tianjic, loihi: docs/precision.md); every other node
  // runs in float32. In loihi precision a LIF reads its input one tick late, as Loihi does.
  Precision precision = Precision::float32;
  // Integer precisions: integer units per unit of v for every LIF node; 0 = each node's largest
  // incoming weight maps to the largest integer weight (the default rule of every integer precision).
  double loihi_scale = 0.0;
  // How the file is read (core/contained_read.hpp): in a child process first, by default.
  ContainmentLimits read_limits;
  // Put before every name the graph adds to the engine (a subnetwork of a network file: "net.").
  std::string name_prefix;
  // Top-level Input nodes become relay populations (an `li` holding exactly this tick's input on
  // `v`), to be fed through input ports, instead of value tables replayed from a file.
  bool inputs_from_ports = false;
  std::size_t threads = 1;  // the run's threads (no result depends on them)
  // A top-level Output reached from one spiking population through linear nodes only (an Affine
  // readout after the last LIF) becomes a dense layer fed the tick's spikes over same-tick wires
  // (NirLowering::dense_outputs; io/nir_dense_readout.hpp builds it). false: a relay population.
  bool dense_readout = true;
};

// An Output computed by a dense layer: y = W·s + b, s the 0/1 spikes of `source` this tick.
struct NirDenseReadout {
  std::string source;          // engine name of the spiking population
  std::size_t inputs = 0;      // its size
  std::size_t outputs = 0;     // the Output node's size
  std::vector<float> weight;   // [outputs x inputs], row-major
  std::vector<float> bias;     // [outputs]
};

// What became of the graph's nodes.
struct NirLowering {
  // Top-level Input nodes (NIR names): value tables, or relay populations with inputs_from_ports,
  // named name_prefix + the node's name.
  std::vector<std::string> inputs;
  // Top-level Output nodes (NIR names): the engine name of the population whose events are the
  // output (the node feeding it, or a relay population named after the Output node when linear
  // nodes lie in between).
  std::map<std::string, std::string> outputs;
  // Top-level Output nodes (NIR names) computed by a dense layer instead (dense_readout); the
  // layer is named name_prefix + the node's name.
  std::map<std::string, NirDenseReadout> dense_outputs;
  std::set<std::string> populations;  // engine names of the populations (neuron nodes, relays)
  std::vector<std::string> folded;  // linear nodes, folded into the projections (nothing to probe)
};

// Adds the graph to `engine` (whose dt must be options.dt_ms). InputError "<file>: node '<name>':
// <problem>" for what the engines cannot express (parameters that differ between the units of one
// node, a loop of linear nodes without a neuron, a parameter a model refuses).
NirLowering lower_nir(const NirGraph& graph, const NirImportOptions& options, neurons::EventEngine& engine);

}  // namespace tandem::io
