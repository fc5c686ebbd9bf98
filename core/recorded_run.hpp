// Runs a Simulation while it records, keeping the trace durable and honest: periodic flushes,
// `ticks_completed` and a final /meta `status` (complete, interrupted + stop_reason, failed +
// stop_reason), with a clean stop after the current epoch on SIGINT/SIGTERM (the Simulation
// checks its settings' InterruptGuard after every epoch).
#pragma once

#include <functional>
#include <string_view>

#include "core/recorder.hpp"
#include "core/simulation.hpp"

namespace tandem {

struct RecordedRunOptions {
  // Wall-clock seconds between flushes (0: flush after every epoch). Data older than this
  // survives anything short of losing the machine.
  double flush_interval_s = 0.5;
  // False when more run_recorded calls continue this run (a closed-loop example runs in
  // chunks): a successful call then leaves the status "running" for the caller to finish.
  bool ends_run = true;
  // Called after each periodic flush with the ticks completed so far (progress, tests).
  std::function<void(Tick)> on_flush;
};

// Writes the run-level /meta keys DESIGN asks for: dt_ms, seed, mode, chip and the full
// resolved configuration text (so the run can be reproduced from its trace alone).
void write_run_metadata(Recorder& recorder, const SimulationSettings& settings,
                        std::string_view chip, std::string_view config);

// Advances `sim` by `ticks` epoch by epoch (the same epochs as sim.run(ticks)) with `recorder`
// attached (set_recorder must have been called with it). On success writes status "complete"
// (with options.ends_run). On a signal (RunInterrupted from the Simulation): status "interrupted" + stop_reason, flush, rethrows RunInterrupted. On any
// other exception: status "failed" + stop_reason, flush (best effort), rethrows. In every case
// `ticks_completed` is the number of ticks whose data is in the trace. The caller closes the
// recorder (Hdf5Recorder::close keeps the status written here).
void run_recorded(Simulation& sim, Tick ticks, Recorder& recorder,
                  const RecordedRunOptions& options = {});

}  // namespace tandem
