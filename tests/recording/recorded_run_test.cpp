#include <catch2/catch.hpp>
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
  Simulation sim{SimulationSettings{.max_epoch_ticks = 10}};
  PatternEngine& engine = sim.add_engine(std::make_unique<PatternEngine>(5, 1.0));
  Fixture() {
    sim.set_recorder(&recorder);
    sim.add_probe(Probe{"pop", "spikes", {}, 1});
    sim.add_probe(Probe{"pop", "v", {}, 4});
  }
};

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
  Fixture f;
  InterruptGuard guard;
  RecordedRunOptions options;
  options.interrupt = &guard;
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
  InterruptGuard again;  // the flag starts clear for the next run
  CHECK(again.pending_signal() == 0);
}
