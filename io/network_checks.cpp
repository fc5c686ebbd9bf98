// Whole-network checks run after every section parsed: unique names, references that resolve,
// sizes that agree and stay bounded, and no cycle of zero-latency connections.
#include <functional>
#include <map>

#include "core/error.hpp"
#include "io/network_parts.hpp"

namespace tandem::io {
namespace {

struct NodeInfo {
  std::string section;   // "populations" …
  std::int64_t size = 0;  // 0 = not known here (environment; bridge unit defaults resolved below)
};

// A connection between nodes with its latency, and where it was written (for messages).
struct Edge {
  std::string from;
  std::string to;
  Tick latency_ticks = 0;
  std::string path;
};

class NetworkChecker {
 public:
  NetworkChecker(const YAML::Node& root, const YamlReader& reader, const NetworkDescription& network)
      : root_(root), reader_(reader), network_(network) {}

  void run() {
    collect_nodes();
    check_references();
    check_projection_shapes();
    check_layer_shapes();
    check_connection_budget();
    check_zero_latency_cycles();
  }

 private:
  // The YAML node at a dot-separated path, for its line:column (the root when it is gone).
  YAML::Node at(const std::string& path) const {
    YAML::Node node = root_;
    std::size_t begin = 0;
    while (begin <= path.size()) {
      const auto dot = path.find('.', begin);
      const std::string key = path.substr(begin, dot == std::string::npos ? std::string::npos : dot - begin);
      YAML::Node next;
      if (node.IsMap() && node[key].IsDefined()) {
        next.reset(node[key]);
      } else if (node.IsSequence() && !key.empty() && key.find_first_not_of("0123456789") == std::string::npos &&
                 std::stoul(key) < node.size()) {
        next.reset(node[std::stoul(key)]);
      } else {
        return node;
      }
      node.reset(next);
      if (dot == std::string::npos) break;
      begin = dot + 1;
    }
    return node;
  }
  [[noreturn]] void fail(const std::string& path, const std::string& problem) const {
    reader_.fail(at(path), path, problem);
  }

  void add_node(const std::string& name, const std::string& section, std::int64_t size) {
    const auto [it, inserted] = nodes_.emplace(name, NodeInfo{section, size});
    if (!inserted) {
      fail(section + "." + name, "the name '" + name + "' is already used by " + it->second.section + "." + name +
                                     " (node names must be unique across sections)");
    }
  }

  void collect_nodes() {
    std::int64_t total = 0;
    const auto count = [&](const std::string& path, std::int64_t size) {
      total += size;
      if (total > max_size) {
        fail(path, "the network would have " + std::to_string(total) + " units, more than " +
                       std::to_string(max_size) + ", which would exhaust memory");
      }
    };
    for (const auto& input : network_.inputs) {
      add_node(input.name, "inputs", input.size);
      count("inputs." + input.name + ".size", input.size);
    }
    for (const auto& pop : network_.populations) {
      add_node(pop.name, "populations", pop.size);
      count("populations." + pop.name + ".size", pop.size);
    }
    for (const auto& layer : network_.layers) {
      add_node(layer.name, "layers", layer.size);
      count("layers." + layer.name + ".size", layer.size);
    }
    for (const auto& unit : network_.bridge) add_node(unit.name, "bridge", unit.size);
    for (const auto& subnetwork : network_.subnetworks) add_node(subnetwork.name, "subnetworks", 0);
    if (network_.environment) add_node(network_.environment->name, "environment", 0);
  }

  const NodeInfo& node(const std::string& name, const std::string& path) const {
    const auto it = nodes_.find(name);
    if (it == nodes_.end()) {
      std::string known;
      for (const auto& [n, info] : nodes_) known += (known.empty() ? "" : ", ") + n;
      fail(path, "no node named '" + name + "' (nodes: " + (known.empty() ? "none" : known) + ")");
    }
    return it->second;
  }

  static bool keeps_width(const std::string& kind) {
    return kind != "delta_encoder" && kind != "delta_decoder" && kind.rfind("population_", 0) != 0;
  }

