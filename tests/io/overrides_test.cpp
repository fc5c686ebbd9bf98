// --set overrides: numbers, strings, lists, list indices, optional keys and unknown paths.
#include <catch2/catch.hpp>

#include <filesystem>

#include "core/error.hpp"
#include "io/network_file.hpp"

using namespace tandem;
using namespace tandem::io;

namespace {

const std::filesystem::path example = std::filesystem::path(TANDEM_SOURCE_DIR) / "examples/networks/hybrid_demo.yaml";

NetworkDescription with(std::initializer_list<const char*> settings) {
  std::vector<Override> overrides;
  for (const char* setting : settings) overrides.push_back(parse_override(setting));
  return load_network(example, overrides);
}

}  // namespace

TEST_CASE("overrides: numbers replace values in the file", "[io][overrides]") {
  const auto net = with({"simulation.seed=3", "populations.exc.parameters.tau_m_ms=15"});
  CHECK(net.simulation.seed == 3U);
  CHECK(net.populations[0].parameters.at("tau_m_ms") == ParameterValue{15.0});
  CHECK(net.populations[0].parameters.at("v_threshold_mv") == ParameterValue{-50.0});  // untouched
}

TEST_CASE("overrides: strings and lists", "[io][overrides]") {
  const auto net = with({"simulation.mode=always-on", "layers.readout.activation=tanh",
                         "layers.readout.bias=[0.25, -0.25]", "probes.1.units=[5, 6]"});
  CHECK(net.simulation.mode == ExecutionMode::always_on);
  CHECK(net.layers[0].activation == "tanh");
  CHECK(net.layers[0].bias == ValueSource{std::vector<double>{0.25, -0.25}});
  CHECK(net.probes[1].units == std::vector<std::int64_t>{5, 6});
}

TEST_CASE("overrides: later settings win and a known optional key may be added", "[io][overrides]") {
  const auto net = with({"simulation.seed=3", "simulation.seed=4", "bridge.exc_rate.size=8"});
  CHECK(net.simulation.seed == 4U);
  CHECK(net.bridge[0].size == 8);
}

TEST_CASE("overrides: a parameter of the population's model may be added", "[io][overrides]") {
  const auto net = with({"populations.exc.parameters.rest_tolerance_mv=0"});
  CHECK(net.populations[0].parameters.at("rest_tolerance_mv") == ParameterValue{0.0});
  CHECK(net.populations[0].parameters.at("tau_m_ms") == ParameterValue{20.0});  // the file's, untouched
}

TEST_CASE("overrides: an unknown path is refused naming it", "[io][overrides]") {
  REQUIRE_THROWS_WITH(with({"simulation.sed=3"}),
                      Catch::Contains("--set simulation.sed") && Catch::Contains("did you mean 'seed'"));
  REQUIRE_THROWS_WITH(with({"populations.inh.size=3"}),
                      Catch::Contains("'populations.inh' does not exist"));
  // A population's parameters are its model's: lif has no tau_syn_ms.
  REQUIRE_THROWS_WITH(with({"populations.exc.parameters.tau_syn_ms=5"}),
                      Catch::Contains("--set populations.exc.parameters.tau_syn_ms") && Catch::Contains("unknown path"));
  REQUIRE_THROWS_WITH(with({"populations.exc.parameters.rest_tolerance_m=0"}),
                      Catch::Contains("did you mean 'rest_tolerance_mv'"));
  REQUIRE_THROWS_WITH(with({"probes.7.every_ticks=2"}), Catch::Contains("'probes.7' does not exist"));
}

TEST_CASE("overrides: an overridden value is validated like the file's, and says so", "[io][overrides]") {
  REQUIRE_THROWS_WITH(with({"populations.exc.size=-3"}),
                      Catch::Contains("populations.exc.size: must be a positive integer, got -3") &&
                          Catch::Contains("--set populations.exc.size"));
  REQUIRE_THROWS_WITH(with({"populations.exc.parameters.tau_m_ms=.nan"}), Catch::Contains("finite number"));
}

TEST_CASE("overrides: malformed --set text is refused", "[io][overrides]") {
  REQUIRE_THROWS_AS(parse_override("simulation.seed"), InputError);
  REQUIRE_THROWS_AS(parse_override("simulation..seed=1"), InputError);
  REQUIRE_THROWS_AS(parse_override("simulation.seed="), InputError);
  const Override parsed = parse_override("a.b.c=x=y");
  CHECK(parsed.path == std::vector<std::string>{"a", "b", "c"});
  CHECK(parsed.value == "x=y");
}
