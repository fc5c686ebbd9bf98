// Per-tick units — Poisson encoder, delta coding, current injection, membrane readout and the
// exponential-filter decoder: statistics, round trips, determinism, equivalence, counters.
#include <catch2/catch.hpp>
#include <cmath>

#include "bridge/delta_coding.hpp"
#include "bridge/dense_passthrough.hpp"
#include "bridge/exponential_decoder.hpp"
#include "bridge/poisson_encoder.hpp"
#include "bridge/window_decoders.hpp"
#include "bridge/window_encoders.hpp"
#include "core/error.hpp"
#include "tests/bridge/unit_driver.hpp"

using namespace tandem;
using namespace tandem::bridge;
using namespace tandem::bridge::testing;

namespace {

// Input that changes often, including steps larger than a delta threshold and repeats.
const std::vector<DenseFrame>& changing_input() {
  static const std::vector<DenseFrame> frames = {
      frame(0, {0.2F, 0.9F, 0.0F}),    frame(3, {0.2F, 0.4F, 0.7F}),   frame(9, {1.0F, 0.4F, 0.7F}),
      frame(20, {0.0F, 0.05F, 0.7F}),  frame(21, {0.55F, 0.05F, 0.33F}), frame(40, {0.55F, 0.61F, -3.0F}),
      frame(41, {0.55F, 0.61F, -3.0F}), frame(60, {0.3F, 0.3F, 0.3F})};
  return frames;
}

}  // namespace

TEST_CASE("poisson encoder: spike count matches the rate within 5 standard deviations", "[bridge][poisson]") {
  // 50 channels x 2000 ticks at p = 0.3 (v = 0.6 of 500 Hz at 1 ms): mean 30000, sd sqrt(N p (1-p)) = 145.
  auto enc = make_poisson_encoder({.name = "poi", .channels = 50, .range = {0.0, 1.0}, .max_rate_hz = 500.0});
  std::vector<DenseFrame> in{DenseFrame{0, Eigen::VectorXf::Constant(50, 0.6F)}};
  const UnitRun run = run_unit(*enc, frames_in(in), 2000, ExecutionMode::event, 100);
  CHECK(std::abs(static_cast<double>(run.spikes.size()) - 30000.0) < 5.0 * 145.0);
  // Round trip through a count decoder over W = 2000 ticks: sd of v is sqrt(p(1-p)/W)/0.5 per channel.
  auto dec = make_count_decoder({.name = "dec", .channels = 50, .window = {2000, 0}, .range = {0.0, 1000.0}});  // 1 spike per tick = 1000 Hz
  const UnitRun decoded = run_unit(*dec, as_input(run), 2000, ExecutionMode::event, 100);
  REQUIRE(decoded.frames.size() == 1);
  const double sd_hz = std::sqrt(0.3 * 0.7 / 2000.0) * 1000.0;  // in Hz (1 spike per tick = 1000 Hz)
  for (Eigen::Index c = 0; c < 50; ++c) CHECK(std::abs(decoded.frames[0].values[c] - 300.0) < 5.0 * sd_hz);
}

TEST_CASE("poisson encoder: same seed same spikes, other seed or name other spikes", "[bridge][poisson][determinism]") {
  const auto run = [](const std::string& name, std::uint64_t seed) {
    auto enc = make_poisson_encoder({.name = name, .channels = 3, .max_rate_hz = 400.0});
    return run_unit(*enc, frames_in(changing_input()), 200, ExecutionMode::event, 7, seed).spikes;
  };
  const SpikeBatch a = run("p", 5);
  REQUIRE(a.size() > 30);
  CHECK(same_spikes(a, run("p", 5)));
  CHECK_FALSE(same_spikes(a, run("p", 6)));
  CHECK_FALSE(same_spikes(a, run("q", 5)));
}

TEST_CASE("poisson encoder: max_rate_hz above one spike per tick is refused at reset", "[bridge][poisson][errors]") {
  auto enc = make_poisson_encoder({.name = "poi", .max_rate_hz = 2000.0});
  CHECK_THROWS_WITH(enc->reset(RunContext{TimeBase{1.0}, 1, ExecutionMode::event}),
                    Catch::Contains("'poi'") && Catch::Contains("max_rate_hz"));
  CHECK_NOTHROW(enc->reset(RunContext{TimeBase{0.1}, 1, ExecutionMode::event}));
}

