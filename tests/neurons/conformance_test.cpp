// Conformance: every model in ModelList passes the same checks.
#include <catch2/catch.hpp>
#include <cstring>

#include "neurons/model_list.hpp"
#include "neurons/registry.hpp"
#include "tests/neurons/network_fixtures.hpp"

using namespace tandem;
using namespace tandem::neurons;
using tandem::neurons::testing::bit_identical;
using tandem::neurons::testing::drive_weight;
using tandem::neurons::testing::run_engine;

TEMPLATE_LIST_TEST_CASE("conformance: default parameters validate and describe the model", "[neurons][conformance]",
                        ModelList) {
  const TimeBase time(0.1);
  const auto constants = TestType::derive(typename TestType::Parameters{}, time);
  (void)constants;
  CHECK_FALSE(TestType::variables.empty());
  CHECK(TestType::variables[0].name == "v");
  bool has_jump = false;
  for (const auto& receptor : TestType::receptors) has_jump = has_jump || !receptor.is_current;
  CHECK(has_jump);
  // The registry knows the model under its name and builds it from no parameters.
  auto population = make_population(TestType::name, "p", 3, {}, time);
  CHECK(population->model_name() == TestType::name);
  for (const auto& variable : TestType::variables) CHECK(population->variable_index(variable.name) < TestType::variables.size());
  CHECK_THROWS_AS(population->variable_index("no_such_variable"), InputError);
}

TEMPLATE_LIST_TEST_CASE("conformance: a resting neuron stays bit-identical without input", "[neurons][conformance]",
                        ModelList) {
  const TimeBase time(0.1);
  const auto constants = TestType::derive(typename TestType::Parameters{}, time);
  typename TestType::State state;
  state.resize(1);
  TestType::rest(constants, state, 0);
  // Drive the neuron to its float fixed point first (for models whose rest is not exact).
  const std::vector<float> in(TestType::receptors.size(), 0.0F);
  for (int k = 0; k < 200000 && !TestType::at_rest(constants, state.view(), 0); ++k) TestType::step(constants, state.view(), 0, in.data());
  REQUIRE(TestType::at_rest(constants, state.view(), 0));
  const auto before = state.var;
  for (int k = 0; k < 100; ++k) CHECK_FALSE(TestType::step(constants, state.view(), 0, in.data()));
  for (std::size_t v = 0; v < before.size(); ++v) CHECK(bit_identical(before[v], state.var[v]));
}

TEMPLATE_LIST_TEST_CASE("conformance: parameters that are not finite are refused with the model and name",
                        "[neurons][conformance]", ModelList) {
  const TimeBase time(0.1);
  for (const auto& field : TestType::fields) {
    typename TestType::Parameters parameters{};
    parameters.*(field.member) = std::nan("");
    try {
      (void)TestType::derive(parameters, time);
      FAIL("NaN " << field.name << " was accepted");
    } catch (const InputError& error) {
      const std::string message = error.what();
      CHECK(message.find(std::string(TestType::name)) != std::string::npos);
      CHECK(message.find(std::string(field.name)) != std::string::npos);
    }
  }
}

