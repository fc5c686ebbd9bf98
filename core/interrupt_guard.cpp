#include "core/interrupt_guard.hpp"

#include <atomic>
#include <csignal>

namespace tandem {

namespace {

// Signal handlers can reach no object, so the flag must live at namespace scope; it is
// private to this file and only meaningful while the (single) InterruptGuard lives.
// std::atomic<int> is lock-free on every platform we build for, hence async-signal-safe.
std::atomic<int> pending_signal_number{0};
std::atomic<bool> guard_alive{false};
struct sigaction previous_sigint;
struct sigaction previous_sigterm;

extern "C" void on_stop_signal(int signal_number) {
  int expected = 0;
  if (!pending_signal_number.compare_exchange_strong(expected, signal_number)) {
    // Second signal: the user insists. Default action, then deliver it again.
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
  }
}

}  // namespace

static_assert(std::atomic<int>::is_always_lock_free, "the signal flag must be lock-free");

InterruptGuard::InterruptGuard() {
  if (guard_alive.exchange(true)) throw RunError("only one InterruptGuard may be active at a time");
  pending_signal_number.store(0);
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // blocking I/O in progress continues; the loop checks later
  sigaction(SIGINT, &action, &previous_sigint);
  sigaction(SIGTERM, &action, &previous_sigterm);
}

InterruptGuard::~InterruptGuard() {
  sigaction(SIGINT, &previous_sigint, nullptr);
  sigaction(SIGTERM, &previous_sigterm, nullptr);
  guard_alive.store(false);
}

int InterruptGuard::pending_signal() const { return pending_signal_number.load(); }

void InterruptGuard::check(Tick ticks_completed) const {
  const int signal_number = pending_signal_number.load();
  if (signal_number == 0) return;
  throw RunInterrupted(signal_number, "interrupted by " + signal_name(signal_number) +
                                          " after " + std::to_string(ticks_completed) + " ticks");
}

void InterruptGuard::request_stop(int signal_number) {
  int expected = 0;
  pending_signal_number.compare_exchange_strong(expected, signal_number);
}

std::string signal_name(int signal_number) {
  if (signal_number == SIGINT) return "SIGINT";
  if (signal_number == SIGTERM) return "SIGTERM";
  return "signal " + std::to_string(signal_number);
}

}  // namespace tandem
