// Section parsers: structure, types, finite numbers, bounded sizes, resolved file paths.
// Cross-section checks (references, shapes, cycles) are in network_checks.cpp.
#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/worker_pool.hpp"
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
  if (const InlineArray* array = reader.array(node, path, allow_matrix ? 2 : 1)) {
    if (array->shape.size() == 1) return array->values;
    return Matrix{static_cast<std::int64_t>(array->shape[0]), static_cast<std::int64_t>(array->shape[1]), array->values};
  }
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

// {distribution: uniform, low, high} | {distribution: normal, mean, sd}; `suffix` names the
// keys' unit ("_ms" for delays: low_ms, high_ms).
Distribution parse_distribution(const YAML::Node& node, std::string_view path, const YamlReader& reader,
                                std::string_view suffix = "") {
  const std::string kind =
      reader.choice(reader.required(node, path, "distribution"), join_path(path, "distribution"), {"uniform", "normal"});
  const std::string low = "low" + std::string(suffix), high = "high" + std::string(suffix);
  const std::string mean = "mean" + std::string(suffix), sd = "sd" + std::string(suffix);
  Distribution distribution{kind, 0.0, 0.0};
  if (kind == "uniform") {
    reader.expect_map(node, path, {"distribution", low, high});
    distribution.a = reader.number(reader.required(node, path, low), join_path(path, low));
    distribution.b = reader.number(reader.required(node, path, high), join_path(path, high));
    if (!(distribution.b >= distribution.a)) {
      reader.fail(node[high], join_path(path, high), "must be >= " + low + " (" + format_number(distribution.a) + ")");
    }
  } else {
    reader.expect_map(node, path, {"distribution", mean, sd});
    distribution.a = reader.number(reader.required(node, path, mean), join_path(path, mean));
    distribution.b = reader.non_negative(reader.required(node, path, sd), join_path(path, sd));
  }
  return distribution;
}

bool is_distribution(const YAML::Node& node) { return node.IsMap() && has(node, "distribution"); }

