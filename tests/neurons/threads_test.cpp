// Threads (docs/threads.md): the event engine gives bit-identical spikes, state, counters and
// synaptic events for any thread count, for every neuron model and process model, in both
// execution modes — with per-synapse delays, a same-tick projection (the engine advancing tick by
// tick) or none (in sub-epochs), explicit mixed-sign weights, dense, sparse and large-mean Poisson
// inputs, a Poisson group and a current.
#include <catch2/catch.hpp>

#include <algorithm>

#include "core/worker_pool.hpp"
#include "neurons/model_list.hpp"
#include "tests/neurons/network_fixtures.hpp"

using namespace tandem;
using namespace tandem::neurons;
using tandem::neurons::testing::bit_identical;
using tandem::neurons::testing::drive_weight;
using tandem::neurons::testing::run_engine;
using tandem::neurons::testing::RunResult;

namespace {

using EveryModel = decltype(std::tuple_cat(ModelList{}, IntegerProcessModels{}));

// The integer process models take the float LIF's parameters and weights.
template <typename Model>
float weight_for() {
  if constexpr (requires { Model::precision; }) {
    return drive_weight<Lif>();
  } else {
    return drive_weight<Model>();
  }
}

// How the engine advances (EventEngine::advance): a same-tick projection makes it go tick by tick;
// without one it goes in sub-epochs of the shortest delay, here 3 ticks, delivering each
// sub-epoch's spikes in one pass.
// single_delays: sub-epochs of 6 ticks, and every projection with one delay, so that with several
// threads the rows of every target are shared out whole (EventEngine::deliver_held).
enum class Schedule { tick_by_tick, sub_epochs, single_delays };

// Populations large enough to be split into several 64-neuron-aligned blocks, and one ("c")
// beyond the 4096-neuron chunk of sparse Poisson draws, so that those are split too.
template <typename Model>
std::unique_ptr<EventEngine> threaded_network(Schedule schedule = Schedule::tick_by_tick) {
  const bool ticks = schedule == Schedule::tick_by_tick;
  const bool single = schedule == Schedule::single_delays;
  const double shortest_ms = ticks ? 0.1 : single ? 0.6 : 0.3;
  const double longest_ms = single ? shortest_ms : 1.0;
  auto engine = std::make_unique<EventEngine>("snn", TimeBase(0.1));
  engine->add_population<Model>("a", 700);
  engine->add_population<Model>("b", 450);
  engine->add_poisson_group("p", 200, 300.0);
  engine->add_population<Model>("c", 4500);
  const float w = weight_for<Model>();
  const std::string jump(Model::receptors[0].name);
  const double low = std::is_same_v<Model, LifCoba> ? 0.0 : -1.0;  // never a negative conductance
  engine->connect({.name = "p_a", .source = "p", .target = "a", .receptor = jump, .rule = Rule::fixed_probability,
                   .probability = 0.05, .weight = w, .delay_ms = shortest_ms, .delay_max_ms = longest_ms});
  engine->connect({.name = "a_a", .source = "a", .target = "a", .receptor = jump, .rule = Rule::fixed_probability,
                   .probability = 0.01, .weight = 0.5F * w, .delay_ms = shortest_ms, .delay_max_ms = single ? 0.0 : 1.2});
  engine->connect({.name = "a_b", .source = "a", .target = "b", .receptor = jump, .rule = Rule::fixed_in_degree,
                   .in_degree = 12, .weight = 0.5F * w, .delay_ms = single ? 0.7 : 0.3});
  RandomStream random(99);
  std::vector<ExplicitSynapse> list;
  for (int k = 0; k < 4000; ++k) {
    list.push_back({static_cast<std::uint32_t>(random.below(450)), static_cast<std::uint32_t>(random.below(700)),
                    static_cast<float>(random.uniform(low, 1.0)) * w, shortest_ms + (single ? 0.0 : 0.1 * static_cast<double>(random.below(10)))});
  }
  engine->connect({.name = "b_a", .source = "b", .target = "a", .receptor = jump, .rule = Rule::explicit_list,
                   .synapses = list});
  // Tick by tick: delivered in the tick a spikes (c is stepped after a).
  engine->connect({.name = "a_c", .source = "a", .target = "c", .receptor = jump, .rule = Rule::fixed_probability,
                   .probability = 0.01, .weight = w, .delay_ms = ticks ? 0.0 : shortest_ms, .same_tick = ticks});
  engine->connect({.name = "c_b", .source = "c", .target = "b", .receptor = jump, .rule = Rule::fixed_probability,
                   .probability = 0.002, .weight = static_cast<float>(low) * 0.2F * w + 0.1F * w, .delay_ms = ticks ? 0.2 : single ? 0.9 : 0.4});
  // Dense (mean 0.2 per tick), sparse (mean 0.003) and beyond the sampler's table (mean 40).
  engine->add_poisson_input({.name = "noise_b", .target = "b", .receptor = jump, .rate_hz = 2000.0, .weight = 0.5F * w});
  engine->add_poisson_input({.name = "noise_c", .target = "c", .receptor = jump, .rate_hz = 30.0, .weight = 2.0F * w});
  engine->add_poisson_input({.name = "storm_a", .target = "a", .receptor = jump, .rate_hz = 400000.0, .weight = 0.0005F * w});
  engine->add_current({.name = "bias_a", .target = "a", .receptor = "i_ext", .units = {0, 1, 2, 300, 699},
                       .start_ms = {0.0, 10.0}, .amplitudes = {0.5F, 0.0F}});
  const double rest_v = tandem::neurons::testing::resting_v<Model>();
  engine->population("a").set_initial_uniform("v", rest_v - 0.5, rest_v + 0.5);
  return engine;
}

// Spikes, state, every counter and the synaptic events: the same, bit for bit.
void require_same_run(const RunResult& one, const RunResult& many) {
  REQUIRE(one.spikes.size() == many.spikes.size());
  CHECK(one.spikes.tick == many.spikes.tick);
  CHECK(one.spikes.index == many.spikes.index);
  REQUIRE(one.state.size() == many.state.size());
  for (std::size_t v = 0; v < one.state.size(); ++v) {
    INFO("state array " << v);
    CHECK(bit_identical(one.state[v], many.state[v]));
  }
  REQUIRE(one.counters.size() == many.counters.size());
  for (std::size_t n = 0; n < one.counters.size(); ++n) {
    INFO(one.counters[n].node);
    CHECK(one.counters[n].executed == many.counters[n].executed);
    CHECK(one.counters[n].always_on == many.counters[n].always_on);
  }
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("threads: 1, 2 and 3 threads give bit-identical spikes, state and counters",
                        "[neurons][threads][equivalence]", EveryModel) {
  const ExecutionMode mode = GENERATE(ExecutionMode::event, ExecutionMode::always_on);
  const Schedule schedule = GENERATE(Schedule::tick_by_tick, Schedule::sub_epochs, Schedule::single_delays);
  INFO((mode == ExecutionMode::event ? "event" : "always-on") << " mode, "
       << (schedule == Schedule::tick_by_tick ? "tick by tick" : schedule == Schedule::sub_epochs ? "in sub-epochs" : "single delays"));
  auto engine = threaded_network<TestType>(schedule);
  constexpr Tick ticks = 300;
  const RunResult one = run_engine(*engine, ticks, 5, mode);
  const std::uint64_t one_events = engine->delivered_synaptic_events();
  // The comparison means something only when every population fired (spikes are indexed
  // port << 24: a = 0, b = 1, p = 2, c = 3) and synapses carried them.
  std::array<std::size_t, 4> per_port{};
  for (const std::uint32_t index : one.spikes.index) ++per_port[index >> 24];
  if constexpr (!std::is_same_v<TestType, Li>) {
    CHECK(per_port[0] > 10);
    CHECK(per_port[1] > 10);
    CHECK(per_port[3] > 10);
  }
  CHECK(one_events > 1000);
  for (const std::size_t threads : {2, 3}) {
    // Every loop split however small (the partition must change nothing), and the thresholds of
    // real runs (which split only the larger loops here).
    for (const bool split_small_work : {true, false}) {
      INFO(threads << " threads" << (split_small_work ? ", every loop split" : ""));
      WorkerPool workers(threads, split_small_work);
      const RunResult many = run_engine(*engine, ticks, 5, mode, 7, {}, &workers);
      require_same_run(one, many);
      CHECK(engine->delivered_synaptic_events() == one_events);
    }
  }
  // Back to one thread after threaded runs: still the same run.
  require_same_run(one, run_engine(*engine, ticks, 5, mode));
}

TEST_CASE("threads: another seed gives another run at any thread count", "[neurons][threads]") {
  // Guards the comparison above against a run that ignores its random streams.
  auto engine = threaded_network<Lif>();
  WorkerPool workers(2, true);
  const RunResult first = run_engine(*engine, 200, 5, ExecutionMode::event, 7, {}, &workers);
  const RunResult other = run_engine(*engine, 200, 6, ExecutionMode::event, 7, {}, &workers);
  CHECK(first.spikes.index != other.spikes.index);
}

TEMPLATE_LIST_TEST_CASE("threads: sub-epochs give the run that tick-by-tick delivery gives",
                        "[neurons][threads][equivalence]", EveryModel) {
  // The same network twice: as is (sub-epochs of 3 or 6 ticks, each delivered in one pass after
  // its ticks), and with one more projection of weight 0 that is same-tick, which makes the engine
  // deliver every population's spikes right after it steps. Adding +0.0 changes no value, so
  // spikes, state and every other node's counters must be the same.
  const ExecutionMode mode = GENERATE(ExecutionMode::event, ExecutionMode::always_on);
  const Schedule schedule = GENERATE(Schedule::sub_epochs, Schedule::single_delays);
  INFO((mode == ExecutionMode::event ? "event" : "always-on") << " mode, "
       << (schedule == Schedule::sub_epochs ? "rows shared by target blocks" : "rows shared out whole"));
  auto in_sub_epochs = threaded_network<TestType>(schedule);
  auto tick_by_tick = threaded_network<TestType>(schedule);
  tick_by_tick->connect({.name = "zero", .source = "a", .target = "c", .receptor = std::string(TestType::receptors[0].name),
                         .rule = Rule::fixed_probability, .probability = 0.05, .weight = 0.0F, .same_tick = true});
  constexpr Tick ticks = 300;
  WorkerPool workers(2, true);
  const RunResult grouped = run_engine(*in_sub_epochs, ticks, 5, mode, 7, {}, &workers);
  RunResult stepped = run_engine(*tick_by_tick, ticks, 5, mode);
  CHECK(grouped.spikes.size() > 100);
  const auto zero = std::find_if(stepped.counters.begin(), stepped.counters.end(), [](const NodeCounters& node) { return node.node == "zero"; });
  REQUIRE(zero != stepped.counters.end());
  stepped.counters.erase(zero);
  require_same_run(grouped, stepped);
}

TEST_CASE("threads: convolutions delivered by target blocks give the run of one thread", "[neurons][threads][equivalence]") {
  // A spiking CNN: input (2x12x12, Poisson driven) -> 3x3 convolution, stride 1, padding 1, two
  // groups -> LIF (4x12x12) -> 2x2 average pooling (a convolution too) -> LIF (4x6x6), which also
  // receives a sparse random projection, so that one target takes a convolution and CSR rows.
  const ExecutionMode mode = GENERATE(ExecutionMode::event, ExecutionMode::always_on);
  INFO((mode == ExecutionMode::event ? "event" : "always-on") << " mode");
  auto engine = std::make_unique<EventEngine>("cnn", TimeBase(1.0));
  engine->add_population<Lif>("in", 2 * 12 * 12);
  engine->add_population<Lif>("c1", 4 * 12 * 12);
  engine->add_population<Lif>("p1", 4 * 6 * 6);
  engine->add_poisson_input({.name = "drive", .target = "in", .receptor = "v", .rate_hz = 150.0, .weight = 20.0F});
  const ConvolutionShape conv{.in_channels = 2, .in_height = 12, .in_width = 12, .out_channels = 4, .kernel_height = 3,
                              .kernel_width = 3, .padding_height = 1, .padding_width = 1, .groups = 2};
  RandomStream random(3);
  std::vector<float> kernel(4 * 1 * 3 * 3);
  for (float& w : kernel) w = static_cast<float>(random.uniform(-4.0, 12.0));
  engine->connect(make_convolution_projection("conv", "in", "c1", "v", conv, kernel, 1.0));
  engine->connect(make_pooling_projection("pool", "c1", "p1", "v", pooling_shape(4, 12, 12, 2, 2, 2, 2, 0, 0, "pool"),
                                          PoolKind::average, 1.0));
  engine->connect({.name = "side", .source = "in", .target = "p1", .receptor = "v", .rule = Rule::fixed_probability,
                   .probability = 0.05, .weight = 3.0F, .delay_ms = 2.0});
  constexpr Tick ticks = 120;
  const RunResult one = run_engine(*engine, ticks, 5, mode);
  const std::uint64_t one_events = engine->delivered_synaptic_events();
  CHECK(one.spikes.size() > 200);
  CHECK(one_events > 1000);
  for (const std::size_t threads : {2, 3}) {
    for (const bool split_small_work : {true, false}) {
      INFO(threads << " threads" << (split_small_work ? ", every loop split" : ""));
      WorkerPool workers(threads, split_small_work);
      require_same_run(one, run_engine(*engine, ticks, 5, mode, 7, {}, &workers));
      CHECK(engine->delivered_synaptic_events() == one_events);
    }
  }
}
