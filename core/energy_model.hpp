// The only code that knows joules: prices operation counts with a chip's per-op cost table
// (dynamic energy) and adds static power × simulated time for the cores in use.
#pragma once

#include "core/chip_model.hpp"
#include "core/core_mapping.hpp"
#include "core/op_counts.hpp"

namespace tandem {

inline constexpr double joules_per_picojoule = 1e-12;

class EnergyModel {
 public:
  explicit EnergyModel(ChipModel chip) : chip_(std::move(chip)) {}

  // E = sum over ops of count × cost_pj × 1e-12. Hops in `routed` are priced by direction
  // (east-west, north-south, inter-chip); hops in `ops` beyond routed.hops() (counted by an
  // engine itself) at the chip's undirected hop cost.
  [[nodiscard]] double dynamic_energy_j(const OpCounts& ops, const RouteCounts& routed = {}) const;
  // E = static_power_w per core × cores × seconds (cores may be fractional: a node's share).
  [[nodiscard]] double static_energy_j(double cores, double seconds) const {
    return chip_.static_power_w * cores * seconds;
  }
  [[nodiscard]] const ChipModel& chip() const { return chip_; }

 private:
  ChipModel chip_;
};

}  // namespace tandem
