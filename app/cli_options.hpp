// Shared Boost.Program_options plumbing for subcommands: parsing with errors that name the
// subcommand and the option, `--help` text with usage and examples, and the options every
// subcommand accepts (--log-level, --quiet).
#pragma once

#include <boost/program_options.hpp>
#include <optional>
#include <string>
#include <vector>

namespace tandem::app {

namespace po = boost::program_options;

struct CommandHelp {
  std::string usage;     // "tandem bench NAME [options]"
  std::string summary;   // one paragraph
  std::string examples;  // lines of example invocations
};

// Adds --help, --config, --log-level and --quiet to `options`.
void add_common_options(po::options_description& options);

// Adds --threads (no default: unset leaves the choice to the network file, else 1).
void add_threads_option(po::options_description& options, const std::string& extra_help = "");
// The --threads value, checked (1 to 1024; InputError naming the subcommand and option), or
// nothing when not given.
std::optional<std::size_t> given_threads(const po::variables_map& values, const std::string& subcommand);

// Merges an INI config file (`key = value` lines, keys are long option names, `[section]`
// prefixes keys with "section.", '#' starts a comment) into `values`. Values already in
// `values` from the command line win. Unknown keys and malformed lines are an InputError
// naming the file and line.
void merge_config_file(const std::string& path, const po::options_description& options,
                       po::variables_map& values);

// Parses `args` into `values`. Throws InputError naming the subcommand for unknown options,
// missing values or stray arguments. Returns false when --help was given (help is printed).
bool parse_command_line(const std::string& subcommand, const std::vector<std::string>& args,
                        const po::options_description& options,
                        const po::positional_options_description& positional,
                        const CommandHelp& help, po::variables_map& values);

}  // namespace tandem::app
