// `tandem export NET.yaml -o NET.nir`: what NIR can express of a network file, written as a NIR
// graph (io/nir_export.hpp, docs/nir.md#export), with the tables its Input nodes need and the
// `tandem run` line that reproduces the network's spikes from it.
#include <filesystem>
#include <iostream>

#include "app/cli_options.hpp"
#include "core/error.hpp"
#include "core/interrupt_guard.hpp"
#include "io/network_file.hpp"
#include "io/nir_export.hpp"
#include "io/overrides.hpp"

namespace tandem::app {

int run_export_command(const std::vector<std::string>& args, const InterruptGuard& interrupt) {
  po::options_description options("options");
  add_common_options(options);
  options.add_options()
    ("network", po::value<std::string>(), "network file (.yaml)")
    ("output,o", po::value<std::string>(), "the NIR file to write (.nir); input tables go next to it")
    ("force", po::bool_switch(), "replace existing output files")
    ("seed", po::value<std::uint64_t>(), "random seed for random connectivity (overrides the file)")
    ("set", po::value<std::vector<std::string>>()->composing(), "override a value of the file: path.to.key=value");
  po::positional_options_description positional;
  positional.add("network", 1);
  po::variables_map values;
  const CommandHelp help{
      "tandem export NETWORK.yaml -o NETWORK.nir [--force]",
      "Write what NIR can express of a network file as a NIR graph: populations (lif, li, if, cuba_lif) as "
      "LIF/LI/IF/CubaLIF nodes, projections as Linear/Affine nodes with Delay nodes, spike_times inputs as Input "
      "nodes (their spikes go to <output stem>.<input>.csv, for --input). Time constants and weights are "
      "converted so that 'tandem run NETWORK.nir' (forward Euler) gives the network's own spikes; what it "
      "cannot express or reproduce exactly (dense layers, bridge units, environments, Poisson and current "
      "inputs, other models, refractory periods, multapses …) is refused by name. Random connectivity is "
      "exported as drawn with the run seed. Prints the 'tandem run' line to use. docs/nir.md#export.",
      "  tandem export net.yaml -o net.nir\n"
      "  tandem export net.yaml -o out/net.nir --force --seed 3\n"};
  if (!parse_command_line("export", args, options, positional, help, values)) return exit_ok;
  if (values.count("network") == 0U) throw InputError("tandem export: give a network file (.yaml; see --help)");
  if (values.count("output") == 0U) throw InputError("tandem export: give the NIR file to write with -o FILE.nir");
  const std::string file = values["network"].as<std::string>();
  if (std::filesystem::path(file).extension() == ".nir") {
    throw InputError(file + ": is a NIR file already; tandem export reads network files (.yaml)");
  }
  std::vector<io::Override> overrides;
  if (values.count("set") != 0U) {
    for (const auto& text : values["set"].as<std::vector<std::string>>()) overrides.push_back(io::parse_override(text));
  }
  auto network = io::load_network(file, overrides);
  if (values.count("seed") != 0U) network.simulation.seed = values["seed"].as<std::uint64_t>();
  io::NirExportOptions export_options;
  export_options.overwrite = values["force"].as<bool>();
  export_options.interrupt = &interrupt;
  const auto result = io::export_nir(network, values["output"].as<std::string>(), export_options);
  if (values.count("quiet") != 0U && values["quiet"].as<bool>()) return exit_ok;
  std::cout << "wrote " << result.file.string() << ": " << result.nodes << " NIR nodes, dt " << format_number(result.dt_ms)
            << " ms (in /node/metadata/dt; NIR itself stores none), reset " << result.reset << "\n";
  for (const auto& input : result.inputs) {
    std::cout << "input " << input.node << ": " << input.ticks << " ticks of spikes in " << input.table.string() << "\n";
  }
  for (const auto& output : result.outputs) std::cout << "output " << output << "\n";
  for (const auto& note : result.notes) std::cout << "note: " << note << "\n";
  std::cout << "run it with: " << result.import_command() << "\n";
  return exit_ok;
}

}  // namespace tandem::app
