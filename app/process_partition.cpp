#include "app/process_partition.hpp"

#include <spdlog/spdlog.h>

#include "core/chip_blocks.hpp"

namespace tandem::app {

void share_neurons_by_chip(ProcessGroup& processes, Simulation& simulation, const CoreMapping& mapping) {
  const BoardLayout& board = mapping.board();
  const std::size_t chips = board.chips_x * board.chips_y;
  if (chips == 1) return;
  if (chips != processes.size()) {
    // A board is also how a network too large for one chip is priced: its chip count need not
    // match the processes, and the run stays correct either way, so this is no error. Rank 0
    // alone says so (the others log at the command's level too).
    if (processes.rank() == 0) {
      spdlog::info("mpi: --board {}x{} has {} chips but {} processes run: each process owns a neuron block, not a chip "
                   "(mpirun -np {} gives a process per chip)",
                   board.chips_x, board.chips_y, chips, processes.size(), chips);
    }
    return;
  }
  processes.set_blocks(chip_blocks(mapping, simulation.counters()));
  // The engines again, each process with its chip's neurons and only the synapses onto them. The
  // whole network's counters the mapping was made from do not depend on the blocks.
  simulation.build();
}

}  // namespace tandem::app
