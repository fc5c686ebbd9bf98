#include "core/chip_time.hpp"

#include <algorithm>

namespace tandem {
namespace {

// The receive side of a core: delivering what arrives (synapses looked up, weights read,
// multiply-accumulates). Everything else (updates, activations, spikes and packets out,
// conversions, state writes) is its send side, and taking in packets (packet_receive_ns) its
// receive side. Hops are the mesh's, timed as transit.
bool on_receive_side(Op op) {
  return op == Op::synaptic_op || op == Op::input_event || op == Op::memory_byte_read || op == Op::mac;
}

// Work that makes a core count as active in a tick: any op except an idle neuron's skipped
// update (which a chip with clock gating does not clock).
bool is_work(const OpCounts& ops) {
  for (std::size_t i = 0; i < op_kind_count; ++i) {
    if (static_cast<Op>(i) != Op::neuron_update_skipped && static_cast<Op>(i) != Op::hop && ops.value[i] != 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

ChipTimeModel::ChipTimeModel(const ChipModel& chip, const CoreMapping& mapping)
    : timing_(chip.timing),
      host_(chip.host),
      link_latency_ns_(chip.link.latency_ns),
      mapping_(mapping),
      sync_ns_(chip.timing.sync_ns(mapping.tiles_used())),
      send_ns_(mapping.cores_used()),
      receive_ns_(mapping.cores_used()),
      working_(mapping.cores_used()) {}

EpochChipTime ChipTimeModel::add_epoch(std::span<const OpCounts> ops, std::span<const std::uint64_t> transfers,
                                       Tick ticks) {
  std::fill(send_ns_.begin(), send_ns_.end(), 0.0);
  std::fill(receive_ns_.begin(), receive_ns_.end(), 0.0);
  std::fill(working_.begin(), working_.end(), 0);
  double transit_ns = 0.0;
  double on_chip_transit_ns = 0.0;  // the same with crossings left out: what the links add is the difference
  double host_ns = 0.0;  // the host processor works through its nodes and transfers in turn
  for (std::size_t node = 0; node < ops.size(); ++node) {
    const OpCounts& counts = ops[node];
    host_ns += static_cast<double>(transfers[node]) * host_.transfer_ns;
    if (mapping_.on_host(node)) {
      for (std::size_t i = 0; i < op_kind_count; ++i) host_ns += static_cast<double>(counts.value[i]) * host_.latency_ns[i];
      continue;
    }
    const bool active = is_work(counts);
    if (!active && counts[Op::neuron_update_skipped] == 0) continue;
    double send = 0.0;
    double receive = 0.0;
    for (std::size_t i = 0; i < op_kind_count; ++i) {
      const Op op = static_cast<Op>(i);
      if (op == Op::hop) continue;
      const double ns = static_cast<double>(counts.value[i]) * timing_.latency_ns[i];
      (on_receive_side(op) ? receive : send) += ns;
    }
    for (const CoreShare& where : mapping_.work_cores(node)) {
      send_ns_[where.core] += send * where.share;
      receive_ns_[where.core] += receive * where.share;
      if (active) working_[where.core] = 1;
    }
    if (counts[Op::packet] != 0) {
      // Every destination core takes in one packet per output event.
      const double receive_ns = static_cast<double>(counts[Op::spike]) * timing_.packet_receive_ns;
      for (const std::size_t destination : mapping_.destination_cores(node)) receive_ns_[destination] += receive_ns;
      const MeshDistance& route = mapping_.longest_route(node);
      const double on_chip_ns = static_cast<double>(route.east_west) * timing_.hop_east_west_ns +
                                static_cast<double>(route.north_south) * timing_.hop_north_south_ns;
      on_chip_transit_ns = std::max(on_chip_transit_ns, on_chip_ns);
      transit_ns = std::max(transit_ns, on_chip_ns + static_cast<double>(route.inter_chip) * link_latency_ns_);
    }
  }
  EpochChipTime result;
  double slowest_ns = 0.0;
  for (std::size_t core = 0; core < working_.size(); ++core) {
    const double core_ns = timing_.pipelines_overlap ? std::max(send_ns_[core], receive_ns_[core])
                                                     : send_ns_[core] + receive_ns_[core];
    slowest_ns = std::max(slowest_ns, core_ns);
    result.cores_working += working_[core];
  }
  if (timing_.modelled && ticks > 0) {
    // Work and transit of the epoch spread evenly over its ticks (exact for one-tick epochs); the
    // host works beside the cores; every tick ends with a barrier.
    const double per_tick = 1.0 / static_cast<double>(ticks);
    result.tick_s = (std::max(slowest_ns + transit_ns, host_ns) * per_tick + sync_ns_) * 1e-9;
    const double without_links_s = (std::max(slowest_ns + on_chip_transit_ns, host_ns) * per_tick + sync_ns_) * 1e-9;
    result.link_s = result.tick_s - without_links_s;
  }
  return result;
}

}  // namespace tandem
