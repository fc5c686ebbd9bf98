// A process per chip of a board (docs/mpi.md "A process per chip"): the neurons of every neuron
// population that the core mapping places on each chip, as the blocks the processes own.
#pragma once

#include <vector>

#include "core/core_mapping.hpp"
#include "core/op_counts.hpp"
#include "core/process_group.hpp"

namespace tandem {

// For every spiking node of `nodes` (the nodes `mapping` was made from, in the same order): the
// block of each chip of the board, chips numbered row-major (chip_x + chip_y · chips_x). The
// mapping places a population's units in order, so with fill or balance placement each chip's
// share is one contiguous range and the chips come in order; a chip without any of the population
// gets an empty block at its place in that order. InputError naming the population and its chips
// when a chip's share is not contiguous or the chips come out of order (min-hops placement, cores
// pinned out of chip order): the processes' spike lists are then no longer the population's
// list in rank order, which the exchange relies on.
PopulationBlocks chip_blocks(const CoreMapping& mapping, const std::vector<NodeCounters>& nodes);

}  // namespace tandem