  std::int64_t size_of(const std::string& name) const {
    const auto it = nodes_.find(name);
    if (it == nodes_.end()) return 0;
    if (it->second.size == 0 && it->second.section == "bridge") {
      for (const auto& unit : network_.bridge) {
        // Kinds that give one output per input keep its width; the others (on/off pairs,
        // tuning-curve groups) are sized when they are built, where the width is checked.
        if (unit.name == name && unit.input != name) return keeps_width(unit.kind) ? size_of(unit.input) : 0;
      }
    }
    return it->second.size;
  }

  void check_references() {
    for (const auto& proj : network_.projections) {
      const std::string path = "projections." + proj.name;
      const std::string& from_section = node(proj.from, path + ".from").section;
      if (from_section == "layers" || from_section == "environment") {
        fail(path + ".from", "'" + proj.from + "' is in " + from_section +
                                 "; projections carry spikes from inputs, populations or bridge encoders");
      }
      if (from_section == "subnetworks" || node(proj.to, path + ".to").section == "subnetworks") {
        fail(path, "a subnetwork is reached through its NIR Input and Output nodes: wire to '<subnetwork>.<Input>' and "
                   "from '<subnetwork>.<Output>' (wires), or name it as a bridge unit's input or output");
      }
      if (node(proj.to, path + ".to").section != "populations") {
        fail(path + ".to", "'" + proj.to + "' is not a population; projections end on populations");
      }
    }
    for (const auto& layer : network_.layers) {
      const std::string inputs_path = "layers." + layer.name + ".inputs";
      const bool listed = at(inputs_path).IsSequence();
      for (std::size_t i = 0; i < layer.inputs.size(); ++i) {
        const std::string path = listed ? join_path(inputs_path, std::to_string(i)) : inputs_path;
        node(layer.inputs[i], path);
        edges_.push_back({layer.inputs[i], layer.name, 0, path});
      }
    }
    for (const auto& unit : network_.bridge) {
      const std::string path = "bridge." + unit.name;
      node(unit.input, path + ".input");
      edges_.push_back({unit.input, unit.name, 0, path + ".input"});
      if (!unit.output.empty()) {
        node(unit.output, path + ".output");
        edges_.push_back({unit.name, unit.output, 0, path + ".output"});
      }
    }
    for (std::size_t i = 0; i < network_.wires.size(); ++i) {
      const auto& wire = network_.wires[i];
      const std::string path = "wires." + std::to_string(i);
      node(wire.from.node, path + ".from");
      node(wire.to.node, path + ".to");
      edges_.push_back({wire.from.node, wire.to.node, wire.latency_ticks, path});
    }
    for (std::size_t i = 0; i < network_.outputs.size(); ++i) {
      node(network_.outputs[i].node, "outputs." + std::to_string(i));
    }
    for (std::size_t i = 0; i < network_.probes.size(); ++i) {
      const auto& probe = network_.probes[i];
      const std::string path = "probes." + std::to_string(i);
      // A subnetwork's node ("net.lif1") is checked when the graph is lowered.
      const auto dot = probe.node.find('.');
      if (dot != std::string::npos && nodes_.count(probe.node.substr(0, dot)) != 0 &&
          nodes_.at(probe.node.substr(0, dot)).section == "subnetworks") {
        continue;
      }
      node(probe.node, path + ".node");
      const std::int64_t size = size_of(probe.node);
      for (std::size_t u = 0; u < probe.units.size(); ++u) {
        if (size > 0 && probe.units[u] >= size) {
          fail(path + ".units." + std::to_string(u), "unit " + std::to_string(probe.units[u]) + " is out of range: '" +
                                                        probe.node + "' has " + std::to_string(size) + " units");
        }
      }
    }
    for (const auto& pop : network_.populations) {
      for (const auto& [variable, value] : pop.initial) {
        const auto* list = std::get_if<std::vector<double>>(&value);
        if (list != nullptr && static_cast<std::int64_t>(list->size()) != pop.size) {
          fail("populations." + pop.name + ".initial." + variable,
               "needs one value per unit (" + std::to_string(pop.size) + "), got " + std::to_string(list->size()));
        }
      }
    }
  }

