// The progress line's text and its throttling, driven by a fake clock (no terminal needed).
#include <catch2/catch.hpp>

#include <sstream>

#include "app/progress.hpp"

using namespace tandem;
using namespace tandem::app;

TEST_CASE("progress: durations read naturally", "[io][progress]") {
  CHECK(format_duration(0.25) == "250 ms");
  CHECK(format_duration(12.34) == "12.3 s");
  CHECK(format_duration(245.0) == "4 min 05 s");
  CHECK(format_duration(7380.0) == "2 h 03 min");
  CHECK(format_duration(-1.0) == "?");
}

TEST_CASE("progress: line shows simulated and wall time, speed and ETA", "[io][progress]") {
  // 2500 of 10000 ticks at 0.1 ms = 0.25 s of 1 s simulated, in 5 s of wall time:
  // 0.05x real time; the other 7500 ticks take 3x as long as the first 2500: 15 s.
  const std::string line = format_progress({2500, 10000, 0.1, 5.0});
  CHECK(line == "sim 250 ms / 1.0 s (25.0%) | wall 5.0 s | 0.05x real time | ETA 15.0 s");
  // Nothing done yet: no speed, no ETA (no division by zero).
  CHECK(format_progress({0, 100, 1.0, 3.0}) == "sim 0 ms / 100 ms (0.0%) | wall 3.0 s");
}

TEST_CASE("progress: silent for the first 2 s, then at most 4 redraws per second", "[io][progress]") {
  ProgressThrottle throttle;
  CHECK_FALSE(throttle.due(0.0));
  CHECK_FALSE(throttle.due(1.99));
  CHECK(throttle.due(2.0));
  CHECK_FALSE(throttle.due(2.2));
  CHECK(throttle.due(2.25));
  CHECK_FALSE(throttle.due(2.49));
  CHECK(throttle.due(3.0));
}

TEST_CASE("progress: the reporter redraws one line and ends it on finish", "[io][progress]") {
  double now_s = 100.0;
  std::ostringstream out;
  ProgressReporter reporter(0, 1000, 1.0, out, [&] { return now_s; });
  for (Tick end = 100; end <= 1000; end += 100) {
    now_s += 0.5;  // 10 epochs over 5 s: due at 2.0 (after 400 ticks), 2.5, … 5.0
    reporter.on_epoch({end - 100, end});
  }
  CHECK(reporter.redraws() == 7);
  reporter.finish();
  const std::string text = out.str();
  CHECK(text.find('\n') == text.size() - 1);  // one line, ended once
  CHECK(text.find("\rsim 400 ms / 1.0 s (40.0%) | wall 2.0 s") == 0);
  CHECK(text.find("sim 1.0 s / 1.0 s (100.0%) | wall 5.0 s | 0.20x real time | ETA 0 ms") != std::string::npos);

  std::ostringstream quiet_out;
  ProgressReporter short_run(0, 10, 1.0, quiet_out, [&] { return now_s; });
  short_run.on_epoch({0, 10});
  short_run.finish();
  CHECK(quiet_out.str().empty());  // a run shorter than 2 s prints nothing
}
