// Per-neuron and per-synapse values in network files (issue #14): the bias current, initial
// state from lists, files and seeded distributions, per-neuron parameters refused with the
// reason, delays (never 0; per synapse from lists, files and distributions), weights from
// distributions, explicit synapse lists from HDF5, NPY and CSV, and the poisson_drive input.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

#include "core/error.hpp"
#include "core/memory_recorder.hpp"
#include "io/network_builder.hpp"
#include "io/network_file.hpp"
#include "io/synapse_files.hpp"
#include "neurons/event_engine.hpp"
#include "tests/io/network_fixture.hpp"
#include "tests/io/nir_fixture.hpp"

using namespace tandem;
using namespace tandem::io;

namespace {

NetworkDescription parse(const std::string& text) { return tandem::testing::parse_network(text); }
std::string error_of(const std::string& text) { return tandem::testing::build_error(text); }

// Spike (tick, neuron) pairs of `population` over `ticks`.
std::vector<std::pair<double, double>> spikes(const NetworkDescription& network, const std::string& population, Tick ticks,
                                              BuildOptions options = {}) {
  MemoryRecorder recorder;
  tandem::testing::run_probed(network, Probe{population, "spikes", {}, 1}, ticks, recorder, options);
  const auto& t = recorder.stream("/snn/" + population + "/spikes/tick").values;
  const auto& i = recorder.stream("/snn/" + population + "/spikes/index").values;
  std::vector<std::pair<double, double>> out;
  for (std::size_t k = 0; k < t.size(); ++k) out.emplace_back(t[k], i[k]);
  return out;
}

// The values of `variable` after build (reset), before any tick.
std::vector<float> initial_values(const NetworkDescription& network, const std::string& population,
                                  const std::string& variable, std::uint64_t seed = 1) {
  auto built = build_network(network, {.seed = seed});
  auto& engine = dynamic_cast<neurons::EventEngine&>(built.simulation->engine("snn"));
  auto& pop = engine.population(population);
  const auto values = pop.values(pop.variable_index(variable));
  return {values.begin(), values.end()};
}

const neurons::Projection& projection(const BuiltNetwork& built, const std::string& name) {
  return dynamic_cast<neurons::EventEngine&>(built.simulation->engine("snn")).projection(name);
}

}  // namespace

TEST_CASE("network values: bias_na is a constant current, the same as a current input, in both modes", "[io][values]") {
  const std::string lif = "{tau_m_ms: 10, v_leak_mv: 0, v_reset_mv: 0, v_threshold_mv: 10, refractory_ms: 2";
  const auto biased = parse("populations:\n  n: {model: lif, size: 3, parameters: " + lif + ", bias_na: [0, 15, 30]}}\n");
  const auto driven = parse("inputs:\n  i: {kind: current, size: 3, value: [0, 15, 30]}\npopulations:\n  n: {model: lif, size: 3, parameters: " +
                            lif + "}}\nprojections:\n  p: {from: i, to: n, rule: one_to_one, weight: 1.0}\n");
  const auto event = spikes(biased, "n", 200);
  CHECK(event == spikes(driven, "n", 200));
  CHECK(event == spikes(biased, "n", 200, {.mode = ExecutionMode::always_on}));
  std::size_t per_neuron[3] = {};
  for (const auto& [tick, neuron] : event) ++per_neuron[static_cast<std::size_t>(neuron)];
  CHECK(per_neuron[0] == 0);  // no bias: stays at rest
  CHECK(per_neuron[1] > 0);
  CHECK(per_neuron[2] > per_neuron[1]);
  // One number for all, or drawn per neuron; lif_coba's is bias_mv (its i_ext is a drive in mV).
  CHECK(spikes(parse("populations:\n  n: {model: lif, size: 2, parameters: " + lif + ", bias_na: 30}}\n"), "n", 100).size() > 10);
  CHECK(error_of("populations:\n  n: {model: lif_coba, size: 2, parameters: {bias_na: 3}}\n").find("bias_mv") != std::string::npos);
  CHECK(spikes(parse("populations:\n  n: {model: lif_coba, size: 2, parameters: {bias_mv: 30}}\n"), "n", 100).size() > 4);
}