TEST_CASE("delta encoder -> delta decoder: the receiver ends within one threshold", "[bridge][delta][roundtrip]") {
  auto enc = make_delta_encoder({.name = "d", .channels = 3, .threshold = 0.05});
  auto dec = make_delta_decoder({.name = "dd", .channels = 3, .threshold = 0.05});
  const UnitRun spikes = run_unit(*enc, frames_in(changing_input()), 200, ExecutionMode::event);
  const UnitRun decoded = run_unit(*dec, as_input(spikes), 200, ExecutionMode::event);
  REQUIRE_FALSE(decoded.frames.empty());
  // Every step is at most 4.0 (0.7 -> -3.0 and back to 0.3), i.e. at most 80 events of 0.05 per
  // channel after the last change at tick 60: caught up by tick 141 at the latest.
  for (Eigen::Index c = 0; c < 3; ++c) {
    CHECK(std::abs(decoded.frames.back().values[c] - changing_input().back().values[c]) < 0.05F);
  }
  // Once caught up a constant input sends nothing.
  CHECK(spikes.spikes.tick.back() < 141);
}

TEST_CASE("delta encoder: on/off events on a hand-countable input", "[bridge][delta][counters]") {
  auto enc = make_delta_encoder({.name = "d", .channels = 2, .threshold = 0.25});
  // ch0: 0 -> 0.6 at tick 2: two on events (ticks 2, 3), then |0.6 - 0.5| < 0.25. ch1: 0 -> -0.3 at
  // tick 5: one off event. Then ch0 0.6 -> 0.55 at tick 8: no event.
  const UnitRun run = run_unit(*enc, frames_in({frame(2, {0.6F, 0.0F}), frame(5, {0.6F, -0.3F}), frame(8, {0.55F, -0.3F})}),
                               10, ExecutionMode::event, 3);
  CHECK(run.spikes.tick == std::vector<Tick>{2, 3, 5});
  CHECK(run.spikes.index == std::vector<std::uint32_t>{0, 0, 3});
  CHECK(run.executed[Op::input_event] == 3);
  CHECK(run.executed[Op::spike] == 3);
  // Checks: ch0 at ticks 2, 3 (then caught up), ch1 at 5, ch0 at 8 = 4 channel checks.
  CHECK(run.executed[Op::encoder_conversion] == 4);
  CHECK(run.always_on[Op::encoder_conversion] == 20);  // 2 channels x 10 ticks
}

TEST_CASE("delta encoder: per-channel thresholds, a wider input, a rescaling decoder", "[bridge][delta]") {
  // Channels 0 and 1 of a 3-wide input, thresholds 0.5 and 0.125; channel 2 is not encoded.
  auto enc = make_delta_encoder(
      {.name = "d", .channels = 2, .thresholds = {0.5, 0.125}, .input_width = 3});
  CHECK(enc->description().input_width == 3);
  CHECK(enc->description().output_width == 4);
  // ch0: 0 -> 1.2 (two on events, 1.0 sent), ch1: 0 -> -0.3 (two off events, -0.25 sent);
  // ch2 changes at tick 6: not read, no event, no input event.
  const auto in = frames_in({frame(1, {1.2F, -0.3F, 0.0F}), frame(6, {1.2F, -0.3F, 9.0F})});
  const UnitRun run = run_unit(*enc, in, 10, ExecutionMode::event, 3);
  CHECK(run.spikes.tick == std::vector<Tick>{1, 1, 2, 2});
  CHECK(run.spikes.index == std::vector<std::uint32_t>{0, 3, 0, 3});
  CHECK(run.executed[Op::input_event] == 2);
  const UnitRun always_on = run_unit(*enc, in, 10, ExecutionMode::always_on, 3);
  CHECK(same_spikes(run.spikes, always_on.spikes));
  // A decoder step of 1/32 per spike turns both channels into counts of 1/32: 2/32 and -2/32.
  auto dec = make_delta_decoder({.name = "dd", .channels = 2, .threshold = 1.0 / 32.0});
  const UnitRun decoded = run_unit(*dec, as_input(run), 10, ExecutionMode::event);
  REQUIRE_FALSE(decoded.frames.empty());
  CHECK(decoded.frames.back().values[0] == 2.0F / 32.0F);
  CHECK(decoded.frames.back().values[1] == -2.0F / 32.0F);
}

TEST_CASE("delta encoder: bad per-channel thresholds and input widths are refused", "[bridge][delta][errors]") {
  CHECK_THROWS_WITH(make_delta_encoder({.name = "d", .channels = 2, .thresholds = {0.1}}),
                    Catch::Contains("'d'") && Catch::Contains("thresholds has 1 values"));
  CHECK_THROWS_WITH(make_delta_encoder({.name = "d", .channels = 2, .thresholds = {0.1, 0.0}}),
                    Catch::Contains("thresholds[1]"));
  CHECK_THROWS_WITH(make_delta_encoder({.name = "d", .channels = 3, .input_width = 2}),
                    Catch::Contains("input_width = 2"));
}

