// Convolution, pooling and flatten layers of the dense engine: against the nested-loop reference
// on random shapes, event modes against always-on, op counts by hand, shape errors.
#include <catch2/catch.hpp>

#include "ann/convolution.hpp"
#include "ann/dense_engine.hpp"
#include "ann/graph_quantization.hpp"
#include "core/error.hpp"
#include "tests/ann/ann_test_support.hpp"
#include "tests/ann/convolution_reference.hpp"

using namespace tandem;
using namespace tandem::ann;
using Catch::Matchers::Contains;

namespace {

Eigen::VectorXf as_vector(const std::vector<float>& values) {
  return Eigen::Map<const Eigen::VectorXf>(values.data(), static_cast<Eigen::Index>(values.size()));
}

// One always-on float run of a single layer.
Eigen::VectorXf run_once(const DenseLayerSpec& layer, const std::vector<float>& x, OpCounts* counts = nullptr) {
  LayerRuntime runtime(layer, Precision::float32);
  OpCounts executed;
  runtime.run(as_vector(x), ExecutionMode::always_on, executed);
  if (counts != nullptr) *counts = executed;
  return runtime.output();
}

void check_close(const Eigen::VectorXf& actual, const std::vector<double>& expected) {
  REQUIRE(static_cast<std::size_t>(actual.size()) == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO("output " << i);
    CHECK(actual[static_cast<Eigen::Index>(i)] == Approx(expected[i]).margin(1e-5));
  }
}

const NodeCounters& node(const DenseEngine& engine, const std::string& name) {
  for (const NodeCounters& counters : engine.counters()) {
    if (counters.node == name) return counters;
  }
  FAIL("no node " << name);
  return engine.counters().front();
}

}  // namespace

TEST_CASE("convolution: Conv2d and Conv1d match the nested-loop reference on random shapes", "[ann][convolution]") {
  RandomStream random(2024);
  for (int trial = 0; trial < 60; ++trial) {
    const bool one_d = trial % 4 == 3;
    const ConvolutionShape s = testing::random_convolution_shape(random, one_d);
    INFO("trial " << trial << ": " << s.in_channels << "x" << s.in_height << "x" << s.in_width << " -> "
                  << s.out_channels << " kernel " << s.kernel_height << "x" << s.kernel_width << " stride "
                  << s.stride_height << "," << s.stride_width << " pad " << s.padding_height << ","
                  << s.padding_width << " dilation " << s.dilation_height << "," << s.dilation_width << " groups "
                  << s.groups);
    const auto kernel = testing::random_values(s.kernel_values(), 1.0, random);
    const auto bias = trial % 2 == 0 ? testing::random_values(s.out_channels, 1.0, random) : std::vector<float>{};
    const auto x = testing::random_values(s.inputs(), 0.6, random);
    const DenseLayerSpec layer = make_convolution_layer("conv", {"in"}, s, kernel, bias);
    CHECK(layer.inputs() == s.inputs());
    CHECK(layer.outputs() == s.outputs());
    check_close(run_once(layer, x), testing::reference_convolution(s, kernel, bias, x));
    // The batch forward pass (the float reference of quantize()) agrees.
    LayerGraph graph = sequential("in", s.inputs(), {layer});
    const Batch out = graph.forward(Batch{{"in", as_vector(x)}});
    check_close(out.at("conv").col(0), testing::reference_convolution(s, kernel, bias, x));
  }
}

