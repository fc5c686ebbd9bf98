// The bridge engine in a Simulation: encoder -> relay -> decoder with wire latencies, ports,
// counters, probes into a MemoryRecorder, event vs always-on, and graph errors.
#include <catch2/catch.hpp>

#include "bridge/bridge_engine.hpp"
#include "bridge/dense_passthrough.hpp"
#include "bridge/window_decoders.hpp"
#include "bridge/window_encoders.hpp"
#include "core/error.hpp"
#include "core/memory_recorder.hpp"
#include "core/simulation.hpp"
#include "tests/bridge/frame_source.hpp"
#include "tests/bridge/unit_driver.hpp"
#include "tests/support/relay_engine.hpp"

using namespace tandem;
using namespace tandem::bridge;
using namespace tandem::bridge::testing;

namespace {

std::unique_ptr<BridgeEngine> make_bridge() {
  std::vector<std::unique_ptr<Unit>> units;
  // The source's frame (sent at 0) arrives at tick 1: windows of the encoder start at 1.
  units.push_back(make_rate_encoder({.name = "enc", .channels = 2, .window = {10, 1}}));
  // Spikes take 2 + 3 ticks to come back: windows of the decoder start at 1 + 5 = 6.
  units.push_back(make_count_decoder({.name = "dec", .channels = 2, .window = {10, 6}}));
  return std::make_unique<BridgeEngine>("bridge", std::move(units));
}

struct Loop {
  std::unique_ptr<Simulation> sim;
  MemoryRecorder recorder;
};

std::unique_ptr<Loop> make_loop(ExecutionMode mode) {
  auto loop = std::make_unique<Loop>();
  loop->sim = std::make_unique<Simulation>(SimulationSettings{.time = TimeBase{1.0}, .seed = 3, .mode = mode});
  Simulation& sim = *loop->sim;
  sim.add(std::make_unique<FrameSource>("src", 2, std::vector<DenseFrame>{frame(0, {0.3F, 0.76F})}));
  sim.add(make_bridge());
  sim.add(std::make_unique<tandem::testing::RelayEngine>("relay", 2));
  sim.connect(Wire{{"src", "out"}, {"bridge", "enc.in"}, 1});
  sim.connect(Wire{{"bridge", "enc.out"}, {"relay", "spikes_in"}, 2});
  sim.connect(Wire{{"relay", "spikes_out"}, {"bridge", "dec.in"}, 3});
  sim.set_recorder(&loop->recorder);
  sim.add_probe(Probe{"enc", "in", {}, 1});
  sim.add_probe(Probe{"enc", "spikes", {}, 1});
  sim.add_probe(Probe{"dec", "out", {}, 1});
  sim.run(40);
  return loop;
}

std::vector<double> row(const MemoryRecorder::Stream& s, std::size_t sample) {
  const std::size_t w = s.spec.columns;
  return {s.values.begin() + static_cast<std::ptrdiff_t>(sample * w),
          s.values.begin() + static_cast<std::ptrdiff_t>((sample + 1) * w)};
}

}  // namespace

TEST_CASE("bridge engine: one input and one output port per unit, on the unit's node", "[bridge][engine]") {
  auto bridge = make_bridge();
  const auto ports = bridge->ports();
  REQUIRE(ports.size() == 4);
  CHECK(ports[0].name == "enc.in");
  CHECK(ports[0].kind == PortKind::dense);
  CHECK(ports[0].direction == PortDirection::in);
  CHECK(ports[1].name == "enc.out");
  CHECK(ports[1].kind == PortKind::spikes);
  CHECK(ports[2].name == "dec.in");
  CHECK(ports[2].kind == PortKind::spikes);
  CHECK(ports[3].name == "dec.out");
  CHECK(ports[3].kind == PortKind::dense);
  CHECK(ports[3].node == "dec");
  const auto counters = bridge->counters();
  REQUIRE(counters.size() == 2);
  CHECK(counters[0].kind == NodeKind::bridge);
  CHECK(counters[0].units == 2);
  CHECK(counters[0].targets.empty());
  CHECK(bridge->description(0).window_ticks == 10);
  CHECK(bridge->description(0).latency_ticks == 9);
  CHECK(bridge->description(1).phase_ticks == 6);
  CHECK_FALSE(bridge->description(0).quantisation.empty());
}

