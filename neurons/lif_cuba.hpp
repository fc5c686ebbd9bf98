// LIF with exponential current synapses (CUBA), separate excitatory and inhibitory currents:
//   tau_m dv/dt = (v_rest − v) + R·(i_exc + i_inh + I_ext)
//   tau_exc di_exc/dt = −i_exc,   tau_inh di_inh/dt = −i_inh   (spikes add their weight to i_exc/i_inh)
// Per tick: i += arriving weights; v by exponential Euler holding the currents fixed; v += inputs
// on `v`; currents decay exactly (×exp(−dt/tau)); threshold/reset. Refractory: v clamped, currents evolve.
// Rest: not refractory, |v − v_rest| <= rest_tolerance_mv and |i_exc|, |i_inh| <= rest_tolerance_na
// → v = v_rest, i_exc = i_inh = 0 (model.hpp).
#pragma once

#include "neurons/model.hpp"

namespace tandem::neurons {

struct LifCuba {
  static constexpr std::string_view name = "lif_cuba";
  struct Parameters {
    double tau_m_ms = 20.0;
    double tau_exc_ms = 5.0;
    double tau_inh_ms = 10.0;
    double v_rest_mv = -65.0;
    double r_mohm = 1.0;
    double v_threshold_mv = -50.0;
    double v_reset_mv = -65.0;
    double refractory_ms = 2.0;
    ResetMode reset_mode = ResetMode::to_value;
    double rest_tolerance_mv = default_rest_tolerance_mv;
    double rest_tolerance_na = default_rest_tolerance_na;
  };
  static constexpr std::array fields = {
      Field<Parameters>{"tau_m_ms", &Parameters::tau_m_ms}, Field<Parameters>{"tau_exc_ms", &Parameters::tau_exc_ms},
      Field<Parameters>{"tau_inh_ms", &Parameters::tau_inh_ms}, Field<Parameters>{"v_rest_mv", &Parameters::v_rest_mv},
      Field<Parameters>{"r_mohm", &Parameters::r_mohm}, Field<Parameters>{"v_threshold_mv", &Parameters::v_threshold_mv},
      Field<Parameters>{"v_reset_mv", &Parameters::v_reset_mv}, Field<Parameters>{"refractory_ms", &Parameters::refractory_ms},
      Field<Parameters>{"rest_tolerance_mv", &Parameters::rest_tolerance_mv},
      Field<Parameters>{"rest_tolerance_na", &Parameters::rest_tolerance_na}};
  struct Constants {
    float decay_m, decay_exc, decay_inh, v_rest, r;
    SpikeRule spike;
    float tolerance_v, tolerance_i;
  };
  static constexpr std::array receptors = {Receptor{"i_exc"}, Receptor{"i_inh"}, Receptor{"v"}, Receptor{"i_ext", true}};
  static constexpr std::array variables = {Variable{"v", "mV"}, Variable{"i_exc", "nA"}, Variable{"i_inh", "nA"}};
  using State = ModelState<3>;

  static Constants derive(const Parameters& p, const TimeBase& time) {
    require_positive(name, "tau_m_ms", p.tau_m_ms);
    require_positive(name, "tau_exc_ms", p.tau_exc_ms);
    require_positive(name, "tau_inh_ms", p.tau_inh_ms);
    require_finite(name, "v_rest_mv", p.v_rest_mv);
    require_finite(name, "r_mohm", p.r_mohm);
    const double dt = time.dt_ms();
    return {decay_factor(dt, p.tau_m_ms), decay_factor(dt, p.tau_exc_ms), decay_factor(dt, p.tau_inh_ms),
            static_cast<float>(p.v_rest_mv), static_cast<float>(p.r_mohm),
            make_spike_rule(name, p.v_threshold_mv, p.v_reset_mv, p.reset_mode, p.refractory_ms, time),
            rest_tolerance(name, "rest_tolerance_mv", p.rest_tolerance_mv),
            rest_tolerance(name, "rest_tolerance_na", p.rest_tolerance_na)};
  }
  static void rest(const Constants& c, State& s, std::size_t i) {
    s.var[0][i] = c.v_rest;
    s.var[1][i] = 0.0F;
    s.var[2][i] = 0.0F;
  }
  static bool at_rest(const Constants& c, const State::View& s, std::size_t i) {
    return s.refractory_left[i] == 0 && same_bits(s.var[0][i], c.v_rest) && same_bits(s.var[1][i], 0.0F) &&
           same_bits(s.var[2][i], 0.0F) && !(c.v_rest > c.spike.v_threshold);
  }
  static bool step(const Constants& c, const State::View& s, std::size_t i, const float* in) {
    float& v = s.var[0][i];
    float& i_exc = s.var[1][i];
    float& i_inh = s.var[2][i];
    i_exc += in[0];
    i_inh += in[1];
    bool spiked = false;
    if (s.refractory_left[i] > 0) {
      --s.refractory_left[i];
    } else {
      v = leaky_step(v, c.v_rest, c.r * (i_exc + i_inh + in[3]), c.decay_m) + in[2];
      spiked = c.spike.fire(v, s.refractory_left[i]);
    }
    i_exc *= c.decay_exc;
    i_inh *= c.decay_inh;
    if ((s.refractory_left[i] | off_rest_bit(v, c.v_rest, c.tolerance_v) | off_rest_bit(i_exc, 0.0F, c.tolerance_i) |
         off_rest_bit(i_inh, 0.0F, c.tolerance_i)) == 0) {
      v = c.v_rest;
      i_exc = 0.0F;
      i_inh = 0.0F;
    }
    return spiked;
  }
};

}  // namespace tandem::neurons
