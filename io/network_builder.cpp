#include "io/network_builder.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "ann/dense_engine.hpp"
#include "ann/graph_quantization.hpp"
#include "bridge/bridge_engine.hpp"
#include "core/contained_read.hpp"
#include "core/error.hpp"
#include "core/hdf5_reader.hpp"
#include "core/random.hpp"
#include "io/lowering_parts.hpp"
#include "io/synapse_files.hpp"
#include "neurons/event_engine.hpp"
#include "neurons/registry.hpp"

namespace tandem::io {

namespace {

constexpr const char* snn_engine = "snn";
constexpr const char* bridge_engine = "bridge";
// Fixed and tianjic layers are calibrated on this many seeded inputs uniform in [0, 1] (the bridge
// decoders' default value range), since a network file carries no calibration data.
constexpr Eigen::Index calibration_samples = 256;

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

class Lowering {
 public:
  Lowering(const NetworkDescription& network, const BuildOptions& options)
      : net_(network), interrupt_(options.interrupt),
        default_precision_(options.precision.value_or(network.simulation.precision)) {
    SimulationSettings settings;
    settings.interrupt = options.interrupt;
    settings.time = TimeBase(network.simulation.dt_ms);
    settings.seed = options.seed.value_or(network.simulation.seed);
    settings.mode = options.mode.value_or(network.simulation.mode);
    settings.threads = options.threads.value_or(network.simulation.threads);
    time_ = settings.time;
    seed_ = settings.seed;
    external_outputs_ = options.external_outputs;
    sim_ = std::make_unique<Simulation>(settings);
  }

