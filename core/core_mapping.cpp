#include "core/core_mapping.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <utility>

#include "core/error.hpp"
#include "core/simulation.hpp"

namespace tandem {
namespace {

enum class CoreMode { none, snn, ann };

bool is_placed(NodeKind kind) { return kind != NodeKind::projection && kind != NodeKind::environment; }

// The mode a node needs its core to run in; bridges and inputs sit on either kind of core.
CoreMode mode_of(NodeKind kind) {
  if (kind == NodeKind::spiking) return CoreMode::snn;
  if (kind == NodeKind::dense) return CoreMode::ann;
  return CoreMode::none;
}

std::size_t ceil_div(std::size_t a, std::size_t b) { return (a + b - 1) / b; }

}  // namespace

RouteCounts& RouteCounts::operator+=(const RouteCounts& other) {
  packets += other.packets;
  hops_east_west += other.hops_east_west;
  hops_north_south += other.hops_north_south;
  hops_inter_chip += other.hops_inter_chip;
  inter_chip_packets += other.inter_chip_packets;
  host_transfers += other.host_transfers;
  return *this;
}

std::vector<TrafficEdge> traffic_edges(const Simulation& simulation) {
  std::vector<TrafficEdge> edges;
  for (const auto& node : simulation.counters()) {
    for (const auto& target : node.targets) edges.push_back({node.node, target});
  }
  auto port_node = [&](const PortRef& ref) -> std::string {
    for (const auto& port : simulation.engine(ref.engine).ports()) {
      if (port.name == ref.port) return port.node;
    }
    return {};
  };
  for (const auto& wire : simulation.wires()) {
    std::string from = port_node(wire.from);
    std::string to = port_node(wire.to);
    if (!from.empty() && !to.empty()) edges.push_back({std::move(from), std::move(to)});
  }
  return edges;
}

Placement parse_placement(const std::string& text) {
  if (text == "fill") return Placement::fill;
  if (text == "balance") return Placement::balance;
  if (text == "min-hops") return Placement::min_hops;
  throw InputError("--placement '" + text + "': expected fill, balance or min-hops");
}

CoreMapping::CoreMapping(const std::vector<NodeCounters>& nodes,
                         const std::vector<TrafficEdge>& edges, const ChipModel& chip,
                         BoardLayout board, Placement placement, const PinnedCores& pinned,
                         bool host_offload)
    : chip_(chip), board_(board) {
  if (board_.chips_x < 1 || board_.chips_y < 1) {
    throw InputError("board layout: chips_x and chips_y must be >= 1");
  }
  const std::size_t per_chip = chip_.cores();
  cores_available_ = per_chip * board_.chips_x * board_.chips_y;
  const CoreCapacity& cap = chip_.core;

  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (!index.emplace(nodes[i].node, i).second) {
      throw InputError("mapping: two nodes are named '" + nodes[i].node + "'");
    }
  }
  // Projections live on the cores of their target population: fold their synapse memory into
  // it. Their fan-in is not added: a population's own fan_in is already its largest total
  // in-degree over all incoming projections (NodeCounters::fan_in); adding each projection's
  // again double-counted it and could double the cores. A population whose engine reports no
  // fan-in takes the largest of its projections' (a lower bound).
  std::vector<std::size_t> fan_in(nodes.size());
  std::vector<std::size_t> memory(nodes.size());        // spread evenly over the node's units
  std::vector<std::size_t> block_memory(nodes.size());  // convolution kernels: one slice per block of units
  std::vector<std::size_t> block_units(nodes.size());   // units per block (an output channel's plane); 0: none
  const auto add_memory = [&](std::size_t to, const NodeCounters& from) {
    if (from.weight_block_units > 0 && (block_units[to] == 0 || block_units[to] == from.weight_block_units)) {
      block_units[to] = from.weight_block_units;
      block_memory[to] += from.synapse_memory_bytes;
    } else {
      memory[to] += from.synapse_memory_bytes;  // blocks of another size: counted per unit (an approximation)
    }
  };
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    fan_in[i] += nodes[i].fan_in;
    if (nodes[i].kind != NodeKind::projection) add_memory(i, nodes[i]);
  }
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].kind != NodeKind::projection) continue;
    const auto target = nodes[i].targets.empty() ? index.end() : index.find(nodes[i].targets.front());
    if (target == index.end() || !is_placed(nodes[target->second].kind)) {
      throw InputError("mapping: projection '" + nodes[i].node +
                       "' has no target population to live on");
    }
    fan_in[target->second] = std::max(fan_in[target->second], nodes[i].fan_in);
    add_memory(target->second, nodes[i]);
    fan_in[i] = 0;
  }
  // Synapse memory of units [first, first + units) of node i, one of `slices` input slices: its
  // share of the per-unit memory, and the whole kernel slice of every block it touches.
  const auto piece_memory = [&](std::size_t i, std::size_t first, std::size_t units, std::size_t slices) {
    const double node_units = static_cast<double>(nodes[i].units);
    double bytes = static_cast<double>(memory[i]) * static_cast<double>(units) / (node_units * static_cast<double>(slices));
    if (block_units[i] > 0 && units > 0) {
      const std::size_t b = block_units[i];
      const std::size_t touched = (first + units - 1) / b - first / b + 1;
      bytes += static_cast<double>(block_memory[i]) * static_cast<double>(touched) /
               static_cast<double>(ceil_div(nodes[i].units, b) * slices);
    }
    return static_cast<std::size_t>(std::ceil(bytes));
  };

  // Pinned cores are set aside: automatic placement takes the free cores in order around them.
  std::set<std::size_t> reserved;
  for (const auto& [name, cores] : pinned) {
    const auto found = index.find(name);
    if (found == index.end()) throw InputError("placement: no node named '" + name + "' in the network");
    if (!is_placed(nodes[found->second].kind)) {
      throw InputError("placement: node '" + name + "' is a " + std::string(to_string(nodes[found->second].kind)) +
                       ", which is not placed on cores (a projection lives on its target's cores)");
    }
    if (cores.empty()) throw InputError("placement: node '" + name + "' names no cores");
    for (const std::size_t core : cores) {
      if (core >= cores_available_) {
        throw InputError("placement: node '" + name + "' names core " + std::to_string(core) + ", but chip '" +
                         chip_.name + "' (" + std::to_string(board_.chips_x) + " x " + std::to_string(board_.chips_y) +
                         " chips) has cores 0 to " + std::to_string(cores_available_ - 1));
      }
      reserved.insert(core);
    }
  }

  // An empty load at physical core `physical`: its chip and position on the board's mesh.
  const auto position_of = [&](std::size_t physical) {
    CoreLoad load;
    load.core = physical;
    const std::size_t chip_index = physical / per_chip;
    const std::size_t local = physical % per_chip;
    load.chip_x = chip_index % board_.chips_x;
    load.chip_y = chip_index / board_.chips_x;
    // Cores of one tile share its router: a core's position on the mesh is its tile's.
    const std::size_t tile = local / chip_.cores_per_tile;
    load.x = load.chip_x * chip_.mesh_width + tile % chip_.mesh_width;
    load.y = load.chip_y * chip_.mesh_height + tile / chip_.mesh_width;
    return load;
  };
  std::vector<CoreMode> core_mode;
  std::map<std::size_t, std::size_t> slot_of_core;  // physical core -> index in cores_
  std::size_t next_free = 0;
  // The slot of physical core `physical`, taking it into use if it is not yet.
  auto use_core = [&](std::size_t physical, CoreMode mode) {
    if (const auto found = slot_of_core.find(physical); found != slot_of_core.end()) return found->second;
    cores_.push_back(position_of(physical));
    core_mode.push_back(mode);
    slot_of_core.emplace(physical, cores_.size() - 1);
    return cores_.size() - 1;
  };
  // The next free core that no node is pinned to.
  auto open_core = [&](CoreMode mode, const std::string& node) {
    while (next_free < cores_available_ && (reserved.contains(next_free) || slot_of_core.contains(next_free))) {
      ++next_free;
    }
    if (next_free == cores_available_) {
      throw InputError("mapping: the network does not fit on " + std::to_string(cores_available_) +
                       " cores of chip '" + chip_.name + "' (" + std::to_string(board_.chips_x) +
                       " x " + std::to_string(board_.chips_y) + " chips) while placing node '" +
                       node + "'; tile more chips into a board or choose a larger chip");
    }
    return use_core(next_free, mode);
  };
  auto mode_fits = [&](CoreMode core, CoreMode wanted) {
    return cap.mixed_modes || wanted == CoreMode::none || core == CoreMode::none || core == wanted;
  };
  auto add_to_core = [&](std::size_t slot, std::size_t node_index, std::size_t units, std::size_t node_fan_in,
                         std::size_t bytes, CoreMode mode, bool emits) {
    CoreLoad& load = cores_[slot];
    load.neurons += units;
    load.fan_in += node_fan_in;
    load.synapse_memory_bytes += bytes;
    load.nodes.push_back(nodes[node_index].node);
    load.node_units.push_back(units);
    if (core_mode[slot] == CoreMode::none) core_mode[slot] = mode;
    pieces_[node_index].push_back({slot, units, emits});
  };
  std::size_t last_automatic = std::numeric_limits<std::size_t>::max();  // slot automatic nodes may share

  // Host offload: dense nodes go to the host processor, and so do inputs that feed only them
  // (a dense engine's input buffers).
  on_host_.assign(nodes.size(), 0);
  if (host_offload && !cap.ann) {
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      if (mode_of(nodes[i].kind) != CoreMode::ann || nodes[i].units == 0) continue;
      if (!chip_.host.present) {
        throw InputError("--host-offload: chip '" + chip_.name + "' describes no host processor (a `host` block, "
                         "docs/energy.md \"Host offload\") to run dense node '" + nodes[i].node + "' on");
      }
      on_host_[i] = 1;
    }
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      if (nodes[i].kind != NodeKind::input) continue;
      bool feeds_host = false;
      bool feeds_chip = false;
      for (const auto& edge : edges) {
        if (edge.from != nodes[i].node) continue;
        const auto target = index.find(edge.to);
        if (target == index.end()) continue;
        (on_host_[target->second] != 0 ? feeds_host : feeds_chip) = true;
      }
      if (feeds_host && !feeds_chip) on_host_[i] = 1;
    }
  }

  // Who exchanges traffic with whom (a projection stands for its target population), for
  // min-hops: the order nodes are placed in and the cores each piece should sit near.
  std::vector<std::vector<std::size_t>> neighbours(nodes.size());
  const auto endpoint = [&](const std::string& name) -> std::size_t {
    const auto found = index.find(name);
    if (found == index.end()) return nodes.size();
    const NodeCounters& node = nodes[found->second];
    if (node.kind != NodeKind::projection || node.targets.empty()) return found->second;
    const auto target = index.find(node.targets.front());
    return target == index.end() ? nodes.size() : target->second;
  };
  for (const auto& edge : edges) {
    const std::size_t from = endpoint(edge.from);
    const std::size_t to = endpoint(edge.to);
    if (from == nodes.size() || to == nodes.size() || from == to) continue;
    neighbours[from].push_back(to);
    neighbours[to].push_back(from);
  }
  std::vector<std::size_t> order;
  if (placement == Placement::min_hops) {
    std::vector<char> seen(nodes.size(), 0);
    for (std::size_t start = 0; start < nodes.size(); ++start) {
      if (seen[start] != 0) continue;
      seen[start] = 1;
      order.push_back(start);
      for (std::size_t next = order.size() - 1; next < order.size(); ++next) {
        for (const std::size_t neighbour : neighbours[order[next]]) {
          if (seen[neighbour] == 0) {
            seen[neighbour] = 1;
            order.push_back(neighbour);
          }
        }
      }
    }
  } else {
    for (std::size_t i = 0; i < nodes.size(); ++i) order.push_back(i);
  }
  // min-hops: the free core nearest (Manhattan, on the board's mesh) to the cores of node i's
  // placed neighbours and its own earlier pieces; the first free core when there are none.
  const auto nearest_free_core = [&](std::size_t i) {
    std::vector<std::pair<std::size_t, std::size_t>> anchors;
    for (const std::size_t neighbour : neighbours[i]) {
      for (const Piece& piece : pieces_[neighbour]) anchors.emplace_back(cores_[piece.core].x, cores_[piece.core].y);
    }
    for (const Piece& piece : pieces_[i]) anchors.emplace_back(cores_[piece.core].x, cores_[piece.core].y);
    std::size_t best = cores_available_;
    std::size_t best_distance = std::numeric_limits<std::size_t>::max();
    for (std::size_t core = 0; core < cores_available_ && !anchors.empty(); ++core) {
      if (reserved.contains(core) || slot_of_core.contains(core)) continue;
      const CoreLoad at = position_of(core);
      std::size_t distance = 0;
      for (const auto& [x, y] : anchors) distance += (at.x > x ? at.x - x : x - at.x) + (at.y > y ? at.y - y : y - at.y);
      if (distance < best_distance) {
        best = core;
        best_distance = distance;
      }
    }
    return best;
  };

  pieces_.resize(nodes.size());
  for (const std::size_t i : order) {
    const NodeCounters& node = nodes[i];
    if (!is_placed(node.kind) || node.units == 0 || on_host_[i] != 0) continue;
    const CoreMode mode = mode_of(node.kind);
    if ((mode == CoreMode::snn && !cap.snn) || (mode == CoreMode::ann && !cap.ann)) {
      throw InputError("mapping: node '" + node.node + "' (" + std::string(to_string(node.kind)) +
                       ") needs " + (mode == CoreMode::snn ? "snn" : "ann") +
                       " cores, which chip '" + chip_.name + "' does not have" +
                       (mode == CoreMode::ann && chip_.host.present
                            ? " (--host-offload runs dense nodes on its host processor, " + chip_.host.name + ")"
                            : ""));
    }
    if (const auto wanted = pinned.find(node.node); wanted != pinned.end()) {
      // Pinned: the units spread evenly over the named cores in order; each core receives the
      // node's whole fan-in (pinned nodes are not split along their inputs).
      const std::vector<std::size_t>& named = wanted->second;
      const std::string where = "placement: node '" + node.node + "'";
      if (named.size() > node.units) {
        throw InputError(where + " names " + std::to_string(named.size()) + " cores for " +
                         std::to_string(node.units) + " units");
      }
      if (std::set<std::size_t>(named.begin(), named.end()).size() != named.size()) {
        throw InputError(where + " names a core twice");
      }
      for (std::size_t k = 0, first = 0; k < named.size(); ++k) {
        const std::size_t units = node.units / named.size() + (k < node.units % named.size() ? 1 : 0);
        const std::size_t bytes = piece_memory(i, first, units, 1);
        first += units;
        const std::size_t slot = use_core(named[k], mode);
        const CoreLoad& load = cores_[slot];
        const std::string core = where + " on core " + std::to_string(named[k]) + ": ";
        if (!mode_fits(core_mode[slot], mode)) {
          throw InputError(core + "the core already runs nodes of the other mode (" + load.nodes.front() +
                           ") and chip '" + chip_.name + "' runs one mode per core");
        }
        const auto check = [&](std::size_t used, std::size_t more, std::size_t capacity, const std::string& what) {
          if (used + more > capacity) {
            throw InputError(core + std::to_string(used + more) + " " + what + " needed, a core of chip '" +
                             chip_.name + "' has " + std::to_string(capacity) + "; name more cores");
          }
        };
        check(load.neurons, units, cap.neurons, "units");
        check(load.fan_in, fan_in[i], cap.fan_in, "input axons");
        check(load.synapse_memory_bytes, bytes, cap.synapse_memory_bytes, "bytes of synapse memory");
        add_to_core(slot, i, units, fan_in[i], bytes, mode, true);
      }
      continue;
    }
    // Fan-in beyond a core's axons is split into input slices: each slice core holds the same
    // units with a share of their synapses (partial sums merged on the first slice).
    const std::size_t slices = std::max<std::size_t>(1, ceil_div(fan_in[i], cap.fan_in));
    const std::size_t slice_fan_in = ceil_div(fan_in[i], slices);
    // Units per core: as many as fit, whole blocks (output channels) when a block fits a core, so
    // that each core stores the kernel slices of its own channels only. A piece that is not a
    // whole number of blocks may touch one block more than its size says: the memory check
    // assumes so.
    const std::size_t b = block_units[i];
    const auto aligned = [&](std::size_t units) { return b > 0 && units % b == 0; };
    const auto worst_memory = [&](std::size_t units) {
      if (aligned(units) || b == 0) return piece_memory(i, 0, units, slices);
      return piece_memory(i, b - 1, units, slices);  // starting on a block's last unit: one more block
    };
    std::size_t per_core = cap.neurons;
    const double bytes_per_unit = static_cast<double>(memory[i] + block_memory[i]) / static_cast<double>(node.units * slices);
    if (bytes_per_unit > 0.0) {  // a first guess from the average; the loop below makes it exact
      per_core = std::min(per_core, static_cast<std::size_t>(std::floor(static_cast<double>(cap.synapse_memory_bytes) / bytes_per_unit)));
    }
    if (b > 0 && b <= per_core) per_core -= per_core % b;
    while (per_core > 0 && worst_memory(per_core) > cap.synapse_memory_bytes) {
      per_core -= aligned(per_core) && per_core > b ? b : 1;
    }
    if (per_core == 0) {
      throw InputError("mapping: one unit of node '" + node.node + "' needs " + std::to_string(worst_memory(1)) +
                       " bytes of synapse memory, more than a core of '" + chip_.name + "' has (" +
                       std::to_string(cap.synapse_memory_bytes) + ")");
    }
    // A node that fits whole into the last core automatic placement opened (same mode, room
    // left) shares it.
    if (slices == 1 && last_automatic < cores_.size()) {
      const CoreLoad& last = cores_[last_automatic];
      if (mode_fits(core_mode[last_automatic], mode) && last.neurons + node.units <= cap.neurons &&
          last.fan_in + slice_fan_in <= cap.fan_in &&
          last.synapse_memory_bytes + piece_memory(i, 0, node.units, 1) <= cap.synapse_memory_bytes) {
        add_to_core(last_automatic, i, node.units, slice_fan_in, piece_memory(i, 0, node.units, 1), mode, true);
        continue;
      }
    }
    // balance: the same number of cores as fill, their unit counts differing by at most one
    // (10 units at 4 per core: 4, 3, 3 instead of 4, 4, 2) — or by one block, in whole blocks.
    const std::size_t pieces = ceil_div(node.units, per_core);
    const std::size_t blocks = aligned(per_core) ? ceil_div(node.units, b) : 0;
    for (std::size_t piece = 0, first = 0; piece < pieces; ++piece) {
      std::size_t units = std::min(per_core, node.units - first);
      if (placement == Placement::balance) {
        units = blocks > 0 ? std::min(node.units - first, b * (blocks / pieces + (piece < blocks % pieces ? 1 : 0)))
                           : node.units / pieces + (piece < node.units % pieces ? 1 : 0);
      }
      for (std::size_t slice = 0; slice < slices; ++slice) {
        const std::size_t near = placement == Placement::min_hops ? nearest_free_core(i) : cores_available_;
        last_automatic = near < cores_available_ ? use_core(near, mode) : open_core(mode, node.node);
        add_to_core(last_automatic, i, units, slice_fan_in, piece_memory(i, first, units, slices), mode, slice == 0);
      }
      first += units;
    }
  }

  // Static power follows cores: a shared core is split by the units each node has on it.
  core_share_.assign(nodes.size(), 0.0);
  core_nodes_.assign(cores_.size(), {});
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    for (const Piece& piece : pieces_[i]) {
      const double share = static_cast<double>(piece.units) / static_cast<double>(cores_[piece.core].neurons);
      core_share_[i] += share;
      core_nodes_[piece.core].emplace_back(i, share);
    }
  }
  work_cores_.assign(nodes.size(), {});
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    std::size_t owner = i;
    if (nodes[i].kind == NodeKind::projection) owner = index.at(nodes[i].targets.front());
    double units = 0.0;
    for (const Piece& piece : pieces_[owner]) units += static_cast<double>(piece.units);
    for (const Piece& piece : pieces_[owner]) {
      work_cores_[i].push_back({piece.core, static_cast<double>(piece.units) / units});
    }
  }
  build_routes(nodes, edges);
}

