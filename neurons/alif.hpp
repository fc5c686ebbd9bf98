// Adaptive LIF (ALIF, Bellec et al. 2018 style threshold adaptation):
//   tau_m dv/dt = (v_leak − v) + R·I,   tau_adapt da/dt = −a,
//   spike when v > v_th + beta·a; then reset (v_reset, or subtract the effective threshold − v_reset)
//   and a += adapt_increment.
// Per tick: v by exponential Euler (I held); v += inputs on `v`; a decays exactly; threshold.
// Rest: not refractory, |v − v_leak| <= rest_tolerance_mv and |a| <= rest_tolerance_a → v = v_leak,
// a = 0 (model.hpp).
#pragma once

#include "neurons/model.hpp"

namespace tandem::neurons {

struct Alif {
  static constexpr std::string_view name = "alif";
  struct Parameters {
    double tau_m_ms = 20.0;
    double tau_adapt_ms = 200.0;
    double v_leak_mv = 0.0;
    double r_mohm = 1.0;
    double v_threshold_mv = 1.0;
    double beta_mv = 0.2;          // threshold increase per unit of a
    double adapt_increment = 1.0;  // a += this on every spike
    double v_reset_mv = 0.0;
    double refractory_ms = 0.0;
    ResetMode reset_mode = ResetMode::to_value;
    double rest_tolerance_mv = default_rest_tolerance_mv;
    double rest_tolerance_a = default_rest_tolerance_a;
  };
  static constexpr std::array fields = {
      Field<Parameters>{"tau_m_ms", &Parameters::tau_m_ms}, Field<Parameters>{"tau_adapt_ms", &Parameters::tau_adapt_ms},
      Field<Parameters>{"v_leak_mv", &Parameters::v_leak_mv}, Field<Parameters>{"r_mohm", &Parameters::r_mohm},
      Field<Parameters>{"v_threshold_mv", &Parameters::v_threshold_mv}, Field<Parameters>{"beta_mv", &Parameters::beta_mv},
      Field<Parameters>{"adapt_increment", &Parameters::adapt_increment},
      Field<Parameters>{"v_reset_mv", &Parameters::v_reset_mv}, Field<Parameters>{"refractory_ms", &Parameters::refractory_ms},
      Field<Parameters>{"rest_tolerance_mv", &Parameters::rest_tolerance_mv},
      Field<Parameters>{"rest_tolerance_a", &Parameters::rest_tolerance_a}};
  struct Constants {
    float decay_m, decay_a, v_leak, r, beta, increment;
    SpikeRule spike;
    float tolerance_v, tolerance_a;
  };
  static constexpr std::array receptors = {Receptor{"v"}, Receptor{"i_ext", true}};
  static constexpr std::array variables = {Variable{"v", "mV"}, Variable{"a", "1"}};
  using State = ModelState<2>;

  static Constants derive(const Parameters& p, const TimeBase& time) {
    require_positive(name, "tau_m_ms", p.tau_m_ms);
    require_positive(name, "tau_adapt_ms", p.tau_adapt_ms);
    require_finite(name, "v_leak_mv", p.v_leak_mv);
    require_finite(name, "r_mohm", p.r_mohm);
    require_non_negative(name, "beta_mv", p.beta_mv);
    require_non_negative(name, "adapt_increment", p.adapt_increment);
    const double dt = time.dt_ms();
    return {decay_factor(dt, p.tau_m_ms), decay_factor(dt, p.tau_adapt_ms), static_cast<float>(p.v_leak_mv),
            static_cast<float>(p.r_mohm), static_cast<float>(p.beta_mv), static_cast<float>(p.adapt_increment),
            make_spike_rule(name, p.v_threshold_mv, p.v_reset_mv, p.reset_mode, p.refractory_ms, time),
            rest_tolerance(name, "rest_tolerance_mv", p.rest_tolerance_mv),
            rest_tolerance(name, "rest_tolerance_a", p.rest_tolerance_a)};
  }
  static void rest(const Constants& c, State& s, std::size_t i) {
    s.var[0][i] = c.v_leak;
    s.var[1][i] = 0.0F;
  }
  static bool at_rest(const Constants& c, const State::View& s, std::size_t i) {
    return s.refractory_left[i] == 0 && same_bits(s.var[0][i], c.v_leak) && same_bits(s.var[1][i], 0.0F) &&
           !(c.v_leak > c.spike.v_threshold);
  }
  static bool step(const Constants& c, const State::View& s, std::size_t i, const float* in) {
    float& v = s.var[0][i];
    float& a = s.var[1][i];
    bool spiked = false;
    if (s.refractory_left[i] > 0) {
      --s.refractory_left[i];
    } else {
      v = leaky_step(v, c.v_leak, c.r * in[1], c.decay_m) + in[0];
      SpikeRule rule = c.spike;
      rule.v_threshold = c.spike.v_threshold + c.beta * a;
      spiked = rule.fire(v, s.refractory_left[i]);
    }
    a *= c.decay_a;
    if (spiked) a += c.increment;
    if ((s.refractory_left[i] | off_rest_bit(v, c.v_leak, c.tolerance_v) | off_rest_bit(a, 0.0F, c.tolerance_a)) == 0) {
      v = c.v_leak;
      a = 0.0F;
    }
    return spiked;
  }
};

}  // namespace tandem::neurons
