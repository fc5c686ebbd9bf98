// NIR graphs included in a network file (`subnetworks:`, docs/network-format.md#subnetworks): each
// is read like `tandem run model.nir` reads it and lowered onto the network's event engine
// (io/nir_lowering.hpp) with its names prefixed by "<subnetwork>.", its Input nodes as relay
// populations fed through input ports. This file resolves a subnetwork's ports to those
// populations; the network builder wires them.
#pragma once

#include <string>

#include "core/interrupt_guard.hpp"
#include "core/precision.hpp"
#include "io/network_description.hpp"
#include "io/nir_dense_readout.hpp"
#include "io/nir_lowering.hpp"
#include "neurons/event_engine.hpp"

namespace tandem::io {

class LoweredSubnetwork {
 public:
  LoweredSubnetwork(std::string name, NirLowering lowering) : name_(std::move(name)), lowering_(std::move(lowering)) {}

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] const NirLowering& lowering() const { return lowering_; }
  // The dense layers its Affine readouts became (io/nir_dense_readout.hpp), by Output node.
  [[nodiscard]] const std::map<std::string, NirReadoutPort>& readouts() const { return readouts_; }
  void set_readouts(std::map<std::string, NirReadoutPort> readouts) { readouts_ = std::move(readouts); }
  // The Output node (NIR name) an output port ("" = the only one) names, spiking or dense;
  // InputError naming the subnetwork's Output nodes otherwise.
  [[nodiscard]] std::string output_node(const std::string& port) const;
  // The population an input port ("" = the only Input node) feeds; InputError naming the
  // subnetwork's Input nodes otherwise.
  [[nodiscard]] std::string input_population(const std::string& port) const;
  // The population whose spikes an output port ("" = the only Output node) sends; InputError
  // for an Output computed by a dense layer.
  [[nodiscard]] std::string output_population(const std::string& port) const;
  // Whether `node` ("<name>.<NIR node>") is one of its populations (what probes can record).
  [[nodiscard]] bool has_population(const std::string& node) const { return lowering_.populations.count(node) != 0; }
  // Whether `node` is one of its dense readout layers (probe variable "activations").
  [[nodiscard]] bool has_readout_layer(const std::string& node) const;
  // Its populations' names, for messages.
  [[nodiscard]] std::string population_list() const;

 private:
  std::string name_;
  NirLowering lowering_;
  std::map<std::string, NirReadoutPort> readouts_;
};

// Reads subnetwork.nir and lowers it onto `engine` at the engine's dt. `default_precision` is the
// network's (simulation.precision); `fixed`, the dense layers' arithmetic, leaves the graph in
// float32. InputError "<file>: node '<name>': <problem>" from the graph, or naming the option.
LoweredSubnetwork lower_subnetwork(const SubnetworkDescription& subnetwork, Precision default_precision,
                                   const InterruptGuard* interrupt, neurons::EventEngine& engine);

}  // namespace tandem::io
