// The benchmarks `tandem bench NAME` runs. Each lives in its own file in bench/ and parses its
// own options; the table is in benchmarks.cpp.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/interrupt_guard.hpp"

namespace tandem::bench {

struct Benchmark {
  std::string_view name;
  std::string_view summary;
  // Receives the arguments after the benchmark name; returns the process exit code.
  int (*run)(const std::vector<std::string>& args, const InterruptGuard& interrupt);
};

std::span<const Benchmark> benchmarks();

}  // namespace tandem::bench
