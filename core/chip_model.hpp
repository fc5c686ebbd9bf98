// A chip as the energy model sees it: a 2D mesh of cores with capacities, the modes a core
// runs, a per-operation energy cost table, static power and clock. Loaded from YAML
// (presets/*.yaml or a user file); the format is documented in docs/energy.md.
#pragma once

#include <array>
#include <map>
#include <vector>
#include <string>

#include "core/op_counts.hpp"
#include "core/precision.hpp"

namespace YAML {
class Node;
}

namespace tandem {

struct CoreCapacity {
  std::size_t neurons = 0;               // units (neurons, layer outputs) one core holds
  std::size_t fan_in = 0;                // input axons one core can receive
  std::size_t synapse_memory_bytes = 0;  // weights, delays and indices one core stores
  bool snn = true;                       // the core runs spiking populations
  bool ann = false;                      // the core runs dense layers
  // One core may hold spiking and dense nodes at once (a conventional processor). When false,
  // a core runs in one mode at a time, as Tianjic's cores do.
  bool mixed_modes = false;
};

// Power drawn by cores when nothing is switching: per core in use, in ticks where it works and in
// ticks where it has no work (clock-gated), and what unused cores draw.
struct StaticPower {
  double core_active_w = 0.0;
  double core_idle_w = 0.0;
  bool unused_cores_power_gated = true;  // false: an unused core draws core_idle_w
  std::string source;                    // a publication, or "assumed: <basis>"
};

// How long the chip takes per tick: per-op latencies summed per core, the slowest core, plus a
// barrier synchronisation that depends on the cores in use. docs/energy.md "Time".
struct ChipTiming {
  bool modelled = false;  // the chip file has a `timing` block
  std::string source;
  std::array<double, op_kind_count> latency_ns{};  // `hops` entry: undirected hop
  double hop_east_west_ns = 0.0;
  double hop_north_south_ns = 0.0;
  // Time a destination core spends taking in one packet (receive side); 0 when the chip's
  // figures fold it into the ops that follow.
  double packet_receive_ns = 0.0;
  // A core's receive side (synaptic ops, input events, memory reads, MACs) runs in parallel
  // with its send side (updates, activations, spikes, packets, conversions, writes): the core's
  // time is the larger of the two instead of their sum.
  bool pipelines_overlap = false;
  // Barrier time by tiles in use (ascending tiles; a tile is a core when cores_per_tile is 1),
  // clamped at both ends; one entry when the chip gives a single figure. Between entries it is
  // linear, or a step (the entry of the largest tile count not above) when `sync_steps`.
  std::vector<std::pair<double, double>> sync_ns_by_tiles;
  bool sync_steps = false;
  // Ops with no latency, each with the reason (as ChipModel::unpriced).
  std::map<std::string, std::string> untimed;

  [[nodiscard]] double latency(Op op) const { return latency_ns[static_cast<std::size_t>(op)]; }
  [[nodiscard]] double sync_ns(std::size_t tiles_in_use) const;
};

// The chip's host processor (Loihi's embedded x86 cores), which runs dense nodes a chip without
// dense cores cannot, when a run asks for it (--host-offload). Values cross between the chip's
// cores and the host one transfer each.
struct HostProcessor {
  bool present = false;  // the chip file has a `host` block
  std::string name;
  std::string source;
  std::array<double, op_kind_count> cost_pj{};
  std::array<double, op_kind_count> latency_ns{};
  std::map<std::string, std::string> unpriced;  // ops the host does not price, with the reason
  double transfer_pj = 0.0;  // one value between the chip's cores and the host
  double transfer_ns = 0.0;
};

// The link between two neighbouring chips of a board (`inter_chip_link:`): a packet crossing a
// chip boundary is priced and timed here instead of as an on-chip hop. A route crossing k
// boundaries is k crossings. docs/energy.md "Inter-chip links".
struct InterChipLink {
  // How the figures were given: the file's `inter_chip_link` block; the legacy keys
  // costs_pj.hops_inter_chip / timing.latency_ns.hops_inter_chip; or neither, in which case a
  // crossing costs what an on-chip hop does (and `source` says so).
  enum class Origin { block, legacy_keys, on_chip_hop };
  Origin origin = Origin::on_chip_hop;
  bool applicable = true;         // false: the chip is never tiled (`not_applicable: reason`)
  double energy_pj = 0.0;         // one packet across one chip boundary
  double energy_pj_per_bit = 0.0; // when given per bit (energy_pj = per bit × packet_bits), else 0
  std::size_t packet_bits = 0;    // 0 when not given
  double latency_ns = 0.0;        // one crossing, added to a route's transit time
  double bandwidth_gbit_s = 0.0;  // informative (contention is not modelled); 0 when not given
  std::string source;             // a publication, "assumed: <basis>", or why it does not apply
};

struct ChipModel {
  std::string name;
  std::string description;
  std::string source;  // where the figures come from (paper, table)
  std::size_t mesh_width = 0;   // in tiles
  std::size_t mesh_height = 0;  // in tiles
  std::size_t cores_per_tile = 1;  // cores sharing a router: hops are counted between tiles
  CoreCapacity core;
  // Energy per operation in picojoules, indexed by Op. The `hops` entry is the average hop;
  // hop_east_west_pj / hop_north_south_pj price XY-routed hops by direction.
  std::array<double, op_kind_count> cost_pj{};
  double hop_east_west_pj = 0.0;
  double hop_north_south_pj = 0.0;
  InterChipLink link;  // chip-to-chip crossings on a board
  StaticPower static_power;
  ChipTiming timing;
  HostProcessor host;
  // Mapping defaults of the chip file (`mapping:`), which --neurons-per-core and --placement
  // override: at most this many units per core (0: core.neurons), and the placement policy.
  std::size_t mapping_neurons_per_core = 0;
  std::string mapping_placement = "fill";
  double clock_hz = 0.0;
  // The arithmetic the chip's neurons compute in (`native_precision:`; float32 when not given):
  // what `--precision native` selects (docs/precision.md).
  Precision native_precision = Precision::float32;
  // Counters (op names of docs/energy.md) this chip does not price, each with the reason: a cost
  // folded into another one ("folded into synaptic_ops: …"), or work the chip does not do. A
  // counter neither priced (> 0) nor listed here is an unexplained zero (unexplained_zeros()).
  std::map<std::string, std::string> unpriced;

  // Op names whose cost is 0 without a reason in `unpriced`.
  [[nodiscard]] std::vector<std::string> unexplained_zeros() const;
  // Op names with no latency and no reason in `timing.untimed` (none when timing is not modelled).
  [[nodiscard]] std::vector<std::string> untimed_without_reason() const;

  [[nodiscard]] std::size_t tiles() const { return mesh_width * mesh_height; }
  [[nodiscard]] std::size_t cores() const { return tiles() * cores_per_tile; }
  [[nodiscard]] double cost(Op op) const { return cost_pj[static_cast<std::size_t>(op)]; }
};

// Parses a chip description; `origin` (a file path) names the file in InputErrors, which also
// name the key, its line when known, and the problem.
ChipModel parse_chip(const YAML::Node& root, const std::string& origin);
ChipModel load_chip_file(const std::string& path);
ChipModel parse_chip_text(const std::string& yaml_text, const std::string& origin);

}  // namespace tandem
