// `tandem chips [--chip NAME|file.yaml]`: lists the chip presets (name, cores, mesh, neurons
// per core, key costs, source), or every figure of one chip.
#include <cstdio>
#include <iostream>

#include "app/cli_options.hpp"
#include "core/chip_presets.hpp"
#include "core/interrupt_guard.hpp"

namespace tandem::app {
namespace {

std::string pj(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  return buffer;
}

// A cost for the overview table: "-" when the chip explains why it does not price it.
std::string cost_cell(const ChipModel& chip, Op op) {
  return chip.unpriced.count(std::string(op_name(op))) != 0 ? "-" : pj(chip.cost(op));
}

void print_chip_details(const ChipModel& chip) {
  std::cout << "chip " << chip.name << ": " << chip.description << "\n"
            << "  source: " << chip.source << "\n"
            << "  mesh " << chip.mesh_width << " x " << chip.mesh_height << " = " << chip.cores() << " cores\n"
            << "  per core: " << chip.core.neurons << " neurons, fan-in " << chip.core.fan_in << ", "
            << chip.core.synapse_memory_bytes << " bytes synapse memory, modes"
            << (chip.core.snn ? " snn" : "") << (chip.core.ann ? " ann" : "") << "\n"
            << "  static power " << pj(chip.static_power_w) << " W per core, clock " << pj(chip.clock_hz) << " Hz\n"
            << "  costs (pJ):\n";
  for (std::size_t i = 0; i < op_kind_count; ++i) {
    const std::string name(op_name(static_cast<Op>(i)));
    const auto reason = chip.unpriced.find(name);
    std::cout << "    " << name << ": "
              << (reason != chip.unpriced.end() ? "unpriced — " + reason->second
                  : chip.cost_pj[i] == 0.0    ? std::string("0 (no reason given: an unexplained zero)")
                                              : pj(chip.cost_pj[i]))
              << "\n";
  }
  std::cout << "    hops_east_west: " << pj(chip.hop_east_west_pj) << "\n"
            << "    hops_north_south: " << pj(chip.hop_north_south_pj) << "\n"
            << "    hops_inter_chip: " << pj(chip.hop_inter_chip_pj) << "\n";
}

}  // namespace

int run_chips_command(const std::vector<std::string>& args, const InterruptGuard& /*interrupt*/) {
  po::options_description options("options");
  options.add_options()("chip", po::value<std::string>(), "show every figure of one chip (preset name or file.yaml)");
  add_common_options(options);
  po::variables_map values;
  const CommandHelp help{"tandem chips [--chip NAME|file.yaml]",
                         "List the chip presets (searched in $TANDEM_PRESETS_DIR, then the source tree's "
                         "presets/), or show every figure of one chip. Costs are in pJ per operation.",
                         "  tandem chips\n  tandem chips --chip loihi\n  tandem chips --chip my_chip.yaml\n"};
  if (!parse_command_line("chips", args, options, {}, help, values)) return 0;
  if (values.count("chip") != 0U) {
    print_chip_details(load_chip(values["chip"].as<std::string>()));
    return 0;
  }
  std::printf("%-11s %6s %7s %8s %9s %9s %9s %8s %8s  %s\n", "name", "cores", "mesh", "neur/core", "syn_op_pJ",
              "neuron_pJ", "mac_pJ", "spike_pJ", "hop_pJ", "source");
  for (const auto& name : list_preset_names()) {
    const ChipModel chip = load_chip(name);
    const std::string mesh = std::to_string(chip.mesh_width) + "x" + std::to_string(chip.mesh_height);
    std::printf("%-11s %6zu %7s %8zu %9s %9s %9s %8s %8s  %s\n", chip.name.c_str(), chip.cores(), mesh.c_str(),
                chip.core.neurons, cost_cell(chip, Op::synaptic_op).c_str(), cost_cell(chip, Op::neuron_update).c_str(),
                cost_cell(chip, Op::mac).c_str(), cost_cell(chip, Op::spike).c_str(), cost_cell(chip, Op::hop).c_str(),
                chip.source.c_str());
  }
  std::cout << "\n-: not priced by the chip's figures, with the reason in tandem chips --chip NAME\npresets from: ";
  for (const auto& folder : preset_directories()) std::cout << folder << "  ";
  std::cout << "\n";
  return 0;
}

}  // namespace tandem::app
