// Windowed encoders and decoders: hand-counted patterns, round trips within the coding's
// resolution, event vs always-on equivalence, counters and parameter checks.
#include <catch2/catch.hpp>
#include <cmath>

#include "bridge/window_decoders.hpp"
#include "bridge/window_encoders.hpp"
#include "core/error.hpp"
#include "tests/bridge/unit_driver.hpp"

using namespace tandem;
using namespace tandem::bridge;
using namespace tandem::bridge::testing;

namespace {

// Decodes the frames a decoder emitted for a constant input and returns the worst error of
// windows after the first `skip` frames.
double worst_error(const UnitRun& decoded, double x, std::size_t skip) {
  double worst = 0.0;
  for (std::size_t i = skip; i < decoded.frames.size(); ++i) {
    worst = std::max(worst, std::abs(static_cast<double>(decoded.frames[i].values[0]) - x));
  }
  return worst;
}

}  // namespace

TEST_CASE("rate encoder: n = round(vW) spikes at offsets floor(jW/n)", "[bridge][rate]") {
  auto enc = make_rate_encoder({.name = "enc", .channels = 2, .window = {8, 0}, .range = {0.0, 1.0}});
  // v = 0.5 -> 4 spikes at offsets 0,2,4,6; v = 0.25 -> 2 spikes at 0,4 (by hand).
  const UnitRun run = run_unit(*enc, frames_in({frame(0, {0.5F, 0.25F})}), 16, ExecutionMode::event);
  SpikeBatch expected;
  for (Tick w : {0, 8}) {
    for (Tick o : {0, 2, 4, 6}) {
      expected.push(w + o, 0);
      if (o % 4 == 0) expected.push(w + o, 1);
    }
  }
  CHECK(run.spikes.tick == expected.tick);
  CHECK(run.spikes.index == expected.index);
}

TEST_CASE("rate encoder -> count decoder: error within half a step of 1/W", "[bridge][rate][roundtrip]") {
  const Tick w = 20;
  const ValueRange range{-2.0, 3.0};
  auto enc = make_rate_encoder({.name = "enc", .channels = 1, .window = {w, 0}, .range = range});
  auto dec = make_count_decoder({.name = "dec", .channels = 1, .window = {w, 0}, .range = range});
  for (double x = -2.0; x <= 3.0; x += 0.0937) {
    const UnitRun spikes = run_unit(*enc, frames_in({frame(0, {static_cast<float>(x)})}), 3 * w, ExecutionMode::event);
    const UnitRun decoded = run_unit(*dec, as_input(spikes), 3 * w, ExecutionMode::event);
    REQUIRE(decoded.frames.size() == 3);
    // round(vW)/W is within 1/(2W) of v; in input units times (max - min); plus float rounding.
    CHECK(worst_error(decoded, x, 0) <= (range.max - range.min) / (2.0 * w) + 1e-6);
  }
}

TEST_CASE("latency encoder -> first-spike decoder: error within one tick's resolution", "[bridge][latency][roundtrip]") {
  const Tick w = 16;
  const ValueRange range{0.0, 10.0};
  auto enc = make_latency_encoder({.name = "enc", .channels = 1, .window = {w, 0}, .range = range});
  auto dec = make_first_spike_decoder({.name = "dec", .channels = 1, .window = {w, 0}, .range = range});
  for (double x = 0.0; x <= 10.0; x += 0.173) {
    const UnitRun spikes = run_unit(*enc, frames_in({frame(0, {static_cast<float>(x)})}), 2 * w, ExecutionMode::event);
    CHECK(spikes.spikes.size() == (x > 0.0 ? 2U : 0U));  // one spike per window unless v = 0
    const UnitRun decoded = run_unit(*dec, as_input(spikes), 2 * w, ExecutionMode::event);
    // The spike offset is rounded to the nearest tick: half of one tick's 1/(W-1) step.
    CHECK(worst_error(decoded, x, 0) <= 0.5 * (range.max - range.min) / static_cast<double>(w - 1) + 1e-5);
  }
}

