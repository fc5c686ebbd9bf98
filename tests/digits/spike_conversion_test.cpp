// Threshold balancing (examples/digits/spike_conversion.hpp) on hand-checkable numbers, and the
// converted digits networks against their ANN on shipped test images.
#include <catch2/catch.hpp>

#include "ann/dense_layer.hpp"
#include "core/error.hpp"
#include "core/simulation.hpp"
#include "examples/digits/digits_data.hpp"
#include "examples/digits/digits_networks.hpp"
#include "examples/digits/spike_conversion.hpp"

using namespace tandem;
using namespace tandem::examples;

TEST_CASE("digits conversion: the percentile of positive activations interpolates as numpy does",
          "[digits][conversion]") {
  Eigen::MatrixXf values(2, 3);
  values << 0.0F, -1.0F, 1.0F, 2.0F, 3.0F, 4.0F;  // positive: 1 2 3 4
  // numpy.percentile([1, 2, 3, 4], p): rank p/100 * 3
  CHECK(positive_percentile(values, 50.0) == Approx(2.5));
  CHECK(positive_percentile(values, 100.0) == Approx(4.0));
  CHECK(positive_percentile(values, 99.9) == Approx(3.997));
  CHECK(positive_percentile(values, 1e-9) == Approx(1.0));
  // A layer that never fires keeps its weights.
  CHECK(positive_percentile(Eigen::MatrixXf::Zero(3, 3), 99.9) == 1.0);
  CHECK_THROWS_AS(positive_percentile(values, 0.0), InputError);
  CHECK_THROWS_AS(positive_percentile(values, 100.5), InputError);
}

TEST_CASE("digits conversion: lambdas, weight scales and readout scale of a ReLU chain", "[digits][conversion]") {
  // x -> h1 = relu(2 x) -> h2 = relu(3 h1) -> out = h2: on inputs 0.1 … 1.0 the maxima are 2 and 6.
  ann::LayerGraph graph;
  graph.add_input("x", 1);
  auto h1 = ann::make_dense_layer("h1", {"x"}, 1, 1, {2.0F}, {0.0F});
  auto h2 = ann::make_dense_layer("h2", {"h1"}, 1, 1, {3.0F}, {0.0F});
  h1.activation.kind = h2.activation.kind = ann::ActivationKind::relu;
  graph.add_layer(h1);
  graph.add_layer(h2);
  graph.add_layer(ann::make_dense_layer("out", {"h2"}, 1, 1, {1.0F}, {0.0F}));
  graph.finalize();
  Eigen::MatrixXf x(1, 10);
  for (int k = 0; k < 10; ++k) x(0, k) = 0.1F * static_cast<float>(k + 1);
  const ThresholdBalance balance = balance_thresholds(graph, {{"x", x}}, {"h1", "h2"}, 100.0);
  REQUIRE(balance.lambdas.size() == 2);
  CHECK(balance.lambdas[0] == Approx(2.0));
  CHECK(balance.lambdas[1] == Approx(6.0));
  CHECK(balance.weight_scales[0] == Approx(1.0 / 2.0));  // lambda_0 = 1 (inputs are rates)
  CHECK(balance.weight_scales[1] == Approx(2.0 / 6.0));
  CHECK(balance.readout_scale == Approx(6.0));
  // Balanced, the largest calibration activation of each layer is exactly the threshold 1.
  CHECK(2.0 * 1.0 * balance.weight_scales[0] == Approx(1.0));
  CHECK(3.0 * 1.0 * balance.weight_scales[1] == Approx(1.0));
  CHECK_THROWS_WITH(balance_thresholds(graph, {{"x", x}}, {"out"}, 99.9), Catch::Contains("not a ReLU layer"));
  CHECK_THROWS_AS(balance_thresholds(graph, {{"x", x}}, {"nope"}, 99.9), InputError);
}

namespace {

std::size_t decide(const DigitModels& models, const DigitRunSpec& spec, const Eigen::VectorXf& image,
                   ExecutionMode mode = ExecutionMode::event) {
  Simulation simulation({.time = TimeBase{1.0}, .seed = 1, .mode = mode});
  const Tick ticks = build_digit_inference(simulation, models, spec);
  simulation.build();
  queue_digit_image(simulation, spec, image);
  simulation.run(ticks);
  return digit_decision(simulation, spec);
}

std::size_t argmax(const Eigen::VectorXf& v) {
  Eigen::Index best = 0;
  v.maxCoeff(&best);
  return static_cast<std::size_t>(best);
}

}  // namespace

TEST_CASE("digits conversion: at T = 64 the SNN and the hybrid decide as the float ANN on shipped test images",
          "[digits][conversion]") {
  const DigitData data = load_digit_data(shipped_digit_data_path());
  const DigitWeights weights = load_digit_weights(shipped_digit_weights_path());
  const DigitSet test = data.test.first(30);
  for (const DigitArchitecture architecture : {DigitArchitecture::mlp, DigitArchitecture::cnn}) {
    const DigitModels models = prepare_digit_models(architecture, weights, data.train);
    // Balanced on the training split: at most 0.1 % of the first layer's positive activations
    // exceed its lambda (the 99.9th percentile), i.e. would saturate a neuron at one spike per tick.
    const ann::Batch hidden = models.graph.forward({{digit_names::input, data.train.images}});
    const Eigen::MatrixXf& a = hidden.at(models.balance.layers.front());
    const auto positive = (a.array() > 0.0F).count();
    const auto above = (a.array() > static_cast<float>(models.balance.lambdas.front())).count();
    CHECK(static_cast<double>(above) <= 0.001 * static_cast<double>(positive) + 1.0);

    const Eigen::MatrixXf logits = models.graph.forward({{digit_names::input, test.images}}).at(digit_names::readout);
    std::size_t snn_agrees = 0;
    for (std::size_t n = 0; n < test.size(); ++n) {
      const Eigen::VectorXf image = test.images.col(static_cast<Eigen::Index>(n));
      const std::size_t ann = argmax(logits.col(static_cast<Eigen::Index>(n)));
      CHECK(decide(models, {DigitVariant::ann, Precision::float32, 0}, image) == ann);
      const std::size_t snn = decide(models, {DigitVariant::snn, Precision::float32, 64}, image);
      snn_agrees += snn == ann ? 1U : 0U;
      // The hybrid's head computes the readout's linear map on the same spike counts.
      CHECK(decide(models, {DigitVariant::hybrid, Precision::float32, 64}, image) == snn);
      CHECK(decide(models, {DigitVariant::snn, Precision::float32, 8}, image, ExecutionMode::always_on) ==
            decide(models, {DigitVariant::snn, Precision::float32, 8}, image));
    }
    INFO(to_string(architecture) << ": SNN at T = 64 agrees with the ANN on " << snn_agrees << " of " << test.size());
    CHECK(snn_agrees + 1 >= test.size());
  }
}

TEST_CASE("digits data: missing files and wrong shapes are InputErrors naming the file", "[digits][data]") {
  CHECK_THROWS_WITH(load_digit_data("/nonexistent/data.h5"), Catch::Contains("/nonexistent/data.h5") &&
                                                                   Catch::Contains("train.py"));
  // The weights file is not a data file: its datasets are missing.
  CHECK_THROWS_WITH(load_digit_data(shipped_digit_weights_path()), Catch::Contains("missing dataset /train/images"));
  CHECK_THROWS_WITH(load_digit_weights(shipped_digit_data_path()), Catch::Contains("missing dataset /mlp/fc1/weight"));
}
