// Izhikevich (2003) simple model:
//   dv/dt = 0.04·v² + 5·v + 140 − u + I,   du/dt = a·(b·v − u);   v ≥ v_peak → v = c, u += d.
// Per tick: forward Euler over dt from the old (v, u); v += inputs on `v`; threshold. No
// refractory period (the model's reset provides it). Initial state v_init, u = b·v_init.
// The model's rest point is generally not a float fixed point, so at_rest() evaluates the step.
#pragma once

#include "neurons/model.hpp"

namespace tandem::neurons {

struct Izhikevich {
  static constexpr std::string_view name = "izhikevich";
  struct Parameters {  // regular spiking defaults (Izhikevich 2003, Fig. 2)
    double a = 0.02;
    double b = 0.2;
    double c_mv = -65.0;
    double d = 8.0;
    double v_peak_mv = 30.0;
    double v_init_mv = -70.0;
  };
  static constexpr std::array fields = {
      Field<Parameters>{"a", &Parameters::a}, Field<Parameters>{"b", &Parameters::b},
      Field<Parameters>{"c_mv", &Parameters::c_mv}, Field<Parameters>{"d", &Parameters::d},
      Field<Parameters>{"v_peak_mv", &Parameters::v_peak_mv}, Field<Parameters>{"v_init_mv", &Parameters::v_init_mv}};
  struct Constants {
    float dt, a, b, c, d, v_peak, v_init;
  };
  static constexpr std::array receptors = {Receptor{"v"}, Receptor{"i_ext", true}};
  static constexpr std::array variables = {Variable{"v", "mV"}, Variable{"u", "mV/ms"}};
  using State = ModelState<2>;

  static Constants derive(const Parameters& p, const TimeBase& time) {
    require_positive(name, "a", p.a);
    require_finite(name, "b", p.b);
    require_finite(name, "d", p.d);
    require_finite(name, "c_mv", p.c_mv);
    require_greater(name, "v_peak_mv", p.v_peak_mv, "c_mv", p.c_mv);
    require_finite(name, "v_init_mv", p.v_init_mv);
    return {static_cast<float>(time.dt_ms()), static_cast<float>(p.a), static_cast<float>(p.b),
            static_cast<float>(p.c_mv), static_cast<float>(p.d), static_cast<float>(p.v_peak_mv),
            static_cast<float>(p.v_init_mv)};
  }
  static void rest(const Constants& c, State& s, std::size_t i) {
    s.var[0][i] = c.v_init;
    s.var[1][i] = c.b * c.v_init;
  }
  static void integrate(const Constants& c, float& v, float& u, float current) {
    const float dv = 0.04F * v * v + 5.0F * v + 140.0F - u + current;
    const float du = c.a * (c.b * v - u);
    v += c.dt * dv;
    u += c.dt * du;
  }
  static bool at_rest(const Constants& c, const State::View& s, std::size_t i) {
    float v = s.var[0][i];
    float u = s.var[1][i];
    integrate(c, v, u, 0.0F);
    v += 0.0F;
    return same_bits(v, s.var[0][i]) && same_bits(u, s.var[1][i]) && !(v >= c.v_peak);
  }
  static bool step(const Constants& c, const State::View& s, std::size_t i, const float* const* in) {
    float& v = s.var[0][i];
    float& u = s.var[1][i];
    integrate(c, v, u, in[1][i]);
    v += in[0][i];
    if (!(v >= c.v_peak)) return false;
    v = c.c;
    u += c.d;
    return true;
  }
};

}  // namespace tandem::neurons
