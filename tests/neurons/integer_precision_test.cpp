// lif in the integer precisions (tianjic, loihi) inside the event engine, against independent
// references: Tianjic's LIF soma as tests/tianjic/reference_model.hpp re-implements it, and
// Loihi's fixed-point LIF written out here from Lava's equations (docs/precision.md). Also the
// quantisation's scale and report, event vs always-on bit-identity and the errors.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <map>
#include <random>
#include <vector>

#include "../tianjic/reference_model.hpp"
#include "network_fixtures.hpp"
#include "neurons/registry.hpp"

using namespace tandem;
using namespace tandem::neurons;
using tandem::neurons::testing::run_engine;

namespace {

constexpr std::size_t sources = 12;
constexpr std::size_t targets = 9;
constexpr Tick ticks = 400;

// A spike generator of random spikes, all-to-all onto 9 lif neurons with random weights
// (mixed signs, some larger than the threshold), delay 1 tick.
struct Network {
  std::unique_ptr<EventEngine> engine;
  std::vector<std::pair<Tick, std::uint32_t>> input;
  std::vector<float> weights;  // CSR order: source-major, targets ascending
};

template <typename Model>
Network make_network(std::uint32_t seed, const Lif::Parameters& parameters) {
  Network net;
  net.engine = std::make_unique<EventEngine>("snn", TimeBase(1.0));
  std::mt19937 random(seed);
  std::bernoulli_distribution fires(0.08);
  for (Tick t = 0; t < ticks; ++t) {
    if (t > ticks / 2 && t < ticks / 2 + 60) continue;  // a quiet stretch: the neurons must come to rest
    for (std::uint32_t s = 0; s < sources; ++s) {
      if (fires(random)) net.input.emplace_back(t, s);
    }
  }
  std::uniform_real_distribution<float> weight(-6.0F, 14.0F);
  for (std::size_t k = 0; k < sources * targets; ++k) net.weights.push_back(weight(random));
  net.engine->add_spike_generator("in", sources, net.input);
  net.engine->add_population<Model>("lif", targets, parameters);
  ProjectionSpec projection{.name = "in_lif", .source = "in", .target = "lif", .receptor = "v"};
  projection.weights = net.weights;
  projection.delay_ms = 1.0;
  net.engine->connect(std::move(projection));
  return net;
}

// Per tick and target: the sum of the (quantised) weights of the spikes sent the tick before.
std::vector<std::vector<long long>> integer_inputs(const Network& net) {
  const Projection& projection = net.engine->projection("in_lif");
  std::vector<std::vector<long long>> uin(static_cast<std::size_t>(ticks), std::vector<long long>(targets, 0));
  for (const auto& [tick, source] : net.input) {
    if (tick + 1 >= ticks) continue;
    for (std::uint64_t k = projection.row_begin(source); k < projection.row_begin(source) + projection.row_length(source); ++k) {
      const float w = projection.weight_of(k);
      REQUIRE(w == std::round(w));  // quantised: integers
      uin[static_cast<std::size_t>(tick + 1)][projection.target_of(k)] += static_cast<long long>(w);
    }
  }
  return uin;
}

// The lif population's spikes as (tick, neuron).
std::vector<std::pair<Tick, std::uint32_t>> lif_spikes(const EventEngine& engine, const SpikeBatch& all) {
  std::uint32_t port = 0;
  for (std::size_t p = 0; p < engine.ports().size(); ++p) {
    if (engine.ports()[p].name == "lif.spikes") port = static_cast<std::uint32_t>(p);
  }
  std::vector<std::pair<Tick, std::uint32_t>> out;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if ((all.index[i] >> 24) == port) out.emplace_back(all.tick[i], all.index[i] & 0xFFFFFFU);
  }
  return out;
}

Lif::Parameters lif_parameters(ResetMode reset, double refractory_ms) {
  Lif::Parameters p;
  p.tau_m_ms = 12.0;
  p.v_threshold_mv = 20.0;
  p.v_reset_mv = reset == ResetMode::to_value ? -3.0 : 0.0;
  p.reset_mode = reset;
  p.refractory_ms = refractory_ms;
  return p;
}

}  // namespace

