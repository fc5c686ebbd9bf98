#include "core/chip_model.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include "core/error.hpp"

namespace tandem {
namespace {

// Reads chip YAML, producing errors of the form "<file>: line N: key 'a.b': problem".
class ChipReader {
 public:
  explicit ChipReader(std::string origin) : origin_(std::move(origin)) {}

  [[noreturn]] void fail(const YAML::Node& node, const std::string& key,
                         const std::string& problem) const {
    std::string where = origin_;
    if (node.IsDefined() && node.Mark().line >= 0) {
      where += ": line " + std::to_string(node.Mark().line + 1);
    }
    throw InputError(where + ": key '" + key + "': " + problem);
  }

  YAML::Node require(const YAML::Node& parent, const std::string& key, const std::string& path) const {
    const YAML::Node child = parent[key];
    if (!child.IsDefined() || child.IsNull()) fail(parent, path, "missing");
    return child;
  }

  double number(const YAML::Node& node, const std::string& path) const {
    if (!node.IsScalar()) fail(node, path, "expected a number");
    double value = 0.0;
    try {
      value = node.as<double>();
    } catch (const YAML::Exception&) {
      fail(node, path, "expected a number, got '" + node.Scalar() + "'");
    }
    if (!std::isfinite(value)) fail(node, path, "must be finite, got " + format_number(value));
    if (value < 0.0) fail(node, path, "must not be negative, got " + format_number(value));
    return value;
  }

  std::size_t count(const YAML::Node& node, const std::string& path) const {
    const double value = number(node, path);
    if (value < 1.0 || value != std::floor(value)) {
      fail(node, path, "must be a whole number >= 1, got " + format_number(value));
    }
    // 2^40 is beyond any core or mesh; refusing above it keeps the conversion defined.
    if (value > 0x1p40) fail(node, path, "is " + format_number(value) + ", above 2^40, which would exhaust memory");
    return static_cast<std::size_t>(value);
  }

  std::string text(const YAML::Node& parent, const std::string& key) const {
    const YAML::Node child = parent[key];
    if (!child.IsDefined() || child.IsNull()) return {};
    if (!child.IsScalar()) fail(child, key, "expected text");
    return child.Scalar();
  }

  void reject_unknown(const YAML::Node& map, const std::set<std::string>& known,
                      const std::string& prefix) const {
    for (const auto& entry : map) {
      const auto key = entry.first.Scalar();
      if (!known.contains(key)) fail(entry.first, prefix + key, "unknown key");
    }
  }

