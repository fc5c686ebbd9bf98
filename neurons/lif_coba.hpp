// LIF with conductance synapses (COBA; the Vogels–Abbott 2005 benchmark neuron). g in units of
// the leak conductance (dimensionless):
//   tau_m dv/dt = (v_rest − v) + v_drive + I_ext + g_exc·(e_exc − v) + g_inh·(e_inh − v)
//   tau_exc dg_exc/dt = −g_exc,   tau_inh dg_inh/dt = −g_inh   (spikes add their weight to g)
// Per tick: g += arriving weights; v by exponential Euler holding g fixed over the step —
// A = 1 + g_exc + g_inh, v_inf = (v_rest + v_drive + I_ext + g_exc·e_exc + g_inh·e_inh)/A,
// v ← v_inf + (v − v_inf)·exp(−A·dt/tau_m); v += inputs on `v`; g decays exactly; threshold/reset.
// Refractory: v clamped, g keeps decaying (and keeps receiving input). exp() is exp_nonpositive
// (model.hpp), which lets the neuron loop vectorise.
// Rest: not refractory, |v − v_base| <= rest_tolerance_mv and g_exc, g_inh <= rest_tolerance_g
// → v = v_base, g = 0 (model.hpp).
#pragma once

#include "neurons/model.hpp"

namespace tandem::neurons {

struct LifCoba {
  static constexpr std::string_view name = "lif_coba";
  struct Parameters {
    double tau_m_ms = 20.0;
    double tau_exc_ms = 5.0;
    double tau_inh_ms = 10.0;
    double v_rest_mv = -60.0;
    double v_drive_mv = 0.0;  // constant drive (the COBA benchmark uses 20 mV)
    double e_exc_mv = 0.0;
    double e_inh_mv = -80.0;
    double v_threshold_mv = -50.0;
    double v_reset_mv = -60.0;
    double refractory_ms = 5.0;
    ResetMode reset_mode = ResetMode::to_value;
    double rest_tolerance_mv = default_rest_tolerance_mv;
    double rest_tolerance_g = default_rest_tolerance_g;
  };
  static constexpr std::array fields = {
      Field<Parameters>{"tau_m_ms", &Parameters::tau_m_ms}, Field<Parameters>{"tau_exc_ms", &Parameters::tau_exc_ms},
      Field<Parameters>{"tau_inh_ms", &Parameters::tau_inh_ms}, Field<Parameters>{"v_rest_mv", &Parameters::v_rest_mv},
      Field<Parameters>{"v_drive_mv", &Parameters::v_drive_mv}, Field<Parameters>{"e_exc_mv", &Parameters::e_exc_mv},
      Field<Parameters>{"e_inh_mv", &Parameters::e_inh_mv}, Field<Parameters>{"v_threshold_mv", &Parameters::v_threshold_mv},
      Field<Parameters>{"v_reset_mv", &Parameters::v_reset_mv}, Field<Parameters>{"refractory_ms", &Parameters::refractory_ms},
      Field<Parameters>{"rest_tolerance_mv", &Parameters::rest_tolerance_mv},
      Field<Parameters>{"rest_tolerance_g", &Parameters::rest_tolerance_g}};
  struct Constants {
    float minus_dt_over_tau_m, decay_exc, decay_inh, v_base, e_exc, e_inh;  // v_base = v_rest + v_drive
    SpikeRule spike;
    SpikeBlend blend;
    float tolerance_v, tolerance_g;
    // False when v_base is above threshold: the neuron fires tonically and never rests.
    bool can_rest;
  };
  static constexpr std::array receptors = {Receptor{"g_exc"}, Receptor{"g_inh"}, Receptor{"v"}, Receptor{"i_ext", true}};
  static constexpr std::array variables = {Variable{"v", "mV"}, Variable{"g_exc", "1"}, Variable{"g_inh", "1"}};
  using State = ModelState<3>;