TEST_CASE("tianjic precision: a lif population steps as Tianjic's LIF soma (reference model)", "[neurons][precision][tianjic]") {
  for (const auto reset : {ResetMode::to_value, ResetMode::subtract}) {
    for (const double refractory_ms : {0.0, 4.0}) {
      CAPTURE(static_cast<int>(reset), refractory_ms);
      const Lif::Parameters parameters = lif_parameters(reset, refractory_ms);
      Network net = make_network<TianjicLif>(7, parameters);
      const auto run = run_engine(*net.engine, ticks, 1, ExecutionMode::event);
      // The scale: the largest |weight| becomes 127.
      REQUIRE(net.engine->quantisations().size() == 1);
      const PopulationQuantisation& q = net.engine->quantisations()[0];
      double largest = 0.0;
      for (const float w : net.weights) largest = std::max(largest, std::abs(static_cast<double>(w)));
      CHECK(q.scale == Approx(127.0 / largest).epsilon(1e-12));
      CHECK(q.weights.weights == sources * targets);
      CHECK(q.weights.max_error <= (0.5 + 1e-6 * 127) / q.scale);  // ties judged to 1e-6
      CHECK(q.weights.clipped == 0);

      // The reference: the soma's parameters written from the float ones by hand.
      tianjic_reference::LifParameters p;
      p.neuron_num = targets;
      p.Vth0 = std::llround(20.0 * q.scale);
      p.Vleaky_adpt_en = 1;
      p.Tw_len = 2147483647;  // no time window
      p.Vleaky_alpha = std::llround(256.0 * std::exp(-1.0 / 12.0));
      p.Ref_len = refractory_ms > 0.0 ? static_cast<long long>(refractory_ms) - 1 : 0;
      if (reset == ResetMode::to_value) {
        p.reset_mode = 0;
        p.VR = std::llround(-3.0 * q.scale);
      } else {
        p.reset_mode = 2;
        p.dV = std::llround(20.0 * q.scale);
      }
      tianjic_reference::Lif reference(p, {0}, std::vector<long long>(targets, 0), std::vector<long long>(targets, 0), {0});
      std::vector<std::pair<Tick, std::uint32_t>> expected;
      tianjic_reference::LifStepResult last;
      const auto uin = integer_inputs(net);
      for (Tick t = 0; t < ticks; ++t) {
        last = reference.step(uin[static_cast<std::size_t>(t)]);
        for (std::uint32_t i = 0; i < targets; ++i) {
          if (last.spike[i]) expected.emplace_back(t, i);
        }
      }
      const auto spikes = lif_spikes(*net.engine, run.spikes);
      CHECK(spikes.size() > 20);
      CHECK(spikes == expected);
      const auto& population = dynamic_cast<const Population<TianjicLif>&>(net.engine->population("lif"));
      for (std::size_t i = 0; i < targets; ++i) CHECK(population.state().var[0][i] == last.V[i]);
    }
  }
}

TEST_CASE("loihi precision: a lif population steps as Lava's bit-accurate LIF (written out here)", "[neurons][precision][loihi]") {
  for (const double refractory_ms : {0.0, 3.0}) {
    CAPTURE(refractory_ms);
    Lif::Parameters parameters = lif_parameters(ResetMode::to_value, refractory_ms);
    parameters.v_reset_mv = 0.0;  // Loihi resets to 0 = v_leak
    Network net = make_network<LoihiLif>(11, parameters);
    const auto run = run_engine(*net.engine, ticks, 1, ExecutionMode::event);
    const double scale = net.engine->quantisations().at(0).scale;
    // Lava: u = decay(u) + a_in·2^6 (du = 4096: only this tick's input), v = clip(decay(v) + u),
    // spike when v > vth·2^6, then v = 0 and `refractory` ticks without integration. Decay:
    // x·(4096 − d) / 4096 truncated toward zero (C++ division truncates).
    const long long dv = static_cast<long long>(std::floor(4096.0 * (1.0 - std::exp(-1.0 / 12.0))));
    const long long vth = std::llround(20.0 * scale);
    const long long refractory = refractory_ms > 0.0 ? static_cast<long long>(refractory_ms) - 1 : 0;
    const long long limit = (1LL << 23) - 1;
    std::vector<long long> v(targets, 0), left(targets, 0);
    std::vector<std::pair<Tick, std::uint32_t>> expected;
    const auto uin = integer_inputs(net);
    for (Tick t = 0; t < ticks; ++t) {
      for (std::uint32_t i = 0; i < targets; ++i) {
        const long long u = uin[static_cast<std::size_t>(t)][i] * 64;
        if (left[i] > 0) {
          --left[i];
          continue;
        }
        v[i] = std::clamp(v[i] * (4096 - dv) / 4096 + u, -limit, limit);
        if (v[i] > vth * 64) {
          v[i] = 0;
          left[i] = refractory;
          expected.emplace_back(t, i);
        }
      }
    }
    const auto spikes = lif_spikes(*net.engine, run.spikes);
    CHECK(spikes.size() > 20);
    CHECK(spikes == expected);
    const auto& population = dynamic_cast<const Population<LoihiLif>&>(net.engine->population("lif"));
    for (std::size_t i = 0; i < targets; ++i) CHECK(population.state().var[0][i] == v[i]);
  }
}

