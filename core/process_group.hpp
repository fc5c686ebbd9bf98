// The processes of one run (MPI ranks, docs/mpi.md) as the engines see them: a narrow interface
// of the few collective operations they need, so that no library below the program includes
// mpi.h (cluster/ implements it). Every call is collective: each process makes the same calls in
// the same order. A run of one process has no ProcessGroup at all (nullptr). It also carries which
// neurons each process owns (block_of), so that the engines and the program agree on it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace tandem {

// The neurons [begin, end) that process `rank` of `ranks` owns in a population of `n` by default: contiguous
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

// Blocks chosen per population instead: population name -> the block of each process, in rank
// order, contiguous and ascending (a block may be empty). A process per chip of a board
// (core/chip_blocks.hpp, docs/mpi.md) gives each process the neurons the mapping puts on its chip.
using PopulationBlocks = std::map<std::string, std::vector<OwnedBlock>>;

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

  // The neurons process `rank` owns of population `name` (n neurons): its block of set_blocks()
  // when blocks were set, else owned_block(n, rank, size()). std::logic_error when set blocks
  // leave the population out or do not fit it (they come from the same network: a bug).
  [[nodiscard]] OwnedBlock block_of(const std::string& name, std::size_t n, std::size_t rank) const;
  [[nodiscard]] OwnedBlock block_of(const std::string& name, std::size_t n) const { return block_of(name, n, rank()); }
  // Blocks per population for the engines' next reset (Simulation::build()); the same on every
  // process. Empty: equal blocks again.
  void set_blocks(PopulationBlocks blocks) { blocks_ = std::move(blocks); }
  [[nodiscard]] bool has_blocks() const { return !blocks_.empty(); }

 private:
  PopulationBlocks blocks_;
};

}  // namespace tandem