// number | [numbers] | {file, dataset} | {distribution: …}
DrawnValues parse_drawn(const YAML::Node& node, std::string_view path, const ParseContext& context) {
  if (const InlineArray* array = context.reader.array(node, path)) return array->values;
  if (is_distribution(node)) return parse_distribution(node, path, context.reader);
  if (node.IsMap()) return parse_hdf5_ref(node, path, context, false);
  if (node.IsSequence()) return context.reader.numbers(node, path);
  if (node.IsScalar()) {
    if (double ignored = 0.0; !YAML::convert<double>::decode(node, ignored)) {
      context.reader.fail(node, path, "must be a number, a list with one per neuron, {file, dataset} or "
                                      "{distribution: uniform|normal, ...}, got '" + node.Scalar() + "'");
    }
  }
  return context.reader.number(node, path);
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

// One mapping of the file with its key path: reads keys and names "path.key" in errors.
class Fields {
 public:
  Fields(const YamlReader& reader, YAML::Node node, std::string path, const Keys& known)
      : reader_(reader), node_(std::move(node)), path_(std::move(path)) {
    reader_.expect_map(node_, path_, known);
  }
  [[nodiscard]] bool has(std::string_view key) const { return io::has(node_, key); }
  [[nodiscard]] YAML::Node at(std::string_view key) const { return node_[std::string(key)]; }
  [[nodiscard]] std::string path(std::string_view key) const { return join_path(path_, key); }
  [[noreturn]] void fail(std::string_view key, std::string_view problem) const { reader_.fail(at(key), path(key), problem); }
  [[nodiscard]] YAML::Node required(std::string_view key) const { return reader_.required(node_, path_, key); }
  [[nodiscard]] std::string text(std::string_view key) const { return reader_.text(required(key), path(key)); }
  void text(std::string_view key, std::string& value) const {
    if (has(key)) value = reader_.text(at(key), path(key));
  }
  [[nodiscard]] std::int64_t size(std::string_view key) const { return reader_.size(required(key), path(key)); }
  void size(std::string_view key, std::int64_t& value) const {
    if (has(key)) value = reader_.size(at(key), path(key));
  }
  void positive_integer(std::string_view key, std::int64_t& value) const {
    if (has(key)) value = reader_.positive_integer(at(key), path(key));
  }
  [[nodiscard]] std::string choice(std::string_view key, const Keys& allowed, std::string fallback) const {
    return has(key) ? reader_.choice(at(key), path(key), allowed) : fallback;
  }
  [[nodiscard]] ParameterMap parameters(std::string_view key) const { return reader_.parameters(at(key), path(key)); }
  [[nodiscard]] NodePort node_port(std::string_view key) const;
  [[nodiscard]] const YamlReader& reader() const { return reader_; }

 private:
  const YamlReader& reader_;
  YAML::Node node_;
  std::string path_;
};

NodePort Fields::node_port(std::string_view key) const { return parse_node_port(required(key), path(key), reader_); }

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
  if (has(node, "threads")) {
    const std::int64_t threads = reader.integer(node["threads"], "simulation.threads");
    if (threads < 1 || threads > static_cast<std::int64_t>(WorkerPool::max_threads)) {
      reader.fail(node["threads"], "simulation.threads",
                  "the thread count must be between 1 and " + std::to_string(WorkerPool::max_threads) + ", got " +
                      std::to_string(threads));
    }
    sim.threads = static_cast<std::size_t>(threads);
  }
  if (has(node, "mode")) {
    sim.mode = parse_execution_mode(reader.choice(node["mode"], "simulation.mode", {"event", "always-on"}));
  }
  if (has(node, "precision")) {
    sim.precision = *precision_from_name(reader.choice(node["precision"], "simulation.precision", precision_names()));
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
  if (kind == "poisson" || kind == "poisson_drive") {
    const YAML::Node rate = reader.required(node, path, "rate_hz");
    PoissonInput poisson{parse_values(rate, path + ".rate_hz", context)};
    require_non_negative(poisson.rate_hz, rate, path + ".rate_hz", reader);
    if (kind == "poisson_drive") {
      const auto* single = std::get_if<double>(&poisson.rate_hz);
      if (single == nullptr) reader.fail(rate, path + ".rate_hz", "a poisson_drive has one rate for all units (a number)");
      input.source = PoissonDriveInput{*single};
    } else {
      input.source = poisson;
    }
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
  } else if (kind == "external") {
    input.source = ExternalValuesInput{};
  } else {
    input.source = CurrentInput{parse_values(reader.required(node, path, "value"), path + ".value", context)};
  }
  return input;
}

PopulationDescription parse_population(const std::string& name, const YAML::Node& node, const ParseContext& context) {
  const Fields fields(context.reader, node, "populations." + name, population_keys());
  // Parameters given as {file, dataset} or {distribution: …} are drawn per neuron; the rest are
  // typed values for the model.
  YAML::Node plain(YAML::NodeType::Map);
  DrawnMap drawn;
  if (fields.has("parameters")) {
    const YAML::Node parameters = fields.at("parameters");
    context.reader.expect_open_map(parameters, fields.path("parameters"));
    for (const auto& entry : parameters) {
      const std::string key = entry.first.Scalar();
      if (entry.second.IsMap()) {
        drawn[key] = parse_drawn(entry.second, join_path(fields.path("parameters"), key), context);
      } else {
        plain[entry.first] = entry.second;
      }
    }
  }
  PopulationDescription population{name, fields.text("model"), fields.size("size"),
                                   context.reader.parameters(plain, fields.path("parameters")), std::move(drawn),
                                   fields.choice("reset", {"value", "subtract"}, "value"), {}};
  if (fields.has("initial")) {
    const YAML::Node initial = fields.at("initial");
    context.reader.expect_open_map(initial, fields.path("initial"));
    for (const auto& entry : initial) {
      const std::string key = entry.first.Scalar();
      population.initial[key] = parse_drawn(entry.second, join_path(fields.path("initial"), key), context);
    }
  }
  if (fields.has("precision")) population.precision = *precision_from_name(fields.choice("precision", precision_names(), ""));
  return population;
}

// `delay_ms`: a number, one per synapse (inline or {file, dataset}: explicit lists), or
// {distribution: uniform, low_ms, high_ms} drawn in whole ticks; each at least one tick.
void parse_delay(const Fields& fields, const ParseContext& context, ProjectionDescription& proj) {
  const YamlReader& reader = context.reader;
  const YAML::Node node = fields.at("delay_ms");
  const std::string path = fields.path("delay_ms");
  const auto at_least_one_tick = [&](const YAML::Node& at, const std::string& at_path, double ms) {
    if (ms <= 0.0) {
      reader.fail(at, at_path, "must be at least one tick (dt_ms = " + format_number(context.dt_ms) + "), got " +
                                   format_number(ms) + ": a spike reaches its targets one tick after it is fired at the "
                                   "soonest, and engines step in epochs as long as the shortest delay");
    }
    return ticks_from_ms(at, at_path, ms, context.dt_ms, reader);
  };
  if (is_distribution(node)) {
    const Distribution distribution = parse_distribution(node, path, reader, "_ms");
    if (distribution.kind != "uniform") {
      reader.fail(node["distribution"], join_path(path, "distribution"), "delays are drawn uniform in whole ticks");
    }
    at_least_one_tick(node["low_ms"], join_path(path, "low_ms"), distribution.a);
    at_least_one_tick(node["high_ms"], join_path(path, "high_ms"), distribution.b);
    proj.delay_distribution = distribution;
    proj.delay_ms = distribution.a;
    proj.delay_ticks = ticks_from_ms(node["low_ms"], join_path(path, "low_ms"), distribution.a, context.dt_ms, reader);
    return;
  }
  if (node.IsMap() || node.IsSequence()) {
    const ValueSource values = parse_values(node, path, context);
    if (const auto* list = std::get_if<std::vector<double>>(&values)) {
      for (std::size_t i = 0; i < list->size(); ++i) {
        at_least_one_tick(node.IsSequence() ? node[i] : node, join_path(path, std::to_string(i)), (*list)[i]);
      }
    }
    proj.delays_ms = values;
    return;
  }
  proj.delay_ms = reader.number(node, path);
  proj.delay_ticks = at_least_one_tick(node, path, proj.delay_ms);
}

ProjectionDescription parse_projection(const std::string& name, const YAML::Node& node, const ParseContext& context) {
  const YamlReader& reader = context.reader;
  const Fields fields(reader, node, "projections." + name, projection_keys());
  ProjectionDescription proj;
  proj.name = name;
  proj.from = fields.text("from");
  proj.to = fields.text("to");
  fields.text("target", proj.target);
  const std::string rule = fields.choice(
      "rule", {"all_to_all", "one_to_one", "fixed_probability", "fixed_indegree", "explicit"}, "all_to_all");
  for (const auto& [key, wanted] :
       {std::pair{"p", "fixed_probability"}, {"k", "fixed_indegree"}, {"pairs", "explicit"}, {"synapses", "explicit"}}) {
    if (fields.has(key) && rule != wanted) fields.fail(key, "is used only with rule " + std::string(wanted));
  }
  if (rule == "one_to_one") proj.rule = ConnectionRule::one_to_one;
  if (rule == "fixed_probability") {
    proj.rule = ConnectionRule::fixed_probability;
    proj.p = reader.non_negative(fields.required("p"), fields.path("p"));
    if (proj.p > 1.0) fields.fail("p", "is a probability, must be <= 1, got " + format_number(proj.p));
  } else if (rule == "fixed_indegree") {
    proj.rule = ConnectionRule::fixed_indegree;
    proj.k = reader.positive_integer(fields.required("k"), fields.path("k"));
  } else if (rule == "explicit") {
    proj.rule = ConnectionRule::explicit_list;
    if (fields.has("pairs") == fields.has("synapses")) {
      reader.fail(node, fields.path("rule"), "rule explicit needs exactly one of 'pairs' or 'synapses' (a file)");
    }
    if (fields.has("synapses")) {
      const std::string synapses_path = fields.path("synapses");
      const YAML::Node synapses = fields.at("synapses");
      if (!synapses.IsMap()) {
        reader.fail(synapses, synapses_path, "must be {file: x.h5, group: /g}, {file: x.npy} or {file: x.csv}");
      }
      reader.expect_map(synapses, synapses_path, {"file", "group"});
      Hdf5Ref ref;
      ref.file = resolve_file(synapses, synapses_path, context);
      const std::string extension = ref.file.extension().string();
      if (has(synapses, "group")) ref.group = reader.text(synapses["group"], join_path(synapses_path, "group"));
      if (extension == ".npy" || extension == ".csv") {
        if (!ref.group.empty()) reader.fail(synapses["group"], join_path(synapses_path, "group"), "is for HDF5 files only");
      } else if (ref.group.empty()) {
        ref.group = "/";
      }
      proj.synapses_file = ref;
    }
    const YAML::Node pairs = fields.at("pairs");
    const InlineArray* pair_array = fields.has("pairs") ? reader.array(pairs, fields.path("pairs"), 2) : nullptr;
    if (!fields.has("pairs")) {
      // synapses from a file
    } else if (pair_array != nullptr) {
      if (pair_array->shape.size() != 2 || pair_array->shape[1] != 2) {
        reader.fail(pairs, fields.path("pairs"), "must be an array [synapses x 2] of (pre, post)");
      }
      for (std::size_t i = 0; i < pair_array->shape[0]; ++i) {
        const double pre = pair_array->values[2 * i], post = pair_array->values[2 * i + 1];
        if (pre != std::floor(pre) || post != std::floor(post) || pre < 0 || post < 0 || pre > 9e18 || post > 9e18) {
          reader.fail(pairs, join_path(fields.path("pairs"), std::to_string(i)),
                      "indices must be whole numbers >= 0, got (" + format_number(pre) + ", " + format_number(post) + ")");
        }
        proj.pairs.emplace_back(static_cast<std::int64_t>(pre), static_cast<std::int64_t>(post));
      }
    } else if (pairs.IsMap()) {
      proj.pairs_file = parse_hdf5_ref(pairs, fields.path("pairs"), context, false);
    } else {
      reader.expect_sequence(pairs, fields.path("pairs"));
      for (std::size_t i = 0; i < pairs.size(); ++i) {
        const std::string pair_path = join_path(fields.path("pairs"), std::to_string(i));
        if (!pairs[i].IsSequence() || pairs[i].size() != 2) reader.fail(pairs[i], pair_path, "must be [pre, post]");
        const std::int64_t pre = reader.integer(pairs[i][0], pair_path + ".0");
        const std::int64_t post = reader.integer(pairs[i][1], pair_path + ".1");
        if (pre < 0 || post < 0) reader.fail(pairs[i], pair_path, "indices must be >= 0");
        proj.pairs.emplace_back(pre, post);
      }
    }
  }
  proj.weight_given = fields.has("weight");
  proj.delay_given = fields.has("delay_ms");
  if (fields.has("weight")) {
    if (is_distribution(fields.at("weight"))) {
      proj.weight_distribution = parse_distribution(fields.at("weight"), fields.path("weight"), reader);
    } else {
      proj.weight = parse_values(fields.at("weight"), fields.path("weight"), context);
    }
  }
  // Unset: one tick. A spike crosses a projection in at least one tick (the engine reads the
  // inputs of tick t before its neurons spike at t), so 0 is refused rather than rounded up.
  proj.delay_ms = context.dt_ms;
  proj.delay_ticks = 1;
  if (fields.has("delay_ms")) parse_delay(fields, context, proj);
  return proj;
}

DenseLayerDescription parse_layer(const std::string& name, const YAML::Node& node, const ParseContext& context) {
  const YamlReader& reader = context.reader;
  const Fields fields(reader, node, "layers." + name, layer_keys());
  DenseLayerDescription layer;
  layer.name = name;
  const YAML::Node inputs = fields.required("inputs");
  if (inputs.IsScalar()) {
    layer.inputs.push_back(fields.text("inputs"));
  } else {
    reader.expect_sequence(inputs, fields.path("inputs"));
    if (inputs.size() == 0) fields.fail("inputs", "needs at least one input");
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      layer.inputs.push_back(reader.text(inputs[i], join_path(fields.path("inputs"), std::to_string(i))));
    }
  }
  layer.size = fields.size("size");
  fields.text("activation", layer.activation);
  if (fields.has("precision")) layer.precision = *precision_from_name(fields.choice("precision", precision_names(), ""));
  if (fields.has("event")) {
    const Fields event(reader, fields.at("event"), fields.path("event"), layer_event_keys());
    const std::string kind = reader.choice(event.required("kind"), event.path("kind"), {"zero_skip", "delta"});
    layer.event_kind = kind == "delta" ? DenseEventKind::delta : DenseEventKind::zero_skip;
    if (event.has("threshold")) {
      if (kind != "delta") event.fail("threshold", "is used only with kind delta");
      layer.event_threshold = reader.non_negative(event.at("threshold"), event.path("threshold"));
    }
  }
  fields.positive_integer("period_ticks", layer.period_ticks);
  if (fields.has("phase_ticks")) {
    layer.phase_ticks = reader.integer(fields.at("phase_ticks"), fields.path("phase_ticks"));
    if (layer.phase_ticks < 0 || layer.phase_ticks >= layer.period_ticks) {
      fields.fail("phase_ticks", "must be in [0, period_ticks = " + std::to_string(layer.period_ticks) + "), got " +
                                     std::to_string(layer.phase_ticks));
    }
  }
  if (fields.has("weights")) layer.weights = parse_values(fields.at("weights"), fields.path("weights"), context, true, true);
  if (fields.has("bias")) {
    const auto* ref = layer.weights ? std::get_if<Hdf5Ref>(&*layer.weights) : nullptr;
    if (ref != nullptr && !ref->group.empty()) fields.fail("bias", "is already given by the weights group (its 'bias' dataset)");
    layer.bias = parse_values(fields.at("bias"), fields.path("bias"), context);
  }
  return layer;
}

