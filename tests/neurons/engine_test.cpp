// The event engine: counters on a hand-countable network, delays, ports, probes.
#include <catch2/catch.hpp>

#include "core/memory_recorder.hpp"
#include "core/simulation.hpp"
#include "tests/neurons/network_fixtures.hpp"

using namespace tandem;
using namespace tandem::neurons;
using tandem::neurons::testing::run_engine;

namespace {
// g (1 unit) spikes at ticks 0 and 5 → a (3 lif neurons, +25 mV each, delay 1) fire at 1 and 6
// → b (1 lif neuron, +3 mV from each of a's neurons, delay 2) gets 9 mV at ticks 3 and 8
// (9·e^(−5/20) + 9 = 16 mV < 20: b never fires).
std::unique_ptr<EventEngine> hand_network() {
  auto engine = std::make_unique<EventEngine>("snn", TimeBase(1.0));
  engine->add_spike_generator("g", 1, {{0, 0}, {5, 0}});
  engine->add_population<Lif>("a", 3);
  engine->add_population<Lif>("b", 1);
  engine->connect({.name = "g_a", .source = "g", .target = "a", .receptor = "v", .weight = 25.0F, .delay_ms = 1.0});
  engine->connect({.name = "a_b", .source = "a", .target = "b", .receptor = "v", .weight = 3.0F, .delay_ms = 2.0});
  return engine;
}
using testing::node;
}  // namespace

TEST_CASE("engine: counters on a hand-countable network", "[neurons][engine][counters]") {
  auto engine = hand_network();
  const auto run = run_engine(*engine, 10, 1, ExecutionMode::event, 4);
  // a fires at ticks 1 and 6 (3 neurons each); b never reaches 20 mV.
  REQUIRE(run.spikes.size() == 2 + 6);
  const auto& g = node(run, "g");
  CHECK(g.kind == NodeKind::input);
  CHECK(g.executed[Op::spike] == 2);
  CHECK(g.targets == std::vector<std::string>{"g_a"});
  const auto& a = node(run, "a");
  CHECK(a.units == 3);
  CHECK(a.fan_in == 1);
  CHECK(a.executed[Op::neuron_update] == 6);  // ticks 1 and 6 only: a returns exactly to rest
  CHECK(a.executed[Op::neuron_update_skipped] == 24);
  CHECK(a.executed[Op::spike] == 6);
  CHECK(a.always_on[Op::neuron_update] == 30);
  CHECK(a.always_on[Op::spike] == 6);
  const auto& b = node(run, "b");
  CHECK(b.fan_in == 3);
  CHECK(b.executed[Op::neuron_update] == 7);  // ticks 3..9: after 15 mV it decays, never exactly 0
  CHECK(b.executed[Op::neuron_update_skipped] == 3);
  const auto& g_a = node(run, "g_a");
  CHECK(g_a.kind == NodeKind::projection);
  CHECK(g_a.targets == std::vector<std::string>{"a"});
  CHECK(g_a.synapse_memory_bytes == 3 * 4 + 2 * 8);  // 3 targets + 2 row offsets
  CHECK(g_a.executed[Op::synaptic_op] == 6);
  CHECK(g_a.executed[Op::memory_byte_read] == 24);
  CHECK(g_a.always_on[Op::synaptic_op] == 30);
  CHECK(g_a.always_on[Op::memory_byte_read] == 120);
  const auto& a_b = node(run, "a_b");
  CHECK(a_b.executed[Op::synaptic_op] == 6);
  CHECK(a_b.always_on[Op::synaptic_op] == 30);

  const auto always = run_engine(*engine, 10, 1, ExecutionMode::always_on, 3);
  for (const auto& counters : run.counters) CHECK(node(always, counters.node).executed == counters.always_on);
}

TEST_CASE("engine: event counters count the active neurons of mostly and sparsely active populations",
          "[neurons][engine][counters]") {
  // A constant current keeps its units active every tick; the others stay exactly at rest. 7 of
  // 8 active takes the loop over all neurons (it counts as it goes), 2 of 8 the gather.
  auto engine = std::make_unique<EventEngine>("snn", TimeBase(1.0));
  engine->add_population<LifCoba>("most", 8);
  engine->add_population<LifCoba>("few", 8);
  engine->add_current({.name = "i_most", .target = "most", .receptor = "i_ext", .units = {0, 1, 2, 3, 4, 5, 6},
                       .start_ms = {0.0}, .amplitudes = {2.0F}});
  engine->add_current({.name = "i_few", .target = "few", .receptor = "i_ext", .units = {3, 7}, .start_ms = {0.0},
                       .amplitudes = {2.0F}});
  const auto run = run_engine(*engine, 20, 1, ExecutionMode::event, 6);
  CHECK(node(run, "most").executed[Op::neuron_update] == 7 * 20);
  CHECK(node(run, "most").executed[Op::neuron_update_skipped] == 1 * 20);
  CHECK(node(run, "few").executed[Op::neuron_update] == 2 * 20);
  CHECK(node(run, "few").executed[Op::neuron_update_skipped] == 6 * 20);
  const auto always = run_engine(*engine, 20, 1, ExecutionMode::always_on, 6);
  for (std::size_t v = 0; v < run.state.size(); ++v) CHECK(testing::bit_identical(run.state[v], always.state[v]));
  CHECK(run.state[0][7] == -60.0F);  // the unit without current stays at v_rest + v_drive
  CHECK(run.state[0][0] > -60.0F);
}