TEST_CASE("population encoder -> decoder: error bounded by count rounding", "[bridge][population][roundtrip]") {
  // M = 9 over [-1, 1]: spacing s = 0.25 = sigma, W = 100. The peak neuron is within s/2 of x
  // (count >= W e^{-1/8} - 1/2 > 87) and the chosen neighbour within s (count >= W e^{-1/2} - 1/2
  // > 60). Rounding a count n by 1/2 moves ln n by at most 0.5/(n - 0.5), so the fitted peak
  // moves by at most sigma^2 / s (0.5/87 + 0.5/60) < 0.0036.
  const PopulationCode code{9, {-1.0, 1.0}, 0.25};
  auto enc = make_population_encoder({.name = "enc", .channels = 1, .window = {100, 0}, .code = code});
  auto dec = make_population_decoder({.name = "dec", .channels = 1, .window = {100, 0}, .code = code});
  for (double x = -1.0; x <= 1.0; x += 0.0571) {
    const UnitRun spikes = run_unit(*enc, frames_in({frame(0, {static_cast<float>(x)})}), 100, ExecutionMode::event, 33);
    const UnitRun decoded = run_unit(*dec, as_input(spikes), 100, ExecutionMode::event, 33);
    REQUIRE(decoded.frames.size() == 1);
    CHECK(worst_error(decoded, x, 0) < 0.0036);
  }
}

TEST_CASE("windowed units: event and always-on give identical outputs", "[bridge][equivalence]") {
  const std::vector<DenseFrame> frames = {frame(0, {0.2F, 0.9F, 0.0F}), frame(5, {0.2F, 0.4F, 0.7F}),
                                          frame(13, {1.0F, 0.4F, 0.7F}), frame(30, {0.0F, 0.05F, 0.7F}),
                                          frame(31, {0.55F, 0.05F, 0.33F}), frame(47, {0.55F, 0.61F, -3.0F})};
  const Window window{6, GENERATE(Tick{0}, Tick{4})};
  const PopulationCode code{5, {0.0, 1.0}, 0.2};
  std::vector<std::pair<std::unique_ptr<Unit>, std::unique_ptr<Unit>>> pairs;
  pairs.emplace_back(make_rate_encoder({.name = "r", .channels = 3, .window = window}),
                     make_count_decoder({.name = "rd", .channels = 3, .window = window}));
  pairs.emplace_back(make_latency_encoder({.name = "l", .channels = 3, .window = window}),
                     make_first_spike_decoder({.name = "ld", .channels = 3, .window = window}));
  pairs.emplace_back(make_population_encoder({.name = "p", .channels = 3, .window = window, .code = code}),
                     make_population_decoder({.name = "pd", .channels = 3, .window = window, .code = code}));
  for (auto& [enc, dec] : pairs) {
    INFO(enc->description().kind << " phase " << window.phase);
    const UnitRun ev = run_unit(*enc, frames_in(frames), 80, ExecutionMode::event);
    const UnitRun ao = run_unit(*enc, frames_in(frames), 80, ExecutionMode::always_on, 11);
    REQUIRE(ev.spikes.size() > 20);
    CHECK(same_spikes(ev.spikes, ao.spikes));
    CHECK(ao.executed == ao.always_on);  // always-on executes exactly its analytic baseline
    CHECK(ev.executed[Op::encoder_conversion] < ao.executed[Op::encoder_conversion]);
    const UnitRun dev = run_unit(*dec, as_input(ev), 80, ExecutionMode::event);
    const UnitRun dao = run_unit(*dec, as_input(ev), 80, ExecutionMode::always_on, 3);
    REQUIRE(dev.frames.size() >= 13);
    CHECK(same_frames(dev.frames, dao.frames));
    CHECK(dao.executed == dao.always_on);
  }
}