BridgeUnitDescription parse_bridge_unit(const std::string& name, const YAML::Node& node, const ParseContext& context) {
  const Fields fields(context.reader, node, "bridge." + name, bridge_keys());
  BridgeUnitDescription unit{name, fields.text("kind"), fields.text("input"), "", 0, 1, fields.parameters("parameters")};
  fields.text("output", unit.output);
  fields.size("size", unit.size);
  fields.positive_integer("window_ticks", unit.window_ticks);
  return unit;
}

SubnetworkDescription parse_subnetwork(const std::string& name, const YAML::Node& node, const ParseContext& context) {
  const std::string path = "subnetworks." + name;
  const Fields fields(context.reader, node, path, subnetwork_keys());
  SubnetworkDescription subnetwork{name, fields.text("nir")};
  if (subnetwork.nir.is_relative()) subnetwork.nir = context.base_dir / subnetwork.nir;
  subnetwork.nir = subnetwork.nir.lexically_normal();
  std::error_code error;
  if (!std::filesystem::is_regular_file(subnetwork.nir, error)) fields.fail("nir", "file not found: " + subnetwork.nir.string());
  YAML::Node resolved = node;  // shares the document: the resolved configuration records where the graph came from
  resolved["nir"] = subnetwork.nir.string();
  subnetwork.reset = fields.choice("reset", {"zero", "subtract"}, "zero");
  if (fields.has("precision")) subnetwork.precision = *precision_from_name(fields.choice("precision", precision_names(), ""));
  if (fields.has("loihi_scale")) subnetwork.loihi_scale = context.reader.non_negative(fields.at("loihi_scale"), fields.path("loihi_scale"));
  return subnetwork;
}