TEST_CASE("engine: a spike arrives exactly `delay` ticks later", "[neurons][engine][delay]") {
  for (const double delay_ms : {0.1, 0.7, 2.5}) {
    auto engine = std::make_unique<EventEngine>("snn", TimeBase(0.1));
    engine->add_spike_generator("g", 2, {{3, 0}, {4, 1}});
    engine->add_population<Lif>("a", 2);
    engine->connect({.name = "one", .source = "g", .target = "a", .receptor = "v", .rule = Rule::one_to_one,
                     .weight = 25.0F, .delay_ms = delay_ms});
    const auto run = run_engine(*engine, 60, 1, ExecutionMode::event, 5);
    const auto d = static_cast<Tick>(std::lround(delay_ms / 0.1));
    REQUIRE(run.spikes.size() == 4);
    CHECK(run.spikes.tick[2] == 3 + d);
    CHECK(run.spikes.index[2] == (1U << 24));
    CHECK(run.spikes.tick[3] == 4 + d);
  }
  // Spike times given in ms per unit.
  {
    auto timed = std::make_unique<EventEngine>("snn", TimeBase(0.1));
    timed->add_spike_generator_ms("g", {{0.3, 1.0}, {}, {0.5}});
    const auto run = run_engine(*timed, 20, 1, ExecutionMode::event);
    CHECK(run.spikes.tick == std::vector<Tick>{3, 5, 10});
    CHECK(run.spikes.index == std::vector<std::uint32_t>{0, 2, 0});
    CHECK_THROWS_AS(timed->add_spike_generator_ms("h", {{-1.0}}), InputError);
  }
  // Per-synapse delays from an explicit list.
  auto engine = std::make_unique<EventEngine>("snn", TimeBase(0.1));
  engine->add_spike_generator("g", 1, {{0, 0}});
  engine->add_population<Lif>("a", 3);
  engine->connect({.name = "x", .source = "g", .target = "a", .receptor = "v", .rule = Rule::explicit_list,
                   .synapses = {{0, 0, 25.0F, 0.9}, {0, 1, 25.0F, 0.2}, {0, 2, 25.0F, 25.5}}});
  const auto run = run_engine(*engine, 300, 1, ExecutionMode::always_on);
  REQUIRE(run.spikes.size() == 4);
  CHECK(run.spikes.tick[1] == 2);
  CHECK(run.spikes.tick[2] == 9);
  CHECK(run.spikes.tick[3] == 255);
}

TEST_CASE("engine: spike and dense input ports add to the named variable", "[neurons][engine][ports]") {
  auto engine = std::make_unique<EventEngine>("snn", TimeBase(1.0));
  engine->add_population<Lif>("a", 2);
  engine->add_spike_input_port("a.in", "a", "v", 7.0F);
  CHECK(engine->ports().size() == 2);
  CHECK(engine->ports()[0].name == "a.spikes");
  CHECK(engine->ports()[0].node == "a");
  SpikeBatch input;
  input.push(2, 1);
  input.push(2, 1);
  input.push(2, 1);  // 21 mV on neuron 1 at tick 2
  const auto run = run_engine(*engine, 5, 1, ExecutionMode::event, 5, {{1, input}});
  REQUIRE(run.spikes.size() == 1);
  CHECK(run.spikes.tick[0] == 2);
  CHECK(run.spikes.index[0] == 1);
  CHECK(node(run, "a").executed[Op::input_event] == 3);

  // Through a Simulation, a dense current held from its arrival tick.
  Simulation simulation({.time = TimeBase(1.0)});
  auto& snn = simulation.add_engine(std::make_unique<EventEngine>("snn", TimeBase(1.0)));
  snn.add_population<Lif>("a", 1, {.tau_m_ms = 10.0, .v_threshold_mv = 1000.0});
  snn.add_dense_input_port("a.current", "a", "i_ext");
  simulation.build();
  Mailbox inbox(snn.ports().size()), outbox(snn.ports().size());
  inbox.port(1).frames.push_back(DenseFrame{3, Eigen::VectorXf::Constant(1, 4.0F)});
  snn.advance({0, 8}, inbox, outbox);
  // Five ticks (3..7) of I = 4: v = 4·(1 − e^(−5/10)).
  CHECK(snn.population("a").values(0)[0] == Approx(4.0 * (1.0 - std::exp(-0.5))).epsilon(1e-5));
}

