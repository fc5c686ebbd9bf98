// Model tests against closed forms and hand arithmetic, and parameter validation.
#include <catch2/catch.hpp>
#include <cmath>

#include "neurons/model_list.hpp"
#include "neurons/registry.hpp"

using namespace tandem;
using namespace tandem::neurons;

namespace {
// Steps one neuron with a constant current on "i_ext" (receptor 1 of Lif) and nothing else.
struct LifDriver {
  Lif::Constants constants;
  Lif::State state;
  std::vector<float> v_input{0.0F}, current{0.0F};
  LifDriver(const Lif::Parameters& p, double dt_ms, float i_ext) : constants(Lif::derive(p, TimeBase(dt_ms))) {
    state.resize(1);
    Lif::rest(constants, state, 0);
    current[0] = i_ext;
  }
  bool step() {
    const float in[2] = {v_input[0], current[0]};
    return Lif::step(constants, state.view(), 0, in);
  }
};
}  // namespace

TEST_CASE("lif: membrane under constant current follows R·I·(1 − exp(−t/tau))", "[neurons][lif][analytic]") {
  Lif::Parameters p;
  p.tau_m_ms = 10.0;
  p.r_mohm = 2.0;
  p.v_threshold_mv = 1000.0;  // never fires
  LifDriver lif(p, 0.1, 5.0F);
  for (int k = 1; k <= 500; ++k) {
    lif.step();
    const double expected = 2.0 * 5.0 * (1.0 - std::exp(-0.1 * k / 10.0));
    REQUIRE(lif.state.var[0][0] == Approx(expected).epsilon(1e-5));
  }
}

TEST_CASE("lif: first spike at t* = −tau·ln(1 − theta/(R·I))", "[neurons][lif][analytic]") {
  Lif::Parameters p;
  p.tau_m_ms = 20.0;
  p.v_threshold_mv = 15.0;
  const float current = 20.0F;  // v_inf = 20 mV
  const double t_star_ms = -20.0 * std::log(1.0 - 15.0 / 20.0);  // 27.7259 ms
  LifDriver lif(p, 0.1, current);
  int first = -1;
  for (int tick = 0; tick < 1000 && first < 0; ++tick) {
    if (lif.step()) first = tick;
  }
  // After the step of tick k the membrane holds v((k + 1)·dt).
  CHECK(first + 1 == static_cast<int>(std::ceil(t_star_ms / 0.1)));
  CHECK(lif.state.var[0][0] == 0.0F);  // reset to v_reset
}

TEST_CASE("lif: delta input adds after the leak; refractory clamps and drops input", "[neurons][lif]") {
  Lif::Parameters p;
  p.refractory_ms = 0.3;  // 3 ticks: clamped at t+1, t+2, integrating again at t+3
  LifDriver lif(p, 0.1, 0.0F);
  lif.v_input[0] = 25.0F;
  CHECK(lif.step());  // 0·decay + 25 > 20
  lif.v_input[0] = 5.0F;
  CHECK_FALSE(lif.step());
  CHECK(lif.state.var[0][0] == 0.0F);
  CHECK_FALSE(lif.step());
  CHECK(lif.state.var[0][0] == 0.0F);
  CHECK_FALSE(lif.step());
  CHECK(lif.state.var[0][0] == 5.0F);
  CHECK_FALSE(lif.step());
  CHECK(lif.state.var[0][0] == Approx(5.0 * std::exp(-0.1 / 20.0) + 5.0).epsilon(1e-6));
}

TEST_CASE("lif: subtract reset keeps the overshoot", "[neurons][lif]") {
  Lif::Parameters p;
  p.reset_mode = ResetMode::subtract;
  p.v_threshold_mv = 10.0;
  p.v_reset_mv = 0.0;
  LifDriver lif(p, 1.0, 0.0F);
  lif.v_input[0] = 13.0F;
  CHECK(lif.step());
  CHECK(lif.state.var[0][0] == 3.0F);
}

