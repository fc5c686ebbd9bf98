// Places the nodes of a network onto the cores of a chip (or a board of tiled chips) and
// routes their output events as packets over the 2D mesh with XY routing, so packets and
// hops can be counted per node. Rules and approximations: docs/energy.md "Mapping".
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/chip_model.hpp"
#include "core/op_counts.hpp"

namespace tandem {

class Simulation;

// "Output events of node `from` reach node `to`" (within an engine or over a wire).
struct TrafficEdge {
  std::string from;
  std::string to;
};

// Every node's `targets` plus one edge per wire whose two ports name their nodes.
std::vector<TrafficEdge> traffic_edges(const Simulation& simulation);

// Several identical chips tiled into a board, chips_x × chips_y. The default is one chip.
struct BoardLayout {
  std::size_t chips_x = 1;
  std::size_t chips_y = 1;
};

// What one core in use holds.
struct CoreLoad {
  std::size_t core = 0;                 // physical index: row-major within a chip, chips row-major
  std::size_t chip_x = 0, chip_y = 0;   // which chip of the board
  std::size_t x = 0, y = 0;             // position on the board's global mesh
  std::size_t neurons = 0;
  std::size_t fan_in = 0;
  std::size_t synapse_memory_bytes = 0;
  std::vector<std::string> nodes;
  std::vector<std::size_t> node_units;  // units of each of `nodes` on this core
};

// Packets and hops of some traffic; hops split by direction and chip boundary.
struct RouteCounts {
  std::uint64_t packets = 0;
  std::uint64_t hops_east_west = 0;
  std::uint64_t hops_north_south = 0;
  std::uint64_t hops_inter_chip = 0;
  std::uint64_t host_transfers = 0;  // values between the chip's cores and its host processor
  // Packets whose route leaves the source's chip (each crosses hops_inter_chip / this many
  // chip boundaries on average); hops_inter_chip counts the crossings, one per boundary.
  std::uint64_t inter_chip_packets = 0;
  [[nodiscard]] std::uint64_t hops() const { return hops_east_west + hops_north_south + hops_inter_chip; }
  RouteCounts& operator+=(const RouteCounts& other);
  friend bool operator==(const RouteCounts&, const RouteCounts&) = default;
};

// Hops between two cores by direction (XY routing; a chip boundary crossing is an inter-chip hop).
struct MeshDistance {
  std::size_t east_west = 0;
  std::size_t north_south = 0;
  std::size_t inter_chip = 0;
};

// A core and the share of a node's work done on it (shares of one node add up to 1).
struct CoreShare {
  std::size_t core = 0;
  double share = 0.0;
};

// A run of consecutive units of a node on one chip (chips numbered row-major on the board, as
// CoreLoad::chip_x + chip_y * chips_x).
struct ChipRun {
  std::size_t chip = 0;
  std::size_t units = 0;
};

struct UtilisationSummary {
  double neurons_mean = 0, neurons_max = 0;
  double fan_in_mean = 0, fan_in_max = 0;
  double memory_mean = 0, memory_max = 0;
};

// Cores named for nodes (the network file's `placement`): node name -> physical core indices
// (row-major within a chip, chips row-major on the board). A pinned node's units are spread
// evenly over its cores in order; several nodes may name one core if it holds them all.
using PinnedCores = std::map<std::string, std::vector<std::size_t>>;

// How nodes are placed: `fill` each core in order (all full but the last); `balance` a node's
// units evenly over the same number of cores; `min_hops` fills like `fill` but takes the nodes in
// traffic order (breadth-first over who sends to whom) and puts each piece on the free core
// nearest to the cores of its already-placed neighbours, to shorten routes.
enum class Placement { fill, balance, min_hops };
// "fill" | "balance" | "min-hops"; InputError naming the text otherwise.
Placement parse_placement(const std::string& text);

class CoreMapping {
 public:
  // Places `nodes` (structure only is used) in order; pinned nodes on their cores, the others on
  // the free cores in order. InputError when the network needs more cores than the board has, a
  // single unit does not fit a core, no core runs a node's mode, or a pinned core does not exist,
  // cannot run the node's mode or lacks room (naming node and core). With `host_offload`, dense
  // nodes on a chip without dense cores run on the chip's host processor instead (off the mesh).
  CoreMapping(const std::vector<NodeCounters>& nodes, const std::vector<TrafficEdge>& edges,
              const ChipModel& chip, BoardLayout board = {}, Placement placement = Placement::fill,
              const PinnedCores& pinned = {}, bool host_offload = false);

