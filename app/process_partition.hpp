// How the processes of a run (docs/mpi.md) share its neurons: a process per chip when the run's
// board has as many chips as there are processes, else equal neuron blocks.
#pragma once

#include "core/core_mapping.hpp"
#include "core/process_group.hpp"
#include "core/simulation.hpp"

namespace tandem::app {

// Called on every process once the network is built (in equal neuron blocks) and mapped onto the
// chips (`mapping`, the energy ledger's: same chip, board, placement and pinned cores). With a
// board of W·H > 1 chips and W·H processes, process r takes the neurons `mapping` places on chip r
// (core/chip_blocks.hpp) and the engines are built again for those blocks
// (ProcessGroup::has_blocks() then says so). Otherwise the equal blocks stay, logged at info level
// when a board was given.
// InputError, the same on every process, when the mapping cannot be cut into chip blocks.
void share_neurons_by_chip(ProcessGroup& processes, Simulation& simulation, const CoreMapping& mapping);

}  // namespace tandem::app
