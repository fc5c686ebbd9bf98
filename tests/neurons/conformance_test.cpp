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
template <typename Model>
std::unique_ptr<EventEngine> random_network() {
  auto engine = std::make_unique<EventEngine>("snn", TimeBase(0.1));
  engine->add_population<Model>("a", 40);
  engine->add_population<Model>("b", 30);
  engine->add_poisson_group("p", 20, 300.0);
  const float w = drive_weight<Model>();
  const std::string jump(Model::receptors[0].name);
  engine->connect({.name = "p_a", .source = "p", .target = "a", .receptor = jump, .rule = Rule::fixed_probability,
                   .probability = 0.5, .weight = w, .delay_ms = 0.1, .delay_max_ms = 1.0});
  engine->connect({.name = "a_a", .source = "a", .target = "a", .receptor = jump, .rule = Rule::fixed_probability,
                   .probability = 0.2, .weight = 0.5F * w, .delay_ms = 0.1, .delay_max_ms = 1.0});
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
  engine->add_poisson_input({.name = "noise_b", .target = "b", .receptor = jump, .rate_hz = 2000.0, .weight = 0.5F * w});
  engine->add_current({.name = "bias_a", .target = "a", .receptor = "i_ext", .units = {0, 1, 2}, .start_ms = {0.0, 10.0},
                       .amplitudes = {0.5F, 0.0F}});
  // Initial v spread around the model's resting value.
  double rest_v = 0.0;
  if constexpr (std::is_same_v<Model, LifCuba>) rest_v = -65.0;
  if constexpr (std::is_same_v<Model, LifCoba>) rest_v = -55.0;
  if constexpr (std::is_same_v<Model, Izhikevich>) rest_v = -70.0;
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