  // Synapse count of a projection (expected count for fixed_probability).
  double synapses(const ProjectionDescription& proj) const {
    const auto pre = static_cast<double>(size_of(proj.from));
    const auto post = static_cast<double>(size_of(proj.to));
    switch (proj.rule) {
      case ConnectionRule::all_to_all: return proj.from == proj.to ? pre * (post - 1) : pre * post;  // no autapses
      case ConnectionRule::one_to_one: return post;
      case ConnectionRule::fixed_probability: return proj.p * pre * post;
      case ConnectionRule::fixed_indegree: return static_cast<double>(proj.k) * post;
      case ConnectionRule::explicit_list: return static_cast<double>(proj.pairs.size());
    }
    return 0.0;
  }

  void check_list_length(const ValueSource& values, std::int64_t expected, const std::string& path,
                         const std::string& what) const {
    const auto* list = std::get_if<std::vector<double>>(&values);
    if (list != nullptr && expected > 0 && static_cast<std::int64_t>(list->size()) != expected) {
      fail(path, "needs " + std::to_string(expected) + " values (" + what + "), got " + std::to_string(list->size()));
    }
  }

  void check_projection_shapes() {
    for (const auto& proj : network_.projections) {
      const std::string path = "projections." + proj.name;
      const std::int64_t pre = size_of(proj.from);
      const std::int64_t post = size_of(proj.to);
      if (proj.rule == ConnectionRule::one_to_one && pre > 0 && pre != post) {
        fail(path + ".rule", "one_to_one needs equal sizes, '" + proj.from + "' has " + std::to_string(pre) +
                                 " and '" + proj.to + "' has " + std::to_string(post));
      }
      if (proj.rule == ConnectionRule::fixed_indegree && pre > 0 && proj.k > pre) {
        fail(path + ".k", "is " + std::to_string(proj.k) + " but '" + proj.from + "' has only " + std::to_string(pre) + " units");
      }
      for (std::size_t i = 0; i < proj.pairs.size(); ++i) {
        const auto [a, b] = proj.pairs[i];
        if ((pre > 0 && a >= pre) || b >= post) {
          fail(path + ".pairs." + std::to_string(i), "[" + std::to_string(a) + ", " + std::to_string(b) +
                                                         "] is out of range for sizes " + std::to_string(pre) + " -> " +
                                                         std::to_string(post));
        }
      }
      const bool countable = proj.rule == ConnectionRule::all_to_all || proj.rule == ConnectionRule::one_to_one ||
                             (proj.rule == ConnectionRule::explicit_list && !proj.pairs_file && !proj.synapses_file);
      if (proj.delays_ms) {
        if (proj.rule != ConnectionRule::explicit_list) {
          fail(path + ".delay_ms", "one delay per synapse needs rule explicit (the synapses of other rules are drawn at "
                                   "build time); give one number or {distribution: uniform, low_ms, high_ms}");
        }
        if (countable) check_list_length(*proj.delays_ms, static_cast<std::int64_t>(synapses(proj)), path + ".delay_ms", "one per synapse");
      }
      if (proj.weight_distribution && proj.rule == ConnectionRule::fixed_probability) {
        fail(path + ".weight", "weights drawn from a distribution need a known synapse count (all_to_all, one_to_one, "
                               "fixed_indegree, explicit); fixed_probability draws its synapses when the network is built");
      }
      if (countable) {
        check_list_length(proj.weight, static_cast<std::int64_t>(synapses(proj)), path + ".weight", "one per synapse");
      } else if (std::holds_alternative<std::vector<double>>(proj.weight)) {
        fail(path + ".weight", "a list needs a rule with a known synapse count (all_to_all, one_to_one, explicit)");
      }
    }
  }

