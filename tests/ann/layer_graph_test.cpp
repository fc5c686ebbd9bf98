#include <catch2/catch.hpp>

#include "ann/layer_graph.hpp"
#include "core/error.hpp"
#include "tests/ann/ann_test_support.hpp"

using namespace tandem;
using namespace tandem::ann;
using Catch::Matchers::Contains;

namespace {

DenseLayerSpec layer_of(const std::string& name, std::vector<std::string> sources, std::size_t outputs,
                        std::size_t inputs) {
  DenseLayerSpec layer;
  layer.name = name;
  layer.sources = std::move(sources);
  layer.weight = Eigen::MatrixXf::Ones(static_cast<Eigen::Index>(outputs), static_cast<Eigen::Index>(inputs));
  layer.bias = Eigen::VectorXf::Zero(static_cast<Eigen::Index>(outputs));
  return layer;
}

}  // namespace

TEST_CASE("layer graph: a shape mismatch names both layers and their shapes", "[ann][graph]") {
  LayerGraph graph;
  graph.add_input("in", 4);
  graph.add_layer(layer_of("h1", {"in"}, 3, 4));
  graph.add_layer(layer_of("h2", {"h1"}, 2, 5));
  CHECK_THROWS_WITH(graph.finalize(), Contains("layer 'h2' (2 x 5, expects 5 inputs)") &&
                                          Contains("source 'h1' gives 3 values"));
}

TEST_CASE("layer graph: unknown sources, duplicates, cycles and bad layers are input errors", "[ann][graph]") {
  {
    LayerGraph graph;
    graph.add_input("in", 2);
    graph.add_layer(layer_of("a", {"missing"}, 2, 2));
    CHECK_THROWS_WITH(graph.finalize(), Contains("layer 'a'") && Contains("unknown source 'missing'"));
  }
  {
    LayerGraph graph;
    graph.add_input("in", 2);
    graph.add_layer(layer_of("in", {"in"}, 2, 2));
    CHECK_THROWS_WITH(graph.finalize(), Contains("'in' is used twice"));
  }
  {
    LayerGraph graph;
    graph.add_input("in", 2);
    graph.add_layer(layer_of("a", {"in", "b"}, 2, 2));
    graph.add_layer(layer_of("b", {"a"}, 2, 2));
    CHECK_THROWS_WITH(graph.finalize(), Contains("'a', 'b' form a cycle"));
  }
  {
    LayerGraph graph;
    graph.add_input("in", 2);
    DenseLayerSpec soft = layer_of("soft", {"in"}, 2, 2);
    soft.activation.kind = ActivationKind::softmax;
    graph.add_layer(soft);
    graph.add_layer(layer_of("after", {"soft"}, 2, 2));
    CHECK_THROWS_WITH(graph.finalize(), Contains("softmax is allowed on output layers only"));
  }
  DenseLayerSpec bad = layer_of("bad", {"in"}, 2, 2);
  bad.bias = Eigen::VectorXf::Zero(3);
  CHECK_THROWS_WITH(validate(bad), Contains("layer 'bad'") && Contains("bias has 3 entries"));
  bad = layer_of("bad", {"in"}, 2, 2);
  bad.weight(1, 0) = std::nanf("");
  CHECK_THROWS_WITH(validate(bad), Contains("weight[1][0] is nan"));
  bad = layer_of("bad", {"in"}, 2, 2);
  bad.period_ticks = 3;
  bad.phase_ticks = 3;
  CHECK_THROWS_WITH(validate(bad), Contains("phase_ticks must be in [0, 3)"));
  bad.phase_ticks = 0;
  bad.delta_threshold = -1.0f;
  CHECK_THROWS_WITH(validate(bad), Contains("delta_threshold"));
  CHECK_THROWS_WITH(make_dense_layer("m", {"in"}, 2, 3, std::vector<float>(5), std::vector<float>(2)),
                    Contains("weight has 5 values, expected 2 x 3"));
  LayerGraph empty;
  CHECK_THROWS_AS(empty.add_input("x", 0), InputError);
}

TEST_CASE("layer graph: layers are sorted topologically and fan-in sums their sources", "[ann][graph]") {
  // out = relu(W_o (relu(A x) + relu(B x)) + b): added out of order on purpose.
  LayerGraph graph;
  graph.add_input("x", 2);
  DenseLayerSpec out = make_dense_layer("out", {"a", "b"}, 1, 2, {1.0f, -1.0f}, {0.5f});
  graph.add_layer(out);
  graph.add_layer(make_dense_layer("a", {"x"}, 2, 2, {1, 0, 0, 1}, {0, 0}, Activation{ActivationKind::relu}));
  graph.add_layer(make_dense_layer("b", {"x"}, 2, 2, {0, 2, 2, 0}, {0, 0}, Activation{ActivationKind::relu}));
  graph.finalize();
  CHECK(graph.layers().back().name == "out");
  CHECK(graph.outputs() == std::vector<std::string>{"out"});
  CHECK(graph.targets(graph.layer_index("a")) == std::vector<std::string>{"out"});
  Batch inputs;
  inputs["x"] = Eigen::MatrixXf(2, 2);
  inputs["x"] << 1.0f, -1.0f, 3.0f, 2.0f;  // samples (1, 3) and (-1, 2)
  const Batch outputs = graph.forward(inputs);
  // Sample 0: a = (1, 3), b = (6, 2), sum = (7, 5), out = 7 - 5 + 0.5 = 2.5.
  // Sample 1: a = (0, 2), b = (4, 0), sum = (4, 2), out = 4 - 2 + 0.5 = 2.5.
  CHECK(outputs.at("out")(0, 0) == Approx(2.5f));
  CHECK(outputs.at("out")(0, 1) == Approx(2.5f));
  CHECK(outputs.at("b")(0, 0) == Approx(6.0f));
  CHECK(outputs.at("a")(0, 1) == Approx(0.0f));
}

TEST_CASE("layer graph: sequential chains layers and checks shapes", "[ann][graph]") {
  RandomStream random(1);
  CHECK_THROWS_WITH(sequential("in", 5, {testing::random_layer("l1", {}, 4, 5, random),
                                         testing::random_layer("l2", {}, 3, 6, random)}),
                    Contains("layer 'l2'") && Contains("source 'l1' gives 4 values"));
  const LayerGraph graph = sequential("in", 5, {testing::random_layer("l1", {}, 4, 5, random)});
  CHECK(graph.layers().front().sources == std::vector<std::string>{"in"});
}
