// Time on the chip: from what each node did in an epoch, how long each core worked, which cores
// had work, and how long the chip takes per tick (slowest core + longest route, its inter-chip
// crossings at the link latency + barrier synchronisation). The model and its approximations: docs/energy.md "Time".
#pragma once

#include <span>
#include <vector>

#include "core/chip_model.hpp"
#include "core/core_mapping.hpp"
#include "core/op_counts.hpp"
#include "core/time.hpp"

namespace tandem {

// One epoch as the chip runs it.
struct EpochChipTime {
  double tick_s = 0.0;            // mean time per tick on the chip (0 when timing is not modelled)
  std::size_t cores_working = 0;  // cores in use that had work in the epoch
  // What inter-chip links add to tick_s: tick_s less the tick with every crossing's latency
  // left out (0 when no route that sets the tick crosses a chip boundary).
  double link_s = 0.0;
};

class ChipTimeModel {
 public:
  ChipTimeModel(const ChipModel& chip, const CoreMapping& mapping);

  // `ops[i]`: what node i (in the mapping's node order) did during an epoch of `ticks` ticks,
  // including its routed packets and hops; `transfers[i]`: the values its output sent across the
  // chip/host boundary. Sets core_working() for the epoch.
  EpochChipTime add_epoch(std::span<const OpCounts> ops, std::span<const std::uint64_t> transfers, Tick ticks);

  // After add_epoch: whether core `core` had work (any op but skipped neuron updates).
  [[nodiscard]] bool core_working(std::size_t core) const { return working_[core] != 0; }
  [[nodiscard]] bool modelled() const { return timing_.modelled; }

 private:
  ChipTiming timing_;
  HostProcessor host_;
  double link_latency_ns_ = 0.0;  // one chip-boundary crossing
  const CoreMapping& mapping_;
  double sync_ns_ = 0.0;
  std::vector<double> send_ns_;     // per core, this epoch
  std::vector<double> receive_ns_;  // per core, this epoch
  std::vector<char> working_;       // per core, this epoch
};

}  // namespace tandem