TEST_CASE("convolution: the NIR-style builder reads Conv1d and Conv2d arrays", "[ann][convolution]") {
  RandomStream random(7);
  // Conv2d: input [4, 5, 6], weight [6, 2, 3, 2], stride (2, 1), padding (1, 0), dilation (1, 2), groups 2.
  const auto kernel = testing::random_values(6 * 2 * 3 * 2, 1.0, random);
  const auto bias = testing::random_values(6, 1.0, random);
  const DenseLayerSpec conv2d = make_convolution_layer_from_nir(
      "c2", {"in"}, {.input_shape = {4, 5, 6}, .weight_shape = {6, 2, 3, 2}, .stride = {2, 1}, .padding = {1, 0},
                     .dilation = {1, 2}, .groups = 2},
      kernel, bias);
  const ConvolutionShape expected{.in_channels = 4, .in_height = 5, .in_width = 6, .out_channels = 6,
                                  .kernel_height = 3, .kernel_width = 2, .stride_height = 2, .stride_width = 1,
                                  .padding_height = 1, .padding_width = 0, .dilation_height = 1,
                                  .dilation_width = 2, .groups = 2};
  const auto x = testing::random_values(4 * 5 * 6, 0.7, random);
  check_close(run_once(conv2d, x), testing::reference_convolution(expected, kernel, bias, x));
  CHECK(conv2d.outputs() == 6 * 3 * 4);
  // Conv1d: input [3, 11], weight [2, 3, 3], stride 2, padding 1, no bias.
  const auto kernel1 = testing::random_values(2 * 3 * 3, 1.0, random);
  const DenseLayerSpec conv1d = make_convolution_layer_from_nir(
      "c1", {"in"}, {.input_shape = {3, 11}, .weight_shape = {2, 3, 3}, .stride = {2}, .padding = {1}}, kernel1, {});
  const ConvolutionShape expected1{.in_channels = 3, .in_width = 11, .out_channels = 2, .kernel_width = 3,
                                   .stride_width = 2, .padding_width = 1};
  const auto x1 = testing::random_values(33, 0.7, random);
  check_close(run_once(conv1d, x1), testing::reference_convolution(expected1, kernel1, {}, x1));
  CHECK(conv1d.outputs() == 2 * 6);
  // NIR files store the spatial input size only (cnn_sinabs.nir's first layer): C = weight_shape[1]·groups.
  const DenseLayerSpec sinabs = make_convolution_layer_from_nir(
      "c0", {"in"}, {.input_shape = {34, 34}, .weight_shape = {16, 2, 5, 5}, .stride = {2, 2}, .padding = {1, 1},
                     .dilation = {1, 1}},
      std::vector<float>(16 * 2 * 5 * 5, 0.5f), {});
  CHECK(sinabs.inputs() == 2 * 34 * 34);
  CHECK(sinabs.outputs() == 16 * 16 * 16);
}

TEST_CASE("convolution: sum and average pooling match the reference", "[ann][convolution][pooling]") {
  RandomStream random(99);
  for (int trial = 0; trial < 30; ++trial) {
    const std::size_t channels = 1 + random.below(3);
    const std::size_t height = 2 + random.below(8);
    const std::size_t width = 2 + random.below(8);
    const std::size_t kh = 1 + random.below(std::min<std::size_t>(height, 3));
    const std::size_t kw = 1 + random.below(std::min<std::size_t>(width, 3));
    const std::size_t sh = 1 + random.below(3);
    const std::size_t sw = 1 + random.below(3);
    const std::size_t ph = random.below(kh / 2 + 1);  // PyTorch: padding <= kernel / 2
    const std::size_t pw = random.below(kw / 2 + 1);
    const bool average = trial % 2 == 1;
    INFO("trial " << trial << ": " << channels << "x" << height << "x" << width << " kernel " << kh << "x" << kw
                  << " stride " << sh << "," << sw << " pad " << ph << "," << pw << (average ? " avg" : " sum"));
    const ConvolutionShape shape = pooling_shape(channels, height, width, kh, kw, sh, sw, ph, pw, "pool");
    const DenseLayerSpec layer =
        make_pooling_layer("pool", {"in"}, shape, average ? PoolKind::average : PoolKind::sum);
    CHECK(layer.kind == (average ? LayerKind::average_pool : LayerKind::sum_pool));
    const auto x = testing::random_values(shape.inputs(), 0.6, random);
    check_close(run_once(layer, x), testing::reference_pooling(channels, height, width, kh, kw, sh, sw, ph, pw, average, x));
  }
}

