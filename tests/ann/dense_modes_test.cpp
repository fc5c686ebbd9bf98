#include <catch2/catch.hpp>

#include "ann/dense_engine.hpp"
#include "ann/graph_quantization.hpp"
#include "core/error.hpp"
#include "tests/ann/ann_test_support.hpp"

using namespace tandem;
using namespace tandem::ann;

namespace {

// in(24) -> h1(20, relu, period 1) -> h2(16, tanh, period 2) ; in + h1 fan-in into 'mix'? No:
// a graph with a fan-in sum: h1 and skip (both 20 wide) feed 'out' (6, identity).
LayerGraph random_graph(std::uint64_t seed, EventKind kind, float threshold) {
  RandomStream random(seed);
  LayerGraph graph;
  graph.add_input("in", 24);
  for (auto layer : {testing::random_layer("h1", {"in"}, 20, 24, random),
                     testing::random_layer("skip", {"in"}, 20, 24, random, ActivationKind::tanh),
                     testing::random_layer("out", {"h1", "skip"}, 6, 20, random, ActivationKind::identity)}) {
    layer.event_kind = kind;
    layer.delta_threshold = threshold;
    if (layer.name == "skip") layer.period_ticks = 2;
    graph.add_layer(std::move(layer));
  }
  graph.finalize();
  return graph;
}

std::vector<Eigen::VectorXf> random_sequence(std::uint64_t seed, std::size_t ticks, double change) {
  RandomStream random(seed);
  std::vector<Eigen::VectorXf> inputs{testing::random_input(24, 0.5, random)};
  while (inputs.size() < ticks) inputs.push_back(testing::perturb(inputs.back(), change, random));
  return inputs;
}

void quantize_on(LayerGraph& graph, const std::vector<Eigen::VectorXf>& inputs, Precision precision = Precision::fixed) {
  Batch calibration;
  calibration["in"] = Eigen::MatrixXf(24, static_cast<Eigen::Index>(inputs.size()));
  for (std::size_t k = 0; k < inputs.size(); ++k) calibration["in"].col(static_cast<Eigen::Index>(k)) = inputs[k];
  quantize(graph, calibration, precision);
}

std::vector<DenseFrame> run(LayerGraph graph, Precision precision, ExecutionMode mode,
                            const std::vector<Eigen::VectorXf>& inputs, DenseEngine** keep = nullptr) {
  static std::unique_ptr<DenseEngine> kept;
  auto engine = std::make_unique<DenseEngine>("ann", std::move(graph), DenseEngineOptions{precision, true});
  engine->reset(testing::context(mode));
  auto frames = testing::drive(*engine, inputs, 0, 1);
  if (keep != nullptr) {
    kept = std::move(engine);
    *keep = kept.get();
  }
  return frames;
}

}  // namespace

TEST_CASE("dense modes: fixed and tianjic always-on, zero-skip and delta(0) are bit-exact", "[ann][modes][fixed]") {
  const auto precision = GENERATE(Precision::fixed, Precision::tianjic);
  INFO("precision " << to_string(precision));
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    const auto inputs = random_sequence(seed * 101, 60, 0.2);
    LayerGraph zero_skip = random_graph(seed, EventKind::zero_skip, 0.0f);
    quantize_on(zero_skip, inputs, precision);
    LayerGraph delta = random_graph(seed, EventKind::delta, 0.0f);
    quantize_on(delta, inputs, precision);
    const auto reference = run(zero_skip, precision, ExecutionMode::always_on, inputs);
    const auto skipped = run(zero_skip, precision, ExecutionMode::event, inputs);
    const auto changed = run(delta, precision, ExecutionMode::event, inputs);
    REQUIRE(reference.size() == inputs.size());
    REQUIRE(skipped.size() == reference.size());
    REQUIRE(changed.size() == reference.size());
    for (std::size_t t = 0; t < reference.size(); ++t) {
      INFO("seed " << seed << " tick " << t);
      CHECK(skipped[t].values == reference[t].values);  // exact equality, element by element
      CHECK(changed[t].values == reference[t].values);
    }
  }
}

TEST_CASE("dense modes: event modes do less work on sparse or slowly changing inputs", "[ann][modes]") {
  const auto inputs = random_sequence(7, 40, 0.05);
  DenseEngine* delta = nullptr;
  run(random_graph(3, EventKind::delta, 0.0f), Precision::float32, ExecutionMode::event, inputs, &delta);
  const auto& node = delta->counters()[1];  // h1
  CHECK(node.executed[Op::mac] < node.always_on[Op::mac] / 4);
  CHECK_FALSE(delta->measures_approximation_error());  // threshold 0: nothing approximated
}

