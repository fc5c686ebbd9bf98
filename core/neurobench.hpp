// NeuroBench's vocabulary for a run, computed from tandem's counters: what a NeuroBench user
// reads (effective ACs and MACs, activation and connection sparsity, memory footprint) without
// new counting. The definitions: docs/energy.md "NeuroBench".
#pragma once

#include <span>

#include "core/energy_ledger.hpp"

namespace tandem {

// NeuroBench's vocabulary (Yik et al., "NeuroBench", Nature Communications 2025) for a node or
// the total, from tandem's counters; docs/energy.md "NeuroBench".
struct NeuroBenchFigures {
  std::uint64_t effective_acs = 0;   // synaptic ops on binary inputs (spikes) executed
  std::uint64_t effective_macs = 0;  // multiply-accumulates on graded inputs executed
  std::uint64_t dense_ops = 0;       // the same ops with every input non-zero (always-on)
  std::uint64_t neuron_updates = 0;
  double activation_sparsity = 0.0;  // populations and layers: 1 - outputs sent / outputs possible (NaN: none)
  double connection_sparsity = 0.0;  // projections: 1 - synapses / (source × target units) (NaN: none)
  std::size_t weight_bytes = 0;
  std::size_t state_bytes = 0;
};
// `ticks`: the run's length (a population can emit one spike per unit per tick). For the
// total, `nodes` are all nodes; for one node, pass it alone.
NeuroBenchFigures neurobench_figures(std::span<const NodeEnergy> nodes, Tick ticks);

}  // namespace tandem