  std::int64_t fan_in(const DenseLayerDescription& layer) const {
    std::int64_t total = 0;
    for (const auto& input : layer.inputs) {
      const std::int64_t size = size_of(input);
      if (size == 0) return 0;  // an environment: width known only after lowering
      total += size;
    }
    return total;
  }

  void check_layer_shapes() {
    for (const auto& layer : network_.layers) {
      const std::string path = "layers." + layer.name;
      const std::int64_t inputs = fan_in(layer);
      if (layer.weights) {
        if (const auto* matrix = std::get_if<Matrix>(&*layer.weights)) {
          if (matrix->rows != layer.size || (inputs > 0 && matrix->cols != inputs)) {
            fail(path + ".weights", "must be " + std::to_string(layer.size) + " x " + std::to_string(inputs) +
                                        " (size x fan-in), got " + std::to_string(matrix->rows) + " x " +
                                        std::to_string(matrix->cols));
          }
        } else if (std::holds_alternative<std::vector<double>>(*layer.weights)) {
          fail(path + ".weights", "must be a matrix (list of rows), a number or {file, dataset|group}");
        }
      }
      if (layer.bias) {
        check_list_length(*layer.bias, layer.size, path + ".bias", "one per unit");
      }
    }
    for (const auto& input : network_.inputs) {
      const std::string path = "inputs." + input.name;
      if (const auto* poisson = std::get_if<PoissonInput>(&input.source)) {
        check_list_length(poisson->rate_hz, input.size, path + ".rate_hz", "one per unit");
      } else if (const auto* current = std::get_if<CurrentInput>(&input.source)) {
        check_list_length(current->value, input.size, path + ".value", "one per unit");
      }
    }
  }

  void check_connection_budget() const {
    double total = 0.0;
    for (const auto& proj : network_.projections) {
      total += synapses(proj);
      if (total > max_connections) {
        fail("projections." + proj.name, "the network would have about " + format_number(total) +
                                             " synapses, more than 4e9, which would exhaust memory");
      }
    }
    for (const auto& layer : network_.layers) {
      total += static_cast<double>(layer.size) * static_cast<double>(fan_in(layer));
      if (total > max_connections) {
        fail("layers." + layer.name, "the network would have about " + format_number(total) +
                                         " synapses and weights, more than 4e9, which would exhaust memory");
      }
    }
  }

  // A cycle whose connections all have latency 0 has no order in which to compute it.
  void check_zero_latency_cycles() const {
    std::map<std::string, std::vector<const Edge*>> outgoing;
    for (const auto& edge : edges_) {
      if (edge.latency_ticks == 0) outgoing[edge.from].push_back(&edge);
    }
    std::map<std::string, int> state;  // 0 unvisited, 1 on the current path, 2 done
    std::vector<const Edge*> trail;
    const std::function<void(const std::string&)> visit = [&](const std::string& name) {
      state[name] = 1;
      for (const Edge* edge : outgoing[name]) {
        trail.push_back(edge);
        if (state[edge->to] == 1) {
          auto first = trail.begin();
          while ((*first)->from != edge->to) ++first;
          std::string cycle = edge->to;
          for (auto it = first; it != trail.end(); ++it) cycle += " -> " + (*it)->to;
          fail((*first)->path, "zero-latency cycle " + cycle +
                                   "; give one of its connections a latency of at least one tick (wires: latency_ticks)");
        }
        if (state[edge->to] == 0) visit(edge->to);
        trail.pop_back();
      }
      state[name] = 2;
    };
    for (const auto& [name, info] : nodes_) {
      if (state[name] == 0) visit(name);
    }
  }

  const YAML::Node& root_;
  const YamlReader& reader_;
  const NetworkDescription& network_;
  std::map<std::string, NodeInfo> nodes_;
  std::vector<Edge> edges_;
};

}  // namespace

void check_network(const YAML::Node& root, const YamlReader& reader, const NetworkDescription& network) {
  NetworkChecker(root, reader, network).run();
}

}  // namespace tandem::io
