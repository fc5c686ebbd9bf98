// `tandem`: one program, subcommands (see subcommands.cpp). Maps failures to exit codes:
// 0 ok, 1 run failed, 2 bad input, 128 + signal when SIGINT/SIGTERM stopped it (docs/cli.md).
#include <spdlog/spdlog.h>

#include <exception>
#include <cstdlib>
#include <chrono>
#include <memory>
#include <thread>
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

// How a subcommand ended: its exit code, and what to tell the user (empty: nothing).
struct Outcome {
  int code = tandem::exit_ok;
  std::string message;
};

// Runs the subcommand and maps its failure to an exit code and a message.
Outcome run_subcommand(const tandem::app::Subcommand& command, const std::vector<std::string>& args,
                       const tandem::InterruptGuard& interrupt, tandem::ProcessGroup* processes) {
  const std::string who =
      processes == nullptr || processes->rank() == 0 ? "tandem: " : "tandem (rank " + std::to_string(processes->rank()) + "): ";
  try {
    if (processes == nullptr) return {honour_late_signal(interrupt, command.run(args, interrupt)), {}};
    if (command.run_on_processes == nullptr) {
      throw tandem::InputError("'tandem " + std::string(command.name) + "' runs in one process; under mpirun only "
                               "'tandem run NETWORK.yaml' shares a run among processes (docs/mpi.md)");
    }
    return {honour_late_signal(interrupt, command.run_on_processes(args, interrupt, *processes)), {}};
  } catch (const tandem::RunInterrupted& interrupted) {
    return {128 + interrupted.signal_number(), who + interrupted.what() + "; outputs closed"};
  } catch (const tandem::InputError& error) {
    return {tandem::exit_bad_input, who + "error: " + error.what()};
  } catch (const std::exception& error) {
    return {tandem::exit_run_failed, who + "run failed: " + error.what()};
  }
}

// Over several processes, a failure other than a stop agreed by all (Simulation) may have left
// the others waiting in a collective call: the whole run is ended (MPI_Abort; mpirun reports the
// code). Bad input fails every process alike, and rank 0 says so: the others wait 3 s before they
// speak and abort, so that rank 0's abort ends them first and the message appears once; a
// failure of one process alone still gets its message, naming its rank.
[[noreturn]] void end_failed_run(tandem::cluster::MpiRun& mpi, const Outcome& outcome) {
  if (mpi.processes().rank() != 0) std::this_thread::sleep_for(std::chrono::seconds(3));
  if (!outcome.message.empty()) std::cerr << outcome.message << std::endl;
  mpi.abort(outcome.code);
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
      if (tandem::cluster::launched_rank() == 0) std::cerr << "tandem: error: " << error.what() << "\n";
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
    const Outcome outcome = run_subcommand(command, std::vector<std::string>(args.begin() + 1, args.end()), interrupt, processes);
    const int code = outcome.code;
    const bool agreed_stop = code == tandem::exit_ok || code > 128;
    if (processes != nullptr && !agreed_stop) end_failed_run(*mpi, outcome);
    // A stop: every process says why (rank 0 for the run, the others only when they saw otherwise).
    if (!outcome.message.empty() && (processes == nullptr || processes->rank() == 0 || mpi->broken())) {
      std::cerr << outcome.message << "\n";
    }
    if (mpi && mpi->broken()) {
      std::cout.flush();
      std::_Exit(code);  // outputs are closed; MPI_Finalize would wait for the process that is gone
    }
    return code;
  }
  if (processes == nullptr || processes->rank() == 0) {
    std::cerr << "tandem: error: unknown subcommand '" << args[0] << "' (see 'tandem --help')\n";
  }
  if (processes != nullptr) end_failed_run(*mpi, {tandem::exit_bad_input, {}});
  return tandem::exit_bad_input;
}