TEST_CASE("lif_coba: one tick matches the exponential-Euler formula by hand", "[neurons][lif_coba]") {
  LifCoba::Parameters p;
  p.v_drive_mv = 20.0;
  const auto c = LifCoba::derive(p, TimeBase(0.1));
  LifCoba::State s;
  s.resize(1);
  s.var[0][0] = -55.0F;
  std::vector<float> g_exc{0.6F}, g_inh{6.7F}, zero{0.0F};
  const float in[4] = {g_exc[0], g_inh[0], zero[0], zero[0]};
  CHECK_FALSE(LifCoba::step(c, s.view(), 0, in));
  const double a = 1.0 + 0.6 + 6.7;
  const double v_inf = (-60.0 + 20.0 + 0.6 * 0.0 + 6.7 * -80.0) / a;
  CHECK(s.var[0][0] == Approx(v_inf + (-55.0 - v_inf) * std::exp(-a * 0.1 / 20.0)).epsilon(1e-6));
  CHECK(s.var[1][0] == Approx(0.6 * std::exp(-0.1 / 5.0)).epsilon(1e-6));
  CHECK(s.var[2][0] == Approx(6.7 * std::exp(-0.1 / 10.0)).epsilon(1e-6));
}

TEST_CASE("izhikevich: regular spiking neuron fires under I = 10 and resets to c", "[neurons][izhikevich]") {
  const auto c = Izhikevich::derive({}, TimeBase(0.1));
  Izhikevich::State s;
  s.resize(1);
  Izhikevich::rest(c, s, 0);
  std::vector<float> zero{0.0F}, current{10.0F};
  const float in[2] = {zero[0], current[0]};
  int spikes = 0;
  for (int k = 0; k < 10000; ++k) {  // 1 s
    if (Izhikevich::step(c, s.view(), 0, in)) {
      ++spikes;
      CHECK(s.var[0][0] == -65.0F);
    }
  }
  // Regular spiking at I = 10 fires tonically at a few tens of Hz (Izhikevich 2003, Fig. 2).
  CHECK(spikes > 5);
  CHECK(spikes < 100);
}

TEST_CASE("models: bad parameters are refused naming model, parameter and value", "[neurons][validation]") {
  const TimeBase time(0.1);
  auto message_of = [](auto&& make) -> std::string {
    try {
      make();
    } catch (const InputError& error) {
      return error.what();
    }
    return "accepted";
  };
  Lif::Parameters negative_tau;
  negative_tau.tau_m_ms = -1.0;
  const auto tau = message_of([&] { (void)Lif::derive(negative_tau, time); });
  CHECK(tau.find("lif") != std::string::npos);
  CHECK(tau.find("tau_m_ms = -1") != std::string::npos);
  LifCoba::Parameters fractional;
  fractional.refractory_ms = 0.15;
  const auto refractory = message_of([&] { (void)LifCoba::derive(fractional, time); });
  CHECK(refractory.find("refractory_ms = 0.15") != std::string::npos);
  CHECK(refractory.find("whole number of ticks") != std::string::npos);
  LifCuba::Parameters inverted;
  inverted.v_threshold_mv = -70.0;
  CHECK(message_of([&] { (void)LifCuba::derive(inverted, time); }).find("v_threshold_mv") != std::string::npos);
  CHECK(message_of([&] { (void)make_population("lif", "exc", 4, {{"tau_m", "3"}}, time); }).find("tau_m is unknown") !=
        std::string::npos);
  CHECK(message_of([&] { (void)make_population("lif", "exc", 4, {{"tau_m_ms", "x"}}, time); }).find("'x'") !=
        std::string::npos);
  CHECK(message_of([&] { (void)make_population("hh", "exc", 4, {}, time); }).find("unknown neuron model 'hh'") !=
        std::string::npos);
  CHECK(message_of([&] { (void)make_population("lif", "exc", 4, {{"reset_mode", "sideways"}}, time); })
            .find("reset_mode") != std::string::npos);
}

TEST_CASE("registry: parameters given by name reach the model", "[neurons][registry]") {
  auto population = make_population("lif", "exc", 2, {{"v_leak_mv", "-3.5"}, {"reset_mode", "subtract"}}, TimeBase(1.0));
  population->configure_slots(1);
  population->reset(1);
  CHECK(population->values(0)[0] == -3.5F);
  CHECK(models().size() == std::tuple_size_v<ModelList>);
}