TEST_CASE("rate encoder and count decoder: counters on a hand-countable input", "[bridge][counters]") {
  auto enc = make_rate_encoder({.name = "enc", .channels = 2, .window = {4, 0}});
  auto dec = make_count_decoder({.name = "dec", .channels = 2, .window = {4, 0}});
  // Channel 1 changes at tick 6 and is sampled at tick 8.
  const PortTraffic in = frames_in({frame(0, {0.5F, 1.0F}), frame(6, {0.5F, 0.25F})});
  const UnitRun run = run_unit(*enc, in, 12, ExecutionMode::event);
  CHECK(run.executed[Op::encoder_conversion] == 3);  // 2 in the first window, 1 at tick 8
  CHECK(run.executed[Op::spike] == 15);              // ch0: 2+2+2, ch1: 4+4+1
  CHECK(run.executed[Op::input_event] == 3);         // 2 values at tick 0, 1 at tick 6
  CHECK(run.always_on[Op::encoder_conversion] == 24);  // 2 channels x 12 ticks
  CHECK(run.always_on[Op::input_event] == 24);
  CHECK(run.always_on[Op::spike] == 15);
  const UnitRun decoded = run_unit(*dec, as_input(run), 12, ExecutionMode::event);
  CHECK(decoded.executed[Op::decoder_conversion] == 6);  // 2 channels x 3 windows
  CHECK(decoded.executed[Op::input_event] == 15);
  CHECK(decoded.executed[Op::spike] == 6);               // values sent
  CHECK(decoded.always_on[Op::decoder_conversion] == 24);
  REQUIRE(decoded.frames.size() == 3);
  CHECK(decoded.frames[2].values[1] == Approx(0.25));
}

TEST_CASE("windowed units: bad parameters name the unit and the parameter", "[bridge][errors]") {
  using Catch::Matchers::Contains;
  CHECK_THROWS_WITH(make_rate_encoder({.name = "enc", .window = {0, 0}}),
                    Contains("'enc'") && Contains("window_ticks"));
  CHECK_THROWS_WITH(make_rate_encoder({.name = "enc", .range = {1.0, 1.0}}), Contains("value_min"));
  CHECK_THROWS_WITH(make_rate_encoder({.name = "enc", .range = {NAN, 1.0}}), Contains("value_min"));
  CHECK_THROWS_WITH(make_rate_encoder({.name = "enc", .channels = 0}), Contains("channels"));
  CHECK_THROWS_WITH(make_rate_encoder({.name = "a/b"}), Contains("'a/b'"));
  CHECK_THROWS_WITH(make_latency_encoder({.name = "lat", .window = {1, 0}}), Contains("'lat'") && Contains("window_ticks"));
  CHECK_THROWS_WITH(make_count_decoder({.name = "dec", .window = {4, -1}}), Contains("phase_ticks"));
  CHECK_THROWS_WITH(make_population_encoder({.name = "pop", .code = {8, {0.0, 1.0}, 0.0}}),
                    Contains("'pop'") && Contains("sigma"));
  CHECK_THROWS_WITH(make_population_decoder({.name = "pop", .code = {1, {0.0, 1.0}, 0.1}}),
                    Contains("neurons_per_channel"));
  CHECK_THROWS_AS(make_first_spike_decoder({.name = "f", .range = {2.0, -1.0}}), InputError);
}

TEST_CASE("windowed decoders: event mode reads out only outputs that received spikes", "[bridge][activity]") {
  // 100 channels, window 5: spikes reach channels 3 and 70 in the first window, none later.
  auto dec = make_count_decoder({.name = "dec", .channels = 100, .window = {5, 0}, .range = {-1.0, 1.0}});
  PortTraffic in;
  in.spikes.push(1, 3);
  in.spikes.push(2, 3);
  in.spikes.push(2, 70);
  const UnitRun event = run_unit(*dec, in, 20, ExecutionMode::event);
  const UnitRun always_on = run_unit(*dec, in, 20, ExecutionMode::always_on);
  REQUIRE(event.frames.size() == 4);
  CHECK(same_frames(event.frames, always_on.frames));
  CHECK(event.frames[0].values[3] == Approx(-1.0 + 2.0 * 2.0 / 5.0));
  CHECK(event.frames[0].values[0] == -1.0F);  // the silent value: zero counts read range.min
  CHECK(event.frames[1].values[3] == -1.0F);
  CHECK(event.executed[Op::decoder_conversion] == 2);  // channels 3 and 70 in the first window only
  CHECK(always_on.executed[Op::decoder_conversion] == 100 * 20);
}
