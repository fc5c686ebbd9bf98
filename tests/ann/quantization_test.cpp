#include <catch2/catch.hpp>

#include "ann/graph_quantization.hpp"
#include "core/error.hpp"
#include "tests/ann/ann_test_support.hpp"

using namespace tandem;
using namespace tandem::ann;

TEST_CASE("quantization: weights round-trip within half a step", "[ann][quantization]") {
  RandomStream random(3);
  const DenseLayerSpec layer = testing::random_layer("l", {"in"}, 16, 32, random);
  const LayerQuantization q = quantize_layer(layer.weight, layer.bias, layer.activation, 0.01f, 0.02f, 0.02f, "l");
  CHECK(q.weight_scale == Approx(layer.weight.cwiseAbs().maxCoeff() / 127.0f));
  const Eigen::MatrixXf back = q.weight.cast<float>() * q.weight_scale;
  CHECK((back - layer.weight).cwiseAbs().maxCoeff() <= 0.5f * q.weight_scale * 1.0001f);
  CHECK(q.weight.cast<int>().cwiseAbs().maxCoeff() == 127);  // the largest weight maps to 127
  const double accumulator_scale = 0.01 * static_cast<double>(q.weight_scale);
  for (Eigen::Index i = 0; i < layer.bias.size(); ++i) {
    CHECK(std::abs(q.bias[static_cast<std::size_t>(i)] * accumulator_scale - layer.bias[i]) <= 0.5 * accumulator_scale + 1e-9);
  }
  // ReLU table: pre-activation and output share the scale, so the table is max(q, 0).
  CHECK(q.activate(-5) == 0);
  CHECK(q.activate(77) == 77);
}

TEST_CASE("quantization: graph error against float is reported and within the step bound", "[ann][quantization]") {
  RandomStream random(11);
  LayerGraph graph = sequential("in", 64,
                                {testing::random_layer("h", {}, 32, 64, random),
                                 testing::random_layer("out", {}, 8, 32, random, ActivationKind::identity)});
  Batch calibration;
  calibration["in"] = Eigen::MatrixXf(64, 50);
  for (Eigen::Index s = 0; s < 50; ++s) calibration["in"].col(s) = testing::random_input(64, 0.5, random);
  const QuantizationReport report = quantize(graph, calibration);
  REQUIRE(report.layers.size() == 2);
  const auto& h = graph.layer("h");
  const LayerQuantization& q = *h.quantization;
  // First layer, per output: |error| <= rounding of inputs (n * |w| * s_in / 2), of weights
  // (n * |x| * s_w / 2), their product, bias rounding, plus the output rounding (s_out / 2 twice:
  // requantisation to the pre-activation and the table). A loose but independent bound:
  const double n = 64;
  const double bound = n * (0.5 * q.input_scale * h.weight.cwiseAbs().maxCoeff() + 0.5 * q.weight_scale * 1.0 +
                            0.25 * q.input_scale * q.weight_scale) +
                       q.pre_scale + q.output_scale;
  const ErrorStats& error = report.of("h");
  CHECK(error.max_abs > 0.0);  // int8 is not exact on random data
  CHECK(error.max_abs <= bound);
  CHECK(error.rms <= error.max_abs);
  CHECK(error.count == 32 * 50);
  // The last layer's error relative to its output range stays modest (int8: 1/127 per step).
  const Batch reference = graph.forward(calibration);
  const double range = reference.at("out").cwiseAbs().maxCoeff();
  CHECK(report.of("out").rms <= 0.05 * range);
  CHECK_THROWS_AS(report.of("nope"), InputError);
}

TEST_CASE("quantization: sources summed by a layer share one scale", "[ann][quantization]") {
  RandomStream random(5);
  LayerGraph graph;
  graph.add_input("a", 8);
  graph.add_input("b", 8);
  graph.add_layer(testing::random_layer("sum", {"a", "b"}, 4, 8, random));
  graph.finalize();
  Batch calibration;
  calibration["a"] = Eigen::MatrixXf::Constant(8, 2, 0.5f);
  calibration["b"] = Eigen::MatrixXf::Constant(8, 2, 2.0f);
  quantize(graph, calibration);
  CHECK(graph.inputs()[0].scale == graph.inputs()[1].scale);
  CHECK(graph.inputs()[0].scale == Approx(2.0f / 127.0f));
}

TEST_CASE("quantization: bad scales and too large fan-in are input errors", "[ann][quantization]") {
  const Eigen::MatrixXf w = Eigen::MatrixXf::Ones(2, 2);
  const Eigen::VectorXf b = Eigen::VectorXf::Zero(2);
  CHECK_THROWS_WITH(quantize_layer(w, b, {}, 0.0f, 1.0f, 1.0f, "layer 'x'"),
                    Catch::Contains("layer 'x'") && Catch::Contains("input scale"));
  CHECK_THROWS_WITH(quantize_layer(w, b, {}, 1.0f, std::nanf(""), 1.0f, "layer 'x'"), Catch::Contains("pre-activation"));
  const Eigen::MatrixXf wide = Eigen::MatrixXf::Ones(1, static_cast<Eigen::Index>(max_fixed_point_fan_in + 1));
  CHECK_THROWS_WITH(quantize_layer(wide, Eigen::VectorXf::Zero(1), {}, 1.0f, 1.0f, 1.0f, "layer 'x'"),
                    Catch::Contains("fan-in"));
}
