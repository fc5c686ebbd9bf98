// `lif` in tianjic precision: the process model that runs a lif population on Tianjic's LIF soma
// (primitive 08, docs/tianjic.md), one neuron at a time through tianjic::lif_neuron_step, the
// same code `tandem tianjic run` checks bit for bit. Quantisation (docs/precision.md): with
// scale s (integer units per mV, from the largest incoming weight: neurons/quantisation.hpp)
//   V = (v − v_leak)·s as a 28-bit integer, weights round(w·s) in int8, Uin their int32 sum;
//   Vth0 = round((v_th − v_leak)·s); reset to value: reset_mode 0, VR = round((v_reset − v_leak)·s);
//   reset by subtraction: reset_mode 2, dV = round((v_th − v_reset)·s);
//   multiplicative leak Vleaky_alpha = round(256·exp(−dt/tau_m)) (V ← floor(V·alpha / 256));
//   Ref_len = refractory ticks − 1 (the 4-bit counter: at most 16 ticks);
//   no threshold noise, adaptation or time window (the float model has none);
//   a current I on i_ext adds round(R·I·(1 − exp(−dt/tau_m))·s) to Uin, the float model's drive.
// The soma leaks after reset, so V holds leak(v) of the float model's v: spike times line up.
// Rest: stepping without input leaves V and the counter unchanged (V = 0, or −1, which the
// floor of a negative membrane never leaves): exact, so skipped neurons change nothing.
#pragma once

#include <cmath>
#include <vector>

#include "core/error.hpp"
#include "neurons/lif_process_model.hpp"
#include "tianjic/integer_arithmetic.hpp"
#include "tianjic/lif_soma.hpp"

namespace tandem::neurons {

struct TianjicLif : LifProcessModel {
  static constexpr Precision precision = Precision::tianjic;
  struct Constants {
    tianjic::LifParameters soma;
    std::int64_t threshold = 0;
    double scale = 1.0;
    double current_gain = 0.0;  // integer units of Uin per unit of i_ext
    float v_leak = 0.0F;
  };

  static Constants derive(const Parameters& p, const TimeBase& time, double scale) {
    const Lif::Constants f = Lif::derive(p, time);  // the float model's checks and constants
    const auto fits = [&](std::string_view parameter, double value) {
      const double q = round_to_int32(value * scale);
      if (q < static_cast<double>(tianjic::membrane_min) || q > static_cast<double>(tianjic::membrane_max)) {
        throw InputError("lif (tianjic precision): " + std::string(parameter) + " needs " + format_number(q) +
                         " integer units at scale " + format_number(scale) + ", beyond the 28-bit membrane");
      }
      return static_cast<std::int32_t>(q);
    };
    if (f.spike.refractory_ticks > 16) {
      throw InputError("lif (tianjic precision): refractory_ms = " + format_number(p.refractory_ms) + " is " +
                       std::to_string(f.spike.refractory_ticks) + " ticks; the soma's 4-bit counter allows at most 16");
    }
    Constants c;
    c.scale = scale;
    c.v_leak = f.v_leak;
    tianjic::LifParameters& s = c.soma;
    s.Vth0 = fits("v_threshold_mv", p.v_threshold_mv - p.v_leak_mv);
    if (p.reset_mode == ResetMode::to_value) {
      s.reset_mode = 0;
      s.VR = fits("v_reset_mv", p.v_reset_mv - p.v_leak_mv);
    } else {
      s.reset_mode = 2;
      s.dV = fits("v_threshold_mv - v_reset_mv", p.v_threshold_mv - p.v_reset_mv);
    }
    s.Vleaky_adpt_en = 1;
    s.Vleaky_alpha = round_to_int32(256.0 * static_cast<double>(f.decay));
    s.Ref_len = f.spike.refractory_ticks > 0 ? f.spike.refractory_ticks - 1 : 0;
    s.VL = static_cast<std::int32_t>(tianjic::membrane_min);
    // No time window: one that never finishes (the soma checks the counter against Tw_len even
    // with Tw_en = 0, so Tw_len = 0 would reset V to Vinit every step).
    s.Tw_len = INT32_MAX;
    c.threshold = std::max<std::int64_t>(tianjic::clamp_membrane(s.Vth0), s.VL);
    c.current_gain = p.r_mohm * (1.0 - static_cast<double>(f.decay)) * scale;
    return c;
  }

  static std::vector<QuantisedParameter> represented(const Parameters& p, const Constants& c, const TimeBase& time) {
    const double decay = static_cast<double>(decay_factor("lif", "tau_m_ms", time.dt_ms(), p.tau_m_ms, p.integration));
    std::vector<QuantisedParameter> list{
        {"v_threshold_mv", p.v_threshold_mv, c.soma.Vth0 / c.scale + p.v_leak_mv},
        {"decay per tick", decay, c.soma.Vleaky_alpha / 256.0}};
    if (c.soma.reset_mode == 0) list.push_back({"v_reset_mv", p.v_reset_mv, c.soma.VR / c.scale + p.v_leak_mv});
    return list;
  }

  static bool at_rest(const Constants& c, const State::View& s, std::size_t i) {
    if (s.refractory_left[i] != 0) return false;
    std::int32_t v = s.var[0][i];
    std::uint8_t refractory = 0;
    const auto result = tianjic::lif_neuron_step(c.soma, false, c.threshold, 0, v, refractory);
    return !result.spike && v == s.var[0][i];
  }
  static bool step(const Constants& c, const State::View& s, std::size_t i, const float* in) {
    const std::int64_t drive = std::int64_t{round_to_int32(in[0])} + round_to_int32(in[1] * c.current_gain);
    auto refractory = static_cast<std::uint8_t>(s.refractory_left[i]);
    const auto result =
        tianjic::lif_neuron_step(c.soma, false, c.threshold, tianjic::saturate_int32(drive), s.var[0][i], refractory);
    s.refractory_left[i] = refractory;
    return result.spike;
  }
  static float to_float(const Constants& c, std::size_t /*variable*/, std::int32_t value) {
    return static_cast<float>(value / c.scale + static_cast<double>(c.v_leak));
  }
  static std::int32_t from_float(const Constants& c, std::size_t /*variable*/, float value) {
    return static_cast<std::int32_t>(
        tianjic::clamp_membrane(round_to_int32((static_cast<double>(value) - static_cast<double>(c.v_leak)) * c.scale)));
  }
};

}  // namespace tandem::neurons
