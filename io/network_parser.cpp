// Section parsers: structure, types, finite numbers, bounded sizes, resolved file paths.
// Cross-section checks (references, shapes, cycles) are in network_checks.cpp.
#include <algorithm>

#include "core/error.hpp"
#include "io/network_parts.hpp"
#include "io/network_schema.hpp"

namespace tandem::io {
namespace {

bool has(const YAML::Node& map, std::string_view key) {
  const YAML::Node value = map[std::string(key)];
  return value.IsDefined() && !value.IsNull();
}

// Node names become HDF5 group names and the left side of "node.port": keep them plain.
std::string node_name(const YAML::Node& key, std::string_view path, const YamlReader& reader) {
  const std::string name = reader.text(key, path);
  const bool plain = std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
  if (!plain) reader.fail(key, path, "names may contain only letters, digits, '_' and '-', got '" + name + "'");
  return name;
}

Tick ticks_from_ms(const YAML::Node& node, std::string_view path, double value_ms, double dt_ms,
                   const YamlReader& reader) {
  try {
    return TimeBase(dt_ms).exact_ticks_from_ms(value_ms, "the value");
  } catch (const InputError& error) {
    reader.fail(node, path, error.what());
  }
}

std::filesystem::path resolve_file(YAML::Node map, std::string_view path, const ParseContext& context) {
  const YAML::Node file_node = context.reader.required(map, path, "file");
  const std::string file_path = join_path(path, "file");
  std::filesystem::path file(context.reader.text(file_node, file_path));
  if (file.is_relative()) file = context.base_dir / file;
  file = file.lexically_normal();
  std::error_code error;
  if (!std::filesystem::is_regular_file(file, error)) {
    context.reader.fail(file_node, file_path, "file not found: " + file.string());
  }
  map["file"] = file.string();  // the resolved configuration records where the data came from
  return file;
}

Hdf5Ref parse_hdf5_ref(const YAML::Node& node, std::string_view path, const ParseContext& context,
                       bool allow_group) {
  const YamlReader& reader = context.reader;
  if (allow_group) {
    reader.expect_map(node, path, {"file", "dataset", "group"});
  } else {
    reader.expect_map(node, path, {"file", "dataset"});
  }
  Hdf5Ref ref;
  ref.file = resolve_file(node, path, context);
  if (has(node, "dataset")) ref.dataset = reader.text(node["dataset"], join_path(path, "dataset"));
  if (has(node, "group")) ref.group = reader.text(node["group"], join_path(path, "group"));
  if (ref.dataset.empty() == ref.group.empty()) {
    reader.fail(node, path, allow_group ? "give exactly one of 'dataset' or 'group'" : "'dataset' is required");
  }
  return ref;
}

// number | [numbers] | [[row], [row]] (when matrices are allowed) | {file, dataset}
ValueSource parse_values(const YAML::Node& node, std::string_view path, const ParseContext& context,
                         bool allow_matrix = false, bool allow_group = false) {
  const YamlReader& reader = context.reader;
  if (node.IsMap()) return parse_hdf5_ref(node, path, context, allow_group);
  if (!node.IsSequence()) return reader.number(node, path);
  if (!allow_matrix || node.size() == 0 || !node[0].IsSequence()) return reader.numbers(node, path);
  Matrix matrix;
  matrix.rows = static_cast<std::int64_t>(node.size());
  for (std::size_t r = 0; r < node.size(); ++r) {
    const std::string row_path = join_path(path, std::to_string(r));
    const std::vector<double> row = reader.numbers(node[r], row_path);
    if (r == 0) matrix.cols = static_cast<std::int64_t>(row.size());
    if (static_cast<std::int64_t>(row.size()) != matrix.cols || row.empty()) {
      reader.fail(node[r], row_path, "rows must all have " + std::to_string(matrix.cols) +
                                         " entries, this one has " + std::to_string(row.size()));
    }
    matrix.values.insert(matrix.values.end(), row.begin(), row.end());
  }
  return matrix;
}

void require_non_negative(const ValueSource& values, const YAML::Node& node, std::string_view path,
                          const YamlReader& reader) {
  const auto negative = [](double v) { return v < 0.0; };
  if (const auto* single = std::get_if<double>(&values); single != nullptr && *single < 0.0) {
    reader.fail(node, path, "must be >= 0, got " + format_number(*single));
  }
  if (const auto* list = std::get_if<std::vector<double>>(&values)) {
    if (const auto it = std::find_if(list->begin(), list->end(), negative); it != list->end()) {
      const auto index = static_cast<std::size_t>(it - list->begin());
      reader.fail(node[index], join_path(path, std::to_string(index)), "must be >= 0, got " + format_number(*it));
    }
  }
}

NodePort parse_node_port(const YAML::Node& node, std::string_view path, const YamlReader& reader) {
  const std::string text = reader.text(node, path);
  const auto dot = text.find('.');
  NodePort port{text.substr(0, dot), dot == std::string::npos ? "" : text.substr(dot + 1)};
  if (port.node.empty() || (dot != std::string::npos && port.port.empty())) {
    reader.fail(node, path, "must be 'node' or 'node.port', got '" + text + "'");
  }
  return port;
}

void parse_simulation(YAML::Node node, const ParseContext& context, SimulationDescription& sim) {
  const YamlReader& reader = context.reader;
  const std::string path = "simulation";
  reader.expect_map(node, path, simulation_keys());
  if (has(node, "dt_ms")) sim.dt_ms = reader.positive(node["dt_ms"], "simulation.dt_ms");
  if (has(node, "duration_ms") && has(node, "ticks")) {
    reader.fail(node["ticks"], "simulation.ticks", "give either duration_ms or ticks, not both");
  }
  if (has(node, "duration_ms")) {
    const double duration_ms = reader.positive(node["duration_ms"], "simulation.duration_ms");
    sim.ticks = ticks_from_ms(node["duration_ms"], "simulation.duration_ms", duration_ms, sim.dt_ms, reader);
  }
  if (has(node, "ticks")) sim.ticks = reader.positive_integer(node["ticks"], "simulation.ticks");
  if (has(node, "seed")) {
    const std::int64_t seed = reader.integer(node["seed"], "simulation.seed");
    if (seed < 0) reader.fail(node["seed"], "simulation.seed", "must be >= 0, got " + std::to_string(seed));
    sim.seed = static_cast<std::uint64_t>(seed);
  }
  if (has(node, "mode")) {
    sim.mode = parse_execution_mode(reader.choice(node["mode"], "simulation.mode", {"event", "always-on"}));
  }
  if (has(node, "chip")) {
    sim.chip = reader.text(node["chip"], "simulation.chip");
    if (sim.chip.ends_with(".yaml") || sim.chip.ends_with(".yml")) {
      YAML::Node holder(YAML::NodeType::Map);
      holder["file"] = node["chip"];
      sim.chip = resolve_file(holder, "simulation.chip", context).string();
      node["chip"] = sim.chip;
    }
  }
}

InputDescription parse_input(const std::string& name, const YAML::Node& node, const ParseContext& context) {
  const YamlReader& reader = context.reader;
  const std::string path = "inputs." + name;
  reader.expect_open_map(node, path);
  const std::string kind = reader.choice(reader.required(node, path, "kind"), path + ".kind", input_kinds());
  reader.expect_map(node, path, input_keys(kind));
  InputDescription input{name, reader.size(reader.required(node, path, "size"), path + ".size"), {}};
  if (kind == "poisson") {
    const YAML::Node rate = reader.required(node, path, "rate_hz");
    PoissonInput poisson{parse_values(rate, path + ".rate_hz", context)};
    require_non_negative(poisson.rate_hz, rate, path + ".rate_hz", reader);
    input.source = poisson;
  } else if (kind == "spike_times") {
    const YAML::Node times = reader.required(node, path, "times_ms");
    const std::string times_path = path + ".times_ms";
    SpikeTimesInput spikes;
    if (times.IsMap()) {
      spikes.file = parse_hdf5_ref(times, times_path, context, false);
    } else {
      reader.expect_sequence(times, times_path);
      if (static_cast<std::int64_t>(times.size()) != input.size) {
        reader.fail(times, times_path, "needs one list per unit (" + std::to_string(input.size) + "), got " +
                                           std::to_string(times.size()));
      }
      for (std::size_t unit = 0; unit < times.size(); ++unit) {
        const std::string unit_path = join_path(times_path, std::to_string(unit));
        spikes.times_ms.push_back(reader.numbers(times[unit], unit_path));
        require_non_negative(spikes.times_ms.back(), times[unit], unit_path, reader);
      }
    }
    input.source = spikes;
  } else {
    input.source = CurrentInput{parse_values(reader.required(node, path, "value"), path + ".value", context)};
  }
  return input;
}

PopulationDescription parse_population(const std::string& name, const YAML::Node& node, const ParseContext& context) {
  const YamlReader& reader = context.reader;
  const std::string path = "populations." + name;
  reader.expect_map(node, path, population_keys());
  PopulationDescription pop;
  pop.name = name;
  pop.model = reader.text(reader.required(node, path, "model"), path + ".model");
  pop.size = reader.size(reader.required(node, path, "size"), path + ".size");
  pop.parameters = reader.parameters(node["parameters"], path + ".parameters");
  if (has(node, "reset")) pop.reset = reader.choice(node["reset"], path + ".reset", {"value", "subtract"});
  pop.initial = reader.parameters(node["initial"], path + ".initial");
  return pop;
}

ProjectionDescription parse_projection(const std::string& name, const YAML::Node& node, const ParseContext& context) {
  const YamlReader& reader = context.reader;
  const std::string path = "projections." + name;
  reader.expect_map(node, path, projection_keys());
  ProjectionDescription proj;
  proj.name = name;
  proj.from = reader.text(reader.required(node, path, "from"), path + ".from");
  proj.to = reader.text(reader.required(node, path, "to"), path + ".to");
  if (has(node, "target")) proj.target = reader.text(node["target"], path + ".target");
  const std::string rule = has(node, "rule") ? reader.choice(node["rule"], path + ".rule",
      {"all_to_all", "one_to_one", "fixed_probability", "fixed_indegree", "explicit"}) : "all_to_all";
  const auto only_with = [&](std::string_view key, std::string_view wanted) {
    if (has(node, key) && rule != wanted) {
      reader.fail(node[std::string(key)], join_path(path, key), "is used only with rule " + std::string(wanted));
    }
  };
  only_with("p", "fixed_probability");
  only_with("k", "fixed_indegree");
  only_with("pairs", "explicit");
  if (rule == "one_to_one") proj.rule = ConnectionRule::one_to_one;
  if (rule == "fixed_probability") {
    proj.rule = ConnectionRule::fixed_probability;
    const YAML::Node p = reader.required(node, path, "p");
    proj.p = reader.non_negative(p, path + ".p");
    if (proj.p > 1.0) reader.fail(p, path + ".p", "is a probability, must be <= 1, got " + format_number(proj.p));
  } else if (rule == "fixed_indegree") {
    proj.rule = ConnectionRule::fixed_indegree;
    proj.k = reader.positive_integer(reader.required(node, path, "k"), path + ".k");
  } else if (rule == "explicit") {
    proj.rule = ConnectionRule::explicit_list;
    const YAML::Node pairs = reader.required(node, path, "pairs");
    if (pairs.IsMap()) {
      proj.pairs_file = parse_hdf5_ref(pairs, path + ".pairs", context, false);
    } else {
      reader.expect_sequence(pairs, path + ".pairs");
      for (std::size_t i = 0; i < pairs.size(); ++i) {
        const std::string pair_path = path + ".pairs." + std::to_string(i);
        if (!pairs[i].IsSequence() || pairs[i].size() != 2) reader.fail(pairs[i], pair_path, "must be [pre, post]");
        const std::int64_t pre = reader.integer(pairs[i][0], pair_path + ".0");
        const std::int64_t post = reader.integer(pairs[i][1], pair_path + ".1");
        if (pre < 0 || post < 0) reader.fail(pairs[i], pair_path, "indices must be >= 0");
        proj.pairs.emplace_back(pre, post);
      }
    }
  }
  if (has(node, "weight")) proj.weight = parse_values(node["weight"], path + ".weight", context);
  if (has(node, "delay_ms")) {
    proj.delay_ms = reader.non_negative(node["delay_ms"], path + ".delay_ms");
    proj.delay_ticks = ticks_from_ms(node["delay_ms"], path + ".delay_ms", proj.delay_ms, context.dt_ms, reader);
  }
  return proj;
}

DenseLayerDescription parse_layer(const std::string& name, const YAML::Node& node, const ParseContext& context) {
  const YamlReader& reader = context.reader;
  const std::string path = "layers." + name;
  reader.expect_map(node, path, layer_keys());
  DenseLayerDescription layer;
  layer.name = name;
  const YAML::Node inputs = reader.required(node, path, "inputs");
  if (inputs.IsScalar()) {
    layer.inputs.push_back(reader.text(inputs, path + ".inputs"));
  } else {
    reader.expect_sequence(inputs, path + ".inputs");
    if (inputs.size() == 0) reader.fail(inputs, path + ".inputs", "needs at least one input");
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      layer.inputs.push_back(reader.text(inputs[i], path + ".inputs." + std::to_string(i)));
    }
  }
  layer.size = reader.size(reader.required(node, path, "size"), path + ".size");
  if (has(node, "activation")) layer.activation = reader.text(node["activation"], path + ".activation");
  if (has(node, "precision")) {
    layer.precision = reader.choice(node["precision"], path + ".precision", {"float32", "fixed"}) == "fixed"
                          ? Precision::fixed : Precision::float32;
  }
  if (has(node, "event")) {
    const YAML::Node event = node["event"];
    reader.expect_map(event, path + ".event", layer_event_keys());
    const std::string kind = reader.choice(reader.required(event, path + ".event", "kind"), path + ".event.kind",
                                           {"zero_skip", "delta"});
    layer.event_kind = kind == "delta" ? DenseEventKind::delta : DenseEventKind::zero_skip;
    if (has(event, "threshold")) {
      if (kind != "delta") reader.fail(event["threshold"], path + ".event.threshold", "is used only with kind delta");
      layer.event_threshold = reader.non_negative(event["threshold"], path + ".event.threshold");
    }
  }
  if (has(node, "period_ticks")) layer.period_ticks = reader.positive_integer(node["period_ticks"], path + ".period_ticks");
  if (has(node, "weights")) layer.weights = parse_values(node["weights"], path + ".weights", context, true, true);
  if (has(node, "bias")) {
    if (layer.weights && std::holds_alternative<Hdf5Ref>(*layer.weights) && !std::get<Hdf5Ref>(*layer.weights).group.empty()) {
      reader.fail(node["bias"], path + ".bias", "is already given by the weights group (its 'bias' dataset)");
    }
    layer.bias = parse_values(node["bias"], path + ".bias", context);
  }
  return layer;
}

BridgeUnitDescription parse_bridge_unit(const std::string& name, const YAML::Node& node, const ParseContext& context) {
  const YamlReader& reader = context.reader;
  const std::string path = "bridge." + name;
  reader.expect_map(node, path, bridge_keys());
  BridgeUnitDescription unit;
  unit.name = name;
  unit.kind = reader.text(reader.required(node, path, "kind"), path + ".kind");
  unit.input = reader.text(reader.required(node, path, "input"), path + ".input");
  if (has(node, "output")) unit.output = reader.text(node["output"], path + ".output");
  if (has(node, "size")) unit.size = reader.size(node["size"], path + ".size");
  if (has(node, "window_ticks")) unit.window_ticks = reader.positive_integer(node["window_ticks"], path + ".window_ticks");
  unit.parameters = reader.parameters(node["parameters"], path + ".parameters");
  return unit;
}

WireDescription parse_wire(const YAML::Node& node, const std::string& path, const ParseContext& context) {
  const YamlReader& reader = context.reader;
  reader.expect_map(node, path, wire_keys());
  WireDescription wire;
  wire.from = parse_node_port(reader.required(node, path, "from"), path + ".from", reader);
  wire.to = parse_node_port(reader.required(node, path, "to"), path + ".to", reader);
  if (has(node, "latency_ms") && has(node, "latency_ticks")) {
    reader.fail(node["latency_ticks"], path + ".latency_ticks", "give either latency_ms or latency_ticks, not both");
  }
  if (has(node, "latency_ticks")) {
    wire.latency_ticks = reader.integer(node["latency_ticks"], path + ".latency_ticks");
    if (wire.latency_ticks < 0) reader.fail(node["latency_ticks"], path + ".latency_ticks", "must be >= 0");
  }
  if (has(node, "latency_ms")) {
    const double latency_ms = reader.non_negative(node["latency_ms"], path + ".latency_ms");
    wire.latency_ticks = ticks_from_ms(node["latency_ms"], path + ".latency_ms", latency_ms, context.dt_ms, reader);
  }
  return wire;
}

ProbeDescription parse_probe(const YAML::Node& node, const std::string& path, const ParseContext& context) {
  const YamlReader& reader = context.reader;
  reader.expect_map(node, path, probe_keys());
  ProbeDescription probe;
  probe.node = reader.text(reader.required(node, path, "node"), path + ".node");
  probe.variable = reader.text(reader.required(node, path, "variable"), path + ".variable");
  if (has(node, "units") && !(node["units"].IsScalar() && node["units"].Scalar() == "all")) {
    reader.expect_sequence(node["units"], path + ".units");
    for (std::size_t i = 0; i < node["units"].size(); ++i) {
      const std::string unit_path = path + ".units." + std::to_string(i);
      probe.units.push_back(reader.integer(node["units"][i], unit_path));
      if (probe.units.back() < 0) reader.fail(node["units"][i], unit_path, "unit indices must be >= 0");
    }
  }
  if (has(node, "every_ticks")) probe.every_ticks = reader.positive_integer(node["every_ticks"], path + ".every_ticks");
  return probe;
}

NodePort parse_output(const YAML::Node& node, const std::string& path, const ParseContext& context) {
  return parse_node_port(node, path, context.reader);
}

// Appends parse(name, entry, context) for each entry of the named section `key`, in file order.
template <typename Item, typename Parse>
void parse_named(const YAML::Node& root, const std::string& key, const ParseContext& context,
                 std::vector<Item>& items, Parse parse) {
  if (!has(root, key)) return;
  const YAML::Node section = root[key];
  context.reader.expect_open_map(section, key);
  for (const auto& entry : section) items.push_back(parse(node_name(entry.first, key, context.reader), entry.second, context));
}

// Appends parse(entry, "key.index", context) for each entry of the list section `key`.
template <typename Item, typename Parse>
void parse_listed(const YAML::Node& root, const std::string& key, const ParseContext& context,
                  std::vector<Item>& items, Parse parse) {
  if (!has(root, key)) return;
  const YAML::Node list = root[key];
  context.reader.expect_sequence(list, key);
  for (std::size_t i = 0; i < list.size(); ++i) items.push_back(parse(list[i], key + "." + std::to_string(i), context));
}

}  // namespace

void parse_sections(YAML::Node root, const ParseContext& file_context, NetworkDescription& network) {
  const YamlReader& reader = file_context.reader;
  reader.expect_map(root, "", top_level_keys());
  if (has(root, "simulation")) parse_simulation(root["simulation"], file_context, network.simulation);
  ParseContext context = file_context;
  context.dt_ms = network.simulation.dt_ms;
  parse_named(root, "inputs", context, network.inputs, parse_input);
  parse_named(root, "populations", context, network.populations, parse_population);
  parse_named(root, "projections", context, network.projections, parse_projection);
  parse_named(root, "layers", context, network.layers, parse_layer);
  parse_named(root, "bridge", context, network.bridge, parse_bridge_unit);
  parse_listed(root, "wires", context, network.wires, parse_wire);
  parse_listed(root, "outputs", context, network.outputs, parse_output);
  parse_listed(root, "probes", context, network.probes, parse_probe);
  if (has(root, "environment")) {
    const YAML::Node env = root["environment"];
    reader.expect_map(env, "environment", environment_keys());
    network.environment = EnvironmentDescription{
        node_name(reader.required(env, "environment", "name"), "environment.name", reader),
        reader.parameters(env["parameters"], "environment.parameters")};
  }
}

}  // namespace tandem::io