TEST_CASE("network values: per-neuron model parameters are refused with the reason", "[io][values][errors]") {
  const std::string error = error_of("populations:\n  n: {model: lif, size: 3, parameters: {tau_m_ms: [10, 20, 30]}}\n");
  CHECK_THAT(error, Catch::Contains("net.yaml: populations.n.parameters.tau_m_ms: one value per neuron is not supported"));
  CHECK_THAT(error, Catch::Contains("bias_na"));
  CHECK_THAT(error_of("populations:\n  n: {model: lif, size: 3, parameters: {tau_m_ms: {distribution: uniform, low: 1, high: 2}}}\n"),
             Catch::Contains("populations.n.parameters.tau_m_ms: one value per neuron is not supported"));
  // The same value for every neuron is one value.
  CHECK(error_of("populations:\n  n: {model: lif, size: 3, parameters: {tau_m_ms: [10, 10, 10]}}\n") == "no error");
}

TEST_CASE("network values: initial state from distributions is seeded and deterministic", "[io][values]") {
  const auto network = parse(R"(
populations:
  a: {model: lif, size: 2000, initial: {v: {distribution: uniform, low: -60, high: -50}}}
  b: {model: lif, size: 2000, initial: {v: {distribution: normal, mean: -55, sd: 2}}}
)");
  const auto a = initial_values(network, "a", "v");
  CHECK(*std::min_element(a.begin(), a.end()) >= -60.0F);
  CHECK(*std::max_element(a.begin(), a.end()) < -50.0F);
  CHECK(a == initial_values(network, "a", "v"));       // same seed, same values
  CHECK(a != initial_values(network, "a", "v", 2));    // another seed, others
  const auto b = initial_values(network, "b", "v");
  double mean = 0.0;
  for (const float v : b) mean += v / 2000.0;
  CHECK(mean == Approx(-55.0).margin(0.2));
  CHECK(b == initial_values(network, "b", "v"));
  // Drawn by name: a population of another name draws other values.
  const auto renamed = parse("populations:\n  c: {model: lif, size: 2000, initial: {v: {distribution: uniform, low: -60, high: -50}}}\n");
  CHECK(initial_values(renamed, "c", "v") != a);
}