TEST_CASE("bridge engine: encoder -> relay -> decoder reads the value back after the latencies", "[bridge][engine][simulation]") {
  const auto loop = make_loop(ExecutionMode::event);
  const MemoryRecorder& rec = loop->recorder;
  // The input arrives at tick 1 (wire latency 1).
  const auto& in = rec.stream("/bridge/enc/in");
  CHECK(row(in, 0) == std::vector<double>{0.0, 0.0});
  CHECK(row(in, 1)[0] == Approx(0.3));
  // Window [1, 11): 3 and round(7.6) = 8 spikes, the first of both in tick 1.
  const auto& ticks = rec.stream("/bridge/enc/spikes/tick");
  const auto& index = rec.stream("/bridge/enc/spikes/index");
  CHECK(ticks.values[0] == 1.0);
  CHECK(ticks.values[1] == 1.0);
  CHECK(index.values[1] == 1.0);
  std::size_t in_first_window[2] = {0, 0};
  for (std::size_t i = 0; i < ticks.values.size(); ++i) {
    if (ticks.values[i] < 11) ++in_first_window[static_cast<std::size_t>(index.values[i])];
  }
  CHECK(in_first_window[0] == 3);
  CHECK(in_first_window[1] == 8);
  // They arrive 5 ticks later, in the decoder's window [6, 16): its frame at tick 15 reads
  // 3/10 and 8/10; before that the decoder sent only the empty partial window (tick 5).
  const auto& out = rec.stream("/bridge/dec/out");
  const auto& tick = rec.stream("/bridge/dec/tick");
  REQUIRE(out.samples() == 40);
  CHECK(tick.values[15] == 15.0);
  CHECK(row(out, 14) == std::vector<double>{0.0, 0.0});
  CHECK(row(out, 15)[0] == Approx(0.3));
  CHECK(row(out, 15)[1] == Approx(0.8));
  CHECK(row(out, 35)[1] == Approx(0.8));
  // Counters reach the Simulation per unit.
  const auto counters = loop->sim->counters();
  const auto dec = std::find_if(counters.begin(), counters.end(), [](const NodeCounters& c) { return c.node == "dec"; });
  REQUIRE(dec != counters.end());
  // Frames at ticks 5, 15, 25, 35; the empty partial window at 5 reads nothing out (both
  // outputs send their silent value), the others read both outputs.
  CHECK(dec->executed[Op::decoder_conversion] == 2 * 3);
  CHECK(dec->always_on[Op::decoder_conversion] == 2 * 40);
}

TEST_CASE("bridge engine: event and always-on runs record identical traces", "[bridge][engine][equivalence]") {
  const auto event = make_loop(ExecutionMode::event);
  const auto always_on = make_loop(ExecutionMode::always_on);
  for (const char* path : {"/bridge/enc/spikes/tick", "/bridge/enc/spikes/index", "/bridge/dec/out"}) {
    INFO(path);
    CHECK(event->recorder.stream(path).values == always_on->recorder.stream(path).values);
  }
  const auto a = event->sim->counters();
  const auto b = always_on->sim->counters();
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].kind != NodeKind::bridge) continue;
    CHECK(a[i].always_on == b[i].always_on);  // the baseline does not depend on the mode
    CHECK(b[i].executed == b[i].always_on);
  }
}

TEST_CASE("bridge engine: probes sample every n ticks and select units", "[bridge][engine][probes]") {
  Simulation sim(SimulationSettings{});
  sim.add(std::make_unique<FrameSource>("src", 2, std::vector<DenseFrame>{frame(2, {1.0F, 2.0F}), frame(7, {3.0F, 4.0F})}));
  std::vector<std::unique_ptr<Unit>> units;
  units.push_back(make_current_injection({.name = "inj", .channels = 2, .gain = 10.0}));
  sim.add(std::make_unique<BridgeEngine>("bridge", std::move(units)));
  sim.connect(Wire{{"src", "out"}, {"bridge", "inj.in"}, 1});
  MemoryRecorder rec;
  sim.set_recorder(&rec);
  sim.add_probe(Probe{"inj", "out", {1}, 4});
  sim.run(12);
  CHECK(rec.stream("/bridge/inj/tick").values == std::vector<double>{0, 4, 8});
  // Column = channel 1 only: 0 until tick 3, 20 from tick 3, 40 from tick 8.
  CHECK(rec.stream("/bridge/inj/out").values == std::vector<double>{0, 20, 40});
  CHECK_THROWS_WITH(sim.add_probe(Probe{"inj", "in", {}, 2}), Catch::Contains("every_ticks"));
  CHECK_THROWS_WITH(sim.add_probe(Probe{"inj", "spikes", {}, 1}), Catch::Contains("no spike port"));
  CHECK_THROWS_WITH(sim.add_probe(Probe{"inj", "voltage", {}, 1}), Catch::Contains("'in', 'out' or 'spikes'"));
  CHECK_THROWS_WITH(sim.add_probe(Probe{"inj", "in", {2}, 4}), Catch::Contains("out of range"));
}

TEST_CASE("bridge engine: duplicate unit names and width mismatches are input errors", "[bridge][engine][errors]") {
  std::vector<std::unique_ptr<Unit>> units;
  units.push_back(make_rate_encoder({.name = "same"}));
  units.push_back(make_count_decoder({.name = "same"}));
  CHECK_THROWS_WITH(BridgeEngine("bridge", std::move(units)), Catch::Contains("'same'"));
  Simulation sim(SimulationSettings{});
  sim.add(make_bridge());
  sim.add(std::make_unique<tandem::testing::RelayEngine>("relay", 3));
  sim.connect(Wire{{"bridge", "enc.out"}, {"relay", "spikes_in"}, 1});
  CHECK_THROWS_WITH(sim.build(), Catch::Contains("width mismatch"));
}
