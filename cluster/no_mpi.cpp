// MpiRun for a tandem built without MPI (no OpenMPI found when it was configured): a run started
// by mpirun is refused with a message, instead of K copies each running the whole network.
#include "cluster/mpi_run.hpp"

#include <cstdlib>

#include "core/error.hpp"

namespace tandem::cluster {

bool built_with_mpi() { return false; }

std::unique_ptr<MpiRun> MpiRun::start(int& /*argc*/, char**& /*argv*/, const InterruptGuard& /*interrupt*/) {
  throw InputError("this tandem was built without MPI (OpenMPI was not found when it was configured), so it cannot "
                   "run under mpirun/srun: install libopenmpi-dev openmpi-bin (scripts/setup), configure again and "
                   "rebuild (docs/mpi.md)");
}

MpiRun::~MpiRun() = default;

void MpiRun::abort(int code) { std::_Exit(code); }

}  // namespace tandem::cluster