  // Packets and hops caused by `events` output events of node `node_index` (index into the
  // `nodes` given to the constructor): one packet per event per destination core.
  [[nodiscard]] RouteCounts route(std::size_t node_index, std::uint64_t events) const;
  // Fraction of cores in use attributed to a node (sums to cores_used() over all nodes).
  [[nodiscard]] double core_share(std::size_t node_index) const { return core_share_.at(node_index); }
  // Where a node's work runs: its own cores by units (each input slice an equal part), a
  // projection's on its target population's cores; empty for nodes not on the chip.
  [[nodiscard]] const std::vector<CoreShare>& work_cores(std::size_t node_index) const {
    return work_cores_.at(node_index);
  }
  // The nodes on a core, each with its fraction of the core's units (adds up to 1 per core).
  [[nodiscard]] const std::vector<std::pair<std::size_t, double>>& core_nodes(std::size_t core) const {
    return core_nodes_.at(core);
  }
  // The cores (slots in cores()) each output event of a node is sent to, one packet to each.
  [[nodiscard]] const std::vector<std::size_t>& destination_cores(std::size_t node_index) const {
    return destination_cores_.at(node_index);
  }
  // Where a node's units are, in unit order: each piece's chip and units. Of a node split into
  // input slices, only the first slice of each piece is listed — it merges the partial sums and
  // emits the units' events, so the units live on its chip; the other slices hold the same units.
  // Empty for nodes not on the chip.
  [[nodiscard]] std::vector<ChipRun> chip_runs(std::size_t node_index) const;
  // The node runs on the chip's host processor (host offload), not on a core.
  [[nodiscard]] bool on_host(std::size_t node_index) const { return on_host_.at(node_index) != 0; }
  [[nodiscard]] bool uses_host() const;
  // The longest route a node's output events take (zero for a node that sends nothing).
  [[nodiscard]] const MeshDistance& longest_route(std::size_t node_index) const {
    return longest_route_.at(node_index);
  }

  // The cores in use, in the order they were taken (CoreLoad::core is the physical index).
  [[nodiscard]] const std::vector<CoreLoad>& cores() const { return cores_; }
  [[nodiscard]] std::size_t cores_used() const { return cores_.size(); }
  // Tiles (groups of cores_per_tile cores sharing a router) with at least one core in use.
  [[nodiscard]] std::size_t tiles_used() const;
  [[nodiscard]] std::size_t cores_available() const { return cores_available_; }
  [[nodiscard]] const BoardLayout& board() const { return board_; }
  // Mean and largest fraction of a core's neurons, fan-in and synapse memory in use.
  [[nodiscard]] UtilisationSummary utilisation() const;

 private:
  struct Piece {
    std::size_t core;
    std::size_t units;
    bool emits;  // the first input slice of a chunk: the core that sends the chunk's events
  };
  struct Route {
    std::uint64_t packets_per_event = 0;
    double east_west_per_event = 0, north_south_per_event = 0, inter_chip_per_event = 0;
    double inter_chip_packets_per_event = 0;  // destinations on another chip
    std::uint64_t host_transfers_per_event = 0;  // target nodes on the other side of the chip/host boundary
  };
  void build_routes(const std::vector<NodeCounters>& nodes, const std::vector<TrafficEdge>& edges);

  ChipModel chip_;
  BoardLayout board_;
  std::size_t cores_available_ = 0;
  std::vector<CoreLoad> cores_;
  std::vector<std::vector<Piece>> pieces_;  // per node
  std::vector<Route> routes_;               // per node
  std::vector<double> core_share_;          // per node
  std::vector<std::vector<CoreShare>> work_cores_;                      // per node
  std::vector<std::vector<std::pair<std::size_t, double>>> core_nodes_;  // per core: node, share
  std::vector<MeshDistance> longest_route_;                             // per node
  std::vector<std::vector<std::size_t>> destination_cores_;             // per node
  std::vector<char> on_host_;                                           // per node
};

}  // namespace tandem