void CoreMapping::build_routes(const std::vector<NodeCounters>& nodes,
                               const std::vector<TrafficEdge>& edges) {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < nodes.size(); ++i) index.emplace(nodes[i].node, i);
  auto find = [&](const std::string& name, const TrafficEdge& edge) {
    const auto it = index.find(name);
    if (it == index.end()) {
      throw InputError("mapping: traffic " + edge.from + " -> " + edge.to + " names unknown node '" +
                       name + "'");
    }
    return it->second;
  };
  // Destination cores per source node; a projection forwards to its target's cores. A target on
  // the other side of the chip/host boundary costs one transfer per event instead.
  std::vector<std::set<std::size_t>> destinations(nodes.size());
  std::vector<std::set<std::size_t>> across_host(nodes.size());
  for (const auto& edge : edges) {
    const std::size_t from = find(edge.from, edge);
    std::size_t to = find(edge.to, edge);
    if (nodes[from].kind == NodeKind::projection) continue;  // projections do not emit
    if (nodes[to].kind == NodeKind::projection) {
      if (nodes[to].targets.empty()) continue;
      to = find(nodes[to].targets.front(), edge);
    }
    const bool from_runs = on_host_[from] != 0 || !pieces_[from].empty();
    const bool to_runs = on_host_[to] != 0 || !pieces_[to].empty();
    if (from_runs && to_runs && on_host_[from] != on_host_[to]) across_host[from].insert(to);
    for (const Piece& piece : pieces_[to]) destinations[from].insert(piece.core);
  }
  routes_.assign(nodes.size(), Route{});
  longest_route_.assign(nodes.size(), MeshDistance{});
  destination_cores_.assign(nodes.size(), {});
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    routes_[i].host_transfers_per_event = across_host[i].size();
    if (on_host_[i] != 0) destinations[i].clear();  // the host's values reach the chip as transfers
    if (!pieces_[i].empty()) destination_cores_[i].assign(destinations[i].begin(), destinations[i].end());
  }
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (destinations[i].empty() || pieces_[i].empty()) continue;
    Route& route = routes_[i];
    route.packets_per_event = destinations[i].size();
    double emitting_units = 0.0;
    for (const Piece& piece : pieces_[i]) {
      if (!piece.emits) continue;
      const CoreLoad& source = cores_[piece.core];
      const double weight = static_cast<double>(piece.units);
      emitting_units += weight;
      for (const std::size_t d : destinations[i]) {
        const CoreLoad& dest = cores_[d];
        const auto distance = [](std::size_t a, std::size_t b) { return a > b ? a - b : b - a; };
        const std::size_t crossings_x = distance(source.chip_x, dest.chip_x);
        const std::size_t crossings_y = distance(source.chip_y, dest.chip_y);
        route.east_west_per_event += weight * static_cast<double>(distance(source.x, dest.x) - crossings_x);
        route.north_south_per_event += weight * static_cast<double>(distance(source.y, dest.y) - crossings_y);
        route.inter_chip_per_event += weight * static_cast<double>(crossings_x + crossings_y);
        if (crossings_x + crossings_y != 0) route.inter_chip_packets_per_event += weight;
        MeshDistance& longest = longest_route_[i];
        const MeshDistance here{distance(source.x, dest.x) - crossings_x, distance(source.y, dest.y) - crossings_y,
                                crossings_x + crossings_y};
        // Longest in time (a crossing of a chip boundary takes far longer than an on-chip hop),
        // then in hops (chips without a timing model).
        const auto length = [this](const MeshDistance& route_length) {
          const double ns = static_cast<double>(route_length.east_west) * chip_.timing.hop_east_west_ns +
                            static_cast<double>(route_length.north_south) * chip_.timing.hop_north_south_ns +
                            static_cast<double>(route_length.inter_chip) * chip_.link.latency_ns;
          return std::pair{ns, route_length.east_west + route_length.north_south + route_length.inter_chip};
        };
        if (length(here) > length(longest)) longest = here;
      }
    }
    route.east_west_per_event /= emitting_units;
    route.north_south_per_event /= emitting_units;
    route.inter_chip_per_event /= emitting_units;
    route.inter_chip_packets_per_event /= emitting_units;
  }
}

