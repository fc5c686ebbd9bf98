// Progress of a long run on one refreshing stderr line: simulated time, wall time, speed
// relative to real time and ETA. Shown only on a terminal, not with --quiet, only once the
// run has taken ~2 s of wall time, and redrawn at most ~4 times per second.
#pragma once

#include <functional>
#include <iosfwd>
#include <string>

#include "core/simulation.hpp"

namespace tandem::app {

struct ProgressFigures {
  Tick done_ticks = 0;
  Tick total_ticks = 0;
  double dt_ms = 1.0;
  double wall_s = 0.0;
};

// "sim 1.25 s / 10 s (12.5%) | wall 3.1 s | 0.40x real time | ETA 13 s"
std::string format_progress(const ProgressFigures& figures);
// "850 ms", "12.3 s", "4 min 05 s", "2 h 03 min"
std::string format_duration(double seconds);

// Decides when to redraw: not before `delay_s` of wall time (short runs stay silent), then at
// most once per `interval_s`.
class ProgressThrottle {
 public:
  explicit ProgressThrottle(double delay_s = 2.0, double interval_s = 0.25)
      : delay_s_(delay_s), interval_s_(interval_s) {}
  [[nodiscard]] bool due(double wall_s);

 private:
  double delay_s_;
  double interval_s_;
  double last_s_ = -1.0;
};

// Whether to show progress: stderr is a terminal and --quiet was not given.
bool progress_wanted(bool quiet);

class ProgressReporter {
 public:
  using Clock = std::function<double()>;  // wall seconds, any origin
  // `clock` defaults to std::chrono::steady_clock; tests pass their own.
  ProgressReporter(Tick start_tick, Tick total_ticks, double dt_ms, std::ostream& out, Clock clock = {});

  void on_epoch(const Epoch& epoch);
  // For Simulation::add_epoch_observer; the reporter must outlive the run.
  EpochObserver observer() { return [this](const Epoch& epoch) { on_epoch(epoch); }; }
  // Draws the final state and ends the line, if anything was drawn.
  void finish();
  [[nodiscard]] int redraws() const { return redraws_; }

 private:
  void draw(Tick done_ticks, double wall_s);

  Tick start_tick_;
  Tick total_ticks_;
  double dt_ms_;
  std::ostream& out_;
  Clock clock_;
  double started_s_;
  ProgressThrottle throttle_;
  Tick done_ticks_ = 0;
  int redraws_ = 0;
};

}  // namespace tandem::app