TEST_CASE("delta encoder graded: frames carry values within a threshold of the input", "[bridge][delta]") {
  auto enc = make_delta_encoder({.name = "g", .channels = 3, .threshold = 0.1, .output = DeltaOutput::graded});
  const UnitRun run = run_unit(*enc, frames_in(changing_input()), 80, ExecutionMode::event);
  REQUIRE_FALSE(run.frames.empty());
  // Each frame goes out in the tick of an input change; between changes the input is the last frame's.
  std::size_t next = 0;
  Eigen::VectorXf x = Eigen::VectorXf::Zero(3);
  for (const DenseFrame& f : run.frames) {
    while (next < changing_input().size() && changing_input()[next].tick <= f.tick) x = changing_input()[next++].values;
    CHECK((f.values - x).cwiseAbs().maxCoeff() < 0.1F);
  }
  CHECK(run.frames.size() < changing_input().size());  // the repeated frame at 41 sends nothing
}

TEST_CASE("rate encoder -> exponential decoder: settles within two jumps of the rate", "[bridge][exponential][roundtrip]") {
  // tau = 50 ticks: each spike lifts y by w = 1 - e^{-1/50}; between spikes y falls by less than
  // w, and inter-spike gaps differ by at most one tick, so after 10 tau |y - v| < 2 w.
  auto enc = make_rate_encoder({.name = "r", .channels = 1, .window = {10, 0}});
  auto dec = make_exponential_decoder({.name = "e", .channels = 1, .tau_ms = 50.0, .window = {1, 0}});
  const double w = 1.0 - std::exp(-1.0 / 50.0);
  for (const float v : {0.0F, 0.3F, 0.7F, 1.0F}) {
    const UnitRun spikes = run_unit(*enc, frames_in({frame(0, {v})}), 600, ExecutionMode::event, 50);
    const UnitRun decoded = run_unit(*dec, as_input(spikes), 600, ExecutionMode::event, 50);
    REQUIRE(decoded.frames.size() == 600);
    for (std::size_t t = 500; t < 600; ++t) CHECK(std::abs(decoded.frames[t].values[0] - v) < 2.0 * w);
  }
}

TEST_CASE("current injection and membrane readout: y = gain x + offset, sent on change", "[bridge][dense]") {
  auto inj = make_current_injection({.name = "i", .channels = 3, .gain = 2.0, .offset = 0.5});
  const UnitRun run = run_unit(*inj, frames_in(changing_input()), 80, ExecutionMode::event);
  // A first frame at tick 0, then one per input frame that changes something (not the repeat at 41).
  REQUIRE(run.frames.size() == changing_input().size() - 1);
  CHECK(run.frames[1].tick == 3);
  CHECK(run.frames[1].values[2] == Approx(2.0 * 0.7 + 0.5));
  auto readout = make_membrane_readout({.name = "m", .channels = 3, .gain = 0.0, .offset = -65.0});
  const UnitRun held = run_unit(*readout, frames_in(changing_input()), 80, ExecutionMode::event);
  REQUIRE(held.frames.size() == 1);  // gain 0: the output never changes after the first frame
  CHECK(held.frames[0].values[1] == -65.0F);
}

TEST_CASE("population current: gain times the Gaussian response of each neuron", "[bridge][population][dense]") {
  // M = 3 centres 0, 0.5, 1 and sigma 0.5: x = 0.5 gives gain * (e^{-1/2}, 1, e^{-1/2}).
  auto unit = make_population_current({.name = "pc", .channels = 2, .code = {3, {0.0, 1.0}, 0.5}, .gain = 4.0});
  const UnitRun run = run_unit(*unit, frames_in({frame(5, {0.5F, 7.0F})}), 10, ExecutionMode::event);
  REQUIRE(run.frames.size() == 2);  // the first tick, then the change at tick 5
  const Eigen::VectorXf& y = run.frames[1].values;
  REQUIRE(y.size() == 6);
  CHECK(y[0] == Approx(4.0 * std::exp(-0.5)));
  CHECK(y[1] == Approx(4.0));
  CHECK(y[2] == Approx(4.0 * std::exp(-0.5)));
  // 7 is clamped to the range's end, 1: responses e^{-2}, e^{-1/2}, 1.
  CHECK(y[3] == Approx(4.0 * std::exp(-2.0)));
  CHECK(y[5] == Approx(4.0));
  CHECK(run.executed[Op::encoder_conversion] == 6);  // 2 inputs changed x 3 neurons
}

