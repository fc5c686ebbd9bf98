// Loihi's fixed-point LIF as Lava's bit-accurate CPU model (PyLifModelBitAcc, LIFRefractory)
// defines it, in docs/precision.md#loihi: 24-bit current u and voltage v, 12-bit decays,
// inputs and the threshold shifted left by 6, reset to 0. `LoihiLifArithmetic` is the neuron;
// `LoihiLif` runs a lif population on it (precision loihi), and the NIR import's loihi
// precision steps its LIF nodes through the same arithmetic.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "core/error.hpp"
#include "neurons/lif_process_model.hpp"

namespace tandem::neurons {

struct LoihiLifArithmetic {
  static constexpr std::int64_t unity = 4096;           // decays are 12-bit: 4096 = decay fully
  static constexpr std::int64_t uv_limit = 1 << 23;     // u and v are 24-bit
  static constexpr int input_shift = 6;                 // a_in and the threshold mantissa: << 6
  std::int64_t du = unity;  // current decay (Lava: du + 1); 4096: u holds only this tick's input
  std::int64_t dv = 0;      // voltage decay
  std::int64_t vth = 0;     // threshold mantissa: fires when v > vth << 6
  std::int64_t bias = 0;    // bias_mant << bias_exp, added to v every tick
  std::uint32_t refractory_ticks = 0;  // after a spike v is held for this many ticks

  // x·(4096 − d) / 4096 rounded toward zero (a shift of the magnitude), as the chip decays.
  static std::int64_t decay(std::int64_t x, std::int64_t d) {
    const std::int64_t product = x * (unity - d);
    return product < 0 ? -((-product) >> 12) : product >> 12;
  }

  // One tick with integer input a_in; returns whether the neuron fired.
  bool step(std::int32_t& u, std::int32_t& v, std::uint32_t& refractory_left, std::int64_t a_in) const {
    const std::int64_t current = decay(u, du) + (a_in << input_shift);
    // 24-bit wrap-around, literally as the reference model writes it (the second test reads the
    // unwrapped value).
    std::int64_t wrapped = current > uv_limit ? current - 2 * uv_limit : current;
    if (wrapped <= -uv_limit) wrapped = current + 2 * uv_limit;
    u = static_cast<std::int32_t>(wrapped);
    if (refractory_left > 0) {
      --refractory_left;
      return false;
    }
    const std::int64_t voltage = decay(v, dv) + u + bias;
    v = static_cast<std::int32_t>(std::clamp(voltage, -uv_limit + 1, uv_limit - 1));
    if (v <= (vth << input_shift)) return false;
    v = 0;
    refractory_left = refractory_ticks;
    return true;
  }
  // No input leaves u = v = 0 there (decay rounds toward zero, so everything else moves).
  [[nodiscard]] bool rests_at(std::int32_t u, std::int32_t v, std::uint32_t refractory_left) const {
    return u == 0 && v == 0 && refractory_left == 0 && bias == 0;
  }
};

// `lif` in loihi precision. With scale s (integer weight units per mV, from the largest incoming
// weight): weights round(w·s) (8-bit), v = (v_mV − v_leak)·s·64, vth = round((v_th − v_leak)·s),
// dv = floor(4096·(1 − exp(−dt/tau_m))) (truncated, as the NIR paper's Loihi run: it reproduces
// its trace), du = 4096 (lif's inputs are deltas: nothing carries to the next tick). A current I
// on i_ext adds round(R·I·(1 − exp(−dt/tau_m))·s) to a_in. Loihi resets to 0, so v_reset must
// equal v_leak; no subtractive reset.
// v is kept; u is not: with du = 4096 it is this tick's input.
struct LoihiLif : LifProcessModel {
  static constexpr Precision precision = Precision::loihi;
  struct Constants {
    LoihiLifArithmetic neuron;
    double scale = 1.0;
    double current_gain = 0.0;
    float v_leak = 0.0F;
  };

  static Constants derive(const Parameters& p, const TimeBase& time, double scale) {
    const Lif::Constants f = Lif::derive(p, time);
    if (p.reset_mode != ResetMode::to_value) {
      throw InputError("lif (loihi precision): Loihi resets v to 0; reset_mode subtract has no Loihi form");
    }
    if (p.v_reset_mv != p.v_leak_mv) {
      throw InputError("lif (loihi precision): Loihi resets v to 0, i.e. to v_leak; v_reset_mv = " +
                       format_number(p.v_reset_mv) + " differs from v_leak_mv = " + format_number(p.v_leak_mv));
    }
    const double vth = round_to_int32((p.v_threshold_mv - p.v_leak_mv) * scale);
    if (vth < 0.0 || vth > static_cast<double>((LoihiLifArithmetic::uv_limit >> LoihiLifArithmetic::input_shift) - 1)) {
      throw InputError("lif (loihi precision): v_threshold_mv needs " + format_number(vth) + " units at scale " +
                       format_number(scale) + "; Loihi's threshold mantissa is 0 … 131071");
    }
    Constants c;
    c.scale = scale;
    c.v_leak = f.v_leak;
    // Forward Euler's leak is dt/tau exactly (no float decay to undo: NIR's Loihi reference truncates 4096·dt/tau).
    const double leak = p.integration == Integration::euler ? time.dt_ms() / p.tau_m_ms : 1.0 - static_cast<double>(f.decay);
    c.neuron.dv = static_cast<std::int64_t>(std::floor(4096.0 * leak));
    c.neuron.vth = static_cast<std::int64_t>(vth);
    c.neuron.refractory_ticks = f.spike.refractory_ticks > 0 ? f.spike.refractory_ticks - 1U : 0U;
    c.current_gain = p.r_mohm * leak * scale;
    return c;
  }

  static std::vector<QuantisedParameter> represented(const Parameters& p, const Constants& c, const TimeBase& time) {
    return {{"v_threshold_mv", p.v_threshold_mv, static_cast<double>(c.neuron.vth) / c.scale + p.v_leak_mv},
            {"decay per tick", static_cast<double>(decay_factor("lif", "tau_m_ms", time.dt_ms(), p.tau_m_ms, p.integration)),
             1.0 - static_cast<double>(c.neuron.dv) / 4096.0}};
  }

  static bool at_rest(const Constants& c, const State::View& s, std::size_t i) {
    return c.neuron.rests_at(0, s.var[0][i], s.refractory_left[i]);
  }
  static bool step(const Constants& c, const State::View& s, std::size_t i, const float* in) {
    const std::int64_t a_in = std::int64_t{round_to_int32(in[0])} + round_to_int32(in[1] * c.current_gain);
    std::int32_t u = 0;
    return c.neuron.step(u, s.var[0][i], s.refractory_left[i], a_in);
  }
  static float to_float(const Constants& c, std::size_t /*variable*/, std::int32_t value) {
    return static_cast<float>(value / (c.scale * 64.0) + static_cast<double>(c.v_leak));
  }
  static std::int32_t from_float(const Constants& c, std::size_t /*variable*/, float value) {
    const double scaled = (static_cast<double>(value) - static_cast<double>(c.v_leak)) * c.scale * 64.0;
    return static_cast<std::int32_t>(std::clamp<std::int64_t>(round_to_int32(scaled), -LoihiLifArithmetic::uv_limit + 1,
                                                              LoihiLifArithmetic::uv_limit - 1));
  }
};

}  // namespace tandem::neurons
