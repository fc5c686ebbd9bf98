// `tandem`: one program, subcommands (see subcommands.cpp). Maps failures to exit codes:
// 0 ok, 1 run failed, 2 bad input (docs/cli.md).
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "app/subcommand.hpp"
#include "core/error.hpp"
#include "core/version.hpp"

namespace {

void print_overview(std::ostream& out) {
  out << "tandem " << tandem::version()
      << " — a neuromorphic hybrid-chip emulator (spiking + dense networks, energy reports)\n\n"
      << "usage: tandem SUBCOMMAND [options]   (tandem SUBCOMMAND --help for details)\n\n"
      << "subcommands:\n";
  for (const auto& command : tandem::app::subcommands()) {
    out << "  " << command.name << std::string(10 - std::min<std::size_t>(9, command.name.size()), ' ')
        << command.summary << "\n";
  }
  out << "\noptions:\n  -h, --help     show this overview\n  --version      print the version\n"
      << "\nexit codes: 0 ok, 1 run failed, 2 bad input\n";
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    print_overview(std::cerr);
    return tandem::exit_bad_input;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_overview(std::cout);
    return tandem::exit_ok;
  }
  if (args[0] == "--version") {
    std::cout << "tandem " << tandem::version() << "\n";
    return tandem::exit_ok;
  }
  for (const auto& command : tandem::app::subcommands()) {
    if (command.name != args[0]) continue;
    try {
      return command.run(std::vector<std::string>(args.begin() + 1, args.end()));
    } catch (const tandem::InputError& error) {
      std::cerr << "tandem: error: " << error.what() << "\n";
      return tandem::exit_bad_input;
    } catch (const std::exception& error) {
      std::cerr << "tandem: run failed: " << error.what() << "\n";
      return tandem::exit_run_failed;
    }
  }
  std::cerr << "tandem: error: unknown subcommand '" << args[0] << "' (see 'tandem --help')\n";
  return tandem::exit_bad_input;
}
