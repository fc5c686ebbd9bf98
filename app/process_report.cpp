#include "app/process_report.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "bench/peak_rss.hpp"
#include "neurons/event_engine.hpp"

namespace tandem::app {

void describe_processes(ProcessGroup& processes, const Simulation& simulation, const BoardLayout& board) {
  // The blocks each process's engines really own, not the ones asked for: gathered from every
  // process, so that the log shows what each one steps.
  struct Split {
    std::string name;
    std::size_t units = 0;
  };
  std::vector<Split> split;
  std::vector<OwnedBlock> mine;
  for (const auto& engine : simulation.engines()) {
    const auto* events = dynamic_cast<const neurons::EventEngine*>(engine.get());
    if (events == nullptr) continue;
    for (const NodeCounters& node : events->counters()) {
      if (node.kind != NodeKind::spiking) continue;
      const neurons::PopulationBase& population = events->population(node.node);
      split.push_back({node.node, node.units});
      mine.push_back({population.owned_begin(), population.owned_end()});
    }
  }
  const std::size_t ranks = processes.size();
  std::vector<std::uint64_t> owned(2 * split.size() * ranks, 0);
  for (std::size_t k = 0; k < split.size(); ++k) {
    owned[2 * (k * ranks + processes.rank())] = mine[k].begin;
    owned[2 * (k * ranks + processes.rank()) + 1] = mine[k].end;
  }
  processes.sum(owned);
  if (processes.rank() != 0) return;
  const bool by_chip = processes.has_blocks();
  std::string blocks;
  std::vector<std::uint64_t> neurons_of(ranks, 0);
  for (std::size_t k = 0; k < split.size(); ++k) {
    blocks += "\n  " + split[k].name + " (" + std::to_string(split[k].units) + "):";
    for (std::size_t r = 0; r < ranks; ++r) {
      const std::uint64_t begin = owned[2 * (k * ranks + r)];
      const std::uint64_t end = owned[2 * (k * ranks + r) + 1];
      neurons_of[r] += end - begin;
      blocks += " rank " + std::to_string(r);
      if (by_chip) blocks += " (chip " + std::to_string(r % board.chips_x) + "," + std::to_string(r / board.chips_x) + ")";
      blocks += " [" + std::to_string(begin) + ", " + std::to_string(end) + ")";
    }
  }
  const std::string partition =
      by_chip ? "a process per chip of the " + std::to_string(board.chips_x) + "x" + std::to_string(board.chips_y) +
                    " board: each owns the neurons the core mapping places on its chip (rank r: chip r, row-major)"
              : "neuron blocks: each owns a contiguous block of every neuron population";
  spdlog::info("mpi: {} processes, {} and the synapses onto them; spike sources, dense layers, bridge and environments "
               "run whole on every process; spikes are exchanged once per sub-epoch (the shortest delay){}",
               ranks, partition, blocks);
  for (std::size_t r = 0; r < ranks && by_chip; ++r) {
    if (neurons_of[r] == 0) {
      spdlog::warn("mpi: chip {} holds no neuron of any population: process {} only runs what every process runs", r, r);
    }
  }
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
