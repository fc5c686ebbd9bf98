// What a run over several processes (docs/mpi.md) tells about them, on rank 0 alone: how the
// network was split, and each process's peak memory.
#pragma once

#include "core/core_mapping.hpp"
#include "core/process_group.hpp"
#include "core/simulation.hpp"

namespace tandem::app {

// Logs (info) the blocks of every split population each process's engines own — equal blocks, or
// its chip's neurons on `board` (ProcessGroup::has_blocks) — gathered from every process, and what
// runs whole on every process; warns of a chip that holds no neurons. Collective: every process
// must call it.
void describe_processes(ProcessGroup& processes, const Simulation& simulation, const BoardLayout& board);
// Prints each process's peak resident memory (collective: every process must call it).
void report_peak_memory(ProcessGroup& processes);

}  // namespace tandem::app
