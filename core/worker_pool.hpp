// A small persistent pool of worker threads for the data-parallel loops inside an engine's tick
// (neuron updates, synaptic delivery, Poisson draws, matrix rows). One pool per Simulation,
// shared by its engines, which advance one after the other. Parallel work never decides a
// result: callers split work so that every value is computed by the same operations in the same
// order for any number of threads (docs/threads.md).
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace tandem {

class WorkerPool {
 public:
  // The most threads a run may ask for (a sanity bound on a typo, not a hardware limit).
  static constexpr std::size_t max_threads = 1024;

  // `threads` counts the calling thread: threads − 1 workers are started. InputError for 0 or
  // more than max_threads. `split_small_work`: loops are split however little work they hold
  // (min_block() is 1) — for tests, which must see the partition change no result on networks
  // small enough to check; runs keep the thresholds that make splitting pay.
  explicit WorkerPool(std::size_t threads, bool split_small_work = false);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  [[nodiscard]] std::size_t threads() const { return workers_.size() + 1; }
  // The least work (items) a caller should give one block: `preferred`, or 1 (split_small_work).
  [[nodiscard]] std::size_t min_block(std::size_t preferred) const { return split_small_work_ ? 1 : preferred; }

  // Runs task(k) for every k in [0, tasks) and returns once all have finished. Tasks are claimed
  // one at a time by whichever thread is free — the caller included — so a worker the OS has not
  // scheduled yet (a loaded machine) delays nothing: the caller runs the tasks it has not claimed.
  // Callers must therefore not care which thread runs a task (the engines never do). An exception
  // thrown by a task is rethrown here (the first one, by task index), after every task finished.
  template <typename Task>
  void run(std::size_t tasks, const Task& task) {
    if (tasks <= 1) {
      if (tasks == 1) task(std::size_t{0});
      return;
    }
    run_erased(tasks, [](const void* callable, std::size_t k) { (*static_cast<const Task*>(callable))(k); }, &task);
  }

 private:
  using Trampoline = void (*)(const void*, std::size_t);
  void run_erased(std::size_t tasks, Trampoline trampoline, const void* callable);
  void work();
  // Claims and runs tasks of job `job` (a job word: generation, task count) until none is left.
  void run_claimed(std::uint64_t job);

  bool split_small_work_ = false;
  std::vector<std::thread> workers_;
  // The current job word: its generation (bumped to start a job) above its task count.
  std::atomic<std::uint64_t> job_{0};
  // The job's generation above the next unclaimed task: a thread claims task k of job g only
  // while this reads (g, k), so a thread that saw an old job never claims a newer one's tasks.
  std::atomic<std::uint64_t> next_claim_{0};
  std::atomic<std::size_t> finished_{0};  // tasks of the current job that have finished
  // Sleeping (after spinning): a mutex and condition variables, not atomic wait — std::atomic<64 bit>
  // ::wait in GCC 12's libstdc++ can miss a notify (seen as a hang in the pool's tests).
  std::mutex sleep_mutex_;
  std::condition_variable job_posted_;
  std::condition_variable job_finished_;
  std::atomic<std::size_t> sleeping_workers_{0};
  std::atomic<bool> caller_sleeping_{false};
  Trampoline trampoline_ = nullptr;
  const void* callable_ = nullptr;
  std::vector<std::exception_ptr> errors_;  // per task
  std::atomic<bool> stopping_{false};  // read by workers that sat out the last job, as it is set
};

// A thread count given as `option` (a command-line option, a file key): InputError naming it
// unless it lies in [1, WorkerPool::max_threads].
std::size_t checked_thread_count(long long threads, std::string_view option);

// Splits [0, n) into at most `parts` contiguous blocks whose inner boundaries are multiples of
// `align` and which hold at least `min_block` items each (fewer blocks when n is small; one block
// when n < 2·min_block). Returns the boundaries: block k is [bounds[k], bounds[k + 1]).
std::vector<std::size_t> split_into_blocks(std::size_t n, std::size_t parts, std::size_t min_block, std::size_t align);

// Runs body(begin, end) for the blocks of split_into_blocks(n, pool threads, pool's min_block,
// align), on the pool when there are several, inline otherwise (pool may be nullptr), and returns
// the sum of what the bodies return. Integer sums: the total does not depend on the split.
template <typename Body>
std::uint64_t sum_over_blocks(WorkerPool* pool, std::size_t n, std::size_t min_block, std::size_t align, const Body& body) {
  if (pool == nullptr || pool->threads() == 1 || n < 2 * pool->min_block(min_block)) {
    return n == 0 ? 0 : body(std::size_t{0}, n);
  }
  const std::vector<std::size_t> bounds = split_into_blocks(n, pool->threads(), pool->min_block(min_block), align);
  if (bounds.size() == 2) return body(bounds[0], bounds[1]);
  // One cache line per block's sum, so that the workers do not share a line while they write.
  struct alignas(64) Partial {
    std::uint64_t value = 0;
  };
  std::vector<Partial> partial(bounds.size() - 1);
  pool->run(partial.size(), [&](std::size_t k) { partial[k].value = body(bounds[k], bounds[k + 1]); });
  std::uint64_t total = 0;
  for (const Partial& p : partial) total += p.value;
  return total;
}

}  // namespace tandem
