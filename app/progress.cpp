#include "app/progress.hpp"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ostream>

namespace tandem::app {

std::string format_duration(double seconds) {
  char text[48];
  if (!std::isfinite(seconds) || seconds < 0.0) return "?";
  if (seconds < 1.0) {
    std::snprintf(text, sizeof text, "%.0f ms", seconds * 1e3);
  } else if (seconds < 60.0) {
    std::snprintf(text, sizeof text, "%.1f s", seconds);
  } else if (seconds < 3600.0) {
    const auto whole = static_cast<long>(seconds);
    std::snprintf(text, sizeof text, "%ld min %02ld s", whole / 60, whole % 60);
  } else {
    const auto minutes = static_cast<long>(seconds / 60.0);
    std::snprintf(text, sizeof text, "%ld h %02ld min", minutes / 60, minutes % 60);
  }
  return text;
}

std::string format_progress(const ProgressFigures& figures) {
  const double simulated_s = static_cast<double>(figures.done_ticks) * figures.dt_ms * 1e-3;
  const double total_s = static_cast<double>(figures.total_ticks) * figures.dt_ms * 1e-3;
  const double fraction = figures.total_ticks > 0
                              ? static_cast<double>(figures.done_ticks) / static_cast<double>(figures.total_ticks)
                              : 0.0;
  std::string line = "sim " + format_duration(simulated_s) + " / " + format_duration(total_s);
  char percent[32];
  std::snprintf(percent, sizeof percent, " (%.1f%%)", 100.0 * fraction);
  line += percent;
  line += " | wall " + format_duration(figures.wall_s);
  if (figures.wall_s > 0.0 && figures.done_ticks > 0) {
    char ratio[48];
    std::snprintf(ratio, sizeof ratio, " | %.2fx real time", simulated_s / figures.wall_s);
    line += ratio;
    // Assumes the remaining ticks cost what the done ones did on average.
    const double remaining_s = figures.wall_s * static_cast<double>(figures.total_ticks - figures.done_ticks) /
                               static_cast<double>(figures.done_ticks);
    line += " | ETA " + format_duration(remaining_s);
  }
  return line;
}

bool ProgressThrottle::due(double wall_s) {
  if (wall_s < delay_s_) return false;
  if (last_s_ >= 0.0 && wall_s - last_s_ < interval_s_) return false;
  last_s_ = wall_s;
  return true;
}

bool progress_wanted(bool quiet) { return !quiet && isatty(STDERR_FILENO) == 1; }

namespace {
double steady_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

ProgressReporter::ProgressReporter(Tick start_tick, Tick total_ticks, double dt_ms, std::ostream& out, Clock clock)
    : start_tick_(start_tick),
      total_ticks_(total_ticks),
      dt_ms_(dt_ms),
      out_(out),
      clock_(clock ? std::move(clock) : Clock(steady_seconds)),
      started_s_(clock_()) {}

void ProgressReporter::on_epoch(const Epoch& epoch) {
  done_ticks_ = epoch.end - start_tick_;
  const double wall_s = clock_() - started_s_;
  if (throttle_.due(wall_s)) draw(done_ticks_, wall_s);
}

void ProgressReporter::draw(Tick done_ticks, double wall_s) {
  // \r returns to the line start, ESC[K clears what a longer previous line left behind.
  out_ << '\r' << format_progress({done_ticks, total_ticks_, dt_ms_, wall_s}) << "\x1b[K" << std::flush;
  ++redraws_;
}

void ProgressReporter::finish() {
  if (redraws_ == 0) return;
  draw(done_ticks_, clock_() - started_s_);
  out_ << '\n' << std::flush;
}

}  // namespace tandem::app
