// Hybrid networks (spiking populations, bridge units, a dense MLP at its own period, a recurrent
// loop) give bit-identical spikes, dense frames and final state in event and always-on modes.
#include <catch2/catch.hpp>
#include <cstring>

#include "core/error.hpp"
#include "core/memory_recorder.hpp"
#include "tests/equivalence/hybrid_network.hpp"

namespace tandem {
namespace {

using testing::HybridShape;

constexpr Tick run_ticks = 300;

struct HybridRun {
  MemoryRecorder recorder;
  std::vector<std::vector<float>> final_v;           // sensory, motor, delta
  std::vector<Eigen::VectorXf> final_activations;  // hidden, out
  std::uint64_t synaptic_ops = 0;
  std::uint64_t macs = 0;
  std::vector<NodeCounters> counters;  // every node of every engine
};

// `threads` > 1: a pool that splits every loop however small (the partition must change nothing).
std::unique_ptr<HybridRun> run_hybrid(const HybridShape& shape, ExecutionMode mode, std::size_t threads = 1) {
  auto run = std::make_unique<HybridRun>();
  Simulation sim({.time = TimeBase{1.0}, .seed = shape.seed, .mode = mode, .threads = threads, .split_small_work = true});
  testing::build_hybrid(sim, shape);
  sim.set_recorder(&run->recorder);
  testing::probe_hybrid(sim);
  sim.run(run_ticks / 2);
  sim.run(run_ticks - run_ticks / 2);  // a continued run is the same run
  const auto& snn = dynamic_cast<const neurons::EventEngine&>(sim.engine(testing::snn_engine));
  for (const char* pop : {"sensory", "motor", "delta"}) {
    const neurons::PopulationBase& population = snn.population(pop);
    const auto v = population.values(population.variable_index("v"));
    run->final_v.emplace_back(v.begin(), v.end());
  }
  const auto& mlp = dynamic_cast<const ann::DenseEngine&>(sim.engine(testing::mlp_engine));
  for (const char* layer : {"hidden", "out"}) run->final_activations.push_back(mlp.output(layer));
  run->counters = sim.counters();
  for (const NodeCounters& node : run->counters) {
    run->synaptic_ops += node.executed[Op::synaptic_op];
    run->macs += node.executed[Op::mac];
  }
  return run;
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

std::size_t spike_count(const MemoryRecorder& recorder, const std::string& pop) {
  return recorder.stream("/snn/" + pop + "/spikes/tick").samples();
}

// Every recorded stream, every final value: bit for bit.
void require_identical(const HybridRun& event, const HybridRun& always_on) {
  REQUIRE(event.recorder.streams().size() == always_on.recorder.streams().size());
  for (const auto& stream : event.recorder.streams()) {
    INFO("stream " << stream.spec.path);
    const auto& other = always_on.recorder.stream(stream.spec.path);
    CHECK(stream.samples() == other.samples());
    CHECK(same_bits(stream.values, other.values));
  }
  for (std::size_t p = 0; p < event.final_v.size(); ++p) {
    REQUIRE(event.final_v[p].size() == always_on.final_v[p].size());
    CHECK(std::memcmp(event.final_v[p].data(), always_on.final_v[p].data(), event.final_v[p].size() * sizeof(float)) == 0);
  }
  for (std::size_t l = 0; l < event.final_activations.size(); ++l) {
    const auto& a = event.final_activations[l];
    const auto& b = always_on.final_activations[l];
    REQUIRE(a.size() == b.size());
    CHECK(std::memcmp(a.data(), b.data(), static_cast<std::size_t>(a.size()) * sizeof(float)) == 0);
  }
}

}  // namespace

TEST_CASE("hybrid: event and always-on give bit-identical spikes, frames and state", "[equivalence][hybrid]") {
  const auto precision = GENERATE(Precision::float32, Precision::fixed);
  const auto [inputs, hidden] = GENERATE(std::pair<std::size_t, std::size_t>{4, 3}, std::pair<std::size_t, std::size_t>{16, 8},
                                         std::pair<std::size_t, std::size_t>{60, 24});
  const std::uint64_t seed = GENERATE(1U, 7U, 2024U);
  const HybridShape shape{.inputs = inputs, .hidden = hidden, .seed = seed, .precision = precision};
  INFO("inputs " << inputs << ", hidden " << hidden << ", seed " << seed << ", "
                 << (precision == Precision::float32 ? "float32" : "fixed point"));
  const auto event = run_hybrid(shape, ExecutionMode::event);
  const auto always_on = run_hybrid(shape, ExecutionMode::always_on);

  // The comparison means something only if every path carried traffic.
  for (const char* pop : {"sensory", "motor", "delta"}) {
    INFO("population " << pop);
    CHECK(spike_count(event->recorder, pop) > 0);
  }
  CHECK(event->recorder.stream("/bridge/rate/spikes/tick").samples() > 0);
  CHECK(event->recorder.stream("/bridge/delta_enc/spikes/tick").samples() > 0);
  const auto& activations = event->recorder.stream("/ann/out/activations").values;
  CHECK(std::any_of(activations.begin(), activations.end(), [](double x) { return x > 0.0; }));

  require_identical(*event, *always_on);
  // … while the event run did less work.
  CHECK(event->synaptic_ops < always_on->synaptic_ops);
  CHECK(event->macs <= always_on->macs);
}

TEST_CASE("hybrid: 1, 2 and 3 threads give bit-identical spikes, frames, state and counters", "[equivalence][hybrid][threads]") {
  const auto precision = GENERATE(Precision::float32, Precision::fixed);
  const auto mode = GENERATE(ExecutionMode::event, ExecutionMode::always_on);
  // 200 sensory neurons: split into 64-neuron-aligned blocks; the MLP and bridge as they are.
  const HybridShape shape{.inputs = 200, .hidden = 24, .seed = 5, .precision = precision};
  INFO((precision == Precision::float32 ? "float32" : "fixed point") << ", " << to_string(mode));
  const auto one = run_hybrid(shape, mode);
  for (const char* pop : {"sensory", "motor", "delta"}) {
    INFO("population " << pop);
    CHECK(spike_count(one->recorder, pop) > 0);
  }
  for (const std::size_t threads : {2, 3}) {
    INFO(threads << " threads");
    const auto many = run_hybrid(shape, mode, threads);
    require_identical(*one, *many);
    REQUIRE(one->counters.size() == many->counters.size());
    for (std::size_t n = 0; n < one->counters.size(); ++n) {
      INFO(one->counters[n].node);
      CHECK(one->counters[n].executed == many->counters[n].executed);
      CHECK(one->counters[n].always_on == many->counters[n].always_on);
    }
  }
}

TEST_CASE("hybrid: the same seed gives the same run, another seed another run", "[equivalence][hybrid]") {
  const HybridShape shape{.inputs = 12, .hidden = 6, .seed = 3};
  const auto first = run_hybrid(shape, ExecutionMode::event);
  const auto again = run_hybrid(shape, ExecutionMode::event);
  require_identical(*first, *again);
  HybridShape other = shape;
  other.seed = 4;
  const auto different = run_hybrid(other, ExecutionMode::event);
  CHECK_FALSE(same_bits(first->recorder.stream("/snn/sensory/spikes/tick").values,
                        different->recorder.stream("/snn/sensory/spikes/tick").values));
}

TEST_CASE("hybrid: the MLP runs every window on the decoder's spike counts", "[equivalence][hybrid]") {
  // Independent check of the dense timing: the decoder's frame of window [kW, (k+1)W) is
  // emitted at (k+1)W - 1, arrives at (k+1)W and the MLP's float32 forward pass on it is
  // recorded at (k+1)W.
  const HybridShape shape{.inputs = 10, .hidden = 5, .seed = 11};
  const auto run = run_hybrid(shape, ExecutionMode::event);
  const auto& counts = run->recorder.stream("/bridge/count/out");
  const auto& count_ticks = run->recorder.stream("/bridge/count/tick");
  const auto& out = run->recorder.stream("/ann/out/activations");
  const auto& out_ticks = run->recorder.stream("/ann/out/tick");
  const ann::LayerGraph graph = testing::hybrid_mlp(shape);
  const auto n = static_cast<Eigen::Index>(shape.inputs);
  std::size_t checked = 0;
  for (Tick t = shape.window_ticks; t < run_ticks; t += shape.window_ticks) {
    // The decoder's output held at tick t - 1 (its frame of that tick).
    const auto row = static_cast<std::size_t>(t - 1);
    REQUIRE(count_ticks.values.at(row) == static_cast<double>(t - 1));
    ann::Batch input;
    input["counts"] = Eigen::MatrixXf(n, 1);
    for (Eigen::Index i = 0; i < n; ++i) {
      input["counts"](i, 0) = static_cast<float>(counts.values.at(row * shape.inputs + static_cast<std::size_t>(i)));
    }
    const Eigen::MatrixXf expected = graph.forward(input).at("out");
    const auto out_row = static_cast<std::size_t>(t);
    REQUIRE(out_ticks.values.at(out_row) == static_cast<double>(t));
    for (Eigen::Index i = 0; i < n; ++i) {
      CHECK(out.values.at(out_row * shape.inputs + static_cast<std::size_t>(i)) == Approx(expected(i, 0)).margin(1e-5));
    }
    ++checked;
  }
  CHECK(checked == static_cast<std::size_t>(run_ticks / shape.window_ticks - 1));
}

TEST_CASE("hybrid: wiring errors name the wire", "[equivalence][hybrid]") {
  const HybridShape shape{.inputs = 6, .hidden = 4};
  Simulation sim({.time = TimeBase{1.0}, .seed = 1});
  testing::build_hybrid(sim, shape);
  SECTION("kind mismatch: dense frames into a spike port") {
    sim.connect({{"bridge", "count.out"}, {"snn", "feedback"}, 1});
    REQUIRE_THROWS_WITH(sim.build(), Catch::Contains("wire bridge.count.out -> snn.feedback") && Catch::Contains("dense"));
  }
  SECTION("width mismatch: 2N delta spikes into an N-wide port") {
    sim.connect({{"bridge", "delta_enc.out"}, {"snn", "rate_in"}, 1});
    REQUIRE_THROWS_WITH(sim.build(), Catch::Contains("wire bridge.delta_enc.out -> snn.rate_in") &&
                                         Catch::Contains("width mismatch") && Catch::Contains("12"));
  }
  SECTION("a loop without latency") {
    sim.connect({{"snn", "motor.spikes"}, {"snn", "feedback"}, 0});
    REQUIRE_THROWS_WITH(sim.build(), Catch::Contains("wire snn.motor.spikes -> snn.feedback") && Catch::Contains("latency"));
  }
  SECTION("an unknown port") {
    sim.connect({{"mlp", "hidden.out"}, {"bridge", "rate.in"}, 1});
    REQUIRE_THROWS_WITH(sim.build(), Catch::Contains("wire mlp.hidden.out -> bridge.rate.in") && Catch::Contains("hidden.out"));
  }
  SECTION("the network as built is valid") { REQUIRE_NOTHROW(sim.build()); }
}

}  // namespace tandem