  BuiltNetwork build() {
    add_spiking();
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

 private:
  [[noreturn]] void fail(const std::string& path, const std::string& problem) const { lowering_error(net_, path, problem); }

  // A node's precision: its own, else the network's default where the node has that precision.
  // A default a node kind has no form of (populations have no `fixed`, layers no `loihi`) leaves
  // the node in float32; the run reports every node's precision, so the mix is visible.
  Precision layer_precision(const DenseLayerDescription& layer) const {
    if (layer.precision == Precision::loihi) {
      fail("layers." + layer.name + ".precision", "dense layers compute in float32, fixed or tianjic; loihi is the precision of lif populations");
    }
    if (layer.precision) return *layer.precision;
    return default_precision_ == Precision::loihi ? Precision::float32 : default_precision_;
  }
  Precision population_precision(const PopulationDescription& pop) const {
    if (pop.precision == Precision::fixed) {
      fail("populations." + pop.name + ".precision",
           "populations compute in float32, tianjic or loihi; fixed is the dense layers' generic int8 arithmetic");
    }
    if (pop.precision) return *pop.precision;
    return default_precision_ == Precision::fixed ? Precision::float32 : default_precision_;
  }
  static std::string layer_engine(Precision precision) {
    if (precision == Precision::fixed) return "ann_fixed";
    if (precision == Precision::tianjic) return "ann_tianjic";
    return "ann";
  }

  neurons::EventEngine& snn() {
    if (snn_ == nullptr) snn_ = &sim_->add_engine(std::make_unique<neurons::EventEngine>(snn_engine, time_));
    return *snn_;
  }

  Tick ticks_of_ms(double ms) const { return static_cast<Tick>(std::llround(ms / time_.dt_ms())); }

  void add_spiking() {
    for (const auto& input : net_.inputs) {
      const std::string path = "inputs." + input.name;
      const auto size = static_cast<std::size_t>(input.size);
      if (const auto* poisson = std::get_if<PoissonInput>(&input.source)) {
        const auto rates = expand_values(net_, poisson->rate_hz, size, path + ".rate_hz");
        if (std::any_of(rates.begin(), rates.end(), [&](double r) { return r != rates.front(); })) {
          fail(path + ".rate_hz", "different rates per unit are not supported yet; give one rate for all units");
        }
        snn().add_poisson_group(input.name, size, rates.front());
      } else if (const auto* times = std::get_if<SpikeTimesInput>(&input.source)) {
        if (times->file) fail(path + ".times_ms", "spike times from a file are not supported yet; list them inline");
        std::vector<std::pair<Tick, std::uint32_t>> spikes;
        for (std::size_t unit = 0; unit < times->times_ms.size(); ++unit) {
          for (const double t : times->times_ms[unit]) spikes.emplace_back(ticks_of_ms(t), static_cast<std::uint32_t>(unit));
        }
        std::sort(spikes.begin(), spikes.end());
        snn().add_spike_generator(input.name, size, std::move(spikes));
      } else if (std::holds_alternative<ExternalValuesInput>(input.source)) {
        nodes_[input.name] = {"inputs", external_engine_name, input.name, PortKind::dense, size};
        external_inputs_.push_back({input.name, size});
        continue;
      } else {
        // current and poisson_drive inputs are lowered with their projections
        nodes_[input.name] = {"inputs", "", "", PortKind::dense, size};
        continue;
      }
      nodes_[input.name] = {"inputs", snn_engine, input.name + ".spikes", PortKind::spikes, size};
    }
    for (const auto& pop : net_.populations) {
      check_interrupt("population " + pop.name);
      add_population(pop);
    }
  }

  void add_population(const PopulationDescription& pop) {
    const std::string path = "populations." + pop.name;
    const neurons::ModelInfo* info = nullptr;
    std::string known;
    for (const auto& model : neurons::models()) {
      if (model.name == pop.model) info = &model;
      known += (known.empty() ? "" : ", ") + std::string(model.name);
    }
    if (info == nullptr) fail(path + ".model", "unknown model '" + pop.model + "'; known: " + known);
    // The constant input current (bias) is lowered to currents into the model's i_ext; every other
    // parameter is one number per population (the models hold one set of constants).
    const std::string bias_key = bias_parameter(pop.model);
    const bool has_current = std::any_of(info->receptors.begin(), info->receptors.end(),
                                         [](const neurons::Receptor& r) { return r.name == "i_ext"; });
    std::vector<double> bias;
    neurons::ParameterValues values;
    for (const auto& [key, value] : pop.drawn_parameters) {
      if (key == bias_key && has_current) {
        bias = drawn_values(value, static_cast<std::size_t>(pop.size), path + ".parameters." + key);
        continue;
      }
      check_parameter_name(*info, pop, key, path);
      fail(path + ".parameters." + key, per_neuron_limit(bias_key));
    }
    for (const auto& [key, value] : pop.parameters) {
      const std::string key_path = path + ".parameters." + key;
      if (key == bias_key && has_current) {
        if (std::holds_alternative<std::string>(value)) fail(key_path, "must be a number or one per neuron");
        const DrawnValues drawn = std::holds_alternative<double>(value) ? DrawnValues{std::get<double>(value)}
                                                                        : DrawnValues{std::get<std::vector<double>>(value)};
        bias = drawn_values(drawn, static_cast<std::size_t>(pop.size), key_path);
        continue;
      }
      check_parameter_name(*info, pop, key, path);
      if (const auto* list = std::get_if<std::vector<double>>(&value)) {
        const bool uniform = !list->empty() && std::all_of(list->begin(), list->end(), [&](double v) { return v == list->front(); });
        if (!uniform) fail(key_path, per_neuron_limit(bias_key));
        values[key] = parameter_text(net_, list->front(), key_path);
        continue;
      }
      values[key] = parameter_text(net_, value, key_path);
    }
    if (pop.reset == "subtract" || (pop.reset == "value" && pop.parameters.count("reset_mode") == 0)) {
      const bool has_reset = std::find(info->parameters.begin(), info->parameters.end(), "reset_mode") != info->parameters.end();
      if (has_reset) values["reset_mode"] = pop.reset == "subtract" ? "subtract" : "to_value";
      else if (pop.reset == "subtract") fail(path + ".reset", "model '" + pop.model + "' has no reset to subtract");
    }
    neurons::PopulationBase* population = nullptr;
    try {
      population = &snn().add_population(neurons::make_population(pop.model, pop.name, static_cast<std::size_t>(pop.size),
                                                                  values, time_, population_precision(pop)));
    } catch (const InputError& error) {
      const std::string message = error.what();
      std::string where = path + ".parameters";
      for (const auto& [key, value] : pop.parameters) {
        if (message.find(key) != std::string::npos) where = path + ".parameters." + key;
      }
      fail(where, message);
    }
    add_bias(pop, bias, path + ".parameters." + bias_key);
    for (const auto& [variable, value] : pop.initial) {
      const std::string key_path = path + ".initial." + variable;
      try {
        const auto* distribution = std::get_if<Distribution>(&value);
        if (distribution != nullptr && distribution->kind == "uniform") {
          // Drawn at every reset from the run seed and "<pop>.initial.<variable>", as C++ networks
          // do with set_initial_uniform (bench/coba.cpp): the same network gives the same draws.
          population->set_initial_uniform(variable, distribution->a, distribution->b);
          continue;
        }
        const auto drawn = drawn_values(value, population->size(), key_path, pop.name + ".initial." + variable);
        population->set_initial(variable, std::vector<float>(drawn.begin(), drawn.end()));
      } catch (const InputError& error) {
        fail(key_path, error.what());
      }
    }
    nodes_[pop.name] = {"populations", snn_engine, pop.name + ".spikes", PortKind::spikes, population->size()};
  }

  // The bias parameter's name: the unit of the model's i_ext (mV of drive for lif_coba, else nA).
  static std::string bias_parameter(const std::string& model) { return model == "lif_coba" ? "bias_mv" : "bias_na"; }

  static std::string per_neuron_limit(const std::string& bias_key) {
    return "one value per neuron is not supported for model parameters: a population's neurons share one set of "
           "constants (the vectorised neuron loops read them once); give one number, split the population, or use "
           "per-neuron values where they are supported: '" + bias_key + "' (a constant current) and 'initial'";
  }

  void check_parameter_name(const neurons::ModelInfo& info, const PopulationDescription& pop, const std::string& key,
                            const std::string& path) const {
    if (std::find(info.parameters.begin(), info.parameters.end(), key) != info.parameters.end()) return;
    std::string names;
    for (const auto name : info.parameters) names += (names.empty() ? "" : ", ") + std::string(name);
    const bool has_current = std::any_of(info.receptors.begin(), info.receptors.end(),
                                         [](const neurons::Receptor& r) { return r.name == "i_ext"; });
    if (has_current) names += ", " + bias_parameter(pop.model);
    fail(path + ".parameters." + key, "unknown parameter of model '" + pop.model + "'; known: " + names);
  }

  // `count` values: one number repeated, a list of `count`, an HDF5 dataset, or drawn from a
  // stream derived from the run seed and `stream` (default: the key path).
  std::vector<double> drawn_values(const DrawnValues& value, std::size_t count, const std::string& path,
                                   const std::string& stream = "") const {
    if (const auto* number = std::get_if<double>(&value)) return std::vector<double>(count, *number);
    if (const auto* list = std::get_if<std::vector<double>>(&value)) {
      if (list->size() != count) {
        fail(path, "needs one value per neuron (" + std::to_string(count) + "), got " + std::to_string(list->size()));
      }
      return *list;
    }
    if (const auto* ref = std::get_if<Hdf5Ref>(&value)) return expand_values(net_, *ref, count, path);
    return draw(std::get<Distribution>(value), count, stream.empty() ? path : stream);
  }

  std::vector<double> draw(const Distribution& distribution, std::size_t count, const std::string& stream) const {
    RandomStream random = RandomStream::derived(seed_, stream);
    std::vector<double> values(count);
    for (double& v : values) {
      v = distribution.kind == "uniform" ? random.uniform(distribution.a, distribution.b)
                                         : distribution.a + distribution.b * random.normal();
    }
    return values;
  }

  // A constant current per neuron into i_ext, added every tick like an input current: one
  // current per distinct value, neurons with bias 0 left out (they can still come to rest).
  void add_bias(const PopulationDescription& pop, const std::vector<double>& bias, const std::string& path) {
    std::map<double, std::vector<std::uint32_t>> units_by_amplitude;
    for (std::size_t i = 0; i < bias.size(); ++i) {
      if (bias[i] != 0.0) units_by_amplitude[bias[i]].push_back(static_cast<std::uint32_t>(i));
    }
    int part = 0;
    for (const auto& [amplitude, units] : units_by_amplitude) {
      neurons::CurrentSpec spec;
      spec.name = pop.name + ".bias." + std::to_string(part++);
      spec.target = pop.name;
      spec.units = units.size() == bias.size() ? std::vector<std::uint32_t>{} : units;
      spec.amplitudes = {static_cast<float>(amplitude)};
      try {
        snn().add_current(spec);
      } catch (const InputError& error) {
        fail(path, error.what());
      }
    }
  }

  void add_environment() {
    if (!net_.environment) return;
    auto engine = make_environment(net_, *net_.environment);
    NodeInfo info{"environment", std::string(engine->name()), "observation", PortKind::dense, 0};
    for (const auto& port : engine->ports()) {
      if (port.name == "observation") info.width = port.width;
    }
    sim_->add(std::move(engine));
    nodes_[net_.environment->name] = info;
  }

  // Width of what `node` emits; bridge units ahead of their own creation are resolved recursively.
  std::size_t width_of(const std::string& node, const std::string& path) {
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

  void add_bridge_unit(const BridgeUnitDescription& unit) {
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

  void add_bridge() {
    for (const auto& unit : net_.bridge) add_bridge_unit(unit);
    if (!units_.empty()) sim_->add(std::make_unique<bridge::BridgeEngine>(bridge_engine, std::move(units_)));
  }

  ann::DenseLayerSpec layer_spec(const DenseLayerDescription& layer, std::size_t fan_in) {
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

  void add_layers() {
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

  // The dense engine's input node (and port) for values from another engine: "<source>@<engine>",
  // so it never collides with the source's own node name in counters and mapping.
  std::string graph_input_name(const std::string& source, const DenseLayerDescription& layer) const {
    return source + "@" + nodes_.at(layer.name).engine;
  }

  // Quantises on seeded inputs uniform in [0, 1) and returns the error measured on them.
  ann::QuantizationReport quantize_for_calibration(ann::LayerGraph& graph, Precision precision) const {
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

  bool is_leaf(const std::string& layer) const {
    for (const auto& other : net_.layers) {
      if (std::find(other.inputs.begin(), other.inputs.end(), layer) != other.inputs.end()) return false;
    }
    return true;
  }

  bool feeds_other_engine(const std::string& layer, const std::string& engine) const {
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

  // The external engine: `kind: external` inputs, and (external_outputs_) every output wired to it.
  void add_external() {
    std::vector<ExternalOutput> outputs;
    if (external_outputs_) {
      for (std::size_t i = 0; i < net_.outputs.size(); ++i) {
        const NodePort& output = net_.outputs[i];
        const std::string path = "outputs." + std::to_string(i);
        const NodeInfo& from = nodes_.at(output.node);
        if (from.engine.empty() || from.engine == external_engine_name) {
          fail(path, "'" + output.node + "' is an input that sends nothing out of the network");
        }
        std::string port = from.out_port;
        if (!output.port.empty()) port = from.section == "environment" ? output.port : output.node + "." + output.port;
        const PortSpec* spec = nullptr;
        for (const PortSpec& candidate : sim_->engine(from.engine).ports()) {
          if (candidate.name == port && candidate.direction == PortDirection::out) spec = &candidate;
        }
        if (spec == nullptr) fail(path, "'" + output.node + "' has no output port '" + port + "'");
        const std::string name = output.port.empty() ? output.node : output.node + "." + output.port;
        outputs.push_back({name, spec->kind, spec->width});
        edges_.push_back({output, {name, ""}, 1, path, external_engine_name, name});
      }
    }
    if (external_inputs_.empty() && outputs.empty()) return;
    external_ = &sim_->add_engine(std::make_unique<ExternalEngine>(external_engine_name, external_inputs_, std::move(outputs)));
  }

  void add_projections();
  void lower_input_projection(const ProjectionDescription& proj, const NodeInfo& from, const neurons::PopulationBase& target,
                              const std::string& path);
  void read_synapses_file(const ProjectionDescription& proj, const std::string& path,
                          std::vector<std::pair<std::int64_t, std::int64_t>>& pairs,
                          std::optional<std::vector<double>>& weights, std::optional<std::vector<double>>& delays_ms) const;
  // Whole ticks uniform in [low_ms, high_ms], as ProjectionSpec::delay_max_ms draws them.
  std::vector<double> draw_delays(const Distribution& distribution, std::size_t count, const std::string& stream) const {
    RandomStream random = RandomStream::derived(seed_, stream);
    const Tick low = ticks_of_ms(distribution.a);
    const Tick high = ticks_of_ms(distribution.b);
    std::vector<double> values(count);
    for (double& v : values) v = time_.ms_from_ticks(low + static_cast<Tick>(random.below(static_cast<std::uint64_t>(high - low + 1))));
    return values;
  }
  // Per-synapse delays from a list or file: each a whole number of ticks, at least one.
  void check_delays(const std::vector<double>& delays_ms, const std::string& path) const {
    for (std::size_t i = 0; i < delays_ms.size(); ++i) {
      const double ticks = delays_ms[i] / time_.dt_ms();
      if (!(ticks >= 1.0 - 1e-9) || std::abs(ticks - std::round(ticks)) > 1e-6) {
        fail(path, "synapse " + std::to_string(i) + ": delay " + format_number(delays_ms[i]) +
                       " ms must be a whole number of ticks (dt_ms = " + format_number(time_.dt_ms()) +
                       "), at least one: a spike reaches its targets one tick after it is fired at the soonest");
      }
    }
  }
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
  void check_interrupt(const std::string& part) const {
    if (interrupt_ != nullptr) interrupt_->check("building " + net_.source + " (" + part + ")");
  }
  neurons::EventEngine* snn_ = nullptr;
  std::map<std::string, NodeInfo> nodes_;
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

std::string Lowering::population_input_port(const std::string& population, const std::string& receptor,
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

void Lowering::add_projections() {
  for (const auto& proj : net_.projections) {
    check_interrupt("projection " + proj.name);
    const std::string path = "projections." + proj.name;
    const NodeInfo& from = nodes_.at(proj.from);
    const auto& target = snn().population(proj.to);
    const auto scalar_weight = std::get_if<double>(&proj.weight);
    if (from.engine.empty()) {  // a current or poisson_drive input, lowered onto the target's neurons
      lower_input_projection(proj, from, target, path);
      continue;
    }
    if (from.engine != snn_engine) {  // a bridge encoder: its spikes enter the population one to one
      if (from.kind != PortKind::spikes) fail(path + ".from", "'" + proj.from + "' sends values, not spikes");
      if (proj.rule != ConnectionRule::one_to_one) fail(path + ".rule", "spikes from a bridge unit need rule one_to_one");
      if (scalar_weight == nullptr || proj.weight_distribution) fail(path + ".weight", "spikes from a bridge unit take one weight (a number)");
      if (proj.delays_ms || proj.delay_distribution) fail(path + ".delay_ms", "spikes from a bridge unit take one delay (a number)");
      const std::string port = population_input_port(proj.to, proj.target, PortKind::spikes, static_cast<float>(*scalar_weight), path + ".target");
      edges_.push_back({{proj.from, ""}, {proj.to, ""}, std::max<Tick>(1, proj.delay_ticks), path, snn_engine, port});
      continue;
    }
    neurons::ProjectionSpec spec;
    spec.name = proj.name;
    spec.source = proj.from;
    spec.target = proj.to;
    spec.receptor = proj.target.empty() ? std::string(target.receptors().front().name) : proj.target;
    spec.delay_ms = proj.delay_ms;
    std::size_t synapses = 0;
    switch (proj.rule) {
      case ConnectionRule::all_to_all:  // onto itself without autapses: n (n - 1)
        spec.rule = neurons::Rule::all_to_all;
        synapses = from.width * target.size() - (proj.from == proj.to ? target.size() : 0);
        break;
      case ConnectionRule::one_to_one: spec.rule = neurons::Rule::one_to_one; synapses = target.size(); break;
      case ConnectionRule::fixed_probability: spec.rule = neurons::Rule::fixed_probability; spec.probability = proj.p; break;
      case ConnectionRule::fixed_indegree: spec.rule = neurons::Rule::fixed_in_degree; spec.in_degree = static_cast<std::size_t>(proj.k); break;
      case ConnectionRule::explicit_list: spec.rule = neurons::Rule::explicit_list; break;
    }
    std::vector<std::pair<std::int64_t, std::int64_t>> pairs = proj.pairs;
    std::optional<std::vector<double>> file_weights;
    std::optional<std::vector<double>> delays_ms;
    if (proj.pairs_file) {
      std::vector<std::size_t> dims;
      const auto flat = read_dataset(net_, *proj.pairs_file, path + ".pairs", &dims);
      if (dims.size() != 2 || dims[1] != 2) fail(path + ".pairs", "the dataset must be [n x 2] (pre, post)");
      for (std::size_t i = 0; i < dims[0]; ++i) pairs.emplace_back(static_cast<std::int64_t>(flat[2 * i]), static_cast<std::int64_t>(flat[2 * i + 1]));
    }
    if (proj.synapses_file) read_synapses_file(proj, path, pairs, file_weights, delays_ms);
    if (proj.rule == ConnectionRule::explicit_list) synapses = pairs.size();
    if (proj.rule == ConnectionRule::fixed_indegree) synapses = static_cast<std::size_t>(proj.k) * target.size();
    std::vector<double> weights;
    if (file_weights) {
      weights = std::move(*file_weights);
    } else if (proj.weight_distribution) {
      weights = draw(*proj.weight_distribution, synapses, path + ".weight");
      if (proj.rule != ConnectionRule::explicit_list) spec.weights.assign(weights.begin(), weights.end());
    } else if (scalar_weight != nullptr) {
      spec.weight = static_cast<float>(*scalar_weight);
      weights.assign(proj.rule == ConnectionRule::explicit_list ? synapses : 0, *scalar_weight);
    } else if (proj.rule == ConnectionRule::fixed_probability || proj.rule == ConnectionRule::fixed_indegree) {
      fail(path + ".weight", "rule " + std::string(proj.rule == ConnectionRule::fixed_probability ? "fixed_probability" : "fixed_indegree") +
                                 " takes one weight (a number) or {distribution: …}");
    } else {
      weights = expand_values(net_, proj.weight, synapses, path + ".weight");
      if (proj.rule != ConnectionRule::explicit_list) spec.weights.assign(weights.begin(), weights.end());
    }
    if (proj.delays_ms) delays_ms = expand_values(net_, *proj.delays_ms, synapses, path + ".delay_ms");
    if (proj.delay_distribution) {
      spec.delay_ms = proj.delay_distribution->a;
      spec.delay_max_ms = proj.delay_distribution->b;
      if (proj.rule == ConnectionRule::explicit_list) delays_ms = draw_delays(*proj.delay_distribution, synapses, path + ".delay_ms");
    }
    if (delays_ms) check_delays(*delays_ms, path + ".delay_ms");
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      const auto [pre, post] = pairs[i];
      if (pre < 0 || post < 0 || static_cast<std::size_t>(pre) >= from.width || static_cast<std::size_t>(post) >= target.size()) {
        fail((proj.synapses_file ? path + ".synapses: synapse " : path + ".pairs.") + std::to_string(i),
             "pair (" + std::to_string(pre) + ", " + std::to_string(post) + ") is out of range");
      }
      spec.synapses.push_back({static_cast<std::uint32_t>(pre), static_cast<std::uint32_t>(post), static_cast<float>(weights[i]),
                               delays_ms ? (*delays_ms)[i] : proj.delay_ms});
    }
    try {
      snn().connect(std::move(spec));
    } catch (const InputError& error) {
      fail(path, error.what());
    }
  }
}

void Lowering::lower_input_projection(const ProjectionDescription& proj, const NodeInfo& from,
                                      const neurons::PopulationBase& target, const std::string& path) {
  const auto* scalar_weight = std::get_if<double>(&proj.weight);
  const auto& input = *std::find_if(net_.inputs.begin(), net_.inputs.end(), [&](const auto& i) { return i.name == proj.from; });
  const bool drive = std::holds_alternative<PoissonDriveInput>(input.source);
  const std::string kind = drive ? "a poisson_drive input" : "a current input";
  if (proj.rule != ConnectionRule::one_to_one) fail(path + ".rule", kind + " needs rule one_to_one");
  if (scalar_weight == nullptr || proj.weight_distribution) fail(path + ".weight", kind + " takes one weight (a number)");
  if (drive) {
    neurons::PoissonInputSpec spec;
    spec.name = proj.name;  // its random stream: derived from the run seed and this name
    spec.target = proj.to;
    spec.receptor = proj.target.empty() ? std::string(target.receptors().front().name) : proj.target;
    spec.rate_hz = std::get<PoissonDriveInput>(input.source).rate_hz;
    spec.weight = static_cast<float>(*scalar_weight);
    try {
      snn().add_poisson_input(spec);
    } catch (const InputError& error) {
      fail(path, error.what());
    }
    return;
  }
  const auto values = expand_values(net_, std::get<CurrentInput>(input.source).value, from.width, "inputs." + proj.from + ".value");
  std::map<double, std::vector<std::uint32_t>> units_by_amplitude;
  for (std::size_t i = 0; i < values.size(); ++i) units_by_amplitude[values[i] * *scalar_weight].push_back(static_cast<std::uint32_t>(i));
  int part = 0;
  for (const auto& [amplitude, units] : units_by_amplitude) {
    neurons::CurrentSpec spec;
    spec.name = proj.name + "." + std::to_string(part++);
    spec.target = proj.to;
    spec.receptor = proj.target.empty() ? "i_ext" : proj.target;
    spec.units = units;
    spec.amplitudes = {static_cast<float>(amplitude)};
    try {
      snn().add_current(spec);
    } catch (const InputError& error) {
      fail(path, error.what());
    }
  }
}

void Lowering::read_synapses_file(const ProjectionDescription& proj, const std::string& path,
                                  std::vector<std::pair<std::int64_t, std::int64_t>>& pairs,
                                  std::optional<std::vector<double>>& weights,
                                  std::optional<std::vector<double>>& delays_ms) const {
  const std::string where = path + ".synapses";
  SynapseList list;
  try {
    list = read_synapse_list(proj.synapses_file->file, proj.synapses_file->group);
  } catch (const InputError& error) {
    fail(where, proj.synapses_file->file.string() + ": " + error.what());
  }
  for (std::size_t i = 0; i < list.pre.size(); ++i) {
    const double pre = list.pre[i], post = list.post[i];
    if (pre != std::floor(pre) || post != std::floor(post) || pre < 0 || post < 0) {
      fail(where, "synapse " + std::to_string(i) + ": pre and post must be indices >= 0, got (" + format_number(pre) + ", " +
                      format_number(post) + ")");
    }
    pairs.emplace_back(static_cast<std::int64_t>(pre), static_cast<std::int64_t>(post));
  }
  if (list.weight) {
    if (proj.weight_given) fail(path + ".weight", "the synapse file " + proj.synapses_file->file.string() + " gives the weights already");
    for (const double w : *list.weight) {
      if (!std::isfinite(w)) fail(where, "a weight is not a finite number");
    }
    weights = std::move(list.weight);
  }
  if (list.delay_ms) {
    if (proj.delay_given) fail(path + ".delay_ms", "the synapse file " + proj.synapses_file->file.string() + " gives the delays already");
    delays_ms = std::move(list.delay_ms);
  }
}

void Lowering::collect_edges() {
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

void Lowering::connect(const Edge& edge) {
  const NodeInfo& from = nodes_.at(edge.from.node);
  if (from.engine.empty()) fail(edge.path, "input '" + edge.from.node + "' (current or poisson_drive) feeds populations only, through a one_to_one projection");
  if (edge.latency_ticks < 1) fail(edge.path, "engines exchange data with a latency of at least 1 tick");
  std::string from_port = from.out_port;
  if (!edge.from.port.empty()) from_port = from.section == "environment" ? edge.from.port : edge.from.node + "." + edge.from.port;
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
    } else {
      fail(edge.path + ".to", "'" + edge.to.node + "' (" + to.section + ") receives through its own keys (layers: inputs)");
    }
  }
  sim_->connect(Wire{{from.engine, from_port}, {to_engine, to_port}, edge.latency_ticks});
}

}  // namespace

BuiltNetwork build_network(const NetworkDescription& network, const BuildOptions& options) {
  return Lowering(network, options).build();
}

}  // namespace tandem::io
