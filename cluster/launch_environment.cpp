// Whether an MPI launcher started this process: mpirun/mpiexec (OpenMPI, MPICH, Intel MPI) and
// srun (PMI or PMIx) set these variables in every process they start.
#include <cstdlib>

#include "cluster/mpi_run.hpp"

namespace tandem::cluster {

bool launched_by_mpi() {
  for (const char* variable : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS"}) {
    if (std::getenv(variable) != nullptr) return true;
  }
  return false;
}

}  // namespace tandem::cluster
