// Starting and ending an MPI run (docs/mpi.md): the program's one MPI session, and the process
// group it gives the engines (core/process_group.hpp). The only header of tandem that knows MPI
// exists; mpi.h itself is included by mpi_run.cpp alone. Built without MPI (no OpenMPI found at
// configure time), start() refuses a run launched by mpirun with a message saying so.
#pragma once

#include <memory>

#include "core/interrupt_guard.hpp"
#include "core/process_group.hpp"

namespace tandem::cluster {

// Whether MPI support was built in.
bool built_with_mpi();
// Whether this process was started by an MPI launcher (mpirun, mpiexec, srun with PMI/PMIx), as
// its environment says; a plain start is never one.
bool launched_by_mpi();
// This process's rank as the launcher's environment gives it (0 when it gives none): before (or
// without) MPI_Init, so that only the first process reports a refusal.
unsigned long launched_rank();

class MpiRun {
 public:
  // MPI_Init; InputError when MPI support was not built in. `interrupt` (the command's) lets a
  // process waiting for a process that died give up once mpirun signals it (mpi_run.cpp).
  static std::unique_ptr<MpiRun> start(int& argc, char**& argv, const InterruptGuard& interrupt);
  // MPI_Finalize: every process must get here (after the same collective calls).
  ~MpiRun();
  MpiRun(const MpiRun&) = delete;
  MpiRun& operator=(const MpiRun&) = delete;

  [[nodiscard]] ProcessGroup& processes() { return *processes_; }
  // A collective call gave up on a process that is gone: MPI cannot be used (or finalised) any more.
  [[nodiscard]] bool broken() const { return broken_; }
  // Ends every process of the run with `code` (MPI_Abort): for a failure that the other
  // processes, waiting in a collective call, cannot learn otherwise. Does not return.
  [[noreturn]] void abort(int code);

 private:
  MpiRun() = default;
  std::unique_ptr<ProcessGroup> processes_;
  bool broken_ = false;
};

}  // namespace tandem::cluster