RouteCounts CoreMapping::route(std::size_t node_index, std::uint64_t events) const {
  const Route& route = routes_.at(node_index);
  const double n = static_cast<double>(events);
  RouteCounts counts;
  counts.packets = events * route.packets_per_event;
  counts.host_transfers = events * route.host_transfers_per_event;
  counts.hops_east_west = static_cast<std::uint64_t>(std::llround(n * route.east_west_per_event));
  counts.hops_north_south = static_cast<std::uint64_t>(std::llround(n * route.north_south_per_event));
  counts.hops_inter_chip = static_cast<std::uint64_t>(std::llround(n * route.inter_chip_per_event));
  counts.inter_chip_packets = static_cast<std::uint64_t>(std::llround(n * route.inter_chip_packets_per_event));
  return counts;
}

std::vector<ChipRun> CoreMapping::chip_runs(std::size_t node_index) const {
  std::vector<ChipRun> runs;
  for (const Piece& piece : pieces_.at(node_index)) {
    if (!piece.emits) continue;
    const CoreLoad& load = cores_[piece.core];
    runs.push_back({load.chip_y * board_.chips_x + load.chip_x, piece.units});
  }
  return runs;
}

bool CoreMapping::uses_host() const {
  return std::any_of(on_host_.begin(), on_host_.end(), [](char host) { return host != 0; });
}