TEST_CASE("dense modes: float zero-skip is identical to always-on", "[ann][modes][float]") {
  // Both accumulate b + w_0 x_0 + w_1 x_1 + … element by element in column order; zero-skip
  // leaves out the terms with x_j == 0, which add an exact zero. So the outputs are equal
  // (== also equates -0 and +0, the only difference skipping can make).
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    const auto inputs = random_sequence(seed * 31, 50, 0.4);
    const LayerGraph graph = random_graph(seed, EventKind::zero_skip, 0.0f);
    const auto always = run(graph, Precision::float32, ExecutionMode::always_on, inputs);
    const auto skip = run(graph, Precision::float32, ExecutionMode::event, inputs);
    REQUIRE(skip.size() == always.size());
    for (std::size_t t = 0; t < inputs.size(); ++t) {
      INFO("seed " << seed << " tick " << t);
      CHECK(skip[t].values == always[t].values);
    }
  }
}

TEST_CASE("dense modes: float always-on agrees with an Eigen product within the rounding bound", "[ann][modes][float]") {
  // The engine's column-order sum and Eigen's GEMV are each within gamma_n (|b| + sum |w x|)
  // of the exact value, gamma_n = n u / (1 - n u), u = 2^-24 (Higham, Accuracy and Stability
  // of Numerical Algorithms, eq. 3.5); their difference is within twice that.
  RandomStream random(9);
  DenseLayerSpec layer = testing::random_layer("lin", {"in"}, 32, 64, random, ActivationKind::identity);
  const Eigen::MatrixXf weight = layer.weight;
  const Eigen::VectorXf bias = layer.bias;
  const LayerGraph graph = sequential("in", 64, {layer});
  std::vector<Eigen::VectorXf> inputs;
  for (int k = 0; k < 30; ++k) inputs.push_back(testing::random_input(64, 0.3, random));
  const auto always = run(graph, Precision::float32, ExecutionMode::always_on, inputs);
  const double u = std::ldexp(1.0, -24);
  const double gamma = 65 * u / (1 - 65 * u);
  for (std::size_t t = 0; t < inputs.size(); ++t) {
    const Eigen::VectorXf eigen = weight * inputs[t] + bias;
    const Eigen::VectorXf magnitude = weight.cwiseAbs() * inputs[t].cwiseAbs() + bias.cwiseAbs();
    for (Eigen::Index i = 0; i < magnitude.size(); ++i) {
      CHECK(std::abs(eigen[i] - always[t].values[i]) <= 2 * gamma * magnitude[i]);
    }
  }
}

TEST_CASE("dense modes: float delta drift is bounded by the periodic exact refresh", "[ann][modes][float]") {
  RandomStream random(13);
  DenseLayerSpec layer = testing::random_layer("lin", {"in"}, 32, 24, random, ActivationKind::identity);
  layer.event_kind = EventKind::delta;
  layer.refresh_runs = 16;
  const LayerGraph graph = sequential("in", 24, {layer});
  const auto inputs = random_sequence(17, 400, 0.3);
  const auto always = run(graph, Precision::float32, ExecutionMode::always_on, inputs);
  const auto delta = run(graph, Precision::float32, ExecutionMode::event, inputs);
  double worst = 0.0;
  for (std::size_t t = 0; t < inputs.size(); ++t) {
    const double error = (delta[t].values - always[t].values).cwiseAbs().maxCoeff();
    worst = std::max(worst, error);
    // Refresh runs recompute W·x + b from the same values with the same kernel: bit-identical.
    if ((t + 1) % 16 == 0) CHECK(delta[t].values == always[t].values);
  }
  // Between refreshes at most 16 runs of accumulated rounding: each run adds at most
  // 2 * gamma_24 * sum|w||dx| <~ 2 * 25 * 2^-24 * 24 * (1/sqrt(24)) * 2 ~ 3e-5, times 16.
  CHECK(worst < 16 * 3e-5);
}

TEST_CASE("dense modes: a delta threshold > 0 approximates and the engine reports the error",
          "[ann][modes][approximation]") {
  const auto inputs = random_sequence(21, 80, 0.3);
  for (const Precision precision : {Precision::float32, Precision::fixed, Precision::tianjic}) {
    INFO("precision " << to_string(precision));
    LayerGraph exact_graph = random_graph(5, EventKind::zero_skip, 0.0f);
    LayerGraph approximate_graph = random_graph(5, EventKind::delta, 0.1f);
    if (precision != Precision::float32) {
      quantize_on(exact_graph, inputs, precision);
      quantize_on(approximate_graph, inputs, precision);
    }
    const auto reference = run(exact_graph, precision, ExecutionMode::always_on, inputs);
    DenseEngine* engine = nullptr;
    const auto approximate = run(approximate_graph, precision, ExecutionMode::event, inputs, &engine);
    REQUIRE(engine->measures_approximation_error());
    double measured = 0.0;
    for (std::size_t t = 0; t < inputs.size(); ++t) {
      measured = std::max(measured, static_cast<double>((approximate[t].values - reference[t].values).cwiseAbs().maxCoeff()));
    }
    CHECK(measured > 0.0);
    // The engine's own figure for the output layer matches an independent always-on run.
    CHECK(engine->approximation_error("out") == Approx(measured).epsilon(1e-3).margin(1e-6));
    CHECK(engine->counters()[1].executed[Op::input_event] < engine->counters()[1].always_on[Op::input_event]);
  }
}