  static Constants derive(const Parameters& p, const TimeBase& time) {
    require_positive(name, "tau_m_ms", p.tau_m_ms);
    require_positive(name, "tau_exc_ms", p.tau_exc_ms);
    require_positive(name, "tau_inh_ms", p.tau_inh_ms);
    require_finite(name, "v_rest_mv", p.v_rest_mv);
    require_finite(name, "v_drive_mv", p.v_drive_mv);
    require_finite(name, "e_exc_mv", p.e_exc_mv);
    require_finite(name, "e_inh_mv", p.e_inh_mv);
    const double dt = time.dt_ms();
    const SpikeRule spike = make_spike_rule(name, p.v_threshold_mv, p.v_reset_mv, p.reset_mode, p.refractory_ms, time);
    return {static_cast<float>(-dt / p.tau_m_ms), decay_factor(dt, p.tau_exc_ms), decay_factor(dt, p.tau_inh_ms),
            static_cast<float>(p.v_rest_mv + p.v_drive_mv), static_cast<float>(p.e_exc_mv), static_cast<float>(p.e_inh_mv),
            spike, spike_blend(spike),
            rest_tolerance(name, "rest_tolerance_mv", p.rest_tolerance_mv),
            rest_tolerance(name, "rest_tolerance_g", p.rest_tolerance_g),
            !(p.v_rest_mv + p.v_drive_mv > spike.v_threshold)};
  }
  static void rest(const Constants& c, State& s, std::size_t i) {
    s.var[0][i] = c.v_base;
    s.var[1][i] = 0.0F;
    s.var[2][i] = 0.0F;
  }
  // With g = 0 and no input, v_inf = v_base and v = v_base is an exact fixed point.
  // Bitwise & (no short-circuit branches) so that loops testing it vectorise.
  static bool at_rest(const Constants& c, const State::View& s, std::size_t i) {
    const auto bits = [](float x) { return std::bit_cast<std::uint32_t>(x); };
    const std::uint32_t off_rest = static_cast<std::uint32_t>(s.refractory_left[i]) | (bits(s.var[0][i]) ^ bits(c.v_base)) |
                                   bits(s.var[1][i]) | bits(s.var[2][i]);
    return static_cast<bool>(static_cast<int>(off_rest == 0) & static_cast<int>(!(c.v_base > c.spike.v_threshold)));
  }
  // A tonic neuron (v_base above threshold, as in the COBA benchmark) never comes to rest and is
  // not snapped. rests() lets the population pick step_snapping<false> for the whole loop, which
  // leaves out the snap's tests (a third of the work) instead of testing can_rest per neuron.
  static bool rests(const Constants& c) { return c.can_rest; }
  static bool step(const Constants& c, const State::View& s, std::size_t i, const float* in) {
    return c.can_rest ? step_snapping<true>(c, s, i, in) : step_snapping<false>(c, s, i, in);
  }
  // Branch-free (selects instead of ifs) so the population's loop over neurons vectorises.
  template <bool Snap>
  static bool step_snapping(const Constants& c, const State::View& s, std::size_t i, const float* in) {
    const float g_exc = s.var[1][i] + in[0];
    const float g_inh = s.var[2][i] + in[1];
    const float v = s.var[0][i];
    const auto refractory = static_cast<std::int32_t>(s.refractory_left[i]);
    const float a = 1.0F + g_exc + g_inh;
    const float v_inf = (c.v_base + in[3] + g_exc * c.e_exc + g_inh * c.e_inh) / a;
    const float integrated = v_inf + (v - v_inf) * exp_nonpositive(a * c.minus_dt_over_tau_m) + in[2];
    const bool clamped = refractory > 0;
    const bool spiked = static_cast<bool>(static_cast<int>(!clamped) & static_cast<int>(integrated > c.spike.v_threshold));
    const float after_spike = c.blend.reset(integrated);
    const float unclamped = spiked ? after_spike : integrated;
    const float v_next = clamped ? v : unclamped;
    const std::int32_t counted_down = clamped ? refractory - 1 : 0;
    const std::int32_t refractory_next = spiked ? c.blend.refractory_restart : counted_down;
    const float g_exc_next = g_exc * c.decay_exc;
    const float g_inh_next = g_inh * c.decay_inh;
    const bool snap = Snap && (static_cast<std::uint32_t>(refractory_next) | off_rest_bit(v_next, c.v_base, c.tolerance_v) |
                       off_rest_bit(g_exc_next, 0.0F, c.tolerance_g) | off_rest_bit(g_inh_next, 0.0F, c.tolerance_g)) == 0;
    s.var[0][i] = snap ? c.v_base : v_next;
    s.refractory_left[i] = static_cast<std::uint32_t>(refractory_next);
    s.var[1][i] = snap ? 0.0F : g_exc_next;
    s.var[2][i] = snap ? 0.0F : g_inh_next;
    return spiked;
  }
};

}  // namespace tandem::neurons
