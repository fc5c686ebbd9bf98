// The energy ledger: an epoch observer that, every `window_ticks`, takes each node's counter
// differences, adds the packets and hops its output events cause on the chip mapping, prices
// them with the EnergyModel (event run and always-on baseline side by side) and records them
// under /energy/... through the Recorder. Stream paths: docs/energy.md "HDF5 layout".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/core_mapping.hpp"
#include "core/energy_model.hpp"
#include "core/execution_mode.hpp"
#include "core/recorder.hpp"
#include "core/time.hpp"

namespace tandem {

class Simulation;

// Counts and joules of one node (or the total) over a run, executed and always-on.
struct NodeEnergy {
  std::string node;
  NodeKind kind = NodeKind::spiking;
  std::size_t units = 0;
  double cores = 0.0;       // share of the cores in use (static power follows it)
  OpCounts executed;        // including the packets and hops of its routed output events
  OpCounts always_on;
  RouteCounts executed_route;
  RouteCounts always_on_route;
  double dynamic_j = 0.0;
  double static_j = 0.0;    // the same for both: same mapping, same duration
  double always_on_dynamic_j = 0.0;

  [[nodiscard]] double energy_j() const { return dynamic_j + static_j; }
  [[nodiscard]] double always_on_energy_j() const { return always_on_dynamic_j + static_j; }
  // energy_j / always_on_energy_j; 1 when both are zero.
  [[nodiscard]] double ratio() const;
  NodeEnergy& operator+=(const NodeEnergy& other);  // counts and joules, not the name
};

struct EnergyLedgerSettings {
  Tick window_ticks = 100;
  BoardLayout board;
  Placement placement = Placement::fill;
};

class EnergyLedger {
 public:
  // Maps the simulation's nodes onto `chip` and registers itself as an epoch observer; the
  // ledger must outlive the runs. Attach it before the first run (counters are taken from the
  // engines' current values). `recorder` may be null (no traces).
  EnergyLedger(Simulation& simulation, const ChipModel& chip, EnergyLedgerSettings settings,
               Recorder* recorder = nullptr);
  EnergyLedger(const EnergyLedger&) = delete;
  EnergyLedger& operator=(const EnergyLedger&) = delete;

  // Closes the last (partial) window. Call after the run; calling it again is harmless.
  void finish();

  [[nodiscard]] const std::vector<NodeEnergy>& nodes() const { return nodes_; }
  [[nodiscard]] NodeEnergy total() const;
  [[nodiscard]] const CoreMapping& mapping() const { return mapping_; }
  [[nodiscard]] const EnergyModel& model() const { return model_; }
  [[nodiscard]] Tick ticks() const { return checkpoint_tick_ - start_tick_; }  // priced so far
  [[nodiscard]] std::size_t windows() const { return windows_; }
  [[nodiscard]] const TimeBase& time() const { return time_; }
  [[nodiscard]] ExecutionMode mode() const { return mode_; }
  [[nodiscard]] Tick window_ticks() const { return settings_.window_ticks; }

 private:
  void on_epoch(const Epoch& epoch);
  void checkpoint(Tick at);
  void enroll_streams();

  const Simulation& simulation_;
  EnergyModel model_;
  EnergyLedgerSettings settings_;
  Recorder* recorder_;
  TimeBase time_;
  ExecutionMode mode_;
  CoreMapping mapping_;
  std::vector<NodeEnergy> nodes_;
  std::vector<OpCounts> last_executed_;
  std::vector<OpCounts> last_always_on_;
  Tick start_tick_ = 0;
  Tick checkpoint_tick_ = 0;
  Tick latest_tick_ = 0;
  std::size_t windows_ = 0;
  // Per node: one stream per counter, then energy_j and always-on energy_j; then the totals.
  std::vector<std::vector<StreamId>> node_streams_;
  std::vector<StreamId> total_streams_;
  std::optional<StreamId> window_end_stream_;
};

}  // namespace tandem
