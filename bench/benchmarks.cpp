#include "bench/benchmarks.hpp"

#include <array>

namespace tandem::bench {

// One declaration and one table line per benchmark.
int run_bridge_bench(const std::vector<std::string>& args);

namespace {

constexpr std::array<Benchmark, 1> all_benchmarks = {
    Benchmark{"bridge", "encoders/decoders on a sensor-like input, event vs always-on", run_bridge_bench},
};

}  // namespace

std::span<const Benchmark> benchmarks() { return all_benchmarks; }

}  // namespace tandem::bench