namespace {

// A random network of one model: two populations, a Poisson group, recurrent and feed-forward
// projections with delays 1–10 ticks, mixed-sign explicit weights, Poisson input and a current.
// `quiet`: sparse drive (0.2 Hz group, 0.5 Hz noise), so neurons come to rest between inputs and
// the event run skips them — the snap to rest and the active sets at work.
template <typename Model>
std::unique_ptr<EventEngine> random_network(bool quiet = false) {
  auto engine = std::make_unique<EventEngine>("snn", TimeBase(0.1));
  engine->add_population<Model>("a", 40);
  engine->add_population<Model>("b", 30);
  engine->add_poisson_group("p", 20, quiet ? 0.2 : 300.0);
  const float w = drive_weight<Model>();
  const std::string jump(Model::receptors[0].name);
  engine->connect({.name = "p_a", .source = "p", .target = "a", .receptor = jump, .rule = Rule::fixed_probability,
                   .probability = 0.5, .weight = w, .delay_ms = 0.1, .delay_max_ms = 1.0});
  // Recurrent excitation keeps a leak-free IF population firing on its own: not in the quiet network.
  if (!quiet) {
    engine->connect({.name = "a_a", .source = "a", .target = "a", .receptor = jump, .rule = Rule::fixed_probability,
                     .probability = 0.2, .weight = 0.5F * w, .delay_ms = 0.1, .delay_max_ms = 1.0});
  }
  engine->connect({.name = "a_b", .source = "a", .target = "b", .receptor = jump, .rule = Rule::fixed_in_degree,
                   .in_degree = 6, .weight = w, .delay_ms = 0.3});
  RandomStream random(99);
  std::vector<ExplicitSynapse> list;
  for (int k = 0; k < 200; ++k) {
    list.push_back({static_cast<std::uint32_t>(random.below(30)), static_cast<std::uint32_t>(random.below(40)),
                    // Mixed signs (exact cancellations happen), but never negative conductances.
                    static_cast<float>(random.uniform(std::is_same_v<Model, LifCoba> ? 0.0 : -1.0, 1.0)) * w, 0.1 * static_cast<double>(1 + random.below(10))});
  }
  engine->connect({.name = "b_a", .source = "b", .target = "a", .receptor = jump, .rule = Rule::explicit_list,
                   .synapses = list});
  engine->add_poisson_input({.name = "noise_b", .target = "b", .receptor = jump, .rate_hz = quiet ? 0.5 : 2000.0, .weight = 0.5F * w});
  engine->add_current({.name = "bias_a", .target = "a", .receptor = "i_ext", .units = {0, 1, 2}, .start_ms = {0.0, 10.0},
                       .amplitudes = {0.5F, 0.0F}});
  // Initial v spread around the model's resting value.
  const double rest_v = testing::resting_v<Model>();
  engine->population("a").set_initial_uniform("v", rest_v - 0.5, rest_v + 0.5);
  return engine;
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("conformance: event and always-on give bit-identical spikes and state",
                        "[neurons][conformance][equivalence]", ModelList) {
  auto engine = random_network<TestType>();
  const auto event = run_engine(*engine, 400, 7, ExecutionMode::event);
  const auto always = run_engine(*engine, 400, 7, ExecutionMode::always_on);
  if constexpr (!std::is_same_v<TestType, Li>) {
    // Spikes of the model's own populations (ports 0 and 1), not just of the Poisson group.
    std::size_t own = 0;
    for (const auto index : event.spikes.index) own += (index >> 24) < 2 ? 1 : 0;
    CHECK(own > 10);
  }
  CHECK(event.spikes.tick == always.spikes.tick);
  CHECK(event.spikes.index == always.spikes.index);
  REQUIRE(event.state.size() == always.state.size());
  for (std::size_t v = 0; v < event.state.size(); ++v) CHECK(bit_identical(event.state[v], always.state[v]));
  // Executed always-on counters are the event run's analytic baseline.
  REQUIRE(event.counters.size() == always.counters.size());
  for (std::size_t n = 0; n < event.counters.size(); ++n) {
    INFO(event.counters[n].node);
    CHECK(always.counters[n].executed == event.counters[n].always_on);
    CHECK(always.counters[n].always_on == event.counters[n].always_on);
  }
}

TEMPLATE_LIST_TEST_CASE("conformance: a quiet network rests, is skipped, and event and always-on stay bit-identical",
                        "[neurons][conformance][equivalence][rest]", ModelList) {
  auto engine = random_network<TestType>(/*quiet=*/true);
  const auto event = run_engine(*engine, 20000, 7, ExecutionMode::event);
  const auto always = run_engine(*engine, 20000, 7, ExecutionMode::always_on);
  CHECK(event.spikes.tick == always.spikes.tick);
  CHECK(event.spikes.index == always.spikes.index);
  REQUIRE(event.state.size() == always.state.size());
  for (std::size_t v = 0; v < event.state.size(); ++v) CHECK(bit_identical(event.state[v], always.state[v]));
  for (std::size_t n = 0; n < event.counters.size(); ++n) {
    INFO(event.counters[n].node);
    CHECK(always.counters[n].executed == event.counters[n].always_on);
    if (event.counters[n].node == "a" || event.counters[n].node == "b") {
      // Most neuron updates are skipped: the neurons rest between the sparse inputs.
      const auto skipped = event.counters[n].executed[Op::neuron_update_skipped];
      const auto updated = event.counters[n].executed[Op::neuron_update];
      CHECK(skipped > updated);
    }
  }
}

TEMPLATE_LIST_TEST_CASE("conformance: same seed gives the same run, another seed another", "[neurons][conformance]",
                        ModelList) {
  auto engine = random_network<TestType>();
  const auto first = run_engine(*engine, 300, 11, ExecutionMode::event);
  const auto again = run_engine(*engine, 300, 11, ExecutionMode::event, 50);
  const auto other = run_engine(*engine, 300, 12, ExecutionMode::event);
  CHECK(first.spikes.tick == again.spikes.tick);
  CHECK(first.spikes.index == again.spikes.index);
  for (std::size_t v = 0; v < first.state.size(); ++v) CHECK(bit_identical(first.state[v], again.state[v]));
  CHECK(first.spikes.index != other.spikes.index);
}

namespace {

// The closed form of a sub-threshold kick of `kick` mV onto v of a resting neuron with default
// parameters, for the rest tolerance test: v − rest = kick·d^k k ticks after the kick tick, with
// d = exp(−dt/tau) of the model's membrane (the other variables stay at rest: the kick is on v).
// The snap happens at the first k with kick·d^k <= rest_tolerance_mv, so the neuron is active
// on the kick tick and K more ticks. IF has no leak: every sub-threshold v is its rest.
template <typename Model>
double membrane_tau_ms() {
  const typename Model::Parameters p{};
  if constexpr (std::is_same_v<Model, CubaLif>) return p.tau_mem_ms;
  if constexpr (std::is_same_v<Model, Li>) return p.tau_ms;
  if constexpr (requires { p.tau_m_ms; }) return p.tau_m_ms;
  return 0.0;  // no leak
}

template <typename Model>
float kick_mv() {
  if constexpr (std::is_same_v<Model, IfNeuron> || std::is_same_v<Model, CubaLif> || std::is_same_v<Model, Alif>) return 0.5F;
  return 2.0F;  // thresholds 15–20 mV above rest (lif_coba 10); li has none
}

// Active ticks predicted for the kick (the kick tick included).
template <typename Model>
std::int64_t predicted_active_ticks(double dt_ms) {
  const double tolerance = neurons::default_rest_tolerance_mv;
  if constexpr (std::is_same_v<Model, Izhikevich>) {
    // Not exponential: forward Euler of the equations, re-implemented here in double, from the
    // kicked rest point until both variables are within tolerance of it.
    const Izhikevich::Parameters p{};
    double v_rest = 0.0, u_rest = 0.0;
    REQUIRE(Izhikevich::rest_point(p, dt_ms, v_rest, u_rest));
    double v = v_rest + kick_mv<Model>(), u = u_rest;
    std::int64_t ticks = 1;
    while (std::abs(v - v_rest) > tolerance || std::abs(u - u_rest) > p.rest_tolerance_u) {
      const double dv = 0.04 * v * v + 5.0 * v + 140.0 - u;
      const double du = p.a * (p.b * v - u);
      v += dt_ms * dv;
      u += dt_ms * du;
      ++ticks;
    }
    return ticks;
  } else {
    const double tau = membrane_tau_ms<Model>();
    if (tau == 0.0) return 1;
    return 1 + static_cast<std::int64_t>(std::ceil(std::log(kick_mv<Model>() / tolerance) / (dt_ms / tau)));
  }
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("conformance: a kicked neuron returns to rest when the closed form says, then is skipped",
                        "[neurons][conformance][rest]", ModelList) {
  const TimeBase time(1.0);
  auto population = make_population(TestType::name, "p", 1, {}, time);
  population->configure_slots(2);
  population->reset(1);
  const std::size_t v = population->variable_index("v");
  const float rest_v = population->values(v)[0];
  const std::size_t receptor = population->receptor_index("v");
  const Tick kick_tick = 5;
  const std::int64_t predicted = predicted_active_ticks<TestType>(time.dt_ms());
  std::int64_t active_ticks = 0;
  Tick last_active = -1;
  std::vector<std::uint32_t> spikes;
  for (Tick t = 0; t < kick_tick + predicted + 300; ++t) {
    if (t == kick_tick) {
      population->input_row(receptor, t)[0] += kick_mv<TestType>();
      population->note_input(t, 0);
    }
    OpCounts counts;
    population->step(t, /*event_mode=*/true, spikes, counts);
    if (counts[Op::neuron_update] > 0) {
      ++active_ticks;
      last_active = t;
    }
  }
  CHECK(spikes.empty());  // the kick is below threshold
  INFO("predicted " << predicted << " active ticks, counted " << active_ticks);
  // float32 rounding of the decay may move the crossing of the tolerance by a tick.
  CHECK(std::abs(active_ticks - predicted) <= 1);
  CHECK(last_active == kick_tick + active_ticks - 1);  // active from the kick on, then never again
  // Exactly at rest again: every variable bit-equal to its resting value.
  auto fresh = make_population(TestType::name, "q", 1, {}, time);
  fresh->configure_slots(2);
  fresh->reset(1);
  if constexpr (std::is_same_v<TestType, IfNeuron>) {
    CHECK(population->values(v)[0] == rest_v + kick_mv<TestType>());  // no leak: the kick stays
  } else if constexpr (std::is_same_v<TestType, Izhikevich>) {
    double v_rest = 0.0, u_rest = 0.0;  // it starts at v_init and rests at its fixed point
    REQUIRE(Izhikevich::rest_point({}, time.dt_ms(), v_rest, u_rest));
    CHECK(population->values(0)[0] == static_cast<float>(v_rest));
    CHECK(population->values(1)[0] == static_cast<float>(u_rest));
  } else {
    for (std::size_t k = 0; k < TestType::variables.size(); ++k) {
      CHECK(bit_identical({population->values(k)[0]}, {fresh->values(k)[0]}));
    }
  }
}

TEMPLATE_LIST_TEST_CASE("conformance: tolerance 0 keeps a kicked neuron active for the rest of the run",
                        "[neurons][conformance][rest]", ModelList) {
  // IF has no leak (at rest right after the kick); Izhikevich's float Euler iteration reaches an
  // exact fixed point by itself (its at_rest() evaluates the step), so neither needs the snap.
  if constexpr (std::is_same_v<TestType, IfNeuron> || std::is_same_v<TestType, Izhikevich>) return;
  const TimeBase time(1.0);
  neurons::ParameterValues none;
  for (const auto& info : models()) {
    if (info.name != TestType::name) continue;
    for (const auto name : info.parameters) {
      if (name.starts_with("rest_tolerance")) none.emplace(name, "0");
    }
  }
  REQUIRE_FALSE(none.empty());
  auto population = make_population(TestType::name, "p", 1, none, time);
  population->configure_slots(2);
  population->reset(1);
  const std::size_t receptor = population->receptor_index("v");
  std::vector<std::uint32_t> spikes;
  std::int64_t active_ticks = 0;
  const Tick ticks = 3000;
  for (Tick t = 0; t < ticks; ++t) {
    if (t == 5) {
      population->input_row(receptor, t)[0] += kick_mv<TestType>();
      population->note_input(t, 0);
    }
    OpCounts counts;
    population->step(t, true, spikes, counts);
    active_ticks += counts[Op::neuron_update] > 0 ? 1 : 0;
  }
  // Float decay stalls ulps away from rest (the first wave's behaviour, which the snap fixes).
  CHECK(active_ticks > predicted_active_ticks<TestType>(time.dt_ms()) + 100);
}

namespace {

// Every variable of population "a" after each tick of a run advanced one tick at a time, and
// the spikes. Reading the state between ticks makes the event run publish its active set's
// copies mid-run.
struct TickTrace {
  std::vector<std::vector<float>> state;
  std::vector<std::pair<Tick, std::uint32_t>> spikes;
  std::uint64_t updates = 0;
};

TickTrace trace_every_tick(EventEngine& engine, Tick ticks, ExecutionMode mode) {
  engine.reset(RunContext{engine.time(), 3, mode});
  TickTrace trace;
  const PopulationBase& population = engine.population("a");
  for (Tick t = 0; t < ticks; ++t) {
    Mailbox inbox(engine.ports().size());
    Mailbox outbox(engine.ports().size());
    engine.advance(Epoch{t, t + 1}, inbox, outbox);
    const auto& out = outbox.port(0).spikes;
    for (std::size_t i = 0; i < out.size(); ++i) trace.spikes.emplace_back(out.tick[i], out.index[i]);
    for (std::size_t v = 0; v < population.variables().size(); ++v) {
      const auto values = population.values(v);
      trace.state.emplace_back(values.begin(), values.end());
    }
  }
  trace.updates = engine.counters()[0].executed[Op::neuron_update];
  return trace;
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("conformance: state read every tick is bit-identical while the active set grows, shrinks and "
                        "passes through the dense regime",
                        "[neurons][conformance][equivalence][rest]", ModelList) {
  // Sparse kicks keep a fraction of the neurons off rest (members join, come back to rest and
  // leave in batches); twice every neuron receives a current (the dense loop takes over, then
  // hands the neurons still off rest back to the active set).
  auto engine = std::make_unique<EventEngine>("snn", TimeBase(1.0));
  engine->add_population<TestType>("a", 300);
  const float w = drive_weight<TestType>();
  const std::string jump(TestType::receptors[0].name);
  engine->add_poisson_input({.name = "kicks", .target = "a", .receptor = jump, .rate_hz = 3.0, .weight = 0.3F * w});
  engine->connect({.name = "a_a", .source = "a", .target = "a", .receptor = jump, .rule = Rule::fixed_probability,
                   .probability = 0.05, .weight = 0.2F * w, .delay_ms = 1.0, .delay_max_ms = 4.0});
  engine->add_current({.name = "all", .target = "a", .receptor = "i_ext", .start_ms = {0.0, 400.0, 410.0, 1200.0, 1203.0},
                       .amplitudes = {0.0F, 1.0F, 0.0F, 3.0F, 0.0F}});
  const Tick ticks = 2000;
  const TickTrace event = trace_every_tick(*engine, ticks, ExecutionMode::event);
  const TickTrace always = trace_every_tick(*engine, ticks, ExecutionMode::always_on);
  CHECK(event.spikes == always.spikes);
  REQUIRE(event.state.size() == always.state.size());
  std::size_t differing = 0;
  for (std::size_t k = 0; k < event.state.size(); ++k) differing += bit_identical(event.state[k], always.state[k]) ? 0 : 1;
  CHECK(differing == 0);
  CHECK(event.updates < always.updates);
}
