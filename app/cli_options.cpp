#include "app/cli_options.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

#include "core/error.hpp"
#include "core/logging.hpp"
#include "core/worker_pool.hpp"

namespace tandem::app {

namespace {

std::string trimmed(const std::string& text) {
  const auto begin = text.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t\r") - begin + 1);
}

// Boost reports unknown config keys without a line number; this pass finds the line.
void check_config_lines(const std::string& path, std::istream& in, const po::options_description& options) {
  std::string line;
  std::string section;
  for (int number = 1; std::getline(in, line); ++number) {
    const std::string where = path + ":" + std::to_string(number) + ": ";
    line = trimmed(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    if (line.front() == '[') {
      if (line.back() != ']') throw InputError(where + "a section header must look like [name]");
      section = trimmed(line.substr(1, line.size() - 2)) + ".";
      continue;
    }
    const auto equals = line.find('=');
    if (equals == std::string::npos) throw InputError(where + "expected 'key = value', got '" + line + "'");
    const std::string key = section + trimmed(line.substr(0, equals));
    if (key == "config" || key == "help") throw InputError(where + "'" + key + "' cannot be set in a config file");
    if (options.find_nothrow(key, false) == nullptr) {
      throw InputError(where + "unknown option '" + key + "' (keys are the long option names, see --help)");
    }
  }
}

}  // namespace

void merge_config_file(const std::string& path, const po::options_description& options, po::variables_map& values) {
  std::ifstream file(path);
  if (!file) throw InputError(path + ": cannot open the config file");
  std::stringstream text;
  text << file.rdbuf();
  check_config_lines(path, text, options);
  text.clear();
  text.seekg(0);
  try {
    // po::store keeps values that are already set (the command line's), so it wins.
    po::store(po::parse_config_file(text, options, false), values);
  } catch (const po::error& error) {
    throw InputError(path + ": " + error.what());
  }
}

void add_common_options(po::options_description& options) {
  options.add_options()
    ("help,h", "show this help and exit")
    ("config", po::value<std::string>(), "read options from an INI file (key = value; the command line wins)")
    ("log-level", po::value<std::string>()->default_value("info"),
     "trace, debug, info, warn, error, critical or off")
    ("quiet,q", po::bool_switch(), "no progress display and only warnings in the log");
}

void add_threads_option(po::options_description& options, const std::string& extra_help) {
  options.add_options()("threads", po::value<long long>(),
                        ("threads the engines spread their work over, 1-1024" + extra_help +
                         "; results are the same for any count (docs/threads.md)").c_str());
}

std::optional<std::size_t> given_threads(const po::variables_map& values, const std::string& subcommand) {
  if (values.count("threads") == 0U) return std::nullopt;
  return checked_thread_count(values["threads"].as<long long>(), "tandem " + subcommand + ": --threads");
}

bool parse_command_line(const std::string& subcommand, const std::vector<std::string>& args,
                        const po::options_description& options,
                        const po::positional_options_description& positional,
                        const CommandHelp& help, po::variables_map& values) {
  try {
    po::store(po::command_line_parser(args).options(options).positional(positional).run(), values);
    if (values.count("config") != 0U && values.count("help") == 0U) {
      merge_config_file(values["config"].as<std::string>(), options, values);
    }
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
