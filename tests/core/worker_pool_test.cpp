// The worker pool and the block split the engines' threads use (docs/threads.md).
#include <catch2/catch.hpp>

#include <atomic>
#include <numeric>
#include <stdexcept>

#include "core/error.hpp"
#include "core/worker_pool.hpp"

using namespace tandem;

TEST_CASE("worker pool: every task runs once, on as many threads as asked", "[core][threads]") {
  WorkerPool pool(3);
  CHECK(pool.threads() == 3);
  for (int round = 0; round < 2000; ++round) {  // many jobs back to back: no job lost or run twice
    const std::size_t tasks = 1 + static_cast<std::size_t>(round % 3);
    std::vector<int> runs(3, 0);
    pool.run(tasks, [&](std::size_t k) { ++runs[k]; });
    for (std::size_t k = 0; k < 3; ++k) REQUIRE(runs[k] == (k < tasks ? 1 : 0));
  }
}

TEST_CASE("worker pool: a task's exception reaches the caller after every task finished", "[core][threads]") {
  WorkerPool pool(2);
  std::atomic<int> finished{0};
  CHECK_THROWS_WITH(pool.run(2,
                             [&](std::size_t k) {
                               ++finished;
                               if (k == 1) throw RunError("task 1 failed");
                             }),
                    "task 1 failed");
  CHECK(finished == 2);
  int after = 0;
  pool.run(2, [&](std::size_t k) {
    if (k == 0) ++after;
  });
  CHECK(after == 1);  // still usable
}

TEST_CASE("worker pool: thread counts outside 1-1024 are refused, naming the option", "[core][threads]") {
  CHECK_THROWS_AS(WorkerPool(0), InputError);
  CHECK_THROWS_AS(WorkerPool(1025), InputError);
  CHECK_THROWS_WITH(checked_thread_count(-2, "--threads"), Catch::Contains("--threads = -2"));
  CHECK_THROWS_WITH(checked_thread_count(0, "simulation.threads"), Catch::Contains("simulation.threads = 0"));
  CHECK(checked_thread_count(1024, "--threads") == 1024);
}

TEST_CASE("split_into_blocks: aligned blocks that cover the range", "[core][threads]") {
  for (const std::size_t n : {0UL, 1UL, 63UL, 64UL, 700UL, 4500UL, 10000UL, 1000003UL}) {
    for (const std::size_t parts : {1UL, 2UL, 3UL, 7UL, 64UL}) {
      INFO("n " << n << ", parts " << parts);
      const auto bounds = split_into_blocks(n, parts, 100, 64);
      REQUIRE(bounds.size() >= 2);
      CHECK(bounds.front() == 0);
      CHECK(bounds.back() == n);
      CHECK(bounds.size() - 1 <= parts);
      for (std::size_t k = 1; k + 1 < bounds.size(); ++k) {
        CHECK(bounds[k] % 64 == 0);
        CHECK(bounds[k] > bounds[k - 1]);
      }
      if (n >= 2 * 100 * parts && parts > 1) CHECK(bounds.size() - 1 == parts);  // enough work: every thread gets some
    }
  }
}

TEST_CASE("sum_over_blocks: the same total for any pool", "[core][threads]") {
  const auto body = [](std::size_t begin, std::size_t end) {
    std::uint64_t sum = 0;
    for (std::size_t i = begin; i < end; ++i) sum += i * i;
    return sum;
  };
  const std::uint64_t one = sum_over_blocks(nullptr, 100000, 1024, 64, body);
  for (const std::size_t threads : {2UL, 3UL}) {
    for (const bool small : {false, true}) {
      WorkerPool pool(threads, small);
      CHECK(sum_over_blocks(&pool, 100000, 1024, 64, body) == one);
      CHECK(sum_over_blocks(&pool, 300, 1024, 64, body) == sum_over_blocks(nullptr, 300, 1024, 64, body));
    }
  }
}
