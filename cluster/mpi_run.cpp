// MPI behind the ProcessGroup interface (core/process_group.hpp): the engines' collective calls
// as MPI_COMM_WORLD operations. Only the main thread calls MPI (the worker threads never do).
#include "cluster/mpi_run.hpp"

#include <mpi.h>

#include <climits>
#include <cstdlib>

#include "core/error.hpp"

namespace tandem::cluster {

namespace {

// MPI counts are ints: longer buffers go in pieces.
constexpr std::size_t largest_piece = INT_MAX / 2;

int as_count(std::size_t n, const char* what) {
  if (n > static_cast<std::size_t>(INT_MAX)) throw RunError(std::string("mpi: ") + what + " of " + std::to_string(n) + " values is too long");
  return static_cast<int>(n);
}

class MpiProcessGroup final : public ProcessGroup {
 public:
  MpiProcessGroup() {
    int rank = 0;
    int size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    rank_ = static_cast<std::size_t>(rank);
    size_ = static_cast<std::size_t>(size);
  }
  [[nodiscard]] std::size_t rank() const override { return rank_; }
  [[nodiscard]] std::size_t size() const override { return size_; }

  void all_gather(std::span<const std::uint32_t> mine, std::vector<std::uint32_t>& all,
                  std::vector<std::size_t>& counts) override {
    const int mine_count = as_count(mine.size(), "a spike message");
    std::vector<int> each(size_, 0);
    MPI_Allgather(&mine_count, 1, MPI_INT, each.data(), 1, MPI_INT, MPI_COMM_WORLD);
    std::vector<int> offsets(size_, 0);
    std::size_t total = 0;
    counts.assign(size_, 0);
    for (std::size_t r = 0; r < size_; ++r) {
      offsets[r] = as_count(total, "the spike messages together");
      counts[r] = static_cast<std::size_t>(each[r]);
      total += counts[r];
    }
    as_count(total, "the spike messages together");
    all.resize(total);
    MPI_Allgatherv(mine.data(), mine_count, MPI_UINT32_T, all.data(), each.data(), offsets.data(), MPI_UINT32_T,
                   MPI_COMM_WORLD);
  }
  void sum(std::span<std::uint64_t> values) override { all_reduce(values, MPI_SUM); }
  void max(std::span<std::uint64_t> values) override { all_reduce(values, MPI_MAX); }
  void or_to_first(std::span<std::uint32_t> values) override {
    for (std::size_t at = 0; at < values.size(); at += largest_piece) {
      const int n = static_cast<int>(std::min(largest_piece, values.size() - at));
      std::uint32_t* data = values.data() + at;
      MPI_Reduce(rank_ == 0 ? MPI_IN_PLACE : data, data, n, MPI_UINT32_T, MPI_BOR, 0, MPI_COMM_WORLD);
    }
  }

 private:
  static void all_reduce(std::span<std::uint64_t> values, MPI_Op op) {
    for (std::size_t at = 0; at < values.size(); at += largest_piece) {
      const int n = static_cast<int>(std::min(largest_piece, values.size() - at));
      MPI_Allreduce(MPI_IN_PLACE, values.data() + at, n, MPI_UINT64_T, op, MPI_COMM_WORLD);
    }
  }
  std::size_t rank_ = 0;
  std::size_t size_ = 1;
};

}  // namespace

bool built_with_mpi() { return true; }

std::unique_ptr<MpiRun> MpiRun::start(int& argc, char**& argv) {
  int provided = 0;
  // Funneled: only the main thread calls MPI; the engines' worker threads never do.
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  std::unique_ptr<MpiRun> run(new MpiRun());
  run->processes_ = std::make_unique<MpiProcessGroup>();
  return run;
}

MpiRun::~MpiRun() {
  processes_.reset();
  MPI_Finalize();
}

void MpiRun::abort(int code) {
  MPI_Abort(MPI_COMM_WORLD, code);
  std::_Exit(code);  // MPI_Abort does not return; should it, the process still ends
}

}  // namespace tandem::cluster
