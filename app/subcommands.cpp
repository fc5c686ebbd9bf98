#include "app/subcommand.hpp"

#include <array>

namespace tandem::app {

// One line per subcommand; each entry point lives in its own cmd_<name>.cpp.
int run_bench_command(const std::vector<std::string>& args, const InterruptGuard& interrupt);
int run_info_command(const std::vector<std::string>& args, const InterruptGuard& interrupt);
int run_chips_command(const std::vector<std::string>& args, const InterruptGuard& interrupt);
int run_energy_command(const std::vector<std::string>& args, const InterruptGuard& interrupt);
int run_version_command(const std::vector<std::string>& args, const InterruptGuard& interrupt);
int run_export_command(const std::vector<std::string>& args, const InterruptGuard& interrupt);
int run_example_command(const std::vector<std::string>& args, const InterruptGuard& interrupt);
int run_run_command(const std::vector<std::string>& args, const InterruptGuard& interrupt);
int run_run_command_on_processes(const std::vector<std::string>& args, const InterruptGuard& interrupt,
                                 ProcessGroup& processes);
int run_tianjic_command(const std::vector<std::string>& args, const InterruptGuard& interrupt);

namespace {

constexpr std::array all_subcommands = {
    Subcommand{"run", "run a network file (.yaml) or a NIR graph (.nir): build it, run it, print its energy", run_run_command,
               run_run_command_on_processes},
    Subcommand{"example", "run a closed-loop example (cartpole): result, energy, trace", run_example_command},
    Subcommand{"export", "write what NIR can express of a network file as a NIR graph (tandem export NET.yaml -o NET.nir)",
               run_export_command},
    Subcommand{"bench", "run a benchmark (coba, brunel, dense …) and print its figures",
               run_bench_command},
    Subcommand{"info", "summarise a trace file (.h5): metadata, datasets, spikes, energy",
               run_info_command},
    Subcommand{"energy", "compare energy reports side by side (tandem energy compare A.json B.json)",
               run_energy_command},
    Subcommand{"tianjic", "run one Tianjic arithmetic primitive on a case file, print JSON (tandem tianjic run CASE.json)",
               run_tianjic_command},
    Subcommand{"chips", "list the chip presets and their energy costs", run_chips_command},
    Subcommand{"version", "print tandem's version and the libraries it was built with",
               run_version_command},
};

}  // namespace

std::span<const Subcommand> subcommands() { return all_subcommands; }

}  // namespace tandem::app
