// Dense layers in tianjic precision (docs/precision-dense.md): outputs against a plain-loop
// re-implementation of primitives 04 + 06/05/07, event modes against always-on, the
// bit_shift_num rule, and the refused cases.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "ann/dense_engine.hpp"
#include "ann/graph_quantization.hpp"
#include "core/error.hpp"
#include "tests/ann/ann_test_support.hpp"

using namespace tandem;
using namespace tandem::ann;
using Catch::Matchers::Contains;

namespace {

// One chain in -> layer with float weights, calibrated on `samples` inputs uniform in [-1, 1].
LayerGraph calibrated_layer(std::size_t outputs, std::size_t inputs, ActivationKind activation, std::uint64_t seed,
                            EventKind kind = EventKind::zero_skip) {
  RandomStream random(seed);
  DenseLayerSpec layer = testing::random_layer("L", {"in"}, outputs, inputs, random, activation);
  layer.event_kind = kind;
  LayerGraph graph = sequential("in", inputs, {std::move(layer)});
  Batch calibration;
  calibration["in"] = Eigen::MatrixXf(static_cast<Eigen::Index>(inputs), 64);
  for (Eigen::Index k = 0; k < calibration["in"].size(); ++k) {
    calibration["in"].data()[k] = static_cast<float>(random.uniform(-1.0, 1.0));
  }
  quantize(graph, calibration, Precision::tianjic);
  return graph;
}

// The chip, written out: int8 x and W, bias, then per MAC in input order an int32 saturation;
// floor(acc / 4^bsn) clipped to [-128, 127]; identity as is, ReLU max(0, ·), anything else the
// activation at the int8 grid point, rounded to the output scale.
std::vector<std::int32_t> reference_layer(const LayerQuantization& q, const Activation& activation,
                                          const std::vector<std::int8_t>& x) {
  const auto rows = static_cast<std::size_t>(q.weight.rows());
  const std::int64_t divisor = std::int64_t{1} << (2 * q.bit_shift_num);
  std::vector<std::int32_t> y(rows);
  for (std::size_t o = 0; o < rows; ++o) {
    std::int64_t acc = q.bias[o];
    for (std::size_t r = 0; r < x.size(); ++r) {
      acc += static_cast<std::int64_t>(q.weight(static_cast<Eigen::Index>(o), static_cast<Eigen::Index>(r))) * x[r];
      acc = std::clamp<std::int64_t>(acc, INT32_MIN, INT32_MAX);
    }
    std::int64_t floor_quotient = acc / divisor;
    if (acc % divisor != 0 && acc < 0) --floor_quotient;
    const std::int64_t pre = std::clamp<std::int64_t>(floor_quotient, -128, 127);
    if (activation.kind == ActivationKind::identity) {
      y[o] = static_cast<std::int32_t>(pre);
    } else if (activation.kind == ActivationKind::relu) {
      y[o] = static_cast<std::int32_t>(std::max<std::int64_t>(pre, 0));
    } else {
      const double value = static_cast<double>(activate(activation, static_cast<float>(pre) * q.pre_scale)) /
                           static_cast<double>(q.output_scale);
      y[o] = static_cast<std::int32_t>(std::clamp(std::round(value), -127.0, 127.0));
    }
  }
  return y;
}

// The largest |output| of the graph's layer "L" in float32 on `inputs`.
float graph_range(const LayerGraph& graph, const Batch& inputs) { return graph.forward(inputs).at("L").cwiseAbs().maxCoeff(); }

}  // namespace

