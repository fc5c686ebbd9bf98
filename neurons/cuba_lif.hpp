// NIR CubaLIF: current-based LIF with one synaptic current:
//   tau_syn dI/dt = −I + w_in·S,   tau_mem dv/dt = (v_leak − v) + R·(I + I_ext)
// Per tick: I += w_in·(values arriving on `i_syn`); v by exponential Euler holding I fixed;
// v += inputs on `v`; I decays exactly (integration: euler → both decays 1 − dt/tau, NIR's scheme); threshold/reset (to value or subtract); refractory clamp.
// Rest: not refractory, |v − v_leak| <= rest_tolerance_mv and |I| <= rest_tolerance_na → v = v_leak,
// I = 0 (model.hpp).
#pragma once

#include "neurons/model.hpp"

namespace tandem::neurons {

struct CubaLif {
  static constexpr std::string_view name = "cuba_lif";
  struct Parameters {
    double tau_mem_ms = 20.0;
    double tau_syn_ms = 5.0;
    double v_leak_mv = 0.0;
    double r_mohm = 1.0;
    double w_in = 1.0;
    double v_threshold_mv = 1.0;
    double v_reset_mv = 0.0;
    double refractory_ms = 0.0;
    ResetMode reset_mode = ResetMode::to_value;
    double rest_tolerance_mv = default_rest_tolerance_mv;
    double rest_tolerance_na = default_rest_tolerance_na;
    Integration integration = Integration::exact;  // euler: NIR's forward Euler (model.hpp)
  };
  static constexpr std::array fields = {
      Field<Parameters>{"tau_mem_ms", &Parameters::tau_mem_ms}, Field<Parameters>{"tau_syn_ms", &Parameters::tau_syn_ms},
      Field<Parameters>{"v_leak_mv", &Parameters::v_leak_mv}, Field<Parameters>{"r_mohm", &Parameters::r_mohm},
      Field<Parameters>{"w_in", &Parameters::w_in}, Field<Parameters>{"v_threshold_mv", &Parameters::v_threshold_mv},
      Field<Parameters>{"v_reset_mv", &Parameters::v_reset_mv}, Field<Parameters>{"refractory_ms", &Parameters::refractory_ms},
      Field<Parameters>{"rest_tolerance_mv", &Parameters::rest_tolerance_mv},
      Field<Parameters>{"rest_tolerance_na", &Parameters::rest_tolerance_na}};
  struct Constants {
    float decay_mem, decay_syn, v_leak, r, w_in;
    SpikeRule spike;
    float tolerance_v, tolerance_i;
  };
  static constexpr std::array receptors = {Receptor{"i_syn"}, Receptor{"v"}, Receptor{"i_ext", true}};
  static constexpr std::array variables = {Variable{"v", "mV"}, Variable{"i_syn", "nA"}};
  using State = ModelState<2>;

  static Constants derive(const Parameters& p, const TimeBase& time) {
    require_positive(name, "tau_mem_ms", p.tau_mem_ms);
    require_positive(name, "tau_syn_ms", p.tau_syn_ms);
    require_finite(name, "v_leak_mv", p.v_leak_mv);
    require_finite(name, "r_mohm", p.r_mohm);
    require_finite(name, "w_in", p.w_in);
    const double dt = time.dt_ms();
    return {decay_factor(name, "tau_mem_ms", dt, p.tau_mem_ms, p.integration),
            decay_factor(name, "tau_syn_ms", dt, p.tau_syn_ms, p.integration), static_cast<float>(p.v_leak_mv),
            static_cast<float>(p.r_mohm), static_cast<float>(p.w_in),
            make_spike_rule(name, p.v_threshold_mv, p.v_reset_mv, p.reset_mode, p.refractory_ms, time),
            rest_tolerance(name, "rest_tolerance_mv", p.rest_tolerance_mv),
            rest_tolerance(name, "rest_tolerance_na", p.rest_tolerance_na)};
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
    float& i_syn = s.var[1][i];
    i_syn += c.w_in * in[0];
    bool spiked = false;
    if (s.refractory_left[i] > 0) {
      --s.refractory_left[i];
    } else {
      v = leaky_step(v, c.v_leak, c.r * (i_syn + in[2]), c.decay_mem) + in[1];
      spiked = c.spike.fire(v, s.refractory_left[i]);
    }
    i_syn *= c.decay_syn;
    if ((s.refractory_left[i] | off_rest_bit(v, c.v_leak, c.tolerance_v) | off_rest_bit(i_syn, 0.0F, c.tolerance_i)) == 0) {
      v = c.v_leak;
      i_syn = 0.0F;
    }
    return spiked;
  }
};

}  // namespace tandem::neurons
