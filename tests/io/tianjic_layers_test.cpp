// Dense layers with `precision: tianjic` in a network file: they run on engine "ann_tianjic",
// in Tianjic's arithmetic, and stay close to float32 (docs/precision-dense.md).
#include <catch2/catch.hpp>

#include <filesystem>

#include "ann/dense_engine.hpp"
#include "ann/graph_quantization.hpp"
#include "core/memory_recorder.hpp"
#include "core/random.hpp"
#include "io/network_builder.hpp"
#include "io/network_file.hpp"
#include "io/overrides.hpp"

using namespace tandem;
using namespace tandem::io;

namespace {

const std::filesystem::path demo = std::filesystem::path(TANDEM_SOURCE_DIR) / "examples/networks/hybrid_demo.yaml";

const ann::DenseEngine* dense_engine(const Simulation& simulation, const std::string& name) {
  for (const auto& engine : simulation.engines()) {
    if (engine->name() == name) return dynamic_cast<const ann::DenseEngine*>(engine.get());
  }
  return nullptr;
}

std::vector<double> readout(BuiltNetwork& built, Tick ticks) {
  MemoryRecorder recorder;
  built.simulation->set_recorder(&recorder);
  built.simulation->add_probe(Probe{"readout", "activations", {}, 1});
  built.simulation->run(ticks);
  built.simulation->set_recorder(nullptr);
  return recorder.stream("/ann/readout/activations").values;
}

}  // namespace

TEST_CASE("network builder: a layer with precision tianjic runs on ann_tianjic close to float32", "[io][builder][tianjic]") {
  auto reference = build_network(load_network(demo, {}));
  auto tianjic = build_network(load_network(demo, {parse_override("layers.readout.precision=tianjic")}));
  REQUIRE(dense_engine(*reference.simulation, "ann") != nullptr);
  const ann::DenseEngine* engine = dense_engine(*tianjic.simulation, "ann_tianjic");
  REQUIRE(engine != nullptr);
  CHECK(dense_engine(*tianjic.simulation, "ann") == nullptr);
  CHECK(engine->precision() == Precision::tianjic);
  const ann::LayerQuantization& q = *engine->graph().layer("readout").quantization;
  CHECK(q.arithmetic == Precision::tianjic);
  CHECK(q.tianjic_soma == ann::TianjicSoma::compare);  // relu

  // The quantisation error on inputs like the builder's calibration (uniform in [0, 1], the
  // decoder's range), plus one cut step: the floor of the cut rounds a value seen between
  // calibration samples by less than one pre-activation step.
  ann::Batch inputs;
  RandomStream random(3);
  const std::string input = engine->graph().inputs().front().name;
  inputs[input] = Eigen::MatrixXf(static_cast<Eigen::Index>(engine->graph().inputs().front().width), 256);
  for (Eigen::Index k = 0; k < inputs[input].size(); ++k) inputs[input].data()[k] = random.uniform_float();
  const double reported = ann::quantization_error(engine->graph(), inputs).of("readout").max_abs;
  const double tolerance = reported + q.pre_scale;

  const auto expected = readout(reference, 500);
  const auto actual = readout(tianjic, 500);
  REQUIRE(actual.size() == expected.size());
  REQUIRE_FALSE(actual.empty());
  double worst = 0.0;
  double largest = 0.0;
  for (std::size_t k = 0; k < actual.size(); ++k) {
    worst = std::max(worst, std::abs(actual[k] - expected[k]));
    largest = std::max(largest, std::abs(expected[k]));
  }
  INFO("max |tianjic - float32| " << worst << ", reported " << reported << ", pre_scale " << q.pre_scale
                                  << ", bsn " << q.bit_shift_num << ", largest output " << largest);
  CHECK(largest > 0.0);
  CHECK(worst <= tolerance);

  // The network-wide default reaches layers too.
  auto everywhere = build_network(parse_network_text(R"(
simulation: {precision: tianjic}
populations:
  pop: {model: lif, size: 3}
bridge:
  dec: {kind: count_decoder, input: pop, output: l, window_ticks: 1}
layers:
  l: {inputs: dec, size: 2, activation: tanh, weights: [[1, 2, 3], [4, 5, 6]], bias: [1, -1]}
)",
                                                     "net.yaml", TANDEM_BINARY_DIR));
  const ann::DenseEngine* layers = dense_engine(*everywhere.simulation, "ann_tianjic");
  REQUIRE(layers != nullptr);
  const ann::LayerQuantization& lq = *layers->graph().layer("l").quantization;
  CHECK(lq.tianjic_soma == ann::TianjicSoma::lookup);
  everywhere.simulation->run(5);
  // Silent inputs: tanh(b) through the floor of the cut (up to one pre-activation step, and
  // |tanh'| <= 1) and the table (half an output step).
  const double margin = lq.pre_scale + lq.output_scale;
  CHECK(layers->output("l")[0] == Approx(std::tanh(1.0)).margin(margin));
  CHECK(layers->output("l")[1] == Approx(std::tanh(-1.0)).margin(margin));
}
