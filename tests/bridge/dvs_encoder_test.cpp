// The event-camera encoder against hand-computed frames: events on log-intensity change from the
// level of the last event, bursts for large steps, refractory suppression, seeded noise.
#include <catch2/catch.hpp>
#include <cmath>

#include "bridge/dvs_encoder.hpp"
#include "core/error.hpp"
#include "tests/bridge/unit_driver.hpp"

using namespace tandem;
using namespace tandem::bridge;
using namespace tandem::bridge::testing;

namespace {

// Three pixels, epsilon 0.1, threshold 0.6. The sensor starts dark: R = ln(0.1) = -2.302585.
//  pixel 0: 0.9 at tick 0: L = ln(1.0) = 0, L - R = 2.302585 -> ON while the gap is >= 0.6:
//           gaps 2.30, 1.70, 1.10 fire, 0.50 does not -> 3 ON (R = -0.502585).
//  pixel 1: 0.05 at tick 5: ln(0.15) - ln(0.1) = 0.405 < 0.6, nothing; 0.1 at tick 6:
//           ln(0.2) - ln(0.1) = 0.693 -> 1 ON (compared with the last event's level, not the last frame).
//  pixel 2: as pixel 0, then 0.2 at tick 10: ln(0.3) - (-0.502585) = -0.701 -> 1 OFF (channel 3 + 2).
std::vector<DenseFrame> scene() {
  return {frame(0, {0.9F, 0.0F, 0.9F}), frame(5, {0.9F, 0.05F, 0.9F}), frame(6, {0.9F, 0.1F, 0.9F}),
          frame(10, {0.9F, 0.1F, 0.2F})};
}

SpikeBatch spikes_of(std::initializer_list<std::pair<Tick, std::uint32_t>> list) {
  SpikeBatch batch;
  for (const auto& [t, c] : list) batch.push(t, c);
  return batch;
}

}  // namespace

TEST_CASE("dvs encoder: ON/OFF events on log-intensity change, one per pixel per tick", "[bridge][dvs]") {
  for (const ExecutionMode mode : {ExecutionMode::event, ExecutionMode::always_on}) {
    auto dvs = make_dvs_encoder({.name = "dvs", .pixels = 3, .threshold = 0.6, .epsilon = 0.1});
    const UnitRun run = run_unit(*dvs, frames_in(scene()), 15, mode);
    CHECK(same_spikes(run.spikes, spikes_of({{0, 0}, {0, 2}, {1, 0}, {1, 2}, {2, 0}, {2, 2}, {6, 1}, {10, 5}})));
    CHECK(run.executed[Op::spike] == 8);
    if (mode == ExecutionMode::event) {
      // Pixels checked: {0, 2} at ticks 0-2 (catching up), {1} at 5 and 6, {2} at 10.
      CHECK(run.executed[Op::encoder_conversion] == 9);
      CHECK(run.executed[Op::input_event] == 2 + 1 + 1 + 1);
    } else {
      CHECK(run.executed[Op::encoder_conversion] == 45);
    }
    CHECK(run.always_on[Op::encoder_conversion] == 45);
  }
}

TEST_CASE("dvs encoder: a refractory pixel waits, then catches up", "[bridge][dvs]") {
  // refractory 2: after an event at t the pixel may fire again at t + 3.
  for (const ExecutionMode mode : {ExecutionMode::event, ExecutionMode::always_on}) {
    auto dvs = make_dvs_encoder({.name = "dvs", .pixels = 3, .threshold = 0.6, .refractory_ticks = 2, .epsilon = 0.1});
    const UnitRun run = run_unit(*dvs, frames_in(scene()), 15, mode);
    CHECK(same_spikes(run.spikes,
                      spikes_of({{0, 0}, {0, 2}, {3, 0}, {3, 2}, {6, 0}, {6, 1}, {6, 2}, {10, 5}})));
  }
}

TEST_CASE("dvs encoder: negative intensities count as 0, a return to dark sends OFF events", "[bridge][dvs]") {
  // 1.0: L = ln(1.1) = 0.0953 from R = ln(0.1) = -2.3026: gaps 2.398, 1.398 fire, 0.398 not -> ON at 0, 1.
  // Then dark again (-5 clamps to 0): OFF events from tick 4 on, the same as for 0 itself.
  const auto run = [](float dark) {
    auto dvs = make_dvs_encoder({.name = "dvs", .pixels = 1, .threshold = 1.0});
    return run_unit(*dvs, frames_in({frame(0, {1.0F}), frame(4, {dark})}), 10, ExecutionMode::event).spikes;
  };
  // Back to dark, the pixel is exactly 2 thresholds from R: both OFF events go out, whatever the
  // rounding of ln — the events sum to zero again.
  const SpikeBatch negative = run(-5.0F);
  CHECK(same_spikes(negative, run(0.0F)));
  CHECK(same_spikes(negative, spikes_of({{0, 0}, {1, 0}, {4, 1}, {5, 1}})));
}

