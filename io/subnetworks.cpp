#include "io/subnetworks.hpp"

#include "core/error.hpp"
#include "io/nir_import.hpp"

namespace tandem::io {

namespace {

// The NIR node `port` names among `names` ("" = the only one); InputError listing them otherwise.
std::string pick(const std::string& subnetwork, const std::string& port, const std::vector<std::string>& names,
                 const char* kind) {
  std::string list;
  for (const auto& name : names) list += (list.empty() ? "'" : ", '") + name + "'";
  if (list.empty()) list = "none";
  if (port.empty()) {
    if (names.size() == 1) return names.front();
    throw InputError("subnetwork '" + subnetwork + "' has " + std::to_string(names.size()) + " " + kind +
                     " nodes (" + list + "): name one as '" + subnetwork + ".<node>'");
  }
  for (const auto& name : names) {
    if (name == port) return name;
  }
  throw InputError("subnetwork '" + subnetwork + "' has no " + kind + " node '" + port + "' (its " + kind + " nodes: " + list + ")");
}

}  // namespace

std::string LoweredSubnetwork::input_population(const std::string& port) const {
  return name_ + "." + pick(name_, port, lowering_.inputs, "Input");
}

std::string LoweredSubnetwork::output_node(const std::string& port) const {
  std::vector<std::string> outputs;
  for (const auto& [node, population] : lowering_.outputs) outputs.push_back(node);
  for (const auto& [node, readout] : lowering_.dense_outputs) outputs.push_back(node);
  return pick(name_, port, outputs, "Output");
}

std::string LoweredSubnetwork::output_population(const std::string& port) const {
  const std::string node = output_node(port);
  const auto found = lowering_.outputs.find(node);
  if (found == lowering_.outputs.end()) {
    throw InputError("subnetwork '" + name_ + "': Output '" + node + "' is computed by a dense layer ('" + name_ + "." +
                     node + "'), which sends values, not spikes");
  }
  return found->second;
}

bool LoweredSubnetwork::has_readout_layer(const std::string& node) const {
  for (const auto& [output, readout] : readouts_) {
    if (readout.layer == node) return true;
  }
  return false;
}

std::string LoweredSubnetwork::population_list() const {
  std::string list;
  for (const auto& population : lowering_.populations) list += (list.empty() ? "" : ", ") + population;
  return list;
}

LoweredSubnetwork lower_subnetwork(const SubnetworkDescription& subnetwork, Precision default_precision,
                                   const InterruptGuard* interrupt, neurons::EventEngine& engine) {
  NirImportOptions options;
  options.dt_ms = engine.time().dt_ms();
  options.reset = parse_nir_reset(subnetwork.reset);
  if (subnetwork.precision == Precision::fixed) {
    throw InputError("precision: a NIR graph's LIF nodes compute in float32, tianjic or loihi; fixed is the dense layers' arithmetic");
  }
  options.precision = subnetwork.precision.value_or(default_precision == Precision::fixed ? Precision::float32 : default_precision);
  options.loihi_scale = subnetwork.loihi_scale;
  options.name_prefix = subnetwork.name + ".";
  options.inputs_from_ports = true;
  const NirGraph graph = read_nir(subnetwork.nir, interrupt, options.read_limits);
  return {subnetwork.name, lower_nir(graph, options, engine)};
}

}  // namespace tandem::io