TEST_CASE("tianjic dense: outputs equal a plain-loop re-implementation of the chip", "[ann][tianjic]") {
  const auto activation = GENERATE(ActivationKind::identity, ActivationKind::relu, ActivationKind::tanh,
                                   ActivationKind::sigmoid);
  struct Shape {
    std::size_t outputs, inputs;
  };
  const auto shape = GENERATE(Shape{1, 1}, Shape{5, 3}, Shape{17, 33}, Shape{40, 300});
  INFO(to_string(activation) << " " << shape.outputs << "x" << shape.inputs);
  LayerGraph graph = calibrated_layer(shape.outputs, shape.inputs, activation, 7 + shape.inputs);
  DenseLayerSpec& spec = graph.layer("L");
  LayerQuantization& q = *spec.quantization;
  CHECK(q.arithmetic == Precision::tianjic);
  CHECK(q.tianjic_soma == (activation == ActivationKind::identity ? TianjicSoma::cut
                           : activation == ActivationKind::relu   ? TianjicSoma::compare
                                                                  : TianjicSoma::lookup));
  // The whole int8 range, -128 included (a cut layer's outputs reach it), for weights too.
  q.weight(0, 0) = -128;
  LayerRuntime runtime(spec, Precision::tianjic);
  RandomStream random(99);
  OpCounts executed;
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<std::int8_t> x(shape.inputs);
    for (auto& value : x) value = static_cast<std::int8_t>(static_cast<int>(random.below(256)) - 128);
    if (trial == 0) std::fill(x.begin(), x.end(), std::int8_t{-128});
    runtime.run(std::span<const std::int8_t>(x), ExecutionMode::always_on, executed);
    const auto expected = reference_layer(q, spec.activation, x);
    for (std::size_t o = 0; o < shape.outputs; ++o) {
      INFO("trial " << trial << " output " << o);
      REQUIRE(static_cast<std::int32_t>(runtime.output_q()[o]) == expected[o]);
      REQUIRE(runtime.output()[static_cast<Eigen::Index>(o)] == static_cast<float>(expected[o]) * q.output_scale);
    }
  }
  // Counted like fixed point: every MAC, one activation per output, int8 weight bytes.
  CHECK(executed[Op::mac] == 20 * shape.outputs * shape.inputs);
  CHECK(executed[Op::activation] == 20 * shape.outputs);
  CHECK(runtime.weight_bytes() == shape.outputs * shape.inputs);
}

TEST_CASE("tianjic dense: zero-skip and delta are bit-identical to always-on", "[ann][tianjic][modes]") {
  const auto activation = GENERATE(ActivationKind::identity, ActivationKind::relu, ActivationKind::sigmoid);
  INFO(to_string(activation));
  RandomStream random(5);
  std::vector<Eigen::VectorXf> inputs{testing::random_input(30, 0.4, random)};
  while (inputs.size() < 50) inputs.push_back(testing::perturb(inputs.back(), 0.2, random));
  const auto run = [&](EventKind kind, ExecutionMode mode) {
    DenseEngine engine("ann", calibrated_layer(12, 30, activation, 3, kind), DenseEngineOptions{Precision::tianjic});
    engine.reset(testing::context(mode));
    return testing::drive(engine, inputs, 0, 1);
  };
  const auto reference = run(EventKind::zero_skip, ExecutionMode::always_on);
  const auto skipped = run(EventKind::zero_skip, ExecutionMode::event);
  const auto changed = run(EventKind::delta, ExecutionMode::event);
  REQUIRE(reference.size() == inputs.size());
  for (std::size_t t = 0; t < reference.size(); ++t) {
    INFO("tick " << t);
    CHECK(skipped[t].values == reference[t].values);
    CHECK(changed[t].values == reference[t].values);
  }
}

TEST_CASE("tianjic dense: bit_shift_num is the smallest power of 4 covering the calibrated range",
          "[ann][tianjic][quantization]") {
  const auto activation = GENERATE(ActivationKind::identity, ActivationKind::relu, ActivationKind::tanh);
  const std::uint64_t seed = GENERATE(1, 2, 3);
  RandomStream random(seed);
  DenseLayerSpec layer = testing::random_layer("L", {"in"}, 16, 48, random, activation);
  layer.weight *= static_cast<float>(random.uniform(0.2, 20.0));  // spread the pre-activation ranges
  LayerGraph graph = sequential("in", 48, {std::move(layer)});
  Batch calibration;
  calibration["in"] = Eigen::MatrixXf::Random(48, 100);
  Batch pre;
  (void)graph.forward(calibration, &pre);
  const QuantizationReport report = quantize(graph, calibration, Precision::tianjic);
  const LayerQuantization& q = *graph.layer("L").quantization;
  const double accumulator_scale = static_cast<double>(q.input_scale) * q.weight_scale;
  const double ideal = pre.at("L").cwiseAbs().maxCoeff() / 127.0;
  INFO("bsn " << q.bit_shift_num << " ideal " << ideal << " accumulator scale " << accumulator_scale);
  CHECK(q.pre_scale == static_cast<float>(std::ldexp(accumulator_scale, 2 * q.bit_shift_num)));
  CHECK(std::ldexp(accumulator_scale, 2 * q.bit_shift_num) >= ideal);
  if (q.bit_shift_num > 0) CHECK(std::ldexp(accumulator_scale, 2 * (q.bit_shift_num - 1)) < ideal);
  // At most 2 bits coarser than ideal, and the calibration maxima stay inside the int8 range.
  CHECK(q.pre_scale < 4.0 * ideal * (1.0 + 1e-6) + accumulator_scale);
  CHECK(pre.at("L").cwiseAbs().maxCoeff() / q.pre_scale <= 127.0 * (1.0 + 1e-6));
  CHECK(report.of("L").max_abs < 4.0 * q.pre_scale);  // a few steps, not a clipped range
  CHECK(choose_bit_shift_num(1.0, 1.0) == 0);
  CHECK(choose_bit_shift_num(1.0, 1.5) == 1);
  CHECK(choose_bit_shift_num(1.0, 4.0) == 1);
  CHECK(choose_bit_shift_num(1.0, 4.5) == 2);
  CHECK(choose_bit_shift_num(1.0, 1e30) == 15);
}

