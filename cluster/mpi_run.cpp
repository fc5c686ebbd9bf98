// MPI behind the ProcessGroup interface (core/process_group.hpp): the engines' collective calls
// as MPI_COMM_WORLD operations. Only the main thread calls MPI (the worker threads never do).
#include "cluster/mpi_run.hpp"

#include <mpi.h>

#include <chrono>
#include <climits>
#include <optional>
#include <cstdlib>
#include <thread>

#include "core/error.hpp"
#include "core/interrupt_guard.hpp"

namespace tandem::cluster {

namespace {

// MPI counts are ints: longer buffers go in pieces.
constexpr std::size_t largest_piece = INT_MAX / 2;

int as_count(std::size_t n, const char* what) {
  if (n > static_cast<std::size_t>(INT_MAX)) throw RunError(std::string("mpi: ") + what + " of " + std::to_string(n) + " values is too long");
  return static_cast<int>(n);
}

// After a signal, how long a collective call may still take before the other processes are taken
// to be gone. mpirun, ending a job whose process died, sends SIGTERM to the others and SIGKILL
// one second later (OpenMPI's odls_base_sigkill_timeout): within that second a process that
// waits for a dead one gives up, closes its outputs (the trace keeps every complete epoch and
// says "interrupted") and exits.
constexpr std::chrono::milliseconds peer_grace{300};

class MpiProcessGroup final : public ProcessGroup {
 public:
  MpiProcessGroup(const InterruptGuard* interrupt, bool& broken) : interrupt_(interrupt), broken_(broken) {
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
    MPI_Request sizes = MPI_REQUEST_NULL;
    MPI_Iallgather(&mine_count, 1, MPI_INT, each.data(), 1, MPI_INT, MPI_COMM_WORLD, &sizes);
    wait(sizes);
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
    MPI_Request request = MPI_REQUEST_NULL;
    MPI_Iallgatherv(mine.data(), mine_count, MPI_UINT32_T, all.data(), each.data(), offsets.data(), MPI_UINT32_T,
                    MPI_COMM_WORLD, &request);
    wait(request);
  }
  void sum(std::span<std::uint64_t> values) override { all_reduce(values, MPI_SUM); }
  void max(std::span<std::uint64_t> values) override { all_reduce(values, MPI_MAX); }
  void or_to_first(std::span<std::uint32_t> values) override {
    for (std::size_t at = 0; at < values.size(); at += largest_piece) {
      const int n = static_cast<int>(std::min(largest_piece, values.size() - at));
      std::uint32_t* data = values.data() + at;
      MPI_Request request = MPI_REQUEST_NULL;
      MPI_Ireduce(rank_ == 0 ? MPI_IN_PLACE : data, data, n, MPI_UINT32_T, MPI_BOR, 0, MPI_COMM_WORLD, &request);
      wait(request);
    }
  }

 private:
  void all_reduce(std::span<std::uint64_t> values, MPI_Op op) {
    for (std::size_t at = 0; at < values.size(); at += largest_piece) {
      const int n = static_cast<int>(std::min(largest_piece, values.size() - at));
      MPI_Request request = MPI_REQUEST_NULL;
      MPI_Iallreduce(MPI_IN_PLACE, values.data() + at, n, MPI_UINT64_T, op, MPI_COMM_WORLD, &request);
      wait(request);
    }
  }
  // Completes a non-blocking collective call. A blocking one would wait forever for a process
  // that died; this one gives up peer_grace after a signal arrived (RunInterrupted), and the
  // group is broken from then on (MpiRun ends the process without MPI_Finalize).
  void wait(MPI_Request& request) {
    using Clock = std::chrono::steady_clock;
    std::optional<Clock::time_point> signalled;
    for (;;) {
      int done = 0;
      MPI_Test(&request, &done, MPI_STATUS_IGNORE);
      if (done != 0) return;
      const int signal_number = interrupt_ != nullptr ? interrupt_->pending_signal() : 0;
      if (signal_number != 0) {
        if (!signalled) signalled = Clock::now();
        if (Clock::now() - *signalled > peer_grace) {
          broken_ = true;
          throw RunInterrupted(signal_number, "interrupted by " + signal_name(signal_number) +
                                                  " while waiting for another process of the run, which is gone");
        }
      }
      std::this_thread::yield();  // the other processes may share this core (mpirun --oversubscribe)
    }
  }
  const InterruptGuard* interrupt_;
  bool& broken_;
  std::size_t rank_ = 0;
  std::size_t size_ = 1;
};

}  // namespace

bool built_with_mpi() { return true; }

std::unique_ptr<MpiRun> MpiRun::start(int& argc, char**& argv, const InterruptGuard& interrupt) {
  int provided = 0;
  // Funneled: only the main thread calls MPI; the engines' worker threads never do.
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  std::unique_ptr<MpiRun> run(new MpiRun());
  run->processes_ = std::make_unique<MpiProcessGroup>(&interrupt, run->broken_);
  return run;
}

MpiRun::~MpiRun() {
  processes_.reset();
  // A process that gave up on a gone one must not wait for it in MPI_Finalize either.
  if (broken_) std::_Exit(exit_run_failed);
  MPI_Finalize();
}

void MpiRun::abort(int code) {
  MPI_Abort(MPI_COMM_WORLD, code);
  std::_Exit(code);  // MPI_Abort does not return; should it, the process still ends
}

}  // namespace tandem::cluster
