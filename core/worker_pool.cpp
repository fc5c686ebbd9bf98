#include "core/worker_pool.hpp"

#include <chrono>

#include "core/error.hpp"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace tandem {

namespace {

// A job word holds the job's generation above its task count, so a worker reads both at once:
// a worker that missed a job (it did not take part) never pairs one job's generation with the
// next one's task count.
constexpr unsigned task_bits = 12;
static_assert((std::size_t{1} << task_bits) > WorkerPool::max_threads);
constexpr std::uint64_t task_mask = (std::uint64_t{1} << task_bits) - 1;

// How long a waiting thread spins before it sleeps in the kernel: a tick's parallel loops come
// microseconds to a few hundred microseconds apart (the serial parts between them, e.g. a
// million-neuron spike list), and a futex wake-up costs tens of microseconds — long enough for
// the caller to have run every task itself. Spinning ends when the run ends (the engines stop
// calling), so an idle tandem takes no CPU. Counted in time, not iterations: a pause lasts
// from a few to over a hundred cycles depending on the CPU.
constexpr auto spin_time = std::chrono::microseconds(250);
// For the first part of it a waiting thread only spins: the job it waits for is usually a few µs
// away, and a yield is a system call, which costs µs itself under a hypervisor (and delays
// noticing the job by as much).
constexpr auto pure_spin_time = std::chrono::microseconds(20);

void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#else
  std::this_thread::yield();
#endif
}

// Spins until ready() or spin_time has passed; returns ready().
template <typename Ready>
bool spin_until(const Ready& ready) {
  const auto start = std::chrono::steady_clock::now();
  const auto yield_from = start + pure_spin_time;
  const auto deadline = start + spin_time;
  for (;;) {
    for (int i = 0; i < 64; ++i) {
      if (ready()) return true;
      cpu_relax();
    }
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return ready();
    // On a machine with fewer free cores than threads, the thread we wait for may need this
    // core: offer it (a no-op when nothing else is runnable here).
    if (now >= yield_from) std::this_thread::yield();
  }
}

}  // namespace

WorkerPool::WorkerPool(std::size_t threads, bool split_small_work) : split_small_work_(split_small_work) {
  checked_thread_count(static_cast<long long>(std::min<std::size_t>(threads, max_threads + 1)), "threads");
  workers_.reserve(threads - 1);
  for (std::size_t w = 1; w < threads; ++w) workers_.emplace_back([this] { work(); });
}

WorkerPool::~WorkerPool() {
  stopping_.store(true, std::memory_order_relaxed);  // published by the job below
  // A job of 0 tasks: every worker looks at it and stops.
  job_.store(((job_.load(std::memory_order_relaxed) >> task_bits) + 1) << task_bits);
  {
    const std::lock_guard<std::mutex> lock(sleep_mutex_);
    job_posted_.notify_all();
  }
  for (std::thread& worker : workers_) worker.join();
}

void WorkerPool::run_erased(std::size_t tasks, Trampoline trampoline, const void* callable) {
  if (tasks > task_mask) throw RunError("WorkerPool::run: " + std::to_string(tasks) + " tasks in one job (at most " + std::to_string(task_mask) + ")");
  trampoline_ = trampoline;
  callable_ = callable;
  errors_.assign(tasks, nullptr);
  finished_.store(0, std::memory_order_relaxed);
  const std::uint64_t generation = (job_.load(std::memory_order_relaxed) >> task_bits) + 1;
  next_claim_.store(generation << task_bits, std::memory_order_relaxed);
  // Publishes the job (seq_cst: ordered before the read of sleeping_workers_, see work()).
  const std::uint64_t job = (generation << task_bits) | tasks;
  job_.store(job);
  if (sleeping_workers_.load() > 0) {
    const std::lock_guard<std::mutex> lock(sleep_mutex_);
    job_posted_.notify_all();
  }
  run_claimed(job);
  if (!spin_until([&] { return finished_.load(std::memory_order_acquire) == tasks; })) {
    std::unique_lock<std::mutex> lock(sleep_mutex_);
    // Set before the last look, so that the worker finishing the last task either sees it and
    // notifies (under the mutex) or finished before that look (both seq_cst).
    caller_sleeping_.store(true);
    job_finished_.wait(lock, [&] { return finished_.load() == tasks; });
    caller_sleeping_.store(false);
  }
  for (const std::exception_ptr& error : errors_) {
    if (error) std::rethrow_exception(error);
  }
}

void WorkerPool::run_claimed(std::uint64_t job) {
  const std::uint64_t generation = job >> task_bits;
  const std::uint64_t tasks = job & task_mask;
  std::uint64_t claim = next_claim_.load(std::memory_order_relaxed);
  for (;;) {
    if ((claim >> task_bits) != generation || (claim & task_mask) >= tasks) return;
    if (!next_claim_.compare_exchange_weak(claim, claim + 1, std::memory_order_acquire, std::memory_order_relaxed)) continue;
    // Task claimed: the job cannot finish (and its callable change) before it is done.
    const auto k = static_cast<std::size_t>(claim & task_mask);
    try {
      trampoline_(callable_, k);
    } catch (...) {
      errors_[k] = std::current_exception();
    }
    if (finished_.fetch_add(1) + 1 == tasks && caller_sleeping_.load()) {
      const std::lock_guard<std::mutex> lock(sleep_mutex_);
      job_finished_.notify_one();
    }
    claim = next_claim_.load(std::memory_order_relaxed);
  }
}

void WorkerPool::work() {
  // The job word a new pool starts from, not job_'s value when this thread starts running: the
  // pool may already have posted jobs, or its stop job, by then.
  std::uint64_t seen = 0;
  for (;;) {
    spin_until([&] { return job_.load(std::memory_order_acquire) != seen; });
    std::uint64_t job = job_.load(std::memory_order_acquire);
    if (job == seen) {
      std::unique_lock<std::mutex> lock(sleep_mutex_);
      // Counted before the last look, so that run_erased either sees a sleeper and notifies
      // (under the mutex) or published its job before this look (both seq_cst).
      sleeping_workers_.fetch_add(1);
      job_posted_.wait(lock, [&] { return job_.load() != seen; });
      sleeping_workers_.fetch_sub(1);
      job = job_.load(std::memory_order_acquire);
    }
    seen = job;
    if (stopping_.load(std::memory_order_relaxed)) return;
    run_claimed(job);
  }
}

std::size_t checked_thread_count(long long threads, std::string_view option) {
  if (threads < 1 || threads > static_cast<long long>(WorkerPool::max_threads)) {
    throw InputError(std::string(option) + " = " + std::to_string(threads) + ": the thread count must be between 1 and " +
                     std::to_string(WorkerPool::max_threads));
  }
  return static_cast<std::size_t>(threads);
}

std::vector<std::size_t> split_into_blocks(std::size_t n, std::size_t parts, std::size_t min_block, std::size_t align) {
  align = std::max<std::size_t>(align, 1);
  parts = std::min(std::max<std::size_t>(parts, 1), std::max<std::size_t>(1, n / std::max<std::size_t>(min_block, 1)));
  std::vector<std::size_t> bounds{0};
  for (std::size_t k = 1; k < parts; ++k) {
    // The even split point, rounded to the nearest multiple of `align`.
    const std::size_t even = n / parts * k + n % parts * k / parts;  // n·k/parts without overflow
    const std::size_t bound = (even + align / 2) / align * align;
    if (bound > bounds.back() && bound < n) bounds.push_back(bound);
  }
  bounds.push_back(n);
  return bounds;
}

}  // namespace tandem
