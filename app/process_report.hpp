// What a run over several processes (docs/mpi.md) tells about them, on rank 0 alone: how the
// network was split, and each process's peak memory.
#pragma once

#include "core/process_group.hpp"
#include "core/simulation.hpp"

namespace tandem::app {

// Logs (info) the blocks of every split population each process owns and what runs whole on
// every process. Collective only in that every process calls it.
void describe_processes(const ProcessGroup& processes, const Simulation& simulation);
// Prints each process's peak resident memory (collective: every process must call it).
void report_peak_memory(ProcessGroup& processes);

}  // namespace tandem::app
