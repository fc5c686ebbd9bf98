#include "core/interrupt_guard.hpp"

#include <unistd.h>

#include <atomic>
#include <csignal>

namespace tandem {

namespace {

// Signal handlers can reach no object, so this state must live at namespace scope; it is
// private to this file and only meaningful while the (single) InterruptGuard lives.
// std::atomic<int> is lock-free on every platform we build for, hence async-signal-safe.
std::atomic<int> pending_signal_number{0};
std::atomic<int> signals_received{0};
std::atomic<bool> guard_alive{false};
struct sigaction previous_sigint;
struct sigaction previous_sigterm;
struct sigaction previous_sigalrm;

// The grace period after a second signal ran out: leave now. _exit is async-signal-safe.
extern "C" void on_grace_expired(int /*signal_number*/) { _exit(128 + pending_signal_number.load()); }

extern "C" void on_stop_signal(int signal_number) {
  int expected = 0;
  pending_signal_number.compare_exchange_strong(expected, signal_number);
  const int count = signals_received.fetch_add(1) + 1;
  if (count == 2) {
    alarm(InterruptGuard::grace_seconds);  // the user insists: outputs get a moment to close
  } else if (count >= 3) {
    _exit(128 + pending_signal_number.load());
  }
}

void install(int signal_number, void (*handler)(int), struct sigaction* previous) {
  struct sigaction action {};
  action.sa_handler = handler;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // blocking I/O in progress continues; the loop checks later
  sigaction(signal_number, &action, previous);
}

}  // namespace

static_assert(std::atomic<int>::is_always_lock_free, "the signal flag must be lock-free");

InterruptGuard::InterruptGuard() {
  if (guard_alive.exchange(true)) throw RunError("only one InterruptGuard may be active at a time");
  struct sigaction inherited {};
  sigaction(SIGINT, nullptr, &inherited);
  sigint_ignored_ = inherited.sa_handler == SIG_IGN;
  if (!sigint_ignored_) install(SIGINT, on_stop_signal, &previous_sigint);
  install(SIGALRM, on_grace_expired, &previous_sigalrm);
  install(SIGTERM, on_stop_signal, &previous_sigterm);
}

InterruptGuard::~InterruptGuard() {
  // Dispositions first: a signal from here on goes to the previous handler, so clearing the
  // flag afterwards cannot lose one.
  if (!sigint_ignored_) sigaction(SIGINT, &previous_sigint, nullptr);
  sigaction(SIGTERM, &previous_sigterm, nullptr);
  alarm(0);
  sigaction(SIGALRM, &previous_sigalrm, nullptr);
  pending_signal_number.store(0);
  signals_received.store(0);
  guard_alive.store(false);
}

int InterruptGuard::pending_signal() const { return pending_signal_number.load(); }

void InterruptGuard::check(Tick ticks_completed) const {
  const int signal_number = pending_signal_number.load();
  if (signal_number == 0) return;
  throw RunInterrupted(signal_number, "interrupted by " + signal_name(signal_number) + " after " +
                                          std::to_string(ticks_completed) + " ticks");
}

void InterruptGuard::check(std::string_view activity) const {
  const int signal_number = pending_signal_number.load();
  if (signal_number == 0) return;
  throw RunInterrupted(signal_number, "interrupted by " + signal_name(signal_number) + " while " +
                                          std::string(activity));
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