TEST_CASE("engine: probes record spikes and state in whole blocks", "[neurons][engine][probes]") {
  auto engine = std::make_unique<EventEngine>("snn", TimeBase(0.5));
  engine->add_population<Lif>("a", 4, {.tau_m_ms = 10.0, .v_threshold_mv = 5.0});
  engine->add_current({.name = "drive", .target = "a", .units = {1, 3}, .amplitudes = {8.0F}});
  MemoryRecorder recorder;
  CHECK_FALSE(engine->enroll_probe({"nobody", "v"}, recorder));
  CHECK(engine->enroll_probe({"a", "spikes"}, recorder));
  CHECK(engine->enroll_probe({.node = "a", .variable = "v", .units = {1, 2}, .every_ticks = 4}, recorder));
  CHECK_THROWS_WITH(engine->enroll_probe({"a", "w"}, recorder), Catch::Contains("a.w") && Catch::Contains("'w'"));
  CHECK_THROWS_WITH(engine->enroll_probe({.node = "a", .variable = "v", .units = {4}}, recorder),
                    Catch::Contains("unit 4"));
  engine->reset(RunContext{TimeBase(0.5), 1, ExecutionMode::event});
  SpikeBatch emitted;
  std::vector<double> expected_v;
  for (Tick begin = 0; begin < 40; begin += 10) {
    Mailbox inbox(engine->ports().size()), outbox(engine->ports().size());
    engine->advance({begin, begin + 10}, inbox, outbox);
    engine->record(recorder);
    for (std::size_t i = 0; i < outbox.port(0).spikes.size(); ++i) {
      emitted.push(outbox.port(0).spikes.tick[i], outbox.port(0).spikes.index[i]);
    }
  }
  const auto& ticks = recorder.stream("/snn/a/spikes/tick");
  const auto& index = recorder.stream("/snn/a/spikes/index");
  CHECK(ticks.spec.type == SampleType::int64);
  CHECK(index.spec.type == SampleType::uint32);
  REQUIRE(ticks.values.size() == emitted.size());
  REQUIRE(emitted.size() > 2);
  for (std::size_t i = 0; i < emitted.size(); ++i) {
    CHECK(ticks.values[i] == static_cast<double>(emitted.tick[i]));
    CHECK((index.values[i] == 1.0 || index.values[i] == 3.0));
  }
  CHECK(ticks.appends >= 1);  // only epochs with spikes append
  CHECK(ticks.appends <= 4);
  const auto& v = recorder.stream("/snn/a/state/v");
  CHECK(v.spec.columns == 2);
  CHECK(v.spec.attributes.at("unit") == "mV");
  CHECK(v.spec.attributes.at("units") == "1,2");
  CHECK(v.spec.attributes.at("every_ticks") == "4");
  CHECK(v.spec.attributes.at("dt_ms") == "0.5");
  CHECK(v.appends == 4);
  CHECK(v.samples() == 10);  // ticks 0, 4, …, 36
  // Neuron 1 until its first spike: v after tick k's step is 8·(1 − e^(−(k+1)·0.05)).
  CHECK(v.values[0] == Approx(8.0 * (1.0 - std::exp(-0.05))).epsilon(1e-5));
  CHECK(v.values[2] == Approx(8.0 * (1.0 - std::exp(-0.25))).epsilon(1e-5));
  CHECK(v.values[1] == 0.0);  // neuron 2 gets no current
}

TEST_CASE("engine: bad wiring is refused with names", "[neurons][engine][validation]") {
  EventEngine engine("snn", TimeBase(0.1));
  engine.add_population<LifCoba>("exc", 4);
  CHECK_THROWS_WITH(engine.connect({.name = "p", .source = "exc", .target = "inh", .receptor = "g_exc"}),
                    Catch::Contains("'inh'") && Catch::Contains("projection 'p'"));
  CHECK_THROWS_WITH(engine.connect({.name = "p", .source = "exc", .target = "exc", .receptor = "i_syn"}),
                    Catch::Contains("'i_syn'") && Catch::Contains("g_exc"));
  CHECK_THROWS_AS(engine.add_population<LifCoba>("exc", 2), InputError);
  CHECK_THROWS_AS(engine.reset(RunContext{TimeBase(1.0), 1, ExecutionMode::event}), InputError);
}

