// Networks described by a program (the Python module): arrays handed over in memory, errors
// without positions, external inputs and outputs stepped from outside, the layer phase and the
// delta encoder's per-value thresholds that the closed-loop controllers need.
#include <catch2/catch.hpp>

#include <cmath>

#include "core/error.hpp"
#include "core/external_engine.hpp"
#include "core/memory_recorder.hpp"
#include "io/network_builder.hpp"
#include "io/network_file.hpp"
#include "tests/io/network_fixture.hpp"

using namespace tandem;
using namespace tandem::io;

namespace {

NetworkDescription parse_with(const std::string& text, const ArrayTable& arrays) {
  ParseOptions options;
  options.arrays = &arrays;
  options.positions = false;
  return parse_network_text(text, "program", TANDEM_BINARY_DIR, {}, options);
}

std::string parse_error(const std::string& text, const ArrayTable& arrays) {
  try {
    (void)parse_with(text, arrays);
  } catch (const InputError& error) {
    return error.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("program networks: arrays stand where lists, matrices and pairs go", "[io][program]") {
  const ArrayTable arrays{{"w", {{2, 3}, {1, 2, 3, 4, 5, 6}}},
                          {"pairs", {{2, 2}, {0, 1, 1, 0}}},
                          {"weights", {{2}, {0.5, 0.25}}},
                          {"rates", {{3}, {1, 2, 3}}},
                          {"bias", {{2}, {0.1, 0.2}}}};
  const auto network = parse_with(R"({
    "inputs": {"drive": {"kind": "poisson", "size": 3, "rate_hz": {"array": "rates"}}},
    "populations": {"a": {"model": "lif", "size": 2}, "b": {"model": "lif", "size": 2}},
    "projections": {"ab": {"from": "a", "to": "b", "rule": "explicit", "pairs": {"array": "pairs"},
                           "weight": {"array": "weights"}}},
    "layers": {"l": {"inputs": "drive", "size": 2, "weights": {"array": "w"}, "bias": {"array": "bias"}}}})",
                                  arrays);
  CHECK(std::get<PoissonInput>(network.inputs[0].source).rate_hz == ValueSource{std::vector<double>{1, 2, 3}});
  CHECK(network.projections[0].pairs == std::vector<std::pair<std::int64_t, std::int64_t>>{{0, 1}, {1, 0}});
  CHECK(network.projections[0].weight == ValueSource{std::vector<double>{0.5, 0.25}});
  CHECK(*network.layers[0].weights == ValueSource{Matrix{2, 3, {1, 2, 3, 4, 5, 6}}});
  CHECK(*network.layers[0].bias == ValueSource{std::vector<double>{0.1, 0.2}});
}

TEST_CASE("program networks: array errors name the key path, not a line", "[io][program][errors]") {
  const ArrayTable arrays{{"nan", {{2}, {1.0, NAN}}}, {"matrix", {{2, 2}, {1, 2, 3, 4}}}, {"odd", {{2, 3}, {0, 1, 2, 3, 4, 5}}}};
  CHECK(parse_error(R"({"inputs": {"d": {"kind": "poisson", "size": 2, "rate_hz": {"array": "nan"}}}})", arrays) ==
        "program: inputs.d.rate_hz.1: must be a finite number, got nan");
  CHECK(parse_error(R"({"inputs": {"d": {"kind": "poisson", "size": 2, "rate_hz": {"array": "gone"}}}})", arrays) ==
        "program: inputs.d.rate_hz: no array named 'gone' was handed over");
  CHECK_THAT(parse_error(R"({"inputs": {"d": {"kind": "poisson", "size": 4, "rate_hz": {"array": "matrix"}}}})", arrays),
             Catch::Contains("inputs.d.rate_hz: must be an array of one dimension, got 2"));
  CHECK_THAT(parse_error(R"({"populations": {"a": {"model": "lif", "size": 2}},
                             "projections": {"p": {"from": "a", "to": "a", "rule": "explicit", "pairs": {"array": "odd"}}}})",
                         arrays),
             Catch::Contains("projections.p.pairs: must be an array [synapses x 2]"));
  // In a file, `{array: …}` is nothing special: an unknown key of an HDF5 reference.
  CHECK_THROWS_AS(tandem::testing::parse_network("inputs:\n  d: {kind: poisson, size: 2, rate_hz: {array: x}}\n"),
                  InputError);
}

TEST_CASE("program networks: external inputs and outputs are stepped from outside", "[io][program]") {
  const auto network = tandem::testing::parse_network(R"(
inputs:
  obs: {kind: external, size: 2}
layers:
  twice: {inputs: obs, size: 2, weights: [[2, 0], [0, 2]], period_ticks: 5, phase_ticks: 3}
outputs: [twice]
)");
  BuildOptions options;
  options.external_outputs = true;
  auto built = build_network(network, options);
  REQUIRE(built.external != nullptr);
  ExternalEngine& external = *built.external;
  CHECK(external.input_index("obs") == 0);
  CHECK(external.output_index("twice") == 0);
  built.simulation->build();
  const std::vector<float> values{1.5F, -2.0F};
  external.send(0, 0, values);  // leaves at 0, reaches the layer at 1
  built.simulation->run(4);     // the layer runs at 3 (3 % 5 == 3) and its output arrives at 4
  CHECK(external.latest(0) == nullptr);
  built.simulation->run(1);
  REQUIRE(external.latest(0) != nullptr);
  CHECK(external.latest(0)->tick == 4);
  CHECK(external.latest(0)->values[0] == 3.0F);
  CHECK(external.latest(0)->values[1] == -4.0F);
  CHECK_THROWS_WITH(external.send(0, 5, std::vector<float>{1.0F}), "input 'obs' takes 2 values, got 1");
  // Without a program stepping it, the external input sends nothing and the outputs are not wired.
  auto plain = build_network(network);
  REQUIRE(plain.external != nullptr);
  CHECK(plain.external->outputs().empty());
  plain.simulation->run(10);
}

TEST_CASE("program networks: the delta encoder takes one threshold per value", "[io][program]") {
  const auto network = tandem::testing::parse_network(R"(
inputs:
  obs: {kind: external, size: 3}
bridge:
  enc: {kind: delta_encoder, input: obs, parameters: {thresholds: [0.5, 0.25], channels: 2}}
outputs: [enc]
)");
  BuildOptions options;
  options.external_outputs = true;
  auto built = build_network(network, options);
  built.simulation->build();
  built.external->send(0, 0, std::vector<float>{1.0F, 1.0F, 99.0F});  // the third value is not encoded
  built.simulation->run(10);
  const SpikeBatch spikes = built.external->take_spikes(0);
  // 1.0 / 0.5 = 2 "on" spikes on channel 0, 1.0 / 0.25 = 4 on channel 2 (value 1's "on").
  CHECK(std::count(spikes.index.begin(), spikes.index.end(), 0U) == 2);
  CHECK(std::count(spikes.index.begin(), spikes.index.end(), 2U) == 4);
  CHECK(spikes.size() == 6);
  CHECK_THAT(tandem::testing::build_error(R"(
inputs:
  obs: {kind: external, size: 3}
bridge:
  enc: {kind: delta_encoder, input: obs, parameters: {channels: 4}}
)"),
             Catch::Contains("bridge.enc.input: channels must be a whole number from 1 to the input width 3, got 4"));
}
