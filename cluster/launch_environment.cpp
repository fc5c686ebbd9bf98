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

unsigned long launched_rank() {
  for (const char* variable : {"OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK"}) {
    if (const char* value = std::getenv(variable)) return std::strtoul(value, nullptr, 10);
  }
  return 0;
}

}  // namespace tandem::cluster
