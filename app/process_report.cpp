#include "app/process_report.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>
#include <string>

#include "bench/peak_rss.hpp"

namespace tandem::app {

void describe_processes(const ProcessGroup& processes, const Simulation& simulation) {
  if (processes.rank() != 0) return;
  const std::size_t ranks = processes.size();
  std::string blocks;
  for (const NodeCounters& node : simulation.counters()) {
    if (node.kind != NodeKind::spiking) continue;
    blocks += "\n  " + node.node + " (" + std::to_string(node.units) + "):";
    for (std::size_t r = 0; r < ranks; ++r) {
      const OwnedBlock block = owned_block(node.units, r, ranks);
      blocks += " rank " + std::to_string(r) + " [" + std::to_string(block.begin) + ", " + std::to_string(block.end) + ")";
    }
  }
  spdlog::info("mpi: {} processes, neuron blocks: each owns a contiguous block of every neuron population and the "
               "synapses onto it; spike sources, dense layers, bridge and environments run whole on every process; "
               "spikes are exchanged once per sub-epoch (the shortest delay){}",
               ranks, blocks);
}

void report_peak_memory(ProcessGroup& processes) {
  std::vector<std::uint64_t> peak(processes.size(), 0);
  peak[processes.rank()] = bench::peak_rss_bytes();
  processes.sum(peak);
  if (processes.rank() != 0) return;
  std::cout << "peak memory per process (MB):";
  char text[32];
  for (std::size_t r = 0; r < peak.size(); ++r) {
    std::snprintf(text, sizeof text, " %.1f", static_cast<double>(peak[r]) / 1e6);
    std::cout << text;
  }
  std::cout << "\n";
  std::cout.flush();
}

}  // namespace tandem::app