TEST_CASE("dvs encoder: after any excursion a pixel's events sum to its level again", "[bridge][dvs]") {
  // eps 1, threshold 0.02: 0 -> 1 is ln 2 / 0.02 = 34 levels; back to 0 must send 34 OFF events
  // (the last one exactly at the threshold). Steps through grey levels on the way.
  auto dvs = make_dvs_encoder({.name = "dvs", .pixels = 1, .threshold = 0.02, .epsilon = 1.0});
  std::vector<DenseFrame> frames;
  const float levels[] = {1.0F, 0.3F, 0.9F, 0.0F, 0.55F, 0.0F};
  for (std::size_t k = 0; k < 6; ++k) frames.push_back(frame(static_cast<Tick>(100 * k), {levels[k]}));
  const UnitRun run = run_unit(*dvs, frames_in(frames), 600, ExecutionMode::event);
  long net = 0;
  for (std::size_t i = 0; i < run.spikes.size(); ++i) net += run.spikes.index[i] == 0 ? 1 : -1;
  CHECK(net == 0);
  // Levels k (R = 0.02 k): 0 -> 34 (ln 2 = 0.693: 34 ON), -> 14 (ln 1.3 = 0.262: 20 OFF), -> 32
  // (ln 1.9 = 0.642: 18 ON), -> 0 (32 OFF, the last exactly at the threshold), -> 21 (ln 1.55 =
  // 0.438: 21 ON), -> 0 (21 OFF).
  CHECK(run.spikes.size() == 34 + 20 + 18 + 32 + 21 + 21);
}

TEST_CASE("dvs encoder: noise events are seeded, about rate x dt x pixels x ticks, and self-correcting",
          "[bridge][dvs][determinism]") {
  const auto run = [](std::uint64_t seed, ExecutionMode mode) {
    auto dvs = make_dvs_encoder({.name = "dvs", .pixels = 100, .threshold = 0.3, .noise_rate_hz = 50.0});
    return run_unit(*dvs, frames_in({DenseFrame{0, Eigen::VectorXf::Constant(100, 0.5F)}}), 1000, mode, 13, seed);
  };
  const UnitRun a = run(3, ExecutionMode::event);
  CHECK(same_spikes(a.spikes, run(3, ExecutionMode::always_on).spikes));
  CHECK(same_spikes(a.spikes, run(3, ExecutionMode::event).spikes));
  CHECK_FALSE(same_spikes(a.spikes, run(4, ExecutionMode::event).spikes));
  // The input (0.5: ln 0.6 - ln 0.1 = 1.79, 5 events of 0.3) settles by tick 5. Afterwards each noise
  // draw (100 pixels x 995 ticks x p 0.05 = 4975, sd 69) fires, and moves the pixel's memory R one
  // threshold; the pixel answers with a real event whenever that leaves |L - R| >= threshold. So
  // there are between one and two events per draw, and whatever the noise did, the events sum to
  // R: ln 0.1 + 0.3 (ON - OFF) stays within two thresholds of ln 0.6 for every pixel.
  std::vector<int> net(100, 0);
  std::size_t late = 0;
  for (std::size_t i = 0; i < a.spikes.size(); ++i) {
    const std::uint32_t c = a.spikes.index[i];
    net[c % 100] += c < 100 ? 1 : -1;
    late += a.spikes.tick[i] >= 5 ? 1U : 0U;
  }
  CHECK(static_cast<double>(late) > 4975.0 - 5.0 * 69.0);
  CHECK(static_cast<double>(late) < 2.0 * (4975.0 + 5.0 * 69.0));
  for (const int n : net) CHECK(std::abs(std::log(0.1) + 0.3 * n - std::log(0.6)) < 0.6);
}

TEST_CASE("dvs encoder: bad parameters name the unit and the parameter", "[bridge][dvs][errors]") {
  CHECK_THROWS_WITH(make_dvs_encoder({.name = "cam", .pixels = 4, .threshold = 0.0}),
                    Catch::Contains("bridge unit 'cam'") && Catch::Contains("threshold"));
  CHECK_THROWS_WITH(make_dvs_encoder({.name = "cam", .pixels = 4, .epsilon = -1.0}), Catch::Contains("epsilon"));
  CHECK_THROWS_WITH(make_dvs_encoder({.name = "cam", .pixels = 4, .noise_rate_hz = -3.0}),
                    Catch::Contains("noise_rate_hz"));
  auto dvs = make_dvs_encoder({.name = "cam", .pixels = 4, .noise_rate_hz = 5000.0});
  CHECK_THROWS_WITH(dvs->reset(RunContext{TimeBase{1.0}, 1, ExecutionMode::event}), Catch::Contains("noise_rate_hz"));
}
