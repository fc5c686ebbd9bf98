// Command-line parsing every `tandem bench NAME` shares: bad options become an InputError naming
// the benchmark, and --help prints the usage line, an optional summary and the options.
#pragma once

#include <boost/program_options.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::bench {

// Parses `args` into `values`. Returns false when --help was given (the help is printed then).
bool parse_bench_options(std::string_view benchmark, const std::vector<std::string>& args,
                         const boost::program_options::options_description& options, std::string_view usage,
                         std::string_view summary, boost::program_options::variables_map& values);

// A comma-separated list of percentages in (0, 100] ("1,10,0.5") as fractions; InputError naming
// the benchmark and option otherwise.
std::vector<double> parse_percentages(std::string_view benchmark, std::string_view option, const std::string& text);

}  // namespace tandem::bench
