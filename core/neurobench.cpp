#include "core/neurobench.hpp"

#include <limits>

namespace tandem {

NeuroBenchFigures neurobench_figures(std::span<const NodeEnergy> nodes, Tick ticks) {
  NeuroBenchFigures figures;
  double outputs_sent = 0.0;
  double outputs_possible = 0.0;
  double synapses = 0.0;
  double possible = 0.0;
  for (const NodeEnergy& node : nodes) {
    figures.effective_acs += node.executed[Op::synaptic_op];
    figures.effective_macs += node.executed[Op::mac];
    figures.dense_ops += node.always_on[Op::synaptic_op] + node.always_on[Op::mac];
    figures.neuron_updates += node.executed[Op::neuron_update];
    figures.weight_bytes += node.weight_bytes;
    figures.state_bytes += node.state_bytes;
    if (node.kind == NodeKind::spiking) {
      outputs_sent += static_cast<double>(node.executed[Op::spike]);
      outputs_possible += static_cast<double>(node.units) * static_cast<double>(ticks);
    } else if (node.kind == NodeKind::dense) {
      // A layer's output is an activation: sent when non-zero (or changed), one per unit per run.
      outputs_sent += static_cast<double>(node.executed[Op::spike]);
      outputs_possible += static_cast<double>(node.always_on[Op::activation]);
    } else if (node.kind == NodeKind::projection && node.possible_synapses > 0.0) {
      synapses += static_cast<double>(node.units);  // a projection's units are its synapses
      possible += node.possible_synapses;
    }
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  figures.activation_sparsity = outputs_possible > 0.0 ? 1.0 - outputs_sent / outputs_possible : nan;
  figures.connection_sparsity = possible > 0.0 ? 1.0 - synapses / possible : nan;
  return figures;
}

}  // namespace tandem
