#include "app/cli_options.hpp"

#include <iostream>

#include "core/error.hpp"
#include "core/logging.hpp"

namespace tandem::app {

void add_common_options(po::options_description& options) {
  options.add_options()
    ("help,h", "show this help and exit")
    ("log-level", po::value<std::string>()->default_value("info"),
     "trace, debug, info, warn, error, critical or off")
    ("quiet,q", po::bool_switch(), "no progress display and only warnings in the log");
}

bool parse_command_line(const std::string& subcommand, const std::vector<std::string>& args,
                        const po::options_description& options,
                        const po::positional_options_description& positional,
                        const CommandHelp& help, po::variables_map& values) {
  try {
    po::store(po::command_line_parser(args).options(options).positional(positional).run(), values);
    if (values.count("help") != 0U) {
      std::cout << "usage: " << help.usage << "\n\n" << help.summary << "\n\n" << options;
      if (!help.examples.empty()) std::cout << "\nexamples:\n" << help.examples;
      return false;
    }
    po::notify(values);
  } catch (const po::error& error) {
    throw InputError("tandem " + subcommand + ": " + error.what() + " (see 'tandem " + subcommand +
                     " --help')");
  }
  const bool quiet = values.count("quiet") != 0U && values["quiet"].as<bool>();
  configure_logging(quiet ? "warn" : values["log-level"].as<std::string>());
  return true;
}

}  // namespace tandem::app
