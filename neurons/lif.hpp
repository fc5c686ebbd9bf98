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
    SpikeBlend blend;
    float tolerance_v;
  };
  static constexpr std::array receptors = {Receptor{"v"}, Receptor{"i_ext", true}};
  static constexpr std::array variables = {Variable{"v", "mV"}};
  using State = ModelState<1>;

  static Constants derive(const Parameters& p, const TimeBase& time) {
    require_positive(name, "tau_m_ms", p.tau_m_ms);
    require_finite(name, "v_leak_mv", p.v_leak_mv);
    require_finite(name, "r_mohm", p.r_mohm);
    const SpikeRule spike = make_spike_rule(name, p.v_threshold_mv, p.v_reset_mv, p.reset_mode, p.refractory_ms, time);
    return {decay_factor(name, "tau_m_ms", time.dt_ms(), p.tau_m_ms, p.integration), static_cast<float>(p.v_leak_mv),
            static_cast<float>(p.r_mohm), spike, spike_blend(spike), rest_tolerance(name, "rest_tolerance_mv", p.rest_tolerance_mv)};
  }
  static void rest(const Constants& c, State& s, std::size_t i) { s.var[0][i] = c.v_leak; }
  // Bitwise & (no short-circuit branches) so that loops testing it vectorise.
  static bool at_rest(const Constants& c, const State::View& s, std::size_t i) {
    const std::uint32_t off_rest = s.refractory_left[i] | (std::bit_cast<std::uint32_t>(s.var[0][i]) ^ std::bit_cast<std::uint32_t>(c.v_leak));
    return static_cast<bool>(static_cast<int>(off_rest == 0) & static_cast<int>(!(c.v_leak > c.spike.v_threshold)));
  }
  // Branch-free so the population's loops over neurons vectorise: the choices are 0/1 integers
  // and bit blends (selects on bools, as GCC 12 threads them, leave some loops scalar). A clamped
  // tick counts the refractory period down and leaves v alone, without the snap.
  static bool step(const Constants& c, const State::View& s, std::size_t i, const float* in) {
    const float v = s.var[0][i];
    const auto refractory = static_cast<std::int32_t>(s.refractory_left[i]);  // < 2^16
    const float integrated = leaky_step(v, c.v_leak, c.r * in[1], c.decay) + in[0];
    const std::uint32_t clamped = refractory > 0 ? 1U : 0U;
    const std::uint32_t spiked = (clamped ^ 1U) & (integrated > c.spike.v_threshold ? 1U : 0U);
    const float unclamped = blend_bits(0U - spiked, c.blend.reset(integrated), integrated);
    // Not clamped means refractory == 0; a spike needs that, so the restart is or-ed onto 0.
    const std::int32_t refractory_next =
        (refractory - static_cast<std::int32_t>(clamped)) | (c.blend.refractory_restart & -static_cast<std::int32_t>(spiked));
    const std::uint32_t off_rest =
        clamped | static_cast<std::uint32_t>(refractory_next) | off_rest_bit(unclamped, c.v_leak, c.tolerance_v);
    const float settled = blend_bits(off_rest == 0 ? ~0U : 0U, c.v_leak, unclamped);
    s.var[0][i] = blend_bits(0U - clamped, v, settled);
    s.refractory_left[i] = static_cast<std::uint32_t>(refractory_next);
    return spiked != 0;
  }
};

}  // namespace tandem::neurons
