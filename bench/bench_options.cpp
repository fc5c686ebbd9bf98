#include "bench/bench_options.hpp"

#include <cstdlib>
#include <iostream>
#include <sstream>

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

namespace tandem::bench {

std::vector<double> parse_percentages(std::string_view benchmark, std::string_view option, const std::string& text) {
  std::vector<double> fractions;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    char* end = nullptr;
    const double value = std::strtod(item.c_str(), &end);
    if (end == item.c_str() || *end != '\0' || !(value > 0.0 && value <= 100.0)) {
      throw InputError("tandem bench " + std::string(benchmark) + ": --" + std::string(option) + ": '" + item +
                       "' is not a percentage in (0, 100]");
    }
    fractions.push_back(value / 100.0);
  }
  if (fractions.empty()) throw InputError("tandem bench " + std::string(benchmark) + ": --" + std::string(option) + " is empty");
  return fractions;
}

}  // namespace tandem::bench
