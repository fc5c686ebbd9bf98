#include "core/recorded_run.hpp"

#include <chrono>
#include <exception>

#include "core/error.hpp"
#include "core/hdf5_recorder.hpp"
#include "core/interrupt_guard.hpp"

namespace tandem {

void write_run_metadata(Recorder& recorder, const SimulationSettings& settings,
                        std::string_view chip, std::string_view config) {
  recorder.write_metadata("dt_ms", format_number(settings.time.dt_ms()));
  recorder.write_metadata("seed", std::to_string(settings.seed));
  recorder.write_metadata("mode", std::string(to_string(settings.mode)));
  recorder.write_metadata("threads", std::to_string(settings.threads));
  recorder.write_metadata("chip", std::string(chip));
  recorder.write_metadata("config", std::string(config));
}

void run_recorded(Simulation& sim, Tick ticks, Recorder& recorder,
                  const RecordedRunOptions& options) {
  if (ticks < 0) throw InputError("cannot run for a negative number of ticks");
  using Clock = std::chrono::steady_clock;
  const auto interval = std::chrono::duration<double>(options.flush_interval_s);
  const Tick first_tick = sim.now();
  Tick completed = first_tick;  // only ticks whose epoch fully ran and recorded
  const auto finish = [&](const char* status, const std::string& reason) {
    recorder.write_metadata("status", status);
    if (!reason.empty()) recorder.write_metadata("stop_reason", reason);
    recorder.write_metadata("ticks_completed", std::to_string(completed));
    recorder.flush();
  };
  try {
    sim.run(0);  // builds the graph if needed, so epoch_ticks() is the real epoch length
    const Tick stop = first_tick + ticks;
    auto last_flush = Clock::now();
    while (sim.now() < stop) {
      // run() of one epoch length yields exactly the epochs of one long run() call.
      sim.run(std::min(sim.epoch_ticks(), stop - sim.now()));
      completed = sim.now();
      const auto now = Clock::now();
      if (now - last_flush >= interval) {
        recorder.write_metadata("ticks_completed", std::to_string(completed));
        recorder.flush();
        last_flush = now;
        if (options.on_flush) options.on_flush(completed);
      }
    }
  } catch (const RunInterrupted& interrupted) {
    completed = sim.now();  // the Simulation stops only between whole, recorded epochs
    finish(trace_status_interrupted, interrupted.what());
    throw;
  } catch (const std::exception& error) {
    try {
      finish(trace_status_failed, error.what());
    } catch (...) {
      // The original error matters more than a failure to record it.
    }
    throw;
  }
  if (options.ends_run) {
    finish(trace_status_complete, "");
  } else {
    recorder.write_metadata("ticks_completed", std::to_string(completed));
  }
}

}  // namespace tandem
