#include <catch2/catch.hpp>
#include <csignal>

#include "core/trace_file.hpp"
#include "tests/recording/child_process.hpp"
#include "tests/recording/pattern_engine.hpp"
#include "tests/recording/temp_dir.hpp"

using namespace tandem;
using namespace tandem::testing;

namespace {

const std::string writer = TANDEM_TRACE_WRITER;

// Checks the trace of an interrupted PatternEngine run (8 units, v every 3 ticks): status and
// reason, and that every tick before ticks_completed is there, value by value.
void check_interrupted_trace(const std::string& file, const std::string& signal_name) {
  TraceFile trace(file);
  const auto meta = trace.meta();
  CHECK(meta.at("status") == "interrupted");
  CHECK_THAT(meta.at("stop_reason"), Catch::Contains(signal_name));
  const Tick completed = std::stoll(meta.at("ticks_completed"));
  REQUIRE(completed > 0);
  CHECK(completed % 10 == 0);  // stopped at an epoch boundary (epochs of 10 ticks)

  const auto ticks = trace.values("/snn/pop/spikes/tick");
  const auto index = trace.values("/snn/pop/spikes/index");
  REQUIRE(ticks.size() == index.size());
  std::vector<double> expected_ticks;
  std::vector<double> expected_index;
  for (Tick t = 0; t < completed; ++t) {
    for (std::uint32_t i = 0; i < 8; ++i) {
      if (!pattern_spikes(t, i)) continue;
      expected_ticks.push_back(static_cast<double>(t));
      expected_index.push_back(i);
    }
  }
  CHECK(ticks == expected_ticks);
  CHECK(index == expected_index);

  const auto v = trace.values("/snn/pop/state/v");
  const std::size_t samples = static_cast<std::size_t>((completed + 2) / 3);  // ticks 0, 3, 6, …
  REQUIRE(v.size() == samples * 8);
  std::size_t wrong = 0;
  for (std::size_t s = 0; s < samples; ++s) {
    for (std::uint32_t i = 0; i < 8; ++i) {
      wrong += v[s * 8 + i] == pattern_v(static_cast<Tick>(3 * s), i) ? 0 : 1;
    }
  }
  CHECK(wrong == 0);
}

void interrupt_child(int signal_number, const std::string& signal_name) {
  TempDir dir;
  const std::string file = dir.path("interrupted.h5");
  ChildProcess child({writer, file, "1000000000000", "--every", "3", "--flush-s", "0.05"});
  REQUIRE(child.wait_for_line("recording", std::chrono::seconds(60)));
  child.send(signal_number);
  const int status = child.wait();
  INFO(child.output());
  REQUIRE(WIFEXITED(status));         // it stopped by itself, not killed by the signal
  CHECK(WEXITSTATUS(status) == 3);    // the writer's "interrupted" exit code
  CHECK_THAT(child.output(), Catch::Contains("status=interrupted"));
  check_interrupted_trace(file, signal_name);
}

long peak_rss_kb_of_run(const std::string& file, const std::string& ticks) {
  ChildProcess child({writer, file, ticks, "--units", "64", "--epoch-ticks", "100"});
  const int status = child.wait();
  INFO(child.output());
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  const std::string key = "peak_rss_kb=";
  const std::size_t at = child.output().find(key);
  REQUIRE(at != std::string::npos);
  return std::stol(child.output().substr(at + key.size()));
}

}  // namespace

TEST_CASE("interruption: SIGINT stops the child cleanly and the trace is whole",
          "[recording][interrupt]") {
  interrupt_child(SIGINT, "SIGINT");
}

TEST_CASE("interruption: SIGTERM stops the child cleanly and the trace is whole",
          "[recording][interrupt]") {
  interrupt_child(SIGTERM, "SIGTERM");
}

TEST_CASE("streaming: peak memory does not grow with the recorded length",
          "[recording][memory][slow]") {
  TempDir dir;
  // 64 float32 state columns every tick: 256 B/tick, so 20k ticks would be ~5 MB and 200k
  // ticks ~51 MB if anything were kept in memory; streaming keeps both runs alike.
  const long short_kb = peak_rss_kb_of_run(dir.path("short.h5"), "20000");
  const long long_kb = peak_rss_kb_of_run(dir.path("long.h5"), "200000");
  INFO("short run peak " << short_kb << " kB, 10x longer run peak " << long_kb << " kB");
  CHECK(long_kb < short_kb + 8 * 1024);
  CHECK(std::filesystem::file_size(dir.path("long.h5")) > std::filesystem::file_size(dir.path("short.h5")));
}
