// Ctrl-C / kill handling for runs: while an InterruptGuard lives, SIGINT and SIGTERM only set
// a flag, and the run loop stops cleanly after the current epoch (RunInterrupted), so the
// trace is flushed and closed with status "interrupted" instead of being cut mid-write.
#pragma once

#include <string>

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

class InterruptGuard {
 public:
  // Installs the handlers (remembering the previous ones). Only one guard may live at a time:
  // a second one is a RunError. A second signal while the first is pending restores the
  // default action and re-raises, so a stuck run can still be killed with a second Ctrl-C.
  InterruptGuard();
  ~InterruptGuard();  // restores the previous handlers
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  // 0 while no signal arrived, else the signal number.
  [[nodiscard]] int pending_signal() const;
  // Throws RunInterrupted ("interrupted by SIGINT at tick N") when a signal arrived.
  void check(Tick ticks_completed) const;
  // Behaves as if `signal_number` had arrived (tests, programmatic stop).
  void request_stop(int signal_number);
};

// "SIGINT", "SIGTERM", otherwise "signal N".
std::string signal_name(int signal_number);

}  // namespace tandem
