// The processes of one run (MPI ranks, docs/mpi.md) as the engines see them: a narrow interface
// of the few collective operations they need, so that no library below the program includes
// mpi.h (cluster/ implements it). Every call is collective: each process makes the same calls in
// the same order. A run of one process has no ProcessGroup at all (nullptr).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace tandem {

class ProcessGroup {
 public:
  virtual ~ProcessGroup() = default;
  [[nodiscard]] virtual std::size_t rank() const = 0;
  [[nodiscard]] virtual std::size_t size() const = 0;
  // Every process's `mine`, concatenated in rank order, on every process; `counts` gets each
  // process's length (MPI_Allgatherv).
  virtual void all_gather(std::span<const std::uint32_t> mine, std::vector<std::uint32_t>& all,
                          std::vector<std::size_t>& counts) = 0;
  // Element-wise sum / maximum over the processes, in place on every process (MPI_Allreduce).
  virtual void sum(std::span<std::uint64_t> values) = 0;
  virtual void max(std::span<std::uint64_t> values) = 0;
  // Element-wise bitwise OR over the processes, into `values` of rank 0 only (MPI_Reduce): each
  // process contributes the bits it owns and zeros elsewhere, so rank 0 gets every value exactly.
  virtual void or_to_first(std::span<std::uint32_t> values) = 0;
};

// The neurons [begin, end) that process `rank` of `ranks` owns in a population of `n`: contiguous
// blocks of equal size (±1), in rank order, so that concatenating the processes' ascending spike
// lists in rank order gives the population's ascending list. Processes share no memory, so the
// blocks need no alignment.
struct OwnedBlock {
  std::size_t begin = 0;
  std::size_t end = 0;
};
inline OwnedBlock owned_block(std::size_t n, std::size_t rank, std::size_t ranks) {
  return {n * rank / ranks, n * (rank + 1) / ranks};
}

}  // namespace tandem