namespace {

// in (2x7x7) -> conv (3x4x4: kernel 3, stride 2, pad 1, relu) -> pool (avg 2x2 -> 3x2x2)
//            -> flat -> fc (5, identity)
LayerGraph cnn_graph(EventKind kind, std::uint64_t seed) {
  RandomStream random(seed);
  LayerGraph graph;
  graph.add_input("in", 2 * 7 * 7);
  const ConvolutionShape conv{.in_channels = 2, .in_height = 7, .in_width = 7, .out_channels = 3,
                              .kernel_height = 3, .kernel_width = 3, .stride_height = 2, .stride_width = 2,
                              .padding_height = 1, .padding_width = 1};
  DenseLayerSpec c = make_convolution_layer("conv", {"in"}, conv, testing::random_values(conv.kernel_values(), 1.0, random),
                                            testing::random_values(3, 1.0, random));
  c.activation.kind = ActivationKind::relu;
  DenseLayerSpec p = make_pooling_layer("pool", {"conv"}, pooling_shape(3, 4, 4, 2, 2, 2, 2, 0, 0, "pool"),
                                        PoolKind::average);
  DenseLayerSpec f = make_flatten_layer("flat", {"pool"}, 12);
  DenseLayerSpec fc = testing::random_layer("fc", {"flat"}, 5, 12, random, ActivationKind::identity);
  for (auto* layer : {&c, &p, &f, &fc}) {
    layer->event_kind = kind;
    graph.add_layer(std::move(*layer));
  }
  graph.finalize();
  return graph;
}

std::vector<Eigen::VectorXf> cnn_inputs(std::uint64_t seed, std::size_t ticks) {
  RandomStream random(seed);
  std::vector<Eigen::VectorXf> inputs{testing::random_input(98, 0.3, random)};
  while (inputs.size() < ticks) inputs.push_back(testing::perturb(inputs.back(), 0.1, random));
  return inputs;
}

void calibrate(LayerGraph& graph, const std::vector<Eigen::VectorXf>& inputs, Precision precision) {
  Eigen::MatrixXf batch(98, static_cast<Eigen::Index>(inputs.size()));
  for (std::size_t k = 0; k < inputs.size(); ++k) batch.col(static_cast<Eigen::Index>(k)) = inputs[k];
  quantize(graph, Batch{{"in", batch}}, precision);
}

std::vector<std::vector<Eigen::VectorXf>> run_cnn(const LayerGraph& graph, Precision precision, ExecutionMode mode,
                                                  const std::vector<Eigen::VectorXf>& inputs) {
  DenseEngine engine("ann", graph, DenseEngineOptions{precision, false});
  engine.reset(testing::context(mode));
  std::vector<std::vector<Eigen::VectorXf>> outputs;  // per tick: conv, pool, flat, fc
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    Mailbox inbox(engine.ports().size());
    Mailbox outbox(engine.ports().size());
    inbox.port(0).frames.push_back(DenseFrame{static_cast<Tick>(k), inputs[k]});
    engine.advance(Epoch{static_cast<Tick>(k), static_cast<Tick>(k + 1)}, inbox, outbox);
    outputs.push_back({engine.output("conv"), engine.output("pool"), engine.output("flat"), engine.output("fc")});
  }
  return outputs;
}

}  // namespace

TEST_CASE("convolution: fixed and tianjic event modes are bit-identical to always-on", "[ann][convolution][modes]") {
  const auto precision = GENERATE(Precision::fixed, Precision::tianjic);
  INFO("precision " << to_string(precision));
  const auto inputs = cnn_inputs(5, 40);
  LayerGraph zero_skip = cnn_graph(EventKind::zero_skip, 11);
  calibrate(zero_skip, inputs, precision);
  LayerGraph delta = cnn_graph(EventKind::delta, 11);
  calibrate(delta, inputs, precision);
  const auto reference = run_cnn(zero_skip, precision, ExecutionMode::always_on, inputs);
  const auto skipped = run_cnn(zero_skip, precision, ExecutionMode::event, inputs);
  const auto changed = run_cnn(delta, precision, ExecutionMode::event, inputs);
  bool some_non_zero = false;
  for (std::size_t t = 0; t < inputs.size(); ++t) {
    for (std::size_t l = 0; l < 4; ++l) {
      INFO("tick " << t << " layer " << l);
      CHECK(skipped[t][l] == reference[t][l]);
      CHECK(changed[t][l] == reference[t][l]);
      some_non_zero = some_non_zero || reference[t][l].cwiseAbs().maxCoeff() > 0.0f;
    }
  }
  CHECK(some_non_zero);
  // The integer forward pass of quantize() is the engine's always-on arithmetic.
  const Batch fixed = fixed_point_forward(zero_skip, Batch{{"in", inputs.back()}});
  CHECK(Eigen::VectorXf(fixed.at("fc").col(0)) == reference.back()[3]);
}

TEST_CASE("convolution: float32 zero-skip is identical to always-on, delta stays close", "[ann][convolution][modes]") {
  const auto inputs = cnn_inputs(6, 40);
  const LayerGraph zero_skip = cnn_graph(EventKind::zero_skip, 12);
  const auto reference = run_cnn(zero_skip, Precision::float32, ExecutionMode::always_on, inputs);
  const auto skipped = run_cnn(zero_skip, Precision::float32, ExecutionMode::event, inputs);
  const auto changed = run_cnn(cnn_graph(EventKind::delta, 12), Precision::float32, ExecutionMode::event, inputs);
  for (std::size_t t = 0; t < inputs.size(); ++t) {
    for (std::size_t l = 0; l < 4; ++l) {
      INFO("tick " << t << " layer " << l);
      CHECK(skipped[t][l] == reference[t][l]);
      CHECK((changed[t][l] - reference[t][l]).cwiseAbs().maxCoeff() < 1e-5f);
    }
  }
}

