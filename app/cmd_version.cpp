// `tandem version`: the version and the library versions this build uses.
#include <Eigen/Core>
#include <boost/version.hpp>
#include <iostream>
#include <spdlog/version.h>

#include "app/cli_options.hpp"
#include "core/interrupt_guard.hpp"
#include "core/version.hpp"

namespace tandem::app {

int run_version_command(const std::vector<std::string>& args, const InterruptGuard& /*interrupt*/) {
  po::options_description options("options");
  add_common_options(options);
  po::variables_map values;
  const CommandHelp help{"tandem version", "Print tandem's version and its libraries' versions.",
                         "  tandem version\n"};
  if (!parse_command_line("version", args, options, {}, help, values)) return 0;
  std::cout << "tandem " << version() << "\n"
            << "  Eigen " << EIGEN_WORLD_VERSION << '.' << EIGEN_MAJOR_VERSION << '.'
            << EIGEN_MINOR_VERSION << "\n"
            << "  Boost " << BOOST_VERSION / 100000 << '.' << BOOST_VERSION / 100 % 1000 << '.'
            << BOOST_VERSION % 100 << "\n"
            << "  spdlog " << SPDLOG_VER_MAJOR << '.' << SPDLOG_VER_MINOR << '.'
            << SPDLOG_VER_PATCH << "\n";
  return 0;
}

}  // namespace tandem::app
