#include "io/network_builder.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "io/lowering_parts.hpp"
#include "io/network_lowering.hpp"

namespace tandem::io {
namespace detail {

NetworkLowering::NetworkLowering(const NetworkDescription& network, const BuildOptions& options)
    : net_(network), interrupt_(options.interrupt),
      default_precision_(options.precision.value_or(network.simulation.precision)) {
  SimulationSettings settings;
  settings.interrupt = options.interrupt;
  settings.time = TimeBase(network.simulation.dt_ms);
  settings.seed = options.seed.value_or(network.simulation.seed);
  settings.mode = options.mode.value_or(network.simulation.mode);
  settings.threads = options.threads.value_or(network.simulation.threads);
  settings.processes = options.processes;
  time_ = settings.time;
  seed_ = settings.seed;
  external_outputs_ = options.external_outputs;
  sim_ = std::make_unique<Simulation>(settings);
}

BuiltNetwork NetworkLowering::build() {
  add_spiking();
  add_subnetworks();
  add_environment();
  add_bridge();
  add_layers();
  add_projections();
  collect_edges();
  add_external();
  for (const auto& edge : edges_) connect(edge);
  BuiltNetwork built;
  built.external = external_;
  for (const auto& probe : net_.probes) {
    Probe p{probe.node, probe.variable, {}, probe.every_ticks};
    for (const auto unit : probe.units) p.units.push_back(static_cast<std::uint32_t>(unit));
    built.probes.push_back(std::move(p));
  }
  for (const auto& output : net_.outputs) built.outputs.push_back(output.port.empty() ? output.node : output.node + "." + output.port);
  try {
    sim_->build();
  } catch (const InputError& error) {
    lowering_error(net_, "wires", error.what());
  }
  built.simulation = std::move(sim_);
  return built;
}

void NetworkLowering::fail(const std::string& path, const std::string& problem) const {
  lowering_error(net_, path, problem);
}

void NetworkLowering::check_interrupt(const std::string& part) const {
  if (interrupt_ != nullptr) interrupt_->check("building " + net_.source + " (" + part + ")");
}

Precision NetworkLowering::layer_precision(const DenseLayerDescription& layer) const {
  if (layer.precision == Precision::loihi) {
    fail("layers." + layer.name + ".precision", "dense layers compute in float32, fixed or tianjic; loihi is the precision of lif populations");
  }
  if (layer.precision) return *layer.precision;
  return default_precision_ == Precision::loihi ? Precision::float32 : default_precision_;
}

Precision NetworkLowering::population_precision(const PopulationDescription& pop) const {
  if (pop.precision == Precision::fixed) {
    fail("populations." + pop.name + ".precision",
         "populations compute in float32, tianjic or loihi; fixed is the dense layers' generic int8 arithmetic");
  }
  if (pop.precision) return *pop.precision;
  return default_precision_ == Precision::fixed ? Precision::float32 : default_precision_;
}

std::string NetworkLowering::layer_engine(Precision precision) {
  if (precision == Precision::fixed) return "ann_fixed";
  if (precision == Precision::tianjic) return "ann_tianjic";
  return "ann";
}

neurons::EventEngine& NetworkLowering::snn() {
  if (snn_ == nullptr) snn_ = &sim_->add_engine(std::make_unique<neurons::EventEngine>(snn_engine, time_));
  return *snn_;
}

Tick NetworkLowering::ticks_of_ms(double ms) const {
  return static_cast<Tick>(std::llround(ms / time_.dt_ms()));
}

void NetworkLowering::add_environment() {
  if (!net_.environment) return;
  auto engine = make_environment(net_, *net_.environment);
  NodeInfo info{"environment", std::string(engine->name()), "observation", PortKind::dense, 0};
  for (const auto& port : engine->ports()) {
    if (port.name == "observation") info.width = port.width;
  }
  sim_->add(std::move(engine));
  nodes_[net_.environment->name] = info;
}

void NetworkLowering::add_external() {
  std::vector<ExternalOutput> outputs;
  if (external_outputs_) {
    for (std::size_t i = 0; i < net_.outputs.size(); ++i) {
      const NodePort& output = net_.outputs[i];
      const std::string path = "outputs." + std::to_string(i);
      const NodeInfo& from = nodes_.at(output.node);
      if (from.engine.empty() || from.engine == external_engine_name) {
        fail(path, "'" + output.node + "' is an input that sends nothing out of the network");
      }
      const PortRef port = output_port(output, from, path);
      const PortSpec* spec = nullptr;
      for (const PortSpec& candidate : sim_->engine(port.engine).ports()) {
        if (candidate.name == port.port && candidate.direction == PortDirection::out) spec = &candidate;
      }
      if (spec == nullptr) fail(path, "'" + output.node + "' has no output port '" + port.port + "'");
      const std::string name = output.port.empty() ? output.node : output.node + "." + output.port;
      outputs.push_back({name, spec->kind, spec->width});
      edges_.push_back({output, {name, ""}, 1, path, external_engine_name, name});
    }
  }
  if (external_inputs_.empty() && outputs.empty()) return;
  external_ = &sim_->add_engine(std::make_unique<ExternalEngine>(external_engine_name, external_inputs_, std::move(outputs)));
}

}  // namespace detail

BuiltNetwork build_network(const NetworkDescription& network, const BuildOptions& options) {
  return detail::NetworkLowering(network, options).build();
}

}  // namespace tandem::io
