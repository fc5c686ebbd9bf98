// `tandem`: one program, subcommands (see subcommands.cpp). Maps failures to exit codes:
// 0 ok, 1 run failed, 2 bad input, 128 + signal when SIGINT/SIGTERM stopped it (docs/cli.md).
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "app/subcommand.hpp"
#include "core/error.hpp"
#include "core/interrupt_guard.hpp"
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
      << "\nexit codes: 0 ok, 1 run failed, 2 bad input, 130/143 stopped by SIGINT/SIGTERM (outputs closed)\n";
}

// The command's exit code, or 128 + signal when a signal arrived after its last check (its
// outputs are complete then, but whoever sent the signal asked for a stop and is told so).
int honour_late_signal(const tandem::InterruptGuard& interrupt, int code) {
  const int signal_number = interrupt.pending_signal();
  if (signal_number == 0) return code;
  std::cerr << "tandem: " << tandem::signal_name(signal_number) << " arrived as the command finished; its outputs are complete\n";
  return 128 + signal_number;
}

}  // namespace

int main(int argc, char** argv) {
  // First of all, and for the whole command: from here on SIGINT/SIGTERM stop the command at
  // its next check with every output closed (core/interrupt_guard.hpp), never in between.
  const tandem::InterruptGuard interrupt;
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
      return honour_late_signal(interrupt, command.run(std::vector<std::string>(args.begin() + 1, args.end()), interrupt));
    } catch (const tandem::RunInterrupted& interrupted) {
      std::cerr << "tandem: " << interrupted.what() << "; outputs closed\n";
      return 128 + interrupted.signal_number();
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
