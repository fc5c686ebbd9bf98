// Izhikevich (2003) simple model:
//   dv/dt = 0.04·v² + 5·v + 140 − u + I,   du/dt = a·(b·v − u);   v ≥ v_peak → v = c, u += d.
// Per tick: forward Euler over dt from the old (v, u); v += inputs on `v`; threshold. No
// refractory period (the model's reset provides it). Initial state v_init, u = b·v_init.
// Rest: the stable fixed point (v*, u* = b·v*) of the equations without input, the lower root of
// 0.04·v² + (5 − b)·v + 140 = 0, when it exists and forward Euler over dt converges to it; then
// |v − v*| <= rest_tolerance_mv and |u − u*| <= rest_tolerance_u → (v, u) = (v*, u*) (model.hpp).
// Parameters without such a point (tonic spiking) never rest. (v*, u*) rounded to float is not
// an exact fixed point of the float step, so at_rest() evaluates the step and the snap.
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
    double rest_tolerance_mv = default_rest_tolerance_mv;
    double rest_tolerance_u = default_rest_tolerance_u;
  };
  static constexpr std::array fields = {
      Field<Parameters>{"a", &Parameters::a}, Field<Parameters>{"b", &Parameters::b},
      Field<Parameters>{"c_mv", &Parameters::c_mv}, Field<Parameters>{"d", &Parameters::d},
      Field<Parameters>{"v_peak_mv", &Parameters::v_peak_mv}, Field<Parameters>{"v_init_mv", &Parameters::v_init_mv},
      Field<Parameters>{"rest_tolerance_mv", &Parameters::rest_tolerance_mv},
      Field<Parameters>{"rest_tolerance_u", &Parameters::rest_tolerance_u}};
  struct Constants {
    float dt, a, b, c, d, v_peak, v_init;
    float v_rest, u_rest;              // the stable fixed point, when there is one
    float tolerance_v, tolerance_u;
    bool rests;                        // false: no stable rest point, never snapped
  };
  // The stable rest point of the Euler-discretised equations, or false (derive() uses it).
  static bool rest_point(const Parameters& p, double dt, double& v, double& u) {
    const double disc = (5.0 - p.b) * (5.0 - p.b) - 4.0 * 0.04 * 140.0;
    if (disc < 0.0) return false;
    v = (-(5.0 - p.b) - std::sqrt(disc)) / (2.0 * 0.04);
    u = p.b * v;
    // Jacobian at the point: [[0.08 v + 5, −1], [a b, −a]]; Euler converges when both
    // eigenvalues of I + dt·J lie inside the unit circle.
    const double j11 = 0.08 * v + 5.0, j12 = -1.0, j21 = p.a * p.b, j22 = -p.a;
    const double trace = 2.0 + dt * (j11 + j22);
    const double det = (1.0 + dt * j11) * (1.0 + dt * j22) - dt * dt * j12 * j21;
    // Jury's conditions for z² − trace·z + det: |det| < 1 and |trace| < 1 + det.
    return std::abs(det) < 1.0 && std::abs(trace) < 1.0 + det && v < p.v_peak_mv;
  }
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
    const float tolerance_v = rest_tolerance(name, "rest_tolerance_mv", p.rest_tolerance_mv);
    const float tolerance_u = rest_tolerance(name, "rest_tolerance_u", p.rest_tolerance_u);
    double v_rest = 0.0;
    double u_rest = 0.0;
    const bool rests = rest_point(p, time.dt_ms(), v_rest, u_rest);
    return {static_cast<float>(time.dt_ms()), static_cast<float>(p.a), static_cast<float>(p.b),
            static_cast<float>(p.c_mv), static_cast<float>(p.d), static_cast<float>(p.v_peak_mv),
            static_cast<float>(p.v_init_mv), static_cast<float>(v_rest), static_cast<float>(u_rest),
            tolerance_v, tolerance_u, rests};
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
  static void snap(const Constants& c, float& v, float& u) {
    if (c.rests && (off_rest_bit(v, c.v_rest, c.tolerance_v) | off_rest_bit(u, c.u_rest, c.tolerance_u)) == 0) {
      v = c.v_rest;
      u = c.u_rest;
    }
  }
  static bool at_rest(const Constants& c, const State::View& s, std::size_t i) {
    float v = s.var[0][i];
    float u = s.var[1][i];
    integrate(c, v, u, 0.0F);
    v += 0.0F;
    if (v >= c.v_peak) return false;
    snap(c, v, u);
    return same_bits(v, s.var[0][i]) && same_bits(u, s.var[1][i]);
  }
  static bool step(const Constants& c, const State::View& s, std::size_t i, const float* in) {
    float& v = s.var[0][i];
    float& u = s.var[1][i];
    integrate(c, v, u, in[1]);
    v += in[0];
    if (!(v >= c.v_peak)) {
      snap(c, v, u);
      return false;
    }
    v = c.c;
    u += c.d;
    snap(c, v, u);
    return true;
  }
};

}  // namespace tandem::neurons
