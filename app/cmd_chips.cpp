// `tandem chips [--chip NAME|file.yaml]`: lists the chip presets (name, cores, mesh, neurons
// per core, key costs, source), or every figure of one chip.
#include <array>
#include <cstdio>
#include <map>
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

// One line per op: its figure, or the reason it has none (`reasons`), or a flag that it has neither.
void print_op_figures(const std::array<double, op_kind_count>& figures, const std::map<std::string, std::string>& reasons,
                      const std::string& no_figure) {
  for (std::size_t i = 0; i < op_kind_count; ++i) {
    const std::string name(op_name(static_cast<Op>(i)));
    const auto reason = reasons.find(name);
    std::cout << "    " << name << ": "
              << (reason != reasons.end() ? no_figure + " — " + reason->second
                  : figures[i] == 0.0     ? std::string("0 (no reason given: an unexplained zero)")
                                          : pj(figures[i]))
              << "\n";
  }
}

void print_timing(const ChipModel& chip) {
  const ChipTiming& timing = chip.timing;
  if (!timing.modelled) {
    std::cout << "  timing: not modelled (no timing block)\n";
    return;
  }
  std::cout << "  timing (" << timing.source << "), core pipelines "
            << (timing.pipelines_overlap ? "overlapped" : "serial") << ", barrier ns by tiles in use ("
            << (timing.sync_steps ? "steps" : "linear") << "):";
  for (const auto& [tiles, ns] : timing.sync_ns_by_tiles) std::cout << " " << pj(tiles) << ": " << pj(ns);
  std::cout << "\n  latencies (ns):\n";
  print_op_figures(timing.latency_ns, timing.untimed, "untimed");
  std::cout << "    hops_east_west: " << pj(timing.hop_east_west_ns) << "\n"
            << "    hops_north_south: " << pj(timing.hop_north_south_ns) << "\n";
}

void print_link(const InterChipLink& link) {
  if (!link.applicable) {
    std::cout << "  inter-chip link: " << link.source << "\n";
    return;
  }
  std::cout << "  inter-chip link (one packet across one chip boundary): " << pj(link.energy_pj) << " pJ";
  if (link.energy_pj_per_bit > 0.0) std::cout << " (" << pj(link.energy_pj_per_bit) << " pJ/bit x " << link.packet_bits << " bits)";
  std::cout << ", " << pj(link.latency_ns) << " ns";
  if (link.bandwidth_gbit_s > 0.0) std::cout << ", " << pj(link.bandwidth_gbit_s) << " Gbit/s";
  std::cout << "\n    source: " << link.source << "\n";
}

void print_chip_details(const ChipModel& chip) {
  std::cout << "chip " << chip.name << ": " << chip.description << "\n"
            << "  source: " << chip.source << "\n"
            << "  mesh " << chip.mesh_width << " x " << chip.mesh_height << " tiles of " << chip.cores_per_tile << " = " << chip.cores() << " cores\n"
            << "  per core: " << chip.core.neurons << " neurons, fan-in " << chip.core.fan_in << ", "
            << chip.core.synapse_memory_bytes << " bytes synapse memory, modes"
            << (chip.core.snn ? " snn" : "") << (chip.core.ann ? " ann" : "") << "\n"
            << "  static power per core in use: " << pj(chip.static_power.core_active_w) << " W working, "
            << pj(chip.static_power.core_idle_w) << " W idle; unused cores "
            << (chip.static_power.unused_cores_power_gated ? "power-gated" : "idle") << " (" << chip.static_power.source
            << ")\n"
            << "  clock " << pj(chip.clock_hz) << " Hz\n"
            << "  costs (pJ):\n";
  print_op_figures(chip.cost_pj, chip.unpriced, "unpriced");
  std::cout << "    hops_east_west: " << pj(chip.hop_east_west_pj) << "\n"
            << "    hops_north_south: " << pj(chip.hop_north_south_pj) << "\n";
  print_link(chip.link);
  print_timing(chip);
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
  std::printf("%-16s %6s %7s %8s %9s %9s %9s %8s %8s %8s %11s %9s  %s\n", "name", "cores", "mesh", "neur/core", "syn_op_pJ",
              "neuron_pJ", "mac_pJ", "spike_pJ", "hop_pJ", "link_pJ", "static_W/core", "sync_ns", "source");
  for (const auto& name : list_preset_names()) {
    const ChipModel chip = load_chip(name);
    const std::string mesh = std::to_string(chip.mesh_width) + "x" + std::to_string(chip.mesh_height);
    const std::string sync = chip.timing.modelled ? pj(chip.timing.sync_ns(1)) : std::string("untimed");
    const std::string link = chip.link.applicable ? pj(chip.link.energy_pj) : std::string("n/a");
    std::printf("%-16s %6zu %7s %8zu %9s %9s %9s %8s %8s %8s %13s %9s  %s\n", chip.name.c_str(), chip.cores(), mesh.c_str(),
                chip.core.neurons, cost_cell(chip, Op::synaptic_op).c_str(), cost_cell(chip, Op::neuron_update).c_str(),
                cost_cell(chip, Op::mac).c_str(), cost_cell(chip, Op::spike).c_str(), cost_cell(chip, Op::hop).c_str(),
                link.c_str(), pj(chip.static_power.core_idle_w).c_str(), sync.c_str(), chip.source.c_str());
  }
  std::cout << "\n-: not priced by the chip's figures, with the reason in tandem chips --chip NAME; static_W/core: "
               "a core in use with no work; link_pJ: one packet across a chip boundary of a board (n/a: never tiled); "
               "sync_ns: the barrier per tick on one tile\npresets from: ";
  for (const auto& folder : preset_directories()) std::cout << folder << "  ";
  std::cout << "\n";
  return 0;
}

}  // namespace tandem::app
