#include "core/chip_model.hpp"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <fstream>
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

void read_costs(const ChipReader& reader, const YAML::Node& costs, ChipModel& chip) {
  if (!costs.IsMap()) reader.fail(costs, "costs_pj", "expected a map of op name -> pJ");
  bool has_hop = false;
  bool has_east_west = false;
  bool has_north_south = false;
  bool has_inter_chip = false;
  for (const auto& entry : costs) {
    const std::string key = entry.first.Scalar();
    const std::string path = "costs_pj." + key;
    const double cost = reader.number(entry.second, path);
    Op op{};
    if (key == "hops_east_west") {
      chip.hop_east_west_pj = cost;
      has_east_west = true;
    } else if (key == "hops_north_south") {
      chip.hop_north_south_pj = cost;
      has_north_south = true;
    } else if (key == "hops_inter_chip") {
      chip.hop_inter_chip_pj = cost;
      has_inter_chip = true;
    } else if (op_from_name(key, op)) {
      chip.cost_pj[static_cast<std::size_t>(op)] = cost;
      has_hop = has_hop || op == Op::hop;
    } else {
      reader.fail(entry.first, path,
                  "unknown op name (expected one of the op names in docs/energy.md, or "
                  "hops_east_west, hops_north_south, hops_inter_chip)");
    }
  }
  if (has_east_west != has_north_south) {
    reader.fail(costs, "costs_pj", "give both hops_east_west and hops_north_south, or neither");
  }
  const std::size_t hop = static_cast<std::size_t>(Op::hop);
  if (has_east_west && !has_hop) {
    // The undirected figure is the mean of the two directions (used for unrouted traffic).
    chip.cost_pj[hop] = 0.5 * (chip.hop_east_west_pj + chip.hop_north_south_pj);
  } else if (!has_east_west) {
    chip.hop_east_west_pj = chip.cost_pj[hop];
    chip.hop_north_south_pj = chip.cost_pj[hop];
  }
  if (!has_inter_chip) chip.hop_inter_chip_pj = chip.cost_pj[hop];
}

}  // namespace

ChipModel parse_chip(const YAML::Node& root, const std::string& origin) {
  const ChipReader reader(origin);
  if (!root.IsMap()) reader.fail(root, "(top level)", "expected a map describing a chip");
  reader.reject_unknown(root,
                        {"name", "description", "source", "mesh", "core", "costs_pj", "unpriced",
                         "static_power_w", "clock_hz"},
                        "");
  ChipModel chip;
  const YAML::Node name = reader.require(root, "name", "name");
  if (!name.IsScalar() || name.Scalar().empty()) reader.fail(name, "name", "expected a non-empty name");
  chip.name = name.Scalar();
  chip.description = reader.text(root, "description");
  chip.source = reader.text(root, "source");

  const YAML::Node mesh = reader.require(root, "mesh", "mesh");
  if (!mesh.IsMap()) reader.fail(mesh, "mesh", "expected {width: W, height: H}");
  reader.reject_unknown(mesh, {"width", "height"}, "mesh.");
  chip.mesh_width = reader.count(reader.require(mesh, "width", "mesh.width"), "mesh.width");
  chip.mesh_height = reader.count(reader.require(mesh, "height", "mesh.height"), "mesh.height");
  // Per-core tables are sized by the mesh: 2^24 cores is far beyond any board.
  if (chip.mesh_width > (std::size_t{1} << 24) / chip.mesh_height) {
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

  read_costs(reader, reader.require(root, "costs_pj", "costs_pj"), chip);
  if (const YAML::Node unpriced = root["unpriced"]) {
    if (!unpriced.IsMap()) reader.fail(unpriced, "unpriced", "expected a map of op name -> reason");
    for (const auto& entry : unpriced) {
      const std::string key = entry.first.Scalar();
      const std::string path = "unpriced." + key;
      Op op{};
      if (!op_from_name(key, op)) reader.fail(entry.first, path, "unknown op name (the op names of docs/energy.md)");
      if (!entry.second.IsScalar() || entry.second.Scalar().empty()) reader.fail(entry.second, path, "expected the reason, as text");
      if (chip.cost(op) != 0.0) reader.fail(entry.first, path, "is priced in costs_pj too: price it or explain it, not both");
      chip.unpriced[key] = entry.second.Scalar();
    }
  }
  chip.static_power_w =
      reader.number(reader.require(root, "static_power_w", "static_power_w"), "static_power_w");
  chip.clock_hz = reader.number(reader.require(root, "clock_hz", "clock_hz"), "clock_hz");
  return chip;
}

std::vector<std::string> ChipModel::unexplained_zeros() const {
  std::vector<std::string> zeros;
  for (std::size_t i = 0; i < op_kind_count; ++i) {
    const std::string op(op_name(static_cast<Op>(i)));
    if (cost_pj[i] == 0.0 && unpriced.count(op) == 0) zeros.push_back(op);
  }
  return zeros;
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
