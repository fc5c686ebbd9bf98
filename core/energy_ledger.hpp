// The energy ledger: an epoch observer that, every `window_ticks`, takes each node's counter
// differences, adds the packets and hops its output events cause on the chip mapping, prices
// them with the EnergyModel (event run and always-on baseline side by side) and records them
// under /energy/... through the Recorder. Stream paths: docs/energy.md "HDF5 layout".
#pragma once

#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/chip_time.hpp"
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
  double cores = 0.0;       // share of the cores in use (its cores' static power follows it)
  std::size_t weight_bytes = 0;    // synapse memory: weights, delays, indices
  std::size_t state_bytes = 0;     // neuron or layer state
  double possible_synapses = 0.0;  // a projection: source units × target units (else 0)
  bool on_host = false;            // runs on the chip's host processor (--host-offload)
  std::string precision = "float32";  // NodeCounters's: the arithmetic of its updates
  std::string quantisation;           // integer precisions: how weights and parameters were rounded
  double approximation_error = std::numeric_limits<double>::quiet_NaN();  // NodeCounters's, at the last window
  OpCounts executed;        // including the packets and hops of its routed output events
  OpCounts always_on;
  RouteCounts executed_route;
  RouteCounts always_on_route;
  double dynamic_j = 0.0;
  double static_j = 0.0;    // its share of its cores' static energy: active or idle per tick
  double always_on_dynamic_j = 0.0;
  double always_on_static_j = 0.0;  // always-on, every core works every tick

  [[nodiscard]] double energy_j() const { return dynamic_j + static_j; }
  [[nodiscard]] double always_on_energy_j() const { return always_on_dynamic_j + always_on_static_j; }
  // energy_j / always_on_energy_j; 1 when both are zero.
  [[nodiscard]] double ratio() const;
  // dynamic_j / always_on_dynamic_j; 1 when both are zero.
  [[nodiscard]] double dynamic_ratio() const;
  NodeEnergy& operator+=(const NodeEnergy& other);  // counts and joules, not the name
};

// How long a tick lasts on the chip, which static power accrues over: `real_time` paces ticks to
// the network's dt (a tick lasts dt, or the chip's tick time when that is longer: closed loops,
// sensors); `free_running` starts the next tick as soon as the chip finishes one (offline runs;
// needs a chip with a timing model).
enum class Pacing { real_time, free_running };
// "real-time" | "free-running"; InputError naming the text otherwise.
Pacing parse_pacing(const std::string& text);
std::string_view to_string(Pacing pacing);

struct EnergyLedgerSettings {
  Tick window_ticks = 100;
  BoardLayout board;
  Placement placement = Placement::fill;
  Pacing pacing = Pacing::real_time;
  PinnedCores pinned;  // nodes placed on named cores (the network file's `placement`)
  bool host_offload = false;  // dense nodes a chip without dense cores cannot run go to its host
};

// The chip's time and core activity over a run (or a window), event run or always-on.
struct ChipRunTime {
  double chip_time_s = 0.0;  // Σ over ticks of the chip's tick time (slowest core + transit + barrier)
  double tick_max_s = 0.0;   // the longest tick
  double duration_s = 0.0;   // the run's duration on the chip under the pacing (static power's time)
  std::uint64_t core_ticks_working = 0;  // (core in use, tick) pairs in which the core had work
  std::uint64_t core_ticks_idle = 0;     // ... in which it had none (clock-gated)
  double unused_cores_static_j = 0.0;    // cores the mapping leaves unused (0 when power-gated)
  double link_time_s = 0.0;  // the part of chip_time_s inter-chip link crossings add (ChipTimeModel)
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
  // All nodes, plus the static energy of unused cores.
  [[nodiscard]] NodeEnergy total() const;
  [[nodiscard]] const ChipRunTime& run_time() const { return run_time_; }
  [[nodiscard]] const ChipRunTime& always_on_run_time() const { return always_on_run_time_; }
  [[nodiscard]] Pacing pacing() const { return settings_.pacing; }
  [[nodiscard]] const CoreMapping& mapping() const { return mapping_; }
  [[nodiscard]] const EnergyModel& model() const { return model_; }
  [[nodiscard]] Tick ticks() const { return checkpoint_tick_ - start_tick_; }  // priced so far
  [[nodiscard]] std::size_t windows() const { return windows_; }
  [[nodiscard]] const TimeBase& time() const { return time_; }
  [[nodiscard]] ExecutionMode mode() const { return mode_; }
  [[nodiscard]] Tick window_ticks() const { return settings_.window_ticks; }

 private:
  void on_epoch(const Epoch& epoch);
  // Per epoch: each node's counts, the chip's time and which cores worked, static energy.
  void account_epoch(Tick ticks);
  // Static energy and time of one epoch as `clock` last saw it, into `run`, `window` and each
  // node's `NodeEnergy::*node_static`.
  void account_static(const EpochChipTime& epoch, Tick ticks, ChipRunTime& run, ChipRunTime& window,
                      double NodeEnergy::*node_static, std::vector<double>& window_node_static);
  void checkpoint(Tick at);
  void enroll_streams();

  const Simulation& simulation_;
  EnergyModel model_;
  EnergyLedgerSettings settings_;
  Recorder* recorder_;
  TimeBase time_;
  ExecutionMode mode_;
  CoreMapping mapping_;
  ChipTimeModel clock_;
  std::vector<NodeEnergy> nodes_;
  ChipRunTime run_time_;
  ChipRunTime always_on_run_time_;
  ChipRunTime window_time_;            // since the last checkpoint, event run
  ChipRunTime window_always_on_time_;  // since the last checkpoint, always-on
  std::vector<double> window_static_j_;            // per node, since the last checkpoint
  std::vector<double> window_always_on_static_j_;  // per node, since the last checkpoint
  // Per node: counters at the end of the previous epoch; this epoch's differences (with the
  // packets its output sends); the engines' counts since the last checkpoint (their sum).
  std::vector<OpCounts> last_executed_;
  std::vector<OpCounts> last_always_on_;
  std::vector<OpCounts> epoch_executed_;
  std::vector<OpCounts> epoch_always_on_;
  std::vector<std::uint64_t> epoch_transfers_;            // chip <-> host transfers this epoch
  std::vector<std::uint64_t> epoch_always_on_transfers_;
  std::vector<OpCounts> window_executed_;
  std::vector<OpCounts> window_always_on_;
  Tick start_tick_ = 0;
  Tick checkpoint_tick_ = 0;
  Tick latest_tick_ = 0;
  std::size_t windows_ = 0;
  // Per node: one stream per counter, then energy_j and always-on energy_j; then the totals.
  std::vector<std::vector<StreamId>> node_streams_;
  std::vector<StreamId> total_streams_;  // energy_j, always-on energy_j, static_j, power_w, link_j
  std::vector<StreamId> time_streams_;   // chip_time_s, tick_max_s, duration_s, link_time_s
  std::optional<StreamId> window_end_stream_;
};

}  // namespace tandem