TEST_CASE("per-tick units: event and always-on give identical outputs", "[bridge][equivalence]") {
  std::vector<std::unique_ptr<Unit>> encoders;
  encoders.push_back(make_poisson_encoder({.name = "p", .channels = 3, .max_rate_hz = 300.0}));
  encoders.push_back(make_delta_encoder({.name = "d", .channels = 3, .threshold = 0.07}));
  encoders.push_back(make_delta_encoder({.name = "g", .channels = 3, .threshold = 0.07, .output = DeltaOutput::graded}));
  encoders.push_back(make_current_injection({.name = "i", .channels = 3, .gain = -1.5, .offset = 0.25}));
  encoders.push_back(make_membrane_readout({.name = "m", .channels = 3, .gain = 0.1}));
  encoders.push_back(make_population_current({.name = "pc", .channels = 3, .code = {4, {0.0, 1.0}, 0.3}, .gain = 2.0}));
  for (auto& enc : encoders) {
    INFO(enc->description().kind);
    const UnitRun ev = run_unit(*enc, frames_in(changing_input()), 120, ExecutionMode::event, 7, 9);
    const UnitRun ao = run_unit(*enc, frames_in(changing_input()), 120, ExecutionMode::always_on, 13, 9);
    REQUIRE(ev.spikes.size() + ev.frames.size() > 5);
    CHECK(same_spikes(ev.spikes, ao.spikes));
    CHECK(same_frames(ev.frames, ao.frames));
    CHECK(ao.executed == ao.always_on);
    CHECK(ev.executed[enc->description().encoder ? Op::encoder_conversion : Op::decoder_conversion] <
          ao.executed[enc->description().encoder ? Op::encoder_conversion : Op::decoder_conversion]);
  }
  // Decoders fed by the Poisson and on/off spikes above.
  auto poisson = make_poisson_encoder({.name = "p", .channels = 3, .max_rate_hz = 300.0});
  const UnitRun p_spikes = run_unit(*poisson, frames_in(changing_input()), 300, ExecutionMode::event);
  auto delta = make_delta_encoder({.name = "d", .channels = 3, .threshold = 0.07});
  const UnitRun d_spikes = run_unit(*delta, frames_in(changing_input()), 300, ExecutionMode::event);
  std::vector<std::pair<std::unique_ptr<Unit>, const UnitRun*>> decoders;
  decoders.emplace_back(make_exponential_decoder({.name = "e", .channels = 3, .tau_ms = 5.0, .window = {3, 1}}), &p_spikes);
  decoders.emplace_back(make_delta_decoder({.name = "dd", .channels = 3, .threshold = 0.07}), &d_spikes);
  for (auto& [dec, input] : decoders) {
    INFO(dec->description().kind);
    const UnitRun ev = run_unit(*dec, as_input(*input), 300, ExecutionMode::event, 7);
    const UnitRun ao = run_unit(*dec, as_input(*input), 300, ExecutionMode::always_on, 10);
    REQUIRE(ev.frames.size() > 5);
    CHECK(same_frames(ev.frames, ao.frames));
    CHECK(ao.executed == ao.always_on);
  }
}

TEST_CASE("per-tick units: bad parameters name the unit and the parameter", "[bridge][errors]") {
  using Catch::Matchers::Contains;
  CHECK_THROWS_WITH(make_poisson_encoder({.name = "p", .max_rate_hz = -1.0}), Contains("'p'") && Contains("max_rate_hz"));
  CHECK_THROWS_WITH(make_poisson_encoder({.name = "p", .max_rate_hz = NAN}), Contains("max_rate_hz"));
  CHECK_THROWS_WITH(make_delta_encoder({.name = "d", .threshold = 0.0}), Contains("'d'") && Contains("threshold"));
  CHECK_THROWS_WITH(make_delta_decoder({.name = "d", .threshold = -0.1}), Contains("threshold"));
  CHECK_THROWS_WITH(make_exponential_decoder({.name = "e", .tau_ms = 0.0}), Contains("'e'") && Contains("tau_ms"));
  CHECK_THROWS_WITH(make_current_injection({.name = "i", .gain = INFINITY}), Contains("gain"));
  CHECK_THROWS_WITH(make_membrane_readout({.name = "m", .offset = NAN}), Contains("offset"));
}

TEST_CASE("bridge units: NaN arriving at run time is a RunError naming the unit", "[bridge][errors]") {
  auto enc = make_rate_encoder({.name = "enc"});
  CHECK_THROWS_WITH(run_unit(*enc, frames_in({frame(3, {NAN})}), 10, ExecutionMode::event),
                    Catch::Contains("'enc'") && Catch::Contains("NaN"));
}
