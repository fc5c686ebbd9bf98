// `tandem`: one program, subcommands (see subcommands.cpp). Maps failures to exit codes:
// 0 ok, 1 run failed, 2 bad input, 128 + signal when SIGINT/SIGTERM stopped it (docs/cli.md).
#include <spdlog/spdlog.h>

#include <exception>
#include <cstdlib>
#include <memory>
#include <iostream>
#include <string>
#include <vector>

#include "app/subcommand.hpp"
#include "cluster/mpi_run.hpp"
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

// Runs the subcommand and maps its failure to an exit code. Over several processes (mpirun), only
// rank 0 reports bad input (every process reads the same input and fails alike); a failure of one
// process alone is reported by it, naming its rank.
int run_subcommand(const tandem::app::Subcommand& command, const std::vector<std::string>& args,
                   const tandem::InterruptGuard& interrupt, tandem::ProcessGroup* processes) {
  const bool first = processes == nullptr || processes->rank() == 0;
  const std::string who = first ? "tandem: " : "tandem (rank " + std::to_string(processes->rank()) + "): ";
  try {
    if (processes == nullptr) return honour_late_signal(interrupt, command.run(args, interrupt));
    if (command.run_on_processes == nullptr) {
      throw tandem::InputError("'tandem " + std::string(command.name) + "' runs in one process; under mpirun only "
                               "'tandem run NETWORK.yaml' shares a run among processes (docs/mpi.md)");
    }
    return honour_late_signal(interrupt, command.run_on_processes(args, interrupt, *processes));
  } catch (const tandem::RunInterrupted& interrupted) {
    if (first) std::cerr << who << interrupted.what() << "; outputs closed\n";
    return 128 + interrupted.signal_number();
  } catch (const tandem::InputError& error) {
    if (first) std::cerr << who << "error: " << error.what() << "\n";
    return tandem::exit_bad_input;
  } catch (const std::exception& error) {
    std::cerr << who << "run failed: " << error.what() << "\n";
    return tandem::exit_run_failed;
  }
}

}  // namespace

int main(int argc, char** argv) {
  // First of all, and for the whole command: from here on SIGINT/SIGTERM stop the command at
  // its next check with every output closed (core/interrupt_guard.hpp), never in between.
  const tandem::InterruptGuard interrupt;
  // Started by mpirun/srun: one of several processes sharing a run (docs/mpi.md).
  std::unique_ptr<tandem::cluster::MpiRun> mpi;
  if (tandem::cluster::launched_by_mpi()) {
    try {
      mpi = tandem::cluster::MpiRun::start(argc, argv, interrupt);
    } catch (const tandem::InputError& error) {
      std::cerr << "tandem: error: " << error.what() << "\n";
      return tandem::exit_bad_input;
    }
  }
  tandem::ProcessGroup* processes = mpi && mpi->processes().size() > 1 ? &mpi->processes() : nullptr;
  // The other processes stay quiet: rank 0 logs for the run (their errors still show).
  if (processes != nullptr && processes->rank() != 0) spdlog::set_level(spdlog::level::err);
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    if (processes == nullptr || processes->rank() == 0) print_overview(std::cerr);
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
    const int code = run_subcommand(command, std::vector<std::string>(args.begin() + 1, args.end()), interrupt, processes);
    // A stop agreed by every process after the same epoch (Simulation) ends them all normally;
    // any other failure may have left the other processes waiting in a collective call, so the
    // whole run is ended (mpirun then reports the exit code).
    const bool agreed_stop = code == tandem::exit_ok || code > 128;
    if (processes != nullptr && !agreed_stop) mpi->abort(code);
    if (mpi && mpi->broken()) {
      std::cout.flush();
      std::_Exit(code);  // outputs are closed; MPI_Finalize would wait for the process that is gone
    }
    return code;
  }
  if (processes == nullptr || processes->rank() == 0) {
    std::cerr << "tandem: error: unknown subcommand '" << args[0] << "' (see 'tandem --help')\n";
  }
  if (processes != nullptr) mpi->abort(tandem::exit_bad_input);
  return tandem::exit_bad_input;
}
