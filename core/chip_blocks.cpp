#include "core/chip_blocks.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "core/error.hpp"

namespace tandem {

PopulationBlocks chip_blocks(const CoreMapping& mapping, const std::vector<NodeCounters>& nodes) {
  const std::size_t chips = mapping.board().chips_x * mapping.board().chips_y;
  PopulationBlocks blocks;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].kind != NodeKind::spiking) continue;
    const std::vector<ChipRun> runs = mapping.chip_runs(i);
    // Units per chip, and the chips in the order the population's units visit them.
    std::vector<std::size_t> units(chips, 0);
    std::vector<std::size_t> visited;
    for (const ChipRun& run : runs) {
      if (run.units == 0) continue;
      if (visited.empty() || visited.back() != run.chip) visited.push_back(run.chip);
      units.at(run.chip) += run.units;
    }
    if (!std::is_sorted(visited.begin(), visited.end())) {  // no chip twice in a row: a step back
      // A chip visited twice has two ranges of the population; else the chips are only out of order.
      std::string order;
      std::string why = "its chips are out of order";
      for (std::size_t k = 0; k < visited.size(); ++k) {
        order += (k == 0 ? "" : ", ") + std::to_string(visited[k]);
        if (std::count(visited.begin(), visited.begin() + static_cast<std::ptrdiff_t>(k), visited[k]) == 1) {
          why = "chip " + std::to_string(visited[k]) + "'s neurons are not one contiguous range";
        }
      }
      throw InputError("a process per chip: population '" + nodes[i].node + "' is placed on chips " + order +
                       " in neuron order, so " + why +
                       "; a process per chip needs each chip's neurons of a population contiguous and the chips in "
                       "order (docs/mpi.md): use --placement fill or balance, or pin its cores in chip order");
    }
    std::vector<OwnedBlock>& chip_block = blocks[nodes[i].node];
    std::size_t first = 0;
    for (std::size_t chip = 0; chip < chips; ++chip) {
      chip_block.push_back({first, first + units[chip]});
      first += units[chip];
    }
    if (first != nodes[i].units) {  // the mapping places every unit of a spiking node or refuses
      throw std::logic_error("a process per chip: population '" + nodes[i].node + "' has " +
                             std::to_string(nodes[i].units) + " neurons, the mapping places " + std::to_string(first));
    }
  }
  return blocks;
}

}  // namespace tandem