std::size_t CoreMapping::tiles_used() const {
  std::set<std::size_t> tiles;
  for (const CoreLoad& load : cores_) tiles.insert(load.core / chip_.cores_per_tile);
  return tiles.size();
}

UtilisationSummary CoreMapping::utilisation() const {
  const CoreCapacity& capacity = chip_.core;
  UtilisationSummary summary;
  if (cores_.empty()) return summary;
  for (const CoreLoad& load : cores_) {
    const double neurons = static_cast<double>(load.neurons) / static_cast<double>(capacity.neurons);
    const double fan_in = static_cast<double>(load.fan_in) / static_cast<double>(capacity.fan_in);
    const double memory = static_cast<double>(load.synapse_memory_bytes) /
                          static_cast<double>(capacity.synapse_memory_bytes);
    summary.neurons_mean += neurons;
    summary.fan_in_mean += fan_in;
    summary.memory_mean += memory;
    summary.neurons_max = std::max(summary.neurons_max, neurons);
    summary.fan_in_max = std::max(summary.fan_in_max, fan_in);
    summary.memory_max = std::max(summary.memory_max, memory);
  }
  const double n = static_cast<double>(cores_.size());
  summary.neurons_mean /= n;
  summary.fan_in_mean /= n;
  summary.memory_mean /= n;
  return summary;
}

}  // namespace tandem
