#include "bench/bench_options.hpp"

#include <iostream>

#include "core/error.hpp"

namespace tandem::bench {

namespace po = boost::program_options;

bool parse_bench_options(std::string_view benchmark, const std::vector<std::string>& args,
                         const po::options_description& options, std::string_view usage, std::string_view summary,
                         po::variables_map& values) {
  try {
    po::store(po::command_line_parser(args).options(options).run(), values);
    po::notify(values);
  } catch (const po::error& error) {
    throw InputError("tandem bench " + std::string(benchmark) + ": " + error.what());
  }
  if (values.count("help") == 0U) return true;
  std::cout << "usage: " << usage << "\n\n";
  if (!summary.empty()) std::cout << summary << "\n\n";
  std::cout << options << "\n";
  return false;
}

}  // namespace tandem::bench