TEST_CASE("convolution: op counts and memory reflect the shared kernel", "[ann][convolution][energy]") {
  // 1x3x3 input, one 2x2 kernel, stride 1, no padding: 2x2 outputs, each 4 taps -> 16 MACs.
  const ConvolutionShape shape{.in_channels = 1, .in_height = 3, .in_width = 3, .out_channels = 1,
                               .kernel_height = 2, .kernel_width = 2};
  CHECK(convolution_macs(shape) == 16);
  LayerGraph graph;
  graph.add_input("in", 9);
  graph.add_layer(make_convolution_layer("conv", {"in"}, shape, {1, 2, 3, 4}, {0.5f}));
  graph.finalize();
  DenseEngine engine("ann", graph);
  const NodeCounters& conv = node(engine, "conv");
  CHECK(conv.synapse_memory_bytes == 4 * 4 + 4);  // the kernel once + one bias, float32
  CHECK(conv.fan_in == 4);
  CHECK(conv.units == 4);
  // Only the centre input (1, 1) non-zero: it reaches all four outputs through four taps.
  Eigen::VectorXf centre = Eigen::VectorXf::Zero(9);
  centre[4] = 1.0f;
  // Only the corner input (0, 0): one output, one tap.
  Eigen::VectorXf corner = Eigen::VectorXf::Zero(9);
  corner[0] = 2.0f;
  engine.reset(testing::context(ExecutionMode::event));
  testing::drive(engine, {centre, corner}, 0, 1);
  const NodeCounters& counted = node(engine, "conv");
  CHECK(counted.executed[Op::mac] == 4 + 1);
  CHECK(counted.executed[Op::input_event] == 2);
  CHECK(counted.executed[Op::activation] == 8);
  CHECK(counted.executed[Op::memory_byte_read] == 2 * 16);  // the one channel's kernel slice, per run
  CHECK(counted.always_on[Op::mac] == 2 * 16);
  CHECK(counted.always_on[Op::memory_byte_read] == 2 * 16);
  CHECK(counted.always_on[Op::input_event] == 2 * 9);
  CHECK(engine.output("conv") == Eigen::Vector4f(0.5f + 2.0f, 0.5f, 0.5f, 0.5f));
  // Stride 2 on the same input: one output; the corner (2, 2) input reaches nothing.
  const ConvolutionShape strided{.in_channels = 1, .in_height = 3, .in_width = 3, .out_channels = 1,
                                 .kernel_height = 2, .kernel_width = 2, .stride_height = 2, .stride_width = 2};
  CHECK(convolution_macs(strided) == 4);
  // Two input channels -> three outputs, 1x1 kernel: an event in channel 0 only reads its half.
  const ConvolutionShape pointwise{.in_channels = 2, .in_height = 2, .in_width = 2, .out_channels = 3};
  LayerGraph two;
  two.add_input("in", 8);
  two.add_layer(make_convolution_layer("pw", {"in"}, pointwise, std::vector<float>(6, 1.0f), {}));
  two.finalize();
  DenseEngine engine2("ann", two);
  engine2.reset(testing::context(ExecutionMode::event));
  Eigen::VectorXf x = Eigen::VectorXf::Zero(8);
  x[1] = 1.0f;
  x[3] = 1.0f;
  testing::drive(engine2, {x}, 0, 1);
  const NodeCounters& pw = node(engine2, "pw");
  CHECK(pw.synapse_memory_bytes == 6 * 4 + 3 * 4);
  CHECK(pw.executed[Op::mac] == 2 * 3);
  CHECK(pw.executed[Op::memory_byte_read] == 3 * 4);
  CHECK(pw.always_on[Op::mac] == 8 * 3);
  CHECK(pw.always_on[Op::memory_byte_read] == 6 * 4);
}