TEST_CASE("tianjic dense: a fan-in that could saturate the accumulator, and loihi, are refused", "[ann][tianjic]") {
  const std::size_t fan_in = 131072;  // 131072 · 128 · 128 = 2^31
  const Eigen::MatrixXf weight = Eigen::MatrixXf::Constant(1, static_cast<Eigen::Index>(fan_in), 0.5f);
  const Eigen::VectorXf bias = Eigen::VectorXf::Zero(1);
  CHECK_THROWS_WITH(quantize_layer_tianjic(weight, bias, Activation{}, TianjicSoma::cut, 1.0f, 1.0f, 1.0f, "layer 'wide'"),
                    Contains("layer 'wide'") && Contains("fan-in 131072") && Contains("saturate"));
  CHECK_NOTHROW(quantize_layer_tianjic(weight.leftCols(131071), bias, Activation{}, TianjicSoma::cut, 1.0f, 1.0f, 1.0f,
                                       "layer 'wide'"));
  // 131071 inputs leave 16384 units of headroom; a bias of 1e5 is 2.5e7 accumulator units (scale 0.5/127).
  CHECK_THROWS_WITH(quantize_layer_tianjic(weight.leftCols(131071), Eigen::VectorXf::Constant(1, 1e5f), Activation{},
                                           TianjicSoma::cut, 1.0f, 1.0f, 1.0f, "layer 'biased'"),
                    Contains("layer 'biased'") && Contains("saturate"));

  LayerGraph graph = calibrated_layer(3, 4, ActivationKind::relu, 1);
  CHECK_THROWS_WITH(LayerRuntime(graph.layer("L"), Precision::loihi), Contains("layer 'L'") && Contains("loihi"));
  CHECK_THROWS_WITH(DenseEngine("ann", graph, DenseEngineOptions{Precision::loihi}), Contains("loihi"));
  CHECK_THROWS_WITH(quantize(graph, Batch{{"in", Eigen::MatrixXf::Ones(4, 2)}}, Precision::loihi), Contains("loihi"));
  // Quantised for tianjic, run as fixed: the arithmetic must match.
  CHECK_THROWS_WITH(LayerRuntime(graph.layer("L"), Precision::fixed), Contains("quantised for tianjic"));
}

TEST_CASE("tianjic dense: error against float32 on an example layer, next to fixed", "[ann][tianjic][error]") {
  // The figure of docs/precision-dense.md: a 64 -> 32 layer, weights uniform in ±1/8, bias in
  // ±0.1, calibrated and measured on 256 inputs uniform in [-1, 1].
  const auto activation = GENERATE(ActivationKind::identity, ActivationKind::relu, ActivationKind::tanh);
  RandomStream random(2026);
  const DenseLayerSpec layer = testing::random_layer("L", {"in"}, 32, 64, random, activation);
  Batch calibration;
  calibration["in"] = Eigen::MatrixXf(64, 256);
  for (Eigen::Index k = 0; k < calibration["in"].size(); ++k) {
    calibration["in"].data()[k] = static_cast<float>(random.uniform(-1.0, 1.0));
  }
  LayerGraph fixed_graph = sequential("in", 64, {layer});
  LayerGraph tianjic_graph = sequential("in", 64, {layer});
  const ErrorStats fixed = quantize(fixed_graph, calibration, Precision::fixed).of("L");
  const ErrorStats tianjic = quantize(tianjic_graph, calibration, Precision::tianjic).of("L");
  const LayerQuantization& q = *tianjic_graph.layer("L").quantization;
  const float range = graph_range(tianjic_graph, calibration);
  INFO(to_string(activation) << ": output range " << range << "; fixed max " << fixed.max_abs << " rms " << fixed.rms
                             << "; tianjic max " << tianjic.max_abs << " rms " << tianjic.rms << ", bsn "
                             << q.bit_shift_num << ", pre_scale " << q.pre_scale << " (fixed "
                             << fixed_graph.layer("L").quantization->pre_scale << ")");
  // Up to 4x the step and a floor instead of rounding: at most about 8x fixed's error.
  CHECK(tianjic.max_abs <= 8.0 * fixed.max_abs + 1e-6);
  CHECK(tianjic.max_abs < 0.1 * range);
}
