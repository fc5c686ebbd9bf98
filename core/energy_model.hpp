// The only code that knows joules: prices operation counts with a chip's per-op cost table
// (dynamic energy) and static power over time per core.
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
  // (east-west, north-south) and chip-boundary crossings at the inter-chip link's energy per
  // packet; hops in `ops` beyond routed.hops() (counted by an engine itself) at the chip's
  // undirected hop cost.
  // A node on the host processor (`on_host`) is priced with the host's costs. Transfers between
  // the chip and its host in `routed` are priced at the host's transfer cost.
  [[nodiscard]] double dynamic_energy_j(const OpCounts& ops, const RouteCounts& routed = {}, bool on_host = false) const;
  // The part of dynamic_energy_j spent on inter-chip links: crossings × link energy per packet.
  [[nodiscard]] double link_energy_j(const RouteCounts& routed) const {
    return static_cast<double>(routed.hops_inter_chip) * chip_.link.energy_pj * joules_per_picojoule;
  }
  // One core in use over `seconds`: active power when it had work, idle (clock-gated) otherwise.
  [[nodiscard]] double core_static_j(bool working, double seconds) const {
    return (working ? chip_.static_power.core_active_w : chip_.static_power.core_idle_w) * seconds;
  }
  // `cores` unused cores over `seconds`: nothing when the chip power-gates them, else idle power.
  [[nodiscard]] double unused_cores_static_j(std::size_t cores, double seconds) const {
    return chip_.static_power.unused_cores_power_gated
               ? 0.0
               : chip_.static_power.core_idle_w * static_cast<double>(cores) * seconds;
  }
  [[nodiscard]] const ChipModel& chip() const { return chip_; }

 private:
  ChipModel chip_;
};

}  // namespace tandem
