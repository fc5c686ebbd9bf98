#include "core/energy_model.hpp"

namespace tandem {

double EnergyModel::dynamic_energy_j(const OpCounts& ops, const RouteCounts& routed, bool on_host) const {
  double pj = static_cast<double>(routed.host_transfers) * chip_.host.transfer_pj;
  if (on_host) {
    for (std::size_t i = 0; i < op_kind_count; ++i) pj += static_cast<double>(ops.value[i]) * chip_.host.cost_pj[i];
    return pj * joules_per_picojoule;
  }
  for (std::size_t i = 0; i < op_kind_count; ++i) {
    if (static_cast<Op>(i) == Op::hop) continue;
    pj += static_cast<double>(ops.value[i]) * chip_.cost_pj[i];
  }
  const std::uint64_t hops = ops[Op::hop];
  const std::uint64_t unrouted = hops > routed.hops() ? hops - routed.hops() : 0;
  pj += static_cast<double>(routed.hops_east_west) * chip_.hop_east_west_pj +
        static_cast<double>(routed.hops_north_south) * chip_.hop_north_south_pj +
        static_cast<double>(unrouted) * chip_.cost(Op::hop);
  return pj * joules_per_picojoule + link_energy_j(routed);
}

}  // namespace tandem
