// The network builder: bridge units, NIR subnetworks, and the ports and wires that join the
// engines (io/network_lowering.hpp).
#include "io/network_lowering.hpp"

#include <algorithm>

#include "bridge/bridge_engine.hpp"
#include "core/error.hpp"
#include "io/lowering_parts.hpp"

namespace tandem::io::detail {

void NetworkLowering::add_subnetworks() {
  for (const auto& subnetwork : net_.subnetworks) {
    const std::string path = "subnetworks." + subnetwork.name;
    check_interrupt("subnetwork " + subnetwork.name);
    try {
      subnetworks_.emplace(subnetwork.name, lower_subnetwork(subnetwork, default_precision_, interrupt_, snn()));
    } catch (const InputError& error) {
      fail(path, error.what());
    }
    LoweredSubnetwork& lowered = subnetworks_.at(subnetwork.name);
    lowered.set_readouts(add_nir_dense_readouts(*sim_, snn_engine, lowered.lowering(), subnetwork.name + "."));
    NodeInfo info{"subnetworks", snn_engine, "", PortKind::spikes, 0};
    if (lowered.lowering().outputs.size() + lowered.readouts().size() == 1) {
      if (lowered.readouts().empty()) {
        const std::string population = lowered.output_population("");
        info.out_port = population + ".spikes";
        info.width = snn().population(population).size();
      } else {
        const NirReadoutPort& readout = lowered.readouts().begin()->second;
        info = NodeInfo{"subnetworks", readout.engine, readout.port, PortKind::dense, readout.width};
      }
    }
    nodes_[subnetwork.name] = info;
    for (std::size_t i = 0; i < net_.probes.size(); ++i) {
      const std::string& node = net_.probes[i].node;
      if (node.rfind(subnetwork.name + ".", 0) == 0 && !lowered.has_population(node) && !lowered.has_readout_layer(node)) {
        fail("probes." + std::to_string(i) + ".node",
             "subnetwork '" + subnetwork.name + "' has no population '" + node + "' (its populations: " +
                 lowered.population_list() + "; linear nodes are folded into projections and have no state)");
      }
    }
  }
}

PortRef NetworkLowering::output_port(const NodePort& from, const NodeInfo& info, const std::string& path) {
  if (info.section == "subnetworks") {
    const LoweredSubnetwork& lowered = subnetworks_.at(from.node);
    std::string node;
    try {
      node = lowered.output_node(from.port);
    } catch (const InputError& error) {
      fail(path, error.what());
    }
    const auto readout = lowered.readouts().find(node);
    if (readout != lowered.readouts().end()) return {readout->second.engine, readout->second.port};
    const std::string population = lowered.lowering().outputs.at(node);
    if (snn().population(population).graded()) {
      fail(path, "'" + population + "' sends graded values (an LI, I or CubaLI node) and wires carry spikes; "
                 "record it with a probe (variable v) instead");
    }
    return {snn_engine, population + ".spikes"};
  }
  if (from.port.empty()) return {info.engine, info.out_port};
  return {info.engine, info.section == "environment" ? from.port : from.node + "." + from.port};
}

PortRef NetworkLowering::subnetwork_input_port(const std::string& subnetwork, const std::string& port, PortKind kind,
                                               const std::string& path) {
  std::string population;
  try {
    population = subnetworks_.at(subnetwork).input_population(port);
  } catch (const InputError& error) {
    fail(path, error.what());
  }
  // The relay holds exactly this tick's input on v: values held from their arrival, spikes as 1.
  return {snn_engine, population_input_port(population, "v", kind, 1.0F, path)};
}

std::size_t NetworkLowering::width_of(const std::string& node, const std::string& path) {
  const auto it = nodes_.find(node);
  if (it != nodes_.end()) return it->second.width;
  for (const auto& layer : net_.layers) {
    if (layer.name == node) return static_cast<std::size_t>(layer.size);
  }
  for (const auto& unit : net_.bridge) {
    if (unit.name == node) {
      add_bridge_unit(unit);
      return nodes_.at(node).width;
    }
  }
  fail(path, "no node named '" + node + "'");
}

void NetworkLowering::add_bridge_unit(const BridgeUnitDescription& unit) {
  if (nodes_.count(unit.name) != 0) return;
  if (!in_progress_.insert(unit.name).second) fail("bridge." + unit.name + ".input", "bridge units feed each other in a circle");
  const std::string path = "bridge." + unit.name;
  const std::size_t input_width = width_of(unit.input, path + ".input");
  ParameterReader parameters(net_, unit.parameters, path + ".parameters");
  auto made = make_bridge_unit(net_, unit, input_width, parameters);
  const auto& description = made->description();
  if (description.input_width != input_width) {
    fail(path + ".input", "'" + unit.input + "' gives " + std::to_string(input_width) + " values, the unit reads " +
                              std::to_string(description.input_width));
  }
  if (unit.size != 0 && static_cast<std::size_t>(unit.size) != description.output_width) {
    fail(path + ".size", "kind " + unit.kind + " gives " + std::to_string(description.output_width) + " outputs, not " +
                             std::to_string(unit.size));
  }
  // An output onto a population: weight (spikes) and receptor of what it sends.
  const bool onto_population = std::any_of(net_.populations.begin(), net_.populations.end(),
                                           [&](const auto& pop) { return pop.name == unit.output; });
  if (onto_population) {
    unit_weight_[unit.name] = parameters.number("weight", 1.0);
    unit_receptor_[unit.name] = parameters.text("receptor", "");
  }
  parameters.finish();
  nodes_[unit.name] = {"bridge", bridge_engine, unit.name + ".out", description.output_kind, description.output_width};
  units_.push_back(std::move(made));
}

void NetworkLowering::add_bridge() {
  for (const auto& unit : net_.bridge) add_bridge_unit(unit);
  if (!units_.empty()) sim_->add(std::make_unique<bridge::BridgeEngine>(bridge_engine, std::move(units_)));
}

void NetworkLowering::collect_edges() {
  std::set<std::pair<std::string, std::string>> dense_inputs;  // (engine, source) already wired
  for (const auto& layer : net_.layers) {
    const NodeInfo& info = nodes_.at(layer.name);
    for (const auto& source : layer.inputs) {
      if (nodes_.at(source).engine == info.engine || !dense_inputs.insert({info.engine, source}).second) continue;
      edges_.push_back({{source, ""}, {layer.name, ""}, 1, "layers." + layer.name + ".inputs", info.engine,
                        graph_input_name(source, layer)});
    }
  }
  for (const auto& unit : net_.bridge) {
    const std::string path = "bridge." + unit.name;
    edges_.push_back({{unit.input, ""}, {unit.name, ""}, 1, path + ".input", bridge_engine, unit.name + ".in"});
    if (unit.output.empty()) continue;
    const NodeInfo& out = nodes_.at(unit.output);
    const NodeInfo& self = nodes_.at(unit.name);
    if (out.section == "populations") {
      const std::string port = population_input_port(unit.output, unit_receptor_[unit.name], self.kind,
                                                      static_cast<float>(unit_weight_[unit.name]), path + ".parameters.receptor");
      edges_.push_back({{unit.name, ""}, {unit.output, ""}, 1, path + ".output", snn_engine, port});
    } else if (out.section == "environment") {
      edges_.push_back({{unit.name, ""}, {unit.output, ""}, 1, path + ".output", out.engine, "action"});
    } else if (out.section == "subnetworks") {
      const PortRef input = subnetwork_input_port(unit.output, "", self.kind, path + ".output");
      edges_.push_back({{unit.name, ""}, {unit.output, ""}, 1, path + ".output", input.engine, input.port});
    } else if (out.section == "layers") {
      const auto& layer = *std::find_if(net_.layers.begin(), net_.layers.end(), [&](const auto& l) { return l.name == unit.output; });
      if (std::find(layer.inputs.begin(), layer.inputs.end(), unit.name) == layer.inputs.end()) {
        fail(path + ".output", "layer '" + unit.output + "' does not list '" + unit.name + "' in its inputs");
      }
    } else if (out.section == "bridge") {
      const auto& next = *std::find_if(net_.bridge.begin(), net_.bridge.end(), [&](const auto& u) { return u.name == unit.output; });
      if (next.input != unit.name) fail(path + ".output", "bridge unit '" + unit.output + "' reads '" + next.input + "'");
    } else {
      fail(path + ".output", "'" + unit.output + "' is an input and cannot receive values");
    }
  }
  for (std::size_t i = 0; i < net_.wires.size(); ++i) {
    const auto& wire = net_.wires[i];
    const std::string path = "wires." + std::to_string(i);
    auto same = std::find_if(edges_.begin(), edges_.end(), [&](const Edge& e) {
      return e.from.node == wire.from.node && e.to.node == wire.to.node;
    });
    if (same != edges_.end() && wire.from.port.empty() && wire.to.port.empty()) {
      same->latency_ticks = wire.latency_ticks;  // the wire only sets the latency of an implied connection
      same->path = path;
      continue;
    }
    edges_.push_back({wire.from, wire.to, wire.latency_ticks, path, "", ""});
  }
}

void NetworkLowering::connect(const Edge& edge) {
  const NodeInfo& from = nodes_.at(edge.from.node);
  if (from.engine.empty()) fail(edge.path, "input '" + edge.from.node + "' (current or poisson_drive) feeds populations only, through a one_to_one projection");
  if (edge.latency_ticks < 1) fail(edge.path, "engines exchange data with a latency of at least 1 tick");
  const PortRef source = output_port(edge.from, from, edge.path + ".from");
  std::string to_engine = edge.to_engine;
  std::string to_port = edge.to_port;
  if (to_engine.empty()) {
    const NodeInfo& to = nodes_.at(edge.to.node);
    to_engine = to.engine;
    if (to.section == "populations") {
      to_port = population_input_port(edge.to.node, edge.to.port, from.kind, 1.0F, edge.path + ".to");
    } else if (to.section == "bridge") {
      to_port = edge.to.node + ".in";
    } else if (to.section == "environment") {
      to_port = edge.to.port.empty() ? "action" : edge.to.port;
    } else if (to.section == "subnetworks") {
      const PortRef input = subnetwork_input_port(edge.to.node, edge.to.port, from.kind, edge.path + ".to");
      to_engine = input.engine;
      to_port = input.port;
    } else {
      fail(edge.path + ".to", "'" + edge.to.node + "' (" + to.section + ") receives through its own keys (layers: inputs)");
    }
  }
  sim_->connect(Wire{source, {to_engine, to_port}, edge.latency_ticks});
}

std::string NetworkLowering::population_input_port(const std::string& population, const std::string& receptor,
                                                   PortKind kind, float weight, const std::string& path) {
  const auto& pop = snn().population(population);
  std::string chosen = receptor;
  if (chosen.empty()) {
    chosen = std::string(pop.receptors().front().name);
    for (const auto& r : pop.receptors()) {
      if (kind == PortKind::dense && r.is_current) {
        chosen = std::string(r.name);
        break;
      }
    }
  }
  const std::string port = population + ".in" + std::to_string(port_counter_++);
  try {
    if (kind == PortKind::spikes) snn().add_spike_input_port(port, population, chosen, weight);
    else snn().add_dense_input_port(port, population, chosen);
  } catch (const InputError& error) {
    fail(path, error.what());
  }
  return port;
}

}  // namespace tandem::io::detail
