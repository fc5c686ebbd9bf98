// Ctrl-C / kill handling for a whole command: while the one InterruptGuard lives, SIGINT and
// SIGTERM only set a flag, and every long loop (the Simulation after each epoch, training,
// loading) stops cleanly at its next check (RunInterrupted), so outputs are closed with status
// "interrupted" instead of being cut mid-write.
#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/time.hpp"

namespace tandem {

// Thrown by InterruptGuard::check() once a signal arrived; a RunError, so it maps to exit 1
// unless the caller handles it (the CLI exits 130 for SIGINT, 143 for SIGTERM: 128 + signal).
class RunInterrupted : public RunError {
 public:
  RunInterrupted(int signal_number, const std::string& message)
      : RunError(message), signal_number_(signal_number) {}
  [[nodiscard]] int signal_number() const { return signal_number_; }

 private:
  int signal_number_;
};

// Installed once per command (the CLI's main does it before anything else) and removed after
// every output is closed, so no signal falls between two guards. Only one may live at a time.
//   - SIGTERM is always caught. SIGINT is caught unless it was inherited as ignored (a
//     background job started with `cmd &` from a non-interactive shell): then it stays
//     ignored, as Unix programs do.
//   - First signal: the flag is set; the run stops at its next check.
//   - Second signal: the run must be done within `grace_seconds` (closing outputs); after that
//     the process exits with 128 + the first signal's number whatever it is doing.
//   - Third signal: exits at once with 128 + signal.
// The flag is cleared only when the guard is destroyed, after the previous dispositions are
// back, so a signal is never forgotten while a guard is installed.
class InterruptGuard {
 public:
  static constexpr unsigned grace_seconds = 2;

  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  // 0 while no signal arrived, else the (first) signal's number.
  [[nodiscard]] int pending_signal() const;
  // True when SIGINT was inherited as ignored and is left so.
  [[nodiscard]] bool sigint_ignored() const { return sigint_ignored_; }
  // Throws RunInterrupted ("interrupted by SIGINT after N ticks") when a signal arrived.
  void check(Tick ticks_completed) const;
  // The same, for loops that are not ticks: "interrupted by SIGINT while <activity>".
  void check(std::string_view activity) const;
  // Behaves as if `signal_number` had arrived first (tests, programmatic stop).
  void request_stop(int signal_number);

 private:
  bool sigint_ignored_ = false;
};

// "SIGINT", "SIGTERM", otherwise "signal N".
std::string signal_name(int signal_number);

}  // namespace tandem
