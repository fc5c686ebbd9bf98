// NIR LIF with delta inputs: the Brunel (2000) network's neuron. Equations:
//   tau_m dv/dt = (v_leak − v) + R·I        (I: the `i_ext` current held over the tick)
//   a value arriving on `v` is added to v after the leak step (delta synapse); v > v_th → reset.
// Per tick: v ← v_inf + (v − v_inf)·exp(−dt/tau_m) (integration: euler → 1 − dt/tau_m),
// v_inf = v_leak + R·I; v += Σ inputs on v;
// threshold. While refractory v is clamped and inputs on v are dropped (NEST iaf_psc_delta).
// Rest: not refractory and |v − v_leak| <= rest_tolerance_mv → v = v_leak (model.hpp).
#pragma once

#include "neurons/model.hpp"

namespace tandem::neurons {

struct Lif {
  static constexpr std::string_view name = "lif";
  struct Parameters {
    double tau_m_ms = 20.0;
    double v_leak_mv = 0.0;
    double r_mohm = 1.0;  // R: mV per unit of input current
    double v_threshold_mv = 20.0;
    double v_reset_mv = 0.0;
    double refractory_ms = 0.0;
    ResetMode reset_mode = ResetMode::to_value;
    double rest_tolerance_mv = default_rest_tolerance_mv;
    Integration integration = Integration::exact;  // euler: NIR's forward Euler (model.hpp)
  };
  static constexpr std::array fields = {
      Field<Parameters>{"tau_m_ms", &Parameters::tau_m_ms}, Field<Parameters>{"v_leak_mv", &Parameters::v_leak_mv},
      Field<Parameters>{"r_mohm", &Parameters::r_mohm}, Field<Parameters>{"v_threshold_mv", &Parameters::v_threshold_mv},
      Field<Parameters>{"v_reset_mv", &Parameters::v_reset_mv}, Field<Parameters>{"refractory_ms", &Parameters::refractory_ms},
      Field<Parameters>{"rest_tolerance_mv", &Parameters::rest_tolerance_mv}};
  struct Constants {
    float decay, v_leak, r;
    SpikeRule spike;
    float tolerance_v;
  };
  static constexpr std::array receptors = {Receptor{"v"}, Receptor{"i_ext", true}};
  static constexpr std::array variables = {Variable{"v", "mV"}};
  using State = ModelState<1>;

  static Constants derive(const Parameters& p, const TimeBase& time) {
    require_positive(name, "tau_m_ms", p.tau_m_ms);
    require_finite(name, "v_leak_mv", p.v_leak_mv);
    require_finite(name, "r_mohm", p.r_mohm);
    return {decay_factor(name, "tau_m_ms", time.dt_ms(), p.tau_m_ms, p.integration), static_cast<float>(p.v_leak_mv),
            static_cast<float>(p.r_mohm),
            make_spike_rule(name, p.v_threshold_mv, p.v_reset_mv, p.reset_mode, p.refractory_ms, time),
            rest_tolerance(name, "rest_tolerance_mv", p.rest_tolerance_mv)};
  }
  static void rest(const Constants& c, State& s, std::size_t i) { s.var[0][i] = c.v_leak; }
  static bool at_rest(const Constants& c, const State::View& s, std::size_t i) {
    return s.refractory_left[i] == 0 && same_bits(s.var[0][i], c.v_leak) && !(c.v_leak > c.spike.v_threshold);
  }
  static bool step(const Constants& c, const State::View& s, std::size_t i, const float* in) {
    float& v = s.var[0][i];
    if (s.refractory_left[i] > 0) {
      --s.refractory_left[i];
      return false;
    }
    v = leaky_step(v, c.v_leak, c.r * in[1], c.decay) + in[0];
    const bool spiked = c.spike.fire(v, s.refractory_left[i]);
    if ((s.refractory_left[i] | off_rest_bit(v, c.v_leak, c.tolerance_v)) == 0) v = c.v_leak;
    return spiked;
  }
};

}  // namespace tandem::neurons
