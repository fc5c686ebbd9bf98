// Operation counters: what kernels did, counted in bulk per call. Never joules — the energy
// model prices these. Every engine keeps, per node, what it executed and what the same node
// would have executed always-on over the same ticks (the analytic baseline).
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace tandem {

// The kinds of operation a chip spends energy on. The order is the order of the
// counter table in reports and files; append new kinds at the end.
enum class Op : std::size_t {
  neuron_update,          // a neuron's state advanced by one tick
  neuron_update_skipped,  // a neuron left untouched because its update was an exact no-op
  synaptic_op,            // one synaptic accumulate (a spike delivered along one synapse)
  mac,                    // one multiply-accumulate in a dense layer
  activation,             // one nonlinearity evaluated
  spike,                  // one spike emitted (dense layers: one graded event / value sent)
  input_event,            // one event received (a spike or a changed dense value)
  encoder_conversion,     // one value turned into spikes/events by the bridge, per unit
  decoder_conversion,     // one value read out of spikes by the bridge, per unit
  packet,                 // one packet sent between cores
  hop,                    // one mesh hop travelled by a packet
  memory_byte_read,
  memory_byte_written,
  count_
};

inline constexpr std::size_t op_kind_count = static_cast<std::size_t>(Op::count_);

// snake_case names used in reports, JSON and HDF5 (/energy/<node>/<name>).
std::string_view op_name(Op op);
// Inverse of op_name; returns false when the name is unknown.
bool op_from_name(std::string_view name, Op& op);

struct OpCounts {
  std::array<std::uint64_t, op_kind_count> value{};

  std::uint64_t& operator[](Op op) { return value[static_cast<std::size_t>(op)]; }
  std::uint64_t operator[](Op op) const { return value[static_cast<std::size_t>(op)]; }
  void add(Op op, std::uint64_t amount) { value[static_cast<std::size_t>(op)] += amount; }

  OpCounts& operator+=(const OpCounts& other);
  OpCounts& operator-=(const OpCounts& other);
  friend OpCounts operator+(OpCounts a, const OpCounts& b) { return a += b; }
  friend OpCounts operator-(OpCounts a, const OpCounts& b) { return a -= b; }
  friend bool operator==(const OpCounts&, const OpCounts&) = default;
};

enum class NodeKind { spiking, projection, dense, bridge, input, environment };
std::string_view to_string(NodeKind kind);

// Counters of one node (a population, projection, layer, bridge unit …) of an engine, with
// the structure the chip mapping needs to place it on cores and route its traffic.
struct NodeCounters {
  std::string node;
  NodeKind kind = NodeKind::spiking;
  std::size_t units = 0;                  // neurons, layer outputs, encoder/decoder channels
  std::size_t fan_in = 0;                 // largest number of inputs (axons) of one unit; for a
                                          // population, over all its incoming projections together
  std::size_t synapse_memory_bytes = 0;   // weights, delays and indices this node stores
  // Convolutions (kernel-sharing projections and layers): its target units come in blocks of
  // this many (one output channel's plane) that share one slice of the memory above, so a core
  // holding any unit of a block stores the block's whole slice. 0: the memory is per unit.
  std::size_t weight_block_units = 0;
  std::size_t state_bytes = 0;            // neuron or layer state it keeps (membranes, accumulators)
  // Largest |output − exact output| so far when the node runs an approximate mode (a delta
  // threshold above 0) and measures it; NaN when it is exact or not measured.
  double approximation_error = std::numeric_limits<double>::quiet_NaN();
  std::vector<std::string> targets;       // nodes of the same engine its output feeds
  std::string precision = "float32";      // the arithmetic of its updates (core/precision.hpp)
  std::string quantisation;               // integer precisions: how weights and parameters were rounded
  OpCounts executed;   // what this run did
  OpCounts always_on;  // what the same node does always-on over the same ticks
};

}  // namespace tandem