TEST_CASE("integer precisions: event and always-on are bit-identical, and quiet neurons are skipped", "[neurons][precision][equivalence]") {
  const auto check = [](auto model_tag) {
    using Model = decltype(model_tag);
    const Lif::Parameters parameters = lif_parameters(ResetMode::to_value, 2.0);
    Lif::Parameters p = parameters;
    if constexpr (std::is_same_v<Model, LoihiLif>) p.v_reset_mv = 0.0;
    Network event_net = make_network<Model>(5, p);
    Network always_net = make_network<Model>(5, p);
    const auto event = run_engine(*event_net.engine, ticks, 3, ExecutionMode::event);
    const auto always = run_engine(*always_net.engine, ticks, 3, ExecutionMode::always_on);
    CHECK(event.spikes.tick == always.spikes.tick);
    CHECK(event.spikes.index == always.spikes.index);
    REQUIRE(event.state.size() == always.state.size());
    for (std::size_t k = 0; k < event.state.size(); ++k) CHECK(testing::bit_identical(event.state[k], always.state[k]));
    const auto& lif = testing::node(event, "lif");
    CHECK(lif.precision == std::string(to_string(Model::precision)));
    CHECK_FALSE(lif.quantisation.empty());
    // Integer state comes back to rest exactly: many updates are skipped in the quiet stretch.
    CHECK(lif.executed[Op::neuron_update_skipped] > 60 * targets / 2);
    CHECK(testing::node(always, "lif").executed[Op::neuron_update] == ticks * targets);
  };
  check(TianjicLif{});
  check(LoihiLif{});
}

TEST_CASE("integer precisions: recorded state and initial values are in mV", "[neurons][precision]") {
  Network net = make_network<TianjicLif>(9, lif_parameters(ResetMode::to_value, 0.0));
  net.engine->population("lif").set_initial("v", std::vector<float>(targets, 10.0F));
  net.engine->reset(RunContext{net.engine->time(), 1, ExecutionMode::event});
  const double scale = net.engine->quantisations().at(0).scale;
  const auto& population = dynamic_cast<const Population<TianjicLif>&>(net.engine->population("lif"));
  CHECK(population.state().var[0][0] == std::llround(10.0 * scale));
  CHECK(population.values(0)[0] == Approx(10.0).margin(0.5 / scale));
}

TEST_CASE("integer precisions: models and parameters without an integer form are refused by name", "[neurons][precision][errors]") {
  const TimeBase time(1.0);
  CHECK_THROWS_WITH(make_population("izhikevich", "iz", 3, {}, time, Precision::tianjic),
                    Catch::Contains("model 'izhikevich' has no tianjic precision") && Catch::Contains("lif"));
  CHECK_THROWS_WITH(make_population("lif", "x", 3, {{"reset_mode", "subtract"}}, time, Precision::loihi),
                    Catch::Contains("subtract has no Loihi form"));
  CHECK_THROWS_WITH(make_population("lif", "x", 3, {{"v_reset_mv", "-5"}}, time, Precision::loihi),
                    Catch::Contains("v_reset_mv = -5 differs from v_leak_mv = 0"));
  CHECK_THROWS_WITH(make_population("lif", "x", 3, {{"refractory_ms", "20"}}, time, Precision::tianjic),
                    Catch::Contains("4-bit counter allows at most 16"));
  CHECK(has_precision("lif", Precision::loihi));
  CHECK_FALSE(has_precision("lif_coba", Precision::tianjic));
}

TEST_CASE("quantisation: ties are judged to float32 resolution, not to the last ulp", "[neurons][precision]") {
  CHECK(round_to_int32(317.49999) == 318);  // 0.1 · 127 / 0.04 from float32 parameters
  CHECK(round_to_int32(-2.5) == -3);
  CHECK(round_to_int32(2.4999) == 2);
  CHECK(round_to_int32(1e12) == INT32_MAX);
}
