// A `tandem` subcommand: its name, one-line summary and entry point. The list of all of them
// is in subcommands.cpp; main.cpp dispatches to it.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/interrupt_guard.hpp"
#include "core/process_group.hpp"

namespace tandem::app {

struct Subcommand {
  std::string_view name;
  std::string_view summary;
  // Receives the arguments after the subcommand name; returns the process exit code.
  int (*run)(const std::vector<std::string>& args, const InterruptGuard& interrupt);
  // The same over several processes (mpirun, docs/mpi.md); nullptr: the subcommand runs in one.
  int (*run_on_processes)(const std::vector<std::string>& args, const InterruptGuard& interrupt,
                          ProcessGroup& processes) = nullptr;
};

std::span<const Subcommand> subcommands();

}  // namespace tandem::app