WireDescription parse_wire(const YAML::Node& node, const std::string& path, const ParseContext& context) {
  const Fields fields(context.reader, node, path, wire_keys());
  WireDescription wire{fields.node_port("from"), fields.node_port("to"), 1};
  if (fields.has("latency_ms") && fields.has("latency_ticks")) {
    fields.fail("latency_ticks", "give either latency_ms or latency_ticks, not both");
  }
  if (fields.has("latency_ticks")) {
    wire.latency_ticks = context.reader.integer(fields.at("latency_ticks"), fields.path("latency_ticks"));
    if (wire.latency_ticks < 0) fields.fail("latency_ticks", "must be >= 0");
  }
  if (fields.has("latency_ms")) {
    const double latency_ms = context.reader.non_negative(fields.at("latency_ms"), fields.path("latency_ms"));
    wire.latency_ticks = ticks_from_ms(fields.at("latency_ms"), fields.path("latency_ms"), latency_ms, context.dt_ms,
                                       context.reader);
  }
  return wire;
}

ProbeDescription parse_probe(const YAML::Node& node, const std::string& path, const ParseContext& context) {
  const Fields fields(context.reader, node, path, probe_keys());
  ProbeDescription probe{fields.text("node"), fields.text("variable"), {}, 1};
  const YAML::Node units = fields.at("units");
  if (fields.has("units") && !(units.IsScalar() && units.Scalar() == "all")) {
    context.reader.expect_sequence(units, fields.path("units"));
    for (std::size_t i = 0; i < units.size(); ++i) {
      const std::string unit_path = join_path(fields.path("units"), std::to_string(i));
      probe.units.push_back(context.reader.integer(units[i], unit_path));
      if (probe.units.back() < 0) context.reader.fail(units[i], unit_path, "unit indices must be >= 0");
    }
  }
  fields.positive_integer("every_ticks", probe.every_ticks);
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

// `placement: {node: [core, …]}`: nodes pinned to physical cores (core/core_mapping.hpp). The node
// must be one the chip places (an input, population, layer or bridge unit); whether the cores
// exist and have room depends on the chip, checked when the run is mapped.
void parse_placement(const YAML::Node& section, const YamlReader& reader, NetworkDescription& network) {
  reader.expect_open_map(section, "placement");
  std::set<std::string> placed;
  for (const auto& input : network.inputs) placed.insert(input.name);
  for (const auto& population : network.populations) placed.insert(population.name);
  for (const auto& layer : network.layers) placed.insert(layer.name);
  for (const auto& unit : network.bridge) placed.insert(unit.name);
  for (const auto& entry : section) {
    const std::string name = entry.first.Scalar();
    const std::string path = "placement." + name;
    if (!placed.contains(name)) {
      reader.fail(entry.first, path, "no input, population, layer or bridge unit of that name (projections live on "
                                     "their target population's cores)");
    }
    reader.expect_sequence(entry.second, path);
    if (entry.second.size() == 0) reader.fail(entry.second, path, "needs at least one core");
    std::vector<std::size_t> cores;
    for (std::size_t i = 0; i < entry.second.size(); ++i) {
      const std::string core_path = join_path(path, std::to_string(i));
      const std::int64_t core = reader.integer(entry.second[i], core_path);
      if (core < 0) reader.fail(entry.second[i], core_path, "a core index is >= 0, got " + std::to_string(core));
      if (std::find(cores.begin(), cores.end(), static_cast<std::size_t>(core)) != cores.end()) {
        reader.fail(entry.second[i], core_path, "core " + std::to_string(core) + " is named twice");
      }
      cores.push_back(static_cast<std::size_t>(core));
    }
    network.placement[name] = std::move(cores);
  }
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
  parse_named(root, "subnetworks", context, network.subnetworks, parse_subnetwork);
  parse_listed(root, "wires", context, network.wires, parse_wire);
  parse_listed(root, "outputs", context, network.outputs, parse_output);
  parse_listed(root, "probes", context, network.probes, parse_probe);
  if (has(root, "placement")) parse_placement(root["placement"], reader, network);
  if (has(root, "environment")) {
    const YAML::Node env = root["environment"];
    reader.expect_map(env, "environment", environment_keys());
    network.environment = EnvironmentDescription{
        node_name(reader.required(env, "environment", "name"), "environment.name", reader),
        reader.parameters(env["parameters"], "environment.parameters")};
  }
}

}  // namespace tandem::io