TEST_CASE("engine: a same-tick projection reaches a later population in the tick its source spikes",
          "[neurons][engine][same_tick]") {
  // g spikes at tick 3; with delay 0 a (lif, +25 mV) fires at tick 3 too, b (+25 mV, delay 0
  // from a) also at 3: a two-layer path crossed within one tick.
  EventEngine engine("snn", TimeBase(1.0));
  engine.add_spike_generator("g", 1, {{3, 0}});
  engine.add_population<Lif>("a", 1);
  engine.add_population<Lif>("b", 1);
  engine.connect({.name = "g_a", .source = "g", .target = "a", .receptor = "v", .weight = 25.0F, .same_tick = true});
  engine.connect({.name = "a_b", .source = "a", .target = "b", .receptor = "v", .weight = 25.0F, .same_tick = true});
  for (const ExecutionMode mode : {ExecutionMode::event, ExecutionMode::always_on}) {
    const auto run = run_engine(engine, 6, 1, mode);
    REQUIRE(run.spikes.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) CHECK(run.spikes.tick[i] == 3);
  }
  // Backwards (b stepped before a would read it) is refused, naming both.
  EventEngine backwards("snn", TimeBase(1.0));
  backwards.add_population<Lif>("first", 1);
  backwards.add_population<Lif>("second", 1);
  CHECK_THROWS_WITH(backwards.connect({.name = "back", .source = "second", .target = "first", .receptor = "v",
                                       .weight = 1.0F, .same_tick = true}),
                    Catch::Contains("target 'first' must be added after its source 'second'"));
  EventEngine delayed("snn", TimeBase(1.0));
  delayed.add_population<Lif>("x", 1);
  delayed.add_population<Lif>("y", 1);
  delayed.connect({.name = "xy", .source = "x", .target = "y", .receptor = "v", .weight = 1.0F, .delay_ms = 2.0,
                   .same_tick = true});
  CHECK_THROWS_WITH(run_engine(delayed, 2, 1, ExecutionMode::event),
                    Catch::Contains("a same-tick projection has no delay"));
}

TEST_CASE("engine: graded events carry values; a projection adds weight × value", "[neurons][engine][graded]") {
  // A value table sends (0.5, 0, -2) at tick 0 and (0, 3, 0) at tick 1 to li neurons with decay 0
  // (forward Euler, tau = dt), which therefore hold exactly what arrives: 4 × value. The li
  // population sends its v on, graded, to a second one through weight -1.
  EventEngine engine("snn", TimeBase(1.0));
  engine.add_value_table("table", 3);
  engine.set_values("table", {0.5F, 0.0F, -2.0F, 0.0F, 3.0F, 0.0F});
  Li::Parameters holding;
  holding.tau_ms = 1.0;
  holding.integration = Integration::euler;
  holding.rest_tolerance_mv = 0.0;
  engine.add_population<Li>("hold", 3, holding);
  engine.add_population<Li>("negated", 3, holding);
  engine.set_graded_output("hold", "v");
  engine.connect({.name = "in", .source = "table", .target = "hold", .receptor = "v", .rule = Rule::one_to_one,
                  .weight = 4.0F, .same_tick = true});
  engine.connect({.name = "neg", .source = "hold", .target = "negated", .receptor = "v", .rule = Rule::one_to_one,
                  .weight = -1.0F, .same_tick = true});
  for (const ExecutionMode mode : {ExecutionMode::event, ExecutionMode::always_on}) {
    CAPTURE(mode == ExecutionMode::event);
    auto run = run_engine(engine, 1, 1, mode);
    CHECK(run.state[0] == std::vector<float>{2.0F, 0.0F, -8.0F});   // hold after tick 0
    CHECK(run.state[1] == std::vector<float>{-2.0F, 0.0F, 8.0F});   // negated
    run = run_engine(engine, 2, 1, mode);
    CHECK(run.state[0] == std::vector<float>{0.0F, 12.0F, 0.0F});
    CHECK(run.state[1] == std::vector<float>{0.0F, -12.0F, 0.0F});
    CHECK(node(run, "hold").executed[Op::spike] == 3);  // graded events: 2 at tick 0, 1 at tick 1
  }
  CHECK_THROWS_WITH(engine.set_values("table", {1.0F, 2.0F}), Catch::Contains("not whole rows of 3"));
  CHECK_THROWS_WITH(engine.set_values("hold", {1.0F}), Catch::Contains("is not a value table"));
}
