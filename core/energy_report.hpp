// The energy report of a run: per-node and total counts and joules, event-driven vs the
// always-on baseline, and the mapping summary. Printed as a console table, written to and read
// from JSON (schema: docs/energy.md), and compared side by side across runs.
#pragma once

#include <string>
#include <vector>

#include "core/energy_ledger.hpp"

namespace tandem {

inline constexpr int energy_report_schema_version = 1;

struct MappingSummary {
  std::size_t cores_used = 0;
  std::size_t cores_available = 0;
  std::size_t chips_x = 1;
  std::size_t chips_y = 1;
  UtilisationSummary utilisation;
  std::vector<CoreLoad> cores;
};

// The chip's time over the run (docs/energy.md "Time"): event run and always-on baseline.
struct ChipTimeReport {
  bool modelled = false;  // the chip has a timing model; without one only static power's duration is known
  std::string source;
  std::string pacing = "real-time";
  double sync_ns = 0.0;  // barrier per tick at the tiles in use
  ChipRunTime executed;
  ChipRunTime always_on;
};

struct EnergyReport {
  int schema_version = energy_report_schema_version;
  std::string tandem_version;
  std::string network;  // a label: the network file or example name
  // "complete", or "interrupted" when a signal stopped the run: the figures then cover only
  // the `ticks` that ran, and `stop_reason` says why ("interrupted by SIGINT after N ticks").
  std::string status = "complete";
  std::string stop_reason;
  std::string chip;
  std::string chip_source;
  std::string mode;     // "event" or "always-on"
  double dt_ms = 1.0;
  Tick ticks = 0;
  double duration_ms = 0.0;
  Tick window_ticks = 0;
  std::vector<NodeEnergy> nodes;
  NodeEnergy total;
  MappingSummary mapping;
  StaticPower static_power;
  ChipTimeReport time;
  // The chip's inter-chip link figures (crossings are in total.*_route.hops_inter_chip, their
  // share of chip time in time.*.link_time_s).
  InterChipLink link;
  // A run's unit of work, when it has one (a control step, an inference): its length in ticks,
  // so the report gives latency and energy per step. 0: none.
  Tick step_ticks = 0;
  std::string step_name;

  // Derived figures (not stored): mean chip time per tick, chip time over simulated time (below
  // 1: faster than real time), mean power over the run's duration on the chip, and the
  // energy-delay product (energy × chip time).
  [[nodiscard]] double tick_mean_s(const ChipRunTime& run) const {
    return ticks == 0 ? 0.0 : run.chip_time_s / static_cast<double>(ticks);
  }
  [[nodiscard]] double real_time_factor(const ChipRunTime& run) const {
    return duration_ms == 0.0 ? 0.0 : run.chip_time_s / (duration_ms * 1e-3);
  }
  [[nodiscard]] double power_w(const ChipRunTime& run, double energy_j) const {
    return run.duration_s == 0.0 ? 0.0 : energy_j / run.duration_s;
  }
  // Energy of the run's inter-chip link crossings (part of the total's dynamic energy).
  [[nodiscard]] double link_energy_j(const RouteCounts& route) const {
    return static_cast<double>(route.hops_inter_chip) * link.energy_pj * joules_per_picojoule;
  }
  [[nodiscard]] static double energy_delay_product_js(const ChipRunTime& run, double energy_j) {
    return energy_j * run.chip_time_s;
  }
};

// Snapshot of a ledger (call ledger.finish() first).
EnergyReport make_energy_report(const EnergyLedger& ledger, const std::string& network = {});

// Console table: node, kind, key counts, energy event / always-on, ratio; totals; chip; cores.
std::string format_energy_table(const EnergyReport& report);
// The static/dynamic split, core activity, time on the chip, power and energy-delay product
// (part of format_energy_table).
std::string format_static_and_time(const EnergyReport& report);
// Inter-chip link traffic, energy and time, event run and always-on, with the figures' source
// (part of format_energy_table when the board has several chips or any packet crossed).
std::string format_inter_chip_links(const EnergyReport& report);
// NeuroBench's figures of the whole run (per node in the JSON), part of format_energy_table.
std::string format_neurobench(const EnergyReport& report);

std::string energy_report_to_json(const EnergyReport& report);
// Writes the JSON; RunError when the file cannot be written.
void write_energy_report(const EnergyReport& report, const std::string& path);
// InputError naming `origin`, the key path (e.g. "nodes[2].executed.macs") and the problem.
EnergyReport parse_energy_report(const std::string& json_text, const std::string& origin);
EnergyReport read_energy_report(const std::string& path);

// Side-by-side table of several reports (columns), with each report's ratio to the first.
// `labels` name the columns (file names); they default to "A", "B", … when empty.
std::string format_energy_comparison(const std::vector<EnergyReport>& reports,
                                     const std::vector<std::string>& labels = {});

}  // namespace tandem
