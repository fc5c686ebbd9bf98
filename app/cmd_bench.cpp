// `tandem bench NAME [options]`: runs one benchmark from bench/ (the list: tandem bench --help).
#include <iostream>

#include "bench/benchmarks.hpp"
#include "core/error.hpp"
#include "core/interrupt_guard.hpp"

namespace tandem::app {

int run_bench_command(const std::vector<std::string>& args, const InterruptGuard& interrupt) {
  const auto all = bench::benchmarks();
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << "usage: tandem bench NAME [options]   (tandem bench NAME --help for its options)\n\n"
              << "Runs a benchmark and prints its figures (--json: one JSON object per row).\n\n"
              << "benchmarks:\n";
    for (const auto& benchmark : all) {
      std::cout << "  " << benchmark.name << "  " << benchmark.summary << "\n";
    }
    return args.empty() ? exit_bad_input : exit_ok;
  }
  for (const auto& benchmark : all) {
    if (benchmark.name == args[0]) {
      return benchmark.run(std::vector<std::string>(args.begin() + 1, args.end()), interrupt);
    }
  }
  throw InputError("tandem bench: unknown benchmark '" + args[0] + "' (see 'tandem bench --help')");
}

}  // namespace tandem::app