TEST_CASE("network values: initial state from an HDF5 dataset; other forms are refused by name", "[io][values]") {
  const auto file = std::filesystem::path(TANDEM_BINARY_DIR) / "initial_values.h5";
  {
    hid_t h5 = H5Fcreate(file.string().c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    tandem::testing::write_array(h5, "v0", {{-51, -52, -53}, {}});
    H5Fclose(h5);
  }
  const auto network = parse("populations:\n  n: {model: lif, size: 3, initial: {v: {file: " + file.string() + ", dataset: /v0}}}\n");
  CHECK(initial_values(network, "n", "v") == std::vector<float>{-51.0F, -52.0F, -53.0F});
  CHECK_THAT(error_of("populations:\n  n: {model: lif, size: 2, initial: {v: {file: " + file.string() + ", dataset: /v0}}}\n"),
             Catch::Contains("populations.n.initial.v: needs 2 values, got 3"));
  CHECK_THROWS_WITH(parse("populations:\n  n: {model: lif, size: 2, initial: {v: rest}}\n"),
                    Catch::Contains("populations.n.initial.v: must be a number, a list with one per neuron, {file, dataset} or "
                                    "{distribution: uniform|normal, ...}, got 'rest'"));
  CHECK_THROWS_WITH(parse("populations:\n  n: {model: lif, size: 2, initial: {v: {distribution: gamma}}}\n"),
                    Catch::Contains("populations.n.initial.v.distribution"));
  CHECK_THROWS_WITH(parse("populations:\n  n: {model: lif, size: 2, initial: {v: {distribution: uniform, low: 2, high: 1}}}\n"),
                    Catch::Contains("populations.n.initial.v.high: must be >= low"));
}

TEST_CASE("network values: delays are at least one tick; the default is one tick", "[io][values]") {
  const std::string head = "simulation: {dt_ms: 0.5}\npopulations:\n  a: {model: lif, size: 4}\nprojections:\n";
  CHECK_THROWS_WITH(parse(head + "  p: {from: a, to: a, delay_ms: 0}\n"),
                    Catch::Contains("net.yaml:5:") && Catch::Contains("projections.p.delay_ms: must be at least one tick (dt_ms = 0.5), got 0"));
  auto built = build_network(parse(head + "  p: {from: a, to: a}\n"));
  built.simulation->run(1);
  CHECK(projection(built, "p").delay_of(0) == 1);
  // Uniform in whole ticks [1 ms, 2 ms] = [2, 4] ticks.
  auto drawn = build_network(parse(head + "  p: {from: a, to: a, delay_ms: {distribution: uniform, low_ms: 1.0, high_ms: 2.0}}\n"));
  drawn.simulation->run(1);
  std::set<Tick> seen;
  for (std::size_t s = 0; s < projection(drawn, "p").synapse_count(); ++s) seen.insert(projection(drawn, "p").delay_of(s));
  CHECK(seen == std::set<Tick>{2, 3, 4});
  CHECK_THROWS_WITH(parse(head + "  p: {from: a, to: a, delay_ms: {distribution: uniform, low_ms: 0, high_ms: 2}}\n"),
                    Catch::Contains("projections.p.delay_ms.low_ms: must be at least one tick"));
  CHECK_THROWS_WITH(parse(head + "  p: {from: a, to: a, delay_ms: [1, 1]}\n"),
                    Catch::Contains("projections.p.delay_ms: one delay per synapse needs rule explicit"));
}

TEST_CASE("network values: weights from a distribution are seeded per projection", "[io][values]") {
  const auto network = parse(R"(
populations:
  a: {model: lif, size: 20}
projections:
  p: {from: a, to: a, weight: {distribution: uniform, low: 0.5, high: 1.5}}
  q: {from: a, to: a, rule: fixed_indegree, k: 3, weight: {distribution: normal, mean: 1, sd: 0.1}}
)");
  auto built = build_network(network);
  built.simulation->run(1);
  const auto& p = projection(built, "p");
  REQUIRE(p.synapse_count() == 380);  // 20 x 20 without autapses
  std::set<float> distinct;
  for (std::size_t s = 0; s < p.synapse_count(); ++s) {
    CHECK(p.weight_of(s) >= 0.5F);
    CHECK(p.weight_of(s) <= 1.5F);
    distinct.insert(p.weight_of(s));
  }
  CHECK(distinct.size() > 300);
  CHECK(projection(built, "q").synapse_count() == 60);
  CHECK_THROWS_WITH(parse("populations:\n  a: {model: lif, size: 2}\nprojections:\n  p: {from: a, to: a, rule: fixed_probability, p: 0.5, "
                          "weight: {distribution: uniform, low: 0, high: 1}}\n"),
                    Catch::Contains("projections.p.weight: weights drawn from a distribution need a known synapse count"));
}

TEST_CASE("network values: explicit synapse lists from HDF5, NPY and CSV files", "[io][values]") {
  const auto dir = std::filesystem::path(TANDEM_BINARY_DIR);
  {
    hid_t h5 = H5Fcreate((dir / "synapses.h5").string().c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hid_t group = H5Gcreate2(h5, "syn", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    tandem::testing::write_array(group, "pre", {{0, 1, 2}, {}});
    tandem::testing::write_array(group, "post", {{1, 2, 0}, {}});
    tandem::testing::write_array(group, "weight", {{0.5, 1.5, 2.5}, {}});
    tandem::testing::write_array(group, "delay_ms", {{1, 2, 3}, {}});
    H5Gclose(group);
    H5Fclose(h5);
  }
  std::ofstream(dir / "synapses.csv") << "pre,post,weight,delay_ms\n0,1,0.5,1\n1,2,1.5,2\n2,0,2.5,3\n";
  {
    // NPY 1.0: [3 x 4] little-endian float64, columns pre, post, weight, delay_ms.
    std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }";
    header.resize(118 - 1, ' ');
    header += '\n';
    std::ofstream npy(dir / "synapses.npy", std::ios::binary);
    npy.write("\x93NUMPY\x01\x00", 8);
    const unsigned char length[2] = {static_cast<unsigned char>(header.size() & 0xFF), static_cast<unsigned char>(header.size() >> 8)};
    npy.write(reinterpret_cast<const char*>(length), 2);
    npy << header;
    const double values[12] = {0, 1, 0.5, 1, 1, 2, 1.5, 2, 2, 0, 2.5, 3};
    npy.write(reinterpret_cast<const char*>(values), sizeof values);
  }
  for (const std::string source : {"{file: synapses.h5, group: /syn}", "{file: synapses.csv}", "{file: synapses.npy}"}) {
    INFO(source);
    auto built = build_network(parse("populations:\n  a: {model: lif, size: 3}\nprojections:\n  p: {from: a, to: a, rule: explicit, synapses: " +
                                     source + "}\n"));
    built.simulation->run(1);
    const auto& p = projection(built, "p");
    REQUIRE(p.synapse_count() == 3);
    for (std::uint32_t pre = 0; pre < 3; ++pre) {
      const auto s = p.row_begin(pre);
      CHECK(p.target_of(s) == (pre + 1) % 3);
      CHECK(p.weight_of(s) == Approx(0.5 + pre));
      CHECK(p.delay_of(s) == static_cast<Tick>(pre + 1));
    }
  }
  // The file gives the weights: a weight in the network file too is a conflict, not silently dropped.
  CHECK_THAT(error_of("populations:\n  a: {model: lif, size: 3}\nprojections:\n  p: {from: a, to: a, rule: explicit, synapses: "
                      "{file: synapses.csv}, weight: 1}\n"),
             Catch::Contains("projections.p.weight: the synapse file"));
  std::ofstream(dir / "bad_synapses.csv") << "pre,post\n0,1\n1,x\n";
  CHECK_THAT(error_of("populations:\n  a: {model: lif, size: 3}\nprojections:\n  p: {from: a, to: a, rule: explicit, synapses: "
                      "{file: bad_synapses.csv}}\n"),
             Catch::Contains("projections.p.synapses: " + (dir / "bad_synapses.csv").string() + ": line 3, column 'post': 'x' is not a number"));
  std::ofstream(dir / "range_synapses.csv") << "pre,post\n0,7\n";
  CHECK_THAT(error_of("populations:\n  a: {model: lif, size: 3}\nprojections:\n  p: {from: a, to: a, rule: explicit, synapses: "
                      "{file: range_synapses.csv}}\n"),
             Catch::Contains("out of range"));
}

TEST_CASE("network values: a poisson_drive gives every neuron its own Poisson count per tick", "[io][values]") {
  const auto network = parse(R"(
simulation: {dt_ms: 0.1}
inputs:
  ext: {kind: poisson_drive, size: 50, rate_hz: 20000}
populations:
  n: {model: lif, size: 50, parameters: {tau_m_ms: 20, v_leak_mv: 0, v_reset_mv: 0, v_threshold_mv: 20, refractory_ms: 2}}
projections:
  drive: {from: ext, to: n, target: v, rule: one_to_one, weight: 0.1}
)");
  // Mean drive: 20 kHz x 0.1 mV x 20 ms = 40 mV > 20 mV threshold: every neuron fires.
  const auto event = spikes(network, "n", 2000);
  CHECK(event.size() > 50 * 5);
  CHECK(event == spikes(network, "n", 2000, {.mode = ExecutionMode::always_on}));
  CHECK_THAT(error_of("inputs: {ext: {kind: poisson_drive, size: 2, rate_hz: 10}}\npopulations: {n: {model: lif, size: 2}}\n"
                      "projections: {drive: {from: ext, to: n, rule: all_to_all, weight: 0.1}}\n"),
             Catch::Contains("net.yaml: projections.drive.rule: a poisson_drive input needs rule one_to_one"));
}