TEST_CASE("convolution: pooling and flatten counts", "[ann][convolution][energy]") {
  // 1x4x4 sum pool 2x2 stride 2: 4 outputs x 4 taps = 16 MACs always-on; flatten costs nothing.
  LayerGraph graph;
  graph.add_input("in", 16);
  graph.add_layer(make_pooling_layer("pool", {"in"}, pooling_shape(1, 4, 4, 2, 2, 2, 2, 0, 0, "pool"), PoolKind::sum));
  graph.add_layer(make_flatten_layer("flat", {"pool"}, 4));
  graph.finalize();
  DenseEngine engine("ann", graph);
  engine.reset(testing::context(ExecutionMode::always_on));
  Eigen::VectorXf x(16);
  for (Eigen::Index i = 0; i < 16; ++i) x[i] = static_cast<float>(i);
  const auto frames = testing::drive(engine, {x}, 0, 1);
  REQUIRE(frames.size() == 1);
  CHECK(frames[0].values == Eigen::Vector4f(10.0f, 18.0f, 42.0f, 50.0f));  // 0+1+4+5, 2+3+6+7, …
  CHECK(node(engine, "pool").executed[Op::mac] == 16);
  CHECK(node(engine, "pool").synapse_memory_bytes == 4 * 4 + 4);
  CHECK(node(engine, "flat").executed[Op::mac] == 0);
  CHECK(node(engine, "flat").synapse_memory_bytes == 0);
  CHECK(node(engine, "flat").executed[Op::spike] == 4);
}

TEST_CASE("convolution: shape errors name the layer and the problem", "[ann][convolution][errors]") {
  const std::vector<float> k9(9, 1.0f);
  // Kernel larger than the padded input.
  const ConvolutionShape big{.in_channels = 1, .in_height = 2, .in_width = 2, .out_channels = 1,
                             .kernel_height = 3, .kernel_width = 3};
  CHECK_THROWS_WITH(make_convolution_layer("c1", {"in"}, big, k9, {}),
                    Contains("layer 'c1'") && Contains("larger than the padded input 2x2"));
  // Dilation makes it too large although the kernel itself fits.
  const ConvolutionShape dilated{.in_channels = 1, .in_height = 4, .in_width = 4, .out_channels = 1,
                                 .kernel_height = 3, .kernel_width = 3, .dilation_height = 2, .dilation_width = 2};
  CHECK_THROWS_WITH(make_convolution_layer("c2", {"in"}, dilated, k9, {}),
                    Contains("layer 'c2'") && Contains("dilated 5x5"));
  // Channels not divisible by groups.
  CHECK_THROWS_WITH(make_convolution_layer_from_nir("c3", {"in"}, {.input_shape = {3, 4, 4}, .weight_shape = {2, 1, 1, 1}, .groups = 2},
                                                    {1, 1}, {}),
                    Contains("layer 'c3'") && Contains("divisible by groups 2"));
  // Weight shape mismatch: [2, 2, 1, 1] for 4 input channels in 1 group.
  CHECK_THROWS_WITH(make_convolution_layer_from_nir("c4", {"in"}, {.input_shape = {4, 3, 3}, .weight_shape = {2, 2, 1, 1}},
                                                    {1, 1, 1, 1}, {}),
                    Contains("layer 'c4'") && Contains("2 input channels per group"));
  // Wrong number of kernel values or biases.
  const ConvolutionShape ok{.in_channels = 1, .in_height = 3, .in_width = 3, .out_channels = 2,
                            .kernel_height = 2, .kernel_width = 2};
  CHECK_THROWS_WITH(make_convolution_layer("c5", {"in"}, ok, k9, {}), Contains("layer 'c5'") && Contains("9 values"));
  CHECK_THROWS_WITH(make_convolution_layer("c6", {"in"}, ok, std::vector<float>(8, 1.0f), {1.0f}),
                    Contains("layer 'c6'") && Contains("bias has 1 values"));
  // Wrong input rank.
  CHECK_THROWS_WITH(make_convolution_layer_from_nir("c7", {"in"}, {.input_shape = {3}, .weight_shape = {1, 3}}, {1, 1, 1}, {}),
                    Contains("layer 'c7'") && Contains("dimensions"));
  // The graph checks the source width against C*H*W.
  LayerGraph graph;
  graph.add_input("in", 10);
  graph.add_layer(make_convolution_layer("c8", {"in"}, ok, std::vector<float>(8, 1.0f), {}));
  CHECK_THROWS_WITH(graph.finalize(), Contains("layer 'c8'") && Contains("gives 10 values"));
  CHECK_THROWS_AS(make_flatten_layer("f", {"in"}, 0), InputError);
}