 private:
  std::string origin_;
};

// A table keyed by op name (costs_pj, timing.latency_ns): one figure per op, plus the hop by
// direction. The undirected `hops` figure defaults to the mean of the two directions, and the
// directions to `hops`. `hops_inter_chip` is the legacy form of the inter_chip_link block.
struct OpTable {
  std::array<double, op_kind_count> per_op{};
  double east_west = 0.0;
  double north_south = 0.0;
  std::optional<double> inter_chip;
  YAML::Node inter_chip_node;  // where the legacy key was given, for errors
};

OpTable read_op_table(const ChipReader& reader, const YAML::Node& table, const std::string& key_path,
                      const std::string& unit) {
  if (!table.IsMap()) reader.fail(table, key_path, "expected a map of op name -> " + unit);
  OpTable out;
  bool has_hop = false;
  bool has_east_west = false;
  bool has_north_south = false;
  for (const auto& entry : table) {
    const std::string key = entry.first.Scalar();
    const std::string path = key_path + "." + key;
    const double value = reader.number(entry.second, path);
    Op op{};
    if (key == "hops_east_west") {
      out.east_west = value;
      has_east_west = true;
    } else if (key == "hops_north_south") {
      out.north_south = value;
      has_north_south = true;
    } else if (key == "hops_inter_chip") {
      out.inter_chip = value;
      out.inter_chip_node = entry.first;
    } else if (op_from_name(key, op)) {
      out.per_op[static_cast<std::size_t>(op)] = value;
      has_hop = has_hop || op == Op::hop;
    } else {
      reader.fail(entry.first, path,
                  "unknown op name (expected one of the op names in docs/energy.md, or "
                  "hops_east_west, hops_north_south, hops_inter_chip)");
    }
  }
  if (has_east_west != has_north_south) {
    reader.fail(table, key_path, "give both hops_east_west and hops_north_south, or neither");
  }
  const std::size_t hop = static_cast<std::size_t>(Op::hop);
  if (has_east_west && !has_hop) {
    out.per_op[hop] = 0.5 * (out.east_west + out.north_south);
  } else if (!has_east_west) {
    out.east_west = out.per_op[hop];
    out.north_south = out.per_op[hop];
  }
  return out;
}

// A map of op name -> reason (unpriced, timing.untimed); an op given a figure in `figures`
// may not also have a reason.
std::map<std::string, std::string> read_reasons(const ChipReader& reader, const YAML::Node& node,
                                                const std::string& key_path,
                                                const std::array<double, op_kind_count>& figures,
                                                const std::string& figure_table) {
  if (!node.IsMap()) reader.fail(node, key_path, "expected a map of op name -> reason");
  std::map<std::string, std::string> reasons;
  for (const auto& entry : node) {
    const std::string key = entry.first.Scalar();
    const std::string path = key_path + "." + key;
    Op op{};
    if (!op_from_name(key, op)) reader.fail(entry.first, path, "unknown op name (the op names of docs/energy.md)");
    if (!entry.second.IsScalar() || entry.second.Scalar().empty()) reader.fail(entry.second, path, "expected the reason, as text");
    if (figures[static_cast<std::size_t>(op)] != 0.0) {
      reader.fail(entry.first, path, "has a figure in " + figure_table + " too: give it a figure or a reason, not both");
    }
    reasons[key] = entry.second.Scalar();
  }
  return reasons;
}

std::string required_text(const ChipReader& reader, const YAML::Node& parent, const std::string& key,
                          const std::string& path) {
  const YAML::Node node = reader.require(parent, key, path);
  if (!node.IsScalar() || node.Scalar().empty()) reader.fail(node, path, "expected non-empty text");
  return node.Scalar();
}

StaticPower read_static_power(const ChipReader& reader, const YAML::Node& node) {
  if (!node.IsMap()) reader.fail(node, "static_power", "expected {core_active_w, core_idle_w, unused_cores, source}");
  reader.reject_unknown(node, {"core_active_w", "core_idle_w", "unused_cores", "source"}, "static_power.");
  StaticPower power;
  power.core_active_w = reader.number(reader.require(node, "core_active_w", "static_power.core_active_w"),
                                      "static_power.core_active_w");
  power.core_idle_w = reader.number(reader.require(node, "core_idle_w", "static_power.core_idle_w"),
                                    "static_power.core_idle_w");
  const std::string unused = required_text(reader, node, "unused_cores", "static_power.unused_cores");
  if (unused != "power_gated" && unused != "idle") {
    reader.fail(node["unused_cores"], "static_power.unused_cores", "expected power_gated or idle, got '" + unused + "'");
  }
  power.unused_cores_power_gated = unused == "power_gated";
  power.source = required_text(reader, node, "source", "static_power.source");
  return power;
}

HostProcessor read_host(const ChipReader& reader, const YAML::Node& node) {
  if (!node.IsMap()) reader.fail(node, "host", "expected a map (docs/energy.md \"Host offload\")");
  reader.reject_unknown(node, {"name", "source", "costs_pj", "unpriced", "latency_ns", "transfer_pj", "transfer_ns"},
                        "host.");
  HostProcessor host;
  host.present = true;
  host.name = required_text(reader, node, "name", "host.name");
  host.source = required_text(reader, node, "source", "host.source");
  host.cost_pj = read_op_table(reader, reader.require(node, "costs_pj", "host.costs_pj"), "host.costs_pj", "pJ").per_op;
  if (const YAML::Node unpriced = node["unpriced"]) {
    host.unpriced = read_reasons(reader, unpriced, "host.unpriced", host.cost_pj, "host.costs_pj");
  }
  host.latency_ns =
      read_op_table(reader, reader.require(node, "latency_ns", "host.latency_ns"), "host.latency_ns", "ns").per_op;
  host.transfer_pj = reader.number(reader.require(node, "transfer_pj", "host.transfer_pj"), "host.transfer_pj");
  host.transfer_ns = reader.number(reader.require(node, "transfer_ns", "host.transfer_ns"), "host.transfer_ns");
  return host;
}

ChipTiming read_timing(const ChipReader& reader, const YAML::Node& node, OpTable& latencies_out) {
  if (!node.IsMap()) reader.fail(node, "timing", "expected a map (docs/energy.md \"Time\")");
  reader.reject_unknown(node, {"source", "latency_ns", "packet_receive_ns", "untimed", "core_pipelines", "sync_ns",
                         "sync_ns_by_tiles", "sync_lookup"},
                        "timing.");
  ChipTiming timing;
  timing.modelled = true;
  timing.source = required_text(reader, node, "source", "timing.source");
  const OpTable latencies =
      read_op_table(reader, reader.require(node, "latency_ns", "timing.latency_ns"), "timing.latency_ns", "ns");
  timing.latency_ns = latencies.per_op;
  latencies_out = latencies;
  timing.hop_east_west_ns = latencies.east_west;
  timing.hop_north_south_ns = latencies.north_south;
  if (const YAML::Node receive = node["packet_receive_ns"]) {
    timing.packet_receive_ns = reader.number(receive, "timing.packet_receive_ns");
  }
  if (const YAML::Node untimed = node["untimed"]) {
    timing.untimed = read_reasons(reader, untimed, "timing.untimed", timing.latency_ns, "timing.latency_ns");
  }
  if (const YAML::Node pipelines = node["core_pipelines"]) {
    if (!pipelines.IsScalar() || (pipelines.Scalar() != "serial" && pipelines.Scalar() != "overlapped")) {
      reader.fail(pipelines, "timing.core_pipelines", "expected serial or overlapped");
    }
    timing.pipelines_overlap = pipelines.Scalar() == "overlapped";
  }
  const YAML::Node single = node["sync_ns"];
  const YAML::Node table = node["sync_ns_by_tiles"];
  if (single && table) reader.fail(table, "timing.sync_ns_by_tiles", "give sync_ns or sync_ns_by_tiles, not both");
  if (single) {
    timing.sync_ns_by_tiles.emplace_back(1.0, reader.number(single, "timing.sync_ns"));
  } else if (table) {
    if (!table.IsMap() || table.size() == 0) {
      reader.fail(table, "timing.sync_ns_by_tiles", "expected a map of tiles in use -> ns, e.g. {1: 600, 4: 1400}");
    }
    for (const auto& entry : table) {
      const std::string path = "timing.sync_ns_by_tiles." + entry.first.Scalar();
      const double tiles = static_cast<double>(reader.count(entry.first, path));
      timing.sync_ns_by_tiles.emplace_back(tiles, reader.number(entry.second, path));
    }
    std::sort(timing.sync_ns_by_tiles.begin(), timing.sync_ns_by_tiles.end());
  }
  if (const YAML::Node lookup = node["sync_lookup"]) {
    if (!lookup.IsScalar() || (lookup.Scalar() != "linear" && lookup.Scalar() != "step")) {
      reader.fail(lookup, "timing.sync_lookup", "expected linear or step");
    }
    timing.sync_steps = lookup.Scalar() == "step";
  }
  return timing;
}

// The inter_chip_link block, or its legacy form (costs_pj.hops_inter_chip and
// timing.latency_ns.hops_inter_chip), or neither: a crossing then costs an on-chip hop. Giving
// the block and a legacy key is an error naming what to remove.
InterChipLink read_link(const ChipReader& reader, const YAML::Node& node, const OpTable& costs,
                        const OpTable& latencies, const ChipModel& chip, const std::string& origin) {
  InterChipLink link;
  if (!node) {
    if (costs.inter_chip || latencies.inter_chip) {
      link.origin = InterChipLink::Origin::legacy_keys;
      link.energy_pj = costs.inter_chip.value_or(chip.cost(Op::hop));
      link.latency_ns = latencies.inter_chip.value_or(chip.timing.latency(Op::hop));
      link.source = "legacy keys hops_inter_chip in " + origin + " (one crossing; a key not given: as an on-chip hop)";
    } else {
      link.energy_pj = chip.cost(Op::hop);
      link.latency_ns = chip.timing.latency(Op::hop);
      link.source = "not given in " + origin + ": a crossing is priced and timed as an on-chip hop (no inter_chip_link block)";
    }
    return link;
  }
  for (const OpTable* table : {&costs, &latencies}) {
    if (table->inter_chip) {
      const std::string key = table == &costs ? "costs_pj.hops_inter_chip" : "timing.latency_ns.hops_inter_chip";
      reader.fail(table->inter_chip_node, key,
                  "replaced by the inter_chip_link block, which this file also has: remove " + key +
                      " (inter_chip_link.energy_pj_per_packet and .latency_ns hold its figure)");
    }
  }
  if (!node.IsMap()) reader.fail(node, "inter_chip_link", "expected a map (docs/energy.md \"Inter-chip links\")");
  link.origin = InterChipLink::Origin::block;
  if (const YAML::Node reason = node["not_applicable"]) {
    reader.reject_unknown(node, {"not_applicable"}, "inter_chip_link.");
    if (!reason.IsScalar() || reason.Scalar().empty()) reader.fail(reason, "inter_chip_link.not_applicable", "expected the reason, as text");
    link.applicable = false;
    link.source = "not applicable: " + reason.Scalar();
    return link;
  }
  reader.reject_unknown(node, {"energy_pj_per_packet", "energy_pj_per_bit", "packet_bits", "latency_ns", "bandwidth_gbit_s",
                               "source", "not_applicable"},
                        "inter_chip_link.");
  const YAML::Node per_packet = node["energy_pj_per_packet"];
  const YAML::Node per_bit = node["energy_pj_per_bit"];
  if (per_packet && per_bit) reader.fail(per_bit, "inter_chip_link.energy_pj_per_bit", "give energy_pj_per_packet or energy_pj_per_bit, not both");
  if (!per_packet && !per_bit) {
    reader.fail(node, "inter_chip_link.energy_pj_per_packet", "missing (or energy_pj_per_bit with packet_bits)");
  }
  if (const YAML::Node bits = node["packet_bits"]) link.packet_bits = reader.count(bits, "inter_chip_link.packet_bits");
  if (per_packet) {
    link.energy_pj = reader.number(per_packet, "inter_chip_link.energy_pj_per_packet");
  } else {
    link.energy_pj_per_bit = reader.number(per_bit, "inter_chip_link.energy_pj_per_bit");
    if (link.packet_bits == 0) reader.fail(node, "inter_chip_link.packet_bits", "missing: energy_pj_per_bit needs the bits per packet");
    link.energy_pj = link.energy_pj_per_bit * static_cast<double>(link.packet_bits);
  }
  link.latency_ns = reader.number(reader.require(node, "latency_ns", "inter_chip_link.latency_ns"), "inter_chip_link.latency_ns");
  if (const YAML::Node bandwidth = node["bandwidth_gbit_s"]) {
    link.bandwidth_gbit_s = reader.number(bandwidth, "inter_chip_link.bandwidth_gbit_s");
  }
  link.source = required_text(reader, node, "source", "inter_chip_link.source");
  return link;
}

}  // namespace

double ChipTiming::sync_ns(std::size_t tiles_in_use) const {
  if (sync_ns_by_tiles.empty()) return 0.0;
  const double tiles = static_cast<double>(tiles_in_use);
  if (tiles <= sync_ns_by_tiles.front().first) return sync_ns_by_tiles.front().second;
  if (tiles >= sync_ns_by_tiles.back().first) return sync_ns_by_tiles.back().second;
  const auto upper = std::upper_bound(sync_ns_by_tiles.begin(), sync_ns_by_tiles.end(), tiles,
                                      [](double value, const auto& entry) { return value < entry.first; });
  const auto lower = upper - 1;
  if (sync_steps) return lower->second;
  const double t = (tiles - lower->first) / (upper->first - lower->first);
  return lower->second + t * (upper->second - lower->second);
}

ChipModel parse_chip(const YAML::Node& root, const std::string& origin) {
  const ChipReader reader(origin);
  if (!root.IsMap()) reader.fail(root, "(top level)", "expected a map describing a chip");
  reader.reject_unknown(root,
                        {"name", "description", "source", "mesh", "core", "costs_pj", "unpriced",
                         "static_power", "static_power_w", "timing", "host", "mapping", "clock_hz", "native_precision",
                         "inter_chip_link"},
                        "");
  ChipModel chip;
  const YAML::Node name = reader.require(root, "name", "name");
  if (!name.IsScalar() || name.Scalar().empty()) reader.fail(name, "name", "expected a non-empty name");
  chip.name = name.Scalar();
  chip.description = reader.text(root, "description");
  chip.source = reader.text(root, "source");

  const YAML::Node mesh = reader.require(root, "mesh", "mesh");
  if (!mesh.IsMap()) reader.fail(mesh, "mesh", "expected {width: W, height: H}");
  reader.reject_unknown(mesh, {"width", "height", "cores_per_tile"}, "mesh.");
  chip.mesh_width = reader.count(reader.require(mesh, "width", "mesh.width"), "mesh.width");
  chip.mesh_height = reader.count(reader.require(mesh, "height", "mesh.height"), "mesh.height");
  if (const YAML::Node per_tile = mesh["cores_per_tile"]) {
    chip.cores_per_tile = reader.count(per_tile, "mesh.cores_per_tile");
  }
  // Per-core tables are sized by the mesh: 2^24 cores is far beyond any board.
  if (chip.mesh_width > (std::size_t{1} << 24) / chip.mesh_height / chip.cores_per_tile) {
    reader.fail(mesh, "mesh", "more than 2^24 cores, which would exhaust memory");
  }

  const YAML::Node core = reader.require(root, "core", "core");
  if (!core.IsMap()) reader.fail(core, "core", "expected a map");
  reader.reject_unknown(core, {"neurons", "fan_in", "synapse_memory_bytes", "modes", "mixed_modes"}, "core.");
  chip.core.neurons = reader.count(reader.require(core, "neurons", "core.neurons"), "core.neurons");
  chip.core.fan_in = reader.count(reader.require(core, "fan_in", "core.fan_in"), "core.fan_in");
  chip.core.synapse_memory_bytes = reader.count(
      reader.require(core, "synapse_memory_bytes", "core.synapse_memory_bytes"),
      "core.synapse_memory_bytes");
  const YAML::Node modes = reader.require(core, "modes", "core.modes");
  if (!modes.IsSequence() || modes.size() == 0) {
    reader.fail(modes, "core.modes", "expected a non-empty list of snn, ann");
  }
  chip.core.snn = false;
  chip.core.ann = false;
  for (const auto& mode : modes) {
    if (mode.Scalar() == "snn") {
      chip.core.snn = true;
    } else if (mode.Scalar() == "ann") {
      chip.core.ann = true;
    } else {
      reader.fail(mode, "core.modes", "unknown mode '" + mode.Scalar() + "' (expected snn or ann)");
    }
  }

  if (const YAML::Node mixed = core["mixed_modes"]) {
    if (!mixed.IsScalar() || (mixed.Scalar() != "true" && mixed.Scalar() != "false")) {
      reader.fail(mixed, "core.mixed_modes", "expected true or false");
    }
    chip.core.mixed_modes = mixed.Scalar() == "true";
  }

  const OpTable costs = read_op_table(reader, reader.require(root, "costs_pj", "costs_pj"), "costs_pj", "pJ");
  chip.cost_pj = costs.per_op;
  chip.hop_east_west_pj = costs.east_west;
  chip.hop_north_south_pj = costs.north_south;
  if (const YAML::Node unpriced = root["unpriced"]) {
    chip.unpriced = read_reasons(reader, unpriced, "unpriced", chip.cost_pj, "costs_pj");
  }
  // `static_power_w: X` is the short form: X per core in use whether it works or not, unused
  // cores power-gated.
  const YAML::Node static_block = root["static_power"];
  const YAML::Node static_short = root["static_power_w"];
  if (static_block && static_short) reader.fail(static_short, "static_power_w", "give static_power or static_power_w, not both");
  if (static_block) {
    chip.static_power = read_static_power(reader, static_block);
  } else {
    if (!static_short || static_short.IsNull()) {
      reader.fail(root, "static_power", "missing (or its short form static_power_w: W per core in use)");
    }
    const double watts = reader.number(static_short, "static_power_w");
    chip.static_power = {watts, watts, true, "static_power_w in " + origin};
  }
  OpTable latencies;
  if (const YAML::Node timing = root["timing"]) chip.timing = read_timing(reader, timing, latencies);
  chip.link = read_link(reader, root["inter_chip_link"], costs, latencies, chip, origin);
  if (const YAML::Node host = root["host"]) chip.host = read_host(reader, host);
  if (const YAML::Node mapping = root["mapping"]) {
    if (!mapping.IsMap()) reader.fail(mapping, "mapping", "expected {neurons_per_core: N, placement: fill|balance|min-hops}");
    reader.reject_unknown(mapping, {"neurons_per_core", "placement"}, "mapping.");
    if (const YAML::Node per_core = mapping["neurons_per_core"]) {
      chip.mapping_neurons_per_core = reader.count(per_core, "mapping.neurons_per_core");
      if (chip.mapping_neurons_per_core > chip.core.neurons) {
        reader.fail(per_core, "mapping.neurons_per_core",
                    "is " + std::to_string(chip.mapping_neurons_per_core) + ", more than a core holds (core.neurons " +
                        std::to_string(chip.core.neurons) + ")");
      }
    }
    if (const YAML::Node placement = mapping["placement"]) {
      if (!placement.IsScalar() || (placement.Scalar() != "fill" && placement.Scalar() != "balance" &&
                                    placement.Scalar() != "min-hops")) {
        reader.fail(placement, "mapping.placement", "expected fill, balance or min-hops");
      }
      chip.mapping_placement = placement.Scalar();
    }
  }
  chip.clock_hz = reader.number(reader.require(root, "clock_hz", "clock_hz"), "clock_hz");
  if (const YAML::Node native = root["native_precision"]) {
    const auto precision = native.IsScalar() ? precision_from_name(native.Scalar()) : std::nullopt;
    if (!precision) reader.fail(native, "native_precision", "expected float32, fixed, tianjic or loihi");
    chip.native_precision = *precision;
  }
  return chip;
}

std::vector<std::string> ChipModel::unexplained_zeros() const {
  std::vector<std::string> zeros;
  for (std::size_t i = 0; i < op_kind_count; ++i) {
    const std::string op(op_name(static_cast<Op>(i)));
    if (cost_pj[i] == 0.0 && unpriced.count(op) == 0) zeros.push_back(op);
    if (host.present && host.cost_pj[i] == 0.0 && host.unpriced.count(op) == 0) zeros.push_back("host." + op);
  }
  return zeros;
}

std::vector<std::string> ChipModel::untimed_without_reason() const {
  std::vector<std::string> missing;
  if (!timing.modelled) return missing;
  for (std::size_t i = 0; i < op_kind_count; ++i) {
    const std::string op(op_name(static_cast<Op>(i)));
    if (timing.latency_ns[i] == 0.0 && timing.untimed.count(op) == 0) missing.push_back(op);
  }
  return missing;
}

ChipModel parse_chip_text(const std::string& yaml_text, const std::string& origin) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::ParserException& error) {
    throw InputError(origin + ": line " + std::to_string(error.mark.line + 1) +
                     ": not valid YAML: " + error.msg);
  }
  return parse_chip(root, origin);
}

ChipModel load_chip_file(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw InputError(path + ": cannot open chip file");
  std::ostringstream text;
  text << file.rdbuf();
  return parse_chip_text(text.str(), path);
}

}  // namespace tandem
