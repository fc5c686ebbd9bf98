// NIR LI (leaky integrator, no spikes): a read-out neuron.
//   tau dv/dt = (v_leak − v) + R·I   (I: `i_ext` held over the tick); values on `v` add after the step.
// Rest: |v − v_leak| <= rest_tolerance_mv → v = v_leak (model.hpp).
#pragma once

#include "neurons/model.hpp"

namespace tandem::neurons {

struct Li {
  static constexpr std::string_view name = "li";
  struct Parameters {
    double tau_ms = 20.0;
    double v_leak_mv = 0.0;
    double r_mohm = 1.0;
    double rest_tolerance_mv = default_rest_tolerance_mv;
    Integration integration = Integration::exact;  // euler: NIR's forward Euler (model.hpp)
  };
  static constexpr std::array fields = {Field<Parameters>{"tau_ms", &Parameters::tau_ms},
                                        Field<Parameters>{"v_leak_mv", &Parameters::v_leak_mv},
                                        Field<Parameters>{"r_mohm", &Parameters::r_mohm},
                                        Field<Parameters>{"rest_tolerance_mv", &Parameters::rest_tolerance_mv}};
  struct Constants {
    float decay, v_leak, r, tolerance_v;
  };
  static constexpr std::array receptors = {Receptor{"v"}, Receptor{"i_ext", true}};
  static constexpr std::array variables = {Variable{"v", "mV"}};
  using State = ModelState<1>;

  static Constants derive(const Parameters& p, const TimeBase& time) {
    require_positive(name, "tau_ms", p.tau_ms);
    require_finite(name, "v_leak_mv", p.v_leak_mv);
    require_finite(name, "r_mohm", p.r_mohm);
    return {decay_factor(name, "tau_ms", time.dt_ms(), p.tau_ms, p.integration), static_cast<float>(p.v_leak_mv),
            static_cast<float>(p.r_mohm),
            rest_tolerance(name, "rest_tolerance_mv", p.rest_tolerance_mv)};
  }
  static void rest(const Constants& c, State& s, std::size_t i) { s.var[0][i] = c.v_leak; }
  static bool at_rest(const Constants& c, const State::View& s, std::size_t i) { return same_bits(s.var[0][i], c.v_leak); }
  static bool step(const Constants& c, const State::View& s, std::size_t i, const float* in) {
    const float v = leaky_step(s.var[0][i], c.v_leak, c.r * in[1], c.decay) + in[0];
    s.var[0][i] = off_rest_bit(v, c.v_leak, c.tolerance_v) == 0 ? c.v_leak : v;
    return false;
  }
};

}  // namespace tandem::neurons
