#include "bench/benchmarks.hpp"

#include <array>

namespace tandem::bench {

// One declaration and one table line per benchmark.

namespace {

constexpr std::array<Benchmark, 0> all_benchmarks = {};

}  // namespace

std::span<const Benchmark> benchmarks() { return all_benchmarks; }

}  // namespace tandem::bench
