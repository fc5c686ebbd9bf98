#include "ann/dense_engine.hpp"

#include <cmath>
#include <iomanip>
#include <limits>
#include <sstream>

#include "ann/graph_quantization.hpp"
#include "core/error.hpp"

namespace tandem::ann {
namespace {

constexpr std::size_t no_port = static_cast<std::size_t>(-1);

}  // namespace

struct DenseEngine::Network {
  std::vector<LayerRuntime> layers;
  std::vector<Eigen::VectorXf> inputs;          // current value of each graph input
  std::vector<std::vector<std::int8_t>> inputs_q;
  Eigen::VectorXf sum;                          // a layer's summed input when it has several sources
  std::vector<std::int8_t> sum_q;
};

struct DenseEngine::ProbeState {
  std::size_t layer = 0;
  Tick every_ticks = 1;
  std::vector<std::uint32_t> units;
  StreamId activations = 0;
  StreamId ticks = 0;
  std::vector<float> buffered_values;
  std::vector<std::int64_t> buffered_ticks;
};

DenseEngine::DenseEngine(std::string name, LayerGraph graph, DenseEngineOptions options)
    : name_(std::move(name)), graph_(std::move(graph)), options_(options) {
  if (name_.empty()) throw InputError("a dense engine has an empty name");
  if (options_.precision == Precision::loihi) {
    throw InputError("dense engine '" + name_ + "': dense layers compute in float32, fixed or tianjic, not loihi");
  }
  if (!graph_.finalized()) graph_.finalize();
  const std::size_t input_count = graph_.inputs().size();
  for (const GraphInput& input : graph_.inputs()) {
    ports_.push_back(PortSpec{input.name, PortKind::dense, PortDirection::in, input.width, input.name});
    NodeCounters node{.node = input.name, .kind = NodeKind::input, .units = input.width};
    counters_.push_back(std::move(node));
  }
  const auto& layers = graph_.layers();
  output_port_of_layer_.assign(layers.size(), no_port);
  for (const std::string& output : graph_.outputs()) {
    const std::size_t index = graph_.layer_index(output);
    output_port_of_layer_[index] = ports_.size();
    ports_.push_back(PortSpec{output + ".out", PortKind::dense, PortDirection::out, layers[index].outputs(), output});
  }
  network_ = std::make_unique<Network>();
  for (std::size_t i = 0; i < layers.size(); ++i) {
    network_->layers.emplace_back(layers[i], options_.precision);
    NodeCounters node{.node = layers[i].name,
                      .kind = NodeKind::dense,
                      .units = layers[i].outputs(),
                      .fan_in = layers[i].fan_in(),
                      .synapse_memory_bytes = network_->layers.back().weight_bytes() + network_->layers.back().bias_bytes(),
                      .state_bytes = layers[i].outputs() * dense_accumulator_bytes,
                      .targets = graph_.targets(i)};
    node.precision = std::string(to_string(options_.precision));
    if (layers[i].convolution) node.weight_block_units = layers[i].convolution->out_height() * layers[i].convolution->out_width();
    counters_.push_back(std::move(node));
  }
  for (std::size_t i = 0; i < layers.size(); ++i) {
    for (const std::size_t node : graph_.source_nodes(i)) {
      if (node < input_count) counters_[node].targets.push_back(layers[i].name);
    }
  }
  max_error_.assign(layers.size(), 0.0);
  reset(RunContext{.time = TimeBase(1.0)});
}

DenseEngine::~DenseEngine() = default;

void DenseEngine::reset(const RunContext& context) {
  mode_ = context.mode;
  const auto& layers = graph_.layers();
  bool approximates = false;
  for (const auto& layer : layers) {
    if (layer.event_kind != EventKind::delta) continue;
    const float threshold = options_.precision == Precision::float32
                                ? layer.delta_threshold
                                : std::round(layer.delta_threshold / layer.quantization->input_scale);
    approximates = approximates || threshold > 0.0f;
  }
  reference_enabled_ = options_.measure_approximation_error && approximates && mode_ == ExecutionMode::event;
  const auto prepare = [&](Network& network) {
    for (auto& runtime : network.layers) runtime.reset(context.workers);
    network.inputs.clear();
    network.inputs_q.clear();
    for (const GraphInput& input : graph_.inputs()) {
      network.inputs.push_back(Eigen::VectorXf::Zero(static_cast<Eigen::Index>(input.width)));
      network.inputs_q.emplace_back(input.width, std::int8_t{0});
    }
  };
  prepare(*network_);
  if (reference_enabled_) {
    if (!reference_) {
      reference_ = std::make_unique<Network>();
      for (const auto& layer : layers) reference_->layers.emplace_back(layer, options_.precision);
    }
    prepare(*reference_);
  }
  for (auto& node : counters_) {
    node.executed = OpCounts{};
    node.always_on = OpCounts{};
    if (node.kind == NodeKind::dense) node.approximation_error = reference_enabled_ ? 0.0 : std::numeric_limits<double>::quiet_NaN();
  }
  max_error_.assign(layers.size(), 0.0);
  for (auto& probe : probes_) {
    probe.buffered_values.clear();
    probe.buffered_ticks.clear();
  }
}

void DenseEngine::set_input(std::size_t input, const Eigen::VectorXf& values, Network& network) const {
  const GraphInput& spec = graph_.inputs()[input];
  network.inputs[input] = values;
  if (options_.precision != Precision::float32) {
    for (std::size_t j = 0; j < spec.width; ++j) {
      network.inputs_q[input][j] = quantize_value(values[static_cast<Eigen::Index>(j)], spec.scale);
    }
  }
}

void DenseEngine::run_layer(std::size_t layer, Network& network, ExecutionMode mode, OpCounts& executed) {
  const auto& sources = graph_.source_nodes(layer);
  const std::size_t input_count = graph_.inputs().size();
  LayerRuntime& runtime = network.layers[layer];
  if (options_.precision == Precision::float32) {
    const auto value = [&](std::size_t node) -> const Eigen::VectorXf& {
      return node < input_count ? network.inputs[node] : network.layers[node - input_count].output();
    };
    if (sources.size() == 1) {
      runtime.run(value(sources.front()), mode, executed);
      return;
    }
    network.sum = value(sources.front());
    for (std::size_t k = 1; k < sources.size(); ++k) network.sum += value(sources[k]);
    runtime.run(network.sum, mode, executed);
    return;
  }
  const auto value_q = [&](std::size_t node) -> std::span<const std::int8_t> {
    return node < input_count ? std::span<const std::int8_t>(network.inputs_q[node])
                              : network.layers[node - input_count].output_q();
  };
  if (sources.size() == 1) {
    runtime.run(value_q(sources.front()), mode, executed);
    return;
  }
  std::vector<const std::int8_t*> pointers;
  for (const std::size_t node : sources) pointers.push_back(value_q(node).data());
  const std::size_t width = graph_.layers()[layer].inputs();
  network.sum_q.resize(width);
  sum_sources(pointers, width, network.sum_q.data());
  runtime.run(std::span<const std::int8_t>(network.sum_q), mode, executed);
}

void DenseEngine::advance(const Epoch& epoch, const Mailbox& inbox, Mailbox& outbox) {
  const std::size_t input_count = graph_.inputs().size();
  const auto& layers = graph_.layers();
  std::vector<std::size_t> cursor(input_count, 0);
  OpCounts discarded;
  for (Tick t = epoch.begin; t < epoch.end; ++t) {
    for (std::size_t p = 0; p < input_count; ++p) {
      const auto& frames = inbox.port(p).frames;
      for (; cursor[p] < frames.size() && frames[cursor[p]].tick <= t; ++cursor[p]) {
        const DenseFrame& frame = frames[cursor[p]];
        const GraphInput& input = graph_.inputs()[p];
        if (static_cast<std::size_t>(frame.values.size()) != input.width || !frame.values.allFinite()) {
          throw InputError("dense engine '" + name_ + "': input '" + input.name + "' frame at tick " +
                           std::to_string(frame.tick) + " has " + std::to_string(frame.values.size()) +
                           " values (expected " + std::to_string(input.width) + ", all finite)");
        }
        set_input(p, frame.values, *network_);
        if (reference_enabled_) set_input(p, frame.values, *reference_);
      }
    }
    for (std::size_t i = 0; i < layers.size(); ++i) {
      if (t % layers[i].period_ticks != layers[i].phase_ticks) continue;
      NodeCounters& node = counters_[input_count + i];
      run_layer(i, *network_, mode_, node.executed);
      network_->layers[i].add_always_on(node.always_on);
      if (reference_enabled_) {
        run_layer(i, *reference_, ExecutionMode::always_on, discarded);
        const double error =
            (network_->layers[i].output() - reference_->layers[i].output()).cwiseAbs().maxCoeff();
        max_error_[i] = std::max(max_error_[i], error);
        node.approximation_error = max_error_[i];
      }
      if (output_port_of_layer_[i] != no_port) {
        outbox.port(output_port_of_layer_[i]).frames.push_back(DenseFrame{t, network_->layers[i].output()});
      }
    }
    for (auto& probe : probes_) {
      if (t % probe.every_ticks != 0) continue;
      const Eigen::VectorXf& values = network_->layers[probe.layer].output();
      for (const std::uint32_t unit : probe.units) probe.buffered_values.push_back(values[unit]);
      probe.buffered_ticks.push_back(t);
    }
  }
}

bool DenseEngine::enroll_probe(const Probe& probe, Recorder& recorder) {
  const auto& layers = graph_.layers();
  std::size_t index = layers.size();
  for (std::size_t i = 0; i < layers.size(); ++i) {
    if (layers[i].name == probe.node) index = i;
  }
  if (index == layers.size()) return false;
  const std::string where = "probe " + probe.node + "." + probe.variable;
  if (probe.variable != "activations") {
    throw InputError(where + ": dense layer '" + probe.node + "' has no variable '" + probe.variable +
                     "' (recordable: activations)");
  }
  if (probe.every_ticks < 1) throw InputError(where + ": every_ticks must be >= 1");
  ProbeState state;
  state.layer = index;
  state.every_ticks = probe.every_ticks;
  state.units = probe.units;
  if (state.units.empty()) {
    for (std::uint32_t u = 0; u < layers[index].outputs(); ++u) state.units.push_back(u);
  }
  std::string unit_list;
  for (const std::uint32_t unit : state.units) {
    if (unit >= layers[index].outputs()) {
      throw InputError(where + ": unit " + std::to_string(unit) + " is out of range (layer has " +
                       std::to_string(layers[index].outputs()) + " units)");
    }
    if (!unit_list.empty()) unit_list += ',';
    unit_list += std::to_string(unit);
  }
  const std::string base = "/ann/" + probe.node;
  const std::map<std::string, std::string> attributes = {{"every_ticks", std::to_string(probe.every_ticks)},
                                                         {"units", unit_list}};
  state.activations = recorder.enroll(StreamSpec{base + "/activations", SampleType::float32, state.units.size(), attributes});
  state.ticks = recorder.enroll(StreamSpec{base + "/tick", SampleType::int64, 0, attributes});
  probes_.push_back(std::move(state));
  return true;
}

void DenseEngine::record(Recorder& recorder) {
  for (auto& probe : probes_) {
    if (probe.buffered_ticks.empty()) continue;
    recorder.append(probe.activations, std::span<const float>(probe.buffered_values));
    recorder.append(probe.ticks, std::span<const std::int64_t>(probe.buffered_ticks));
    probe.buffered_values.clear();
    probe.buffered_ticks.clear();
  }
}

const Eigen::VectorXf& DenseEngine::output(const std::string& layer) const {
  return network_->layers[graph_.layer_index(layer)].output();
}

double DenseEngine::approximation_error(const std::string& layer) const {
  return max_error_[graph_.layer_index(layer)];
}

void DenseEngine::note_quantisation(const QuantizationReport& report, const std::string& calibration) {
  for (NodeCounters& node : counters_) {
    for (const LayerError& layer : report.layers) {
      if (layer.layer != node.node) continue;
      std::ostringstream text;
      text << std::setprecision(4) << "output error vs float32 max " << layer.error.max_abs << ", rms " << layer.error.rms
           << " on " << layer.error.count << " values (" << calibration << ")";
      node.quantisation = text.str();
    }
  }
}

DenseSummary summarize_dense(std::span<const NodeCounters> counters) {
  DenseSummary summary;
  std::uint64_t events = 0;
  std::uint64_t events_always_on = 0;
  for (const NodeCounters& node : counters) {
    if (node.kind != NodeKind::dense) continue;
    summary.effective_macs += node.executed[Op::mac];
    summary.dense_macs += node.always_on[Op::mac];
    events += node.executed[Op::input_event];
    events_always_on += node.always_on[Op::input_event];
    summary.footprint_bytes += node.synapse_memory_bytes;
  }
  if (events_always_on > 0) {
    summary.activation_sparsity = 1.0 - static_cast<double>(events) / static_cast<double>(events_always_on);
  }
  return summary;
}

}  // namespace tandem::ann
