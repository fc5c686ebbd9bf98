#include <catch2/catch.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <memory>

#include "core/interrupt_guard.hpp"
#include "core/memory_recorder.hpp"
#include "core/recorded_run.hpp"
#include "tests/recording/pattern_engine.hpp"

using namespace tandem;
using tandem::testing::PatternEngine;

namespace {

struct Fixture {
  MemoryRecorder recorder;
  Simulation sim;
  PatternEngine& engine = sim.add_engine(std::make_unique<PatternEngine>(5, 1.0));
  explicit Fixture(const InterruptGuard* interrupt = nullptr)
      : sim(SimulationSettings{.max_epoch_ticks = 10, .interrupt = interrupt}) {
    sim.set_recorder(&recorder);
    sim.add_probe(Probe{"pop", "spikes", {}, 1});
    sim.add_probe(Probe{"pop", "v", {}, 4});
  }
};

// Runs `body` in a forked child (which must end with _exit or a signal); its exit code, or -1
// when a signal killed it.
int exit_code_of_child(void (*body)()) {
  const pid_t child = fork();
  if (child == 0) {
    body();
    _exit(99);
  }
  int status = 0;
  if (child < 0 || waitpid(child, &status, 0) != child) return -2;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::size_t expected_spikes(Tick ticks, std::uint32_t units) {
  std::size_t count = 0;
  for (Tick t = 0; t < ticks; ++t) {
    for (std::uint32_t i = 0; i < units; ++i) count += testing::pattern_spikes(t, i) ? 1 : 0;
  }
  return count;
}

}  // namespace

TEST_CASE("recorded run: a full run is complete with every tick recorded", "[recording][run]") {
  Fixture f;
  RecordedRunOptions options;
  options.flush_interval_s = 0.0;  // flush after every epoch
  run_recorded(f.sim, 95, f.recorder, options);
  CHECK(f.recorder.metadata().at("status") == "complete");
  CHECK(f.recorder.metadata().at("ticks_completed") == "95");
  CHECK(f.recorder.flushes() >= 10);
  // Same data as one plain sim.run(95): 24 samples of v (ticks 0, 4, …, 92), spikes by formula.
  CHECK(f.recorder.stream("/snn/pop/state/v").samples() == 24);
  CHECK(f.recorder.stream("/snn/pop/spikes/tick").samples() == expected_spikes(95, 5));
}

TEST_CASE("recorded run: a stop request ends the run after the current epoch",
          "[recording][run]") {
  InterruptGuard guard;
  Fixture f(&guard);
  RecordedRunOptions options;
  options.flush_interval_s = 0.0;
  options.on_flush = [&](Tick completed) {
    if (completed == 30) guard.request_stop(SIGTERM);
  };
  CHECK_THROWS_AS(run_recorded(f.sim, 1000, f.recorder, options), RunInterrupted);
  CHECK(f.recorder.metadata().at("status") == "interrupted");
  CHECK_THAT(f.recorder.metadata().at("stop_reason"), Catch::Contains("SIGTERM"));
  // The epoch [30, 40) had started when the flag was seen after it: it is complete too.
  CHECK(f.recorder.metadata().at("ticks_completed") == "40");
  CHECK(f.sim.now() == 40);
  CHECK(f.recorder.stream("/snn/pop/spikes/tick").samples() == expected_spikes(40, 5));
  CHECK(f.recorder.stream("/snn/pop/state/v").samples() == 10);
}

TEST_CASE("recorded run: an engine failure marks the trace failed with the reason",
          "[recording][run]") {
  Fixture f;
  f.engine.fail_at_tick = 25;
  CHECK_THROWS_AS(run_recorded(f.sim, 100, f.recorder), RunError);
  CHECK(f.recorder.metadata().at("status") == "failed");
  CHECK_THAT(f.recorder.metadata().at("stop_reason"), Catch::Contains("tick 25"));
  CHECK(f.recorder.metadata().at("ticks_completed") == "20");
}

TEST_CASE("interrupt guard: a real SIGINT sets the flag, and handlers are restored",
          "[recording][interrupt]") {
  struct sigaction before {};
  sigaction(SIGINT, nullptr, &before);
  {
    InterruptGuard guard;
    CHECK(guard.pending_signal() == 0);
    CHECK_NOTHROW(guard.check(0));
    CHECK_THROWS_AS(InterruptGuard(), RunError);  // only one at a time
    std::raise(SIGINT);
    CHECK(guard.pending_signal() == SIGINT);
    CHECK_THROWS_WITH(guard.check(12), Catch::Contains("SIGINT") && Catch::Contains("12 ticks"));
  }
  struct sigaction after {};
  sigaction(SIGINT, nullptr, &after);
  CHECK(after.sa_handler == before.sa_handler);
  InterruptGuard again;  // the flag starts clear for the next command
  CHECK(again.pending_signal() == 0);
}

TEST_CASE("interrupt guard: a signal between two runs of one command is not forgotten",
          "[recording][interrupt]") {
  // The closed-loop examples run in chunks; a signal that lands after one chunk's last check
  // and before the next chunk starts must stop the next chunk at once.
  InterruptGuard guard;
  Fixture f(&guard);
  RecordedRunOptions options;
  options.ends_run = false;
  run_recorded(f.sim, 20, f.recorder, options);
  CHECK(f.recorder.metadata().count("status") == 0);  // more chunks follow: no final status yet
  std::raise(SIGTERM);
  CHECK_THROWS_AS(run_recorded(f.sim, 1000, f.recorder, options), RunInterrupted);
  CHECK(f.recorder.metadata().at("status") == "interrupted");
  // The next chunk's first epoch completed before the check: 20 + 10 ticks are whole.
  CHECK(f.recorder.metadata().at("ticks_completed") == "30");
  CHECK(f.recorder.stream("/snn/pop/spikes/tick").samples() == expected_spikes(30, 5));
  CHECK(guard.pending_signal() == SIGTERM);  // still set: only the guard's end clears it
}

TEST_CASE("interrupt guard: a second signal starts the grace period, a third exits at once",
          "[recording][interrupt]") {
  // The third signal ends the process with 128 + the first signal.
  CHECK(exit_code_of_child([] {
          InterruptGuard guard;
          std::raise(SIGINT);
          std::raise(SIGTERM);            // second: the grace alarm is armed
          if (alarm(0) == 0) _exit(10);   // no grace period was armed
          std::raise(SIGINT);             // third: gone
          _exit(11);
        }) == 128 + SIGINT);
}

TEST_CASE("interrupt guard: the grace period after a second signal ends the process",
          "[recording][interrupt]") {
  CHECK(exit_code_of_child([] {
          InterruptGuard guard;
          std::raise(SIGTERM);
          std::raise(SIGTERM);
          for (int i = 0; i < 100; ++i) sleep(1);  // a run that never checks: ended by the alarm
          _exit(12);
        }) == 128 + SIGTERM);
}

TEST_CASE("interrupt guard: an inherited ignored SIGINT stays ignored, SIGTERM is caught",
          "[recording][interrupt]") {
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  struct sigaction before {};
  sigaction(SIGINT, &ignore, &before);
  {
    InterruptGuard guard;
    CHECK(guard.sigint_ignored());
    std::raise(SIGINT);
    CHECK(guard.pending_signal() == 0);
    std::raise(SIGTERM);
    CHECK(guard.pending_signal() == SIGTERM);
  }
  struct sigaction after {};
  sigaction(SIGINT, &before, &after);
  CHECK(after.sa_handler == SIG_IGN);
}
