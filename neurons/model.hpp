// What every neuron model shares: receptor and variable descriptions, reset modes, the
// per-model state layout (one float array per variable + a refractory counter) and the
// parameter checks every model's derive() uses. Models themselves: one file each (model_list.hpp).
#pragma once

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"

namespace tandem::neurons {

// An input target of a model. A `jump` receptor adds each arriving value to a state variable
// once (a spike onto g_exc, i_syn or v); a `current` receptor holds the sum of what arrives in
// a tick as an input current over that tick only (constant/dense currents, Poisson currents).
struct Receptor {
  std::string_view name;
  bool is_current = false;
};

struct Variable {
  std::string_view name;
  std::string_view unit;
};

// What happens to v after a spike: set to v_reset, or lowered by the threshold (v -= v_th − v_reset
// for models with a reset value; keeps the overshoot, as NIR/snnTorch "subtract").
enum class ResetMode { to_value, subtract };
ResetMode parse_reset_mode(std::string_view text);  // "to_value" | "subtract"; InputError otherwise

// Raw pointers into a ModelState, what step()/at_rest() work on: the hot loop then keeps them
// in registers (a float store cannot alias a pointer held in a local).
template <std::size_t K, typename Value = float>
struct ModelView {
  std::array<Value*, K> var;
  std::uint32_t* refractory_left;
};

// SoA state of N neurons of a model with `K` variables (indices follow Model::variables): float
// for the float32 models, int32 for the process models of the integer precisions (tianjic, loihi).
template <std::size_t K, typename Value = float>
struct ModelState {
  using value_type = Value;
  using View = ModelView<K, Value>;
  View view() {
    View v{};
    for (std::size_t k = 0; k < K; ++k) v.var[k] = var[k].data();
    v.refractory_left = refractory_left.data();
    return v;
  }

  std::array<std::vector<Value>, K> var;
  // Ticks still clamped. 32 bits although the period fits 16 (refractory_ticks()): with every
  // lane 32 bits wide the vectorised neuron loops need no packing and fewer registers.
  std::vector<std::uint32_t> refractory_left;

  void resize(std::size_t n) {
    for (auto& v : var) v.assign(n, Value{});
    refractory_left.assign(n, 0);
  }
  [[nodiscard]] std::size_t size() const { return refractory_left.size(); }
};

// Neuron j of `to` <- neuron i of `from`: every variable and the refractory counter.
template <std::size_t K, typename Value>
void copy_neuron(const ModelView<K, Value>& from, std::size_t i, const ModelView<K, Value>& to, std::size_t j) {
  for (std::size_t k = 0; k < K; ++k) to.var[k][j] = from.var[k][i];
  to.refractory_left[j] = from.refractory_left[i];
}

// Asks for the cache lines of neuron i's variables and refractory counter (for writing), so
// that scattered neurons' lines load in parallel instead of one after the other.
template <std::size_t K, typename Value>
void prefetch_neuron(const ModelView<K, Value>& view, std::size_t i) {
  for (std::size_t k = 0; k < K; ++k) __builtin_prefetch(view.var[k] + i, 1);
  __builtin_prefetch(view.refractory_left + i, 1);
}

// Exact bit equality: "at rest" means stepping leaves every bit unchanged, so -0.0 != +0.0.
inline bool same_bits(float a, float b) { return std::bit_cast<std::uint32_t>(a) == std::bit_cast<std::uint32_t>(b); }

// mask ? a : b bit by bit, with mask all-ones or zero: exact, and it vectorises where a select on
// a loop-invariant bool does not.
inline float blend_bits(std::uint32_t mask, float a, float b) {
  return std::bit_cast<float>((std::bit_cast<std::uint32_t>(a) & mask) | (std::bit_cast<std::uint32_t>(b) & ~mask));
}

// Rest, modelled explicitly. Float decay such as v_inf + (v − v_inf)·d stalls a few ulps from
// its fixed point (or lands on denormals when rest is 0), so a neuron that once received input
// would never be bit-equal to rest again and would count as active for the rest of the run.
// Each model therefore states a tolerance per state variable, in that variable's unit: once
// the neuron is not refractory and every variable is within its tolerance of its resting value,
// step() sets the state to rest exactly. The snap is part of the model's equations, the same in
// event and always-on mode; tolerance 0 turns it off. Defaults, their reasons and their measured
// effect on v and on spike times: docs/neurons.md#rest.
//
// off_rest_bit: 1 when |x − rest| > tolerance (tolerance >= 0) or x − rest is NaN, else 0: an integer compare of
// the magnitude's bits (they order non-negative floats like their values). Models combine one
// per variable with `|` into a single test, which GCC vectorises inside the neuron loops where
// a chain of bool `&` leaves them scalar.
inline std::uint32_t off_rest_bit(float x, float rest, float tolerance) {
  return (std::bit_cast<std::uint32_t>(x - rest) & 0x7fffffffU) > std::bit_cast<std::uint32_t>(tolerance) ? 1U : 0U;
}
// 1 µV: over 100 float32 ulps for |v| < 128 mV (the ulp there is 7.6e-6 mV), so decay reaches it
// instead of stalling above it, and 100× below the smallest PSPs networks use (~0.1 mV).
inline constexpr double default_rest_tolerance_mv = 1e-3;
// Synaptic currents (nA): with the default R = 1 MΩ they move v by at most 1 µV in steady state.
inline constexpr double default_rest_tolerance_na = 1e-3;
// Conductances in units of the leak conductance: g·|E − v| ≤ 1e-5 · 80 mV = 0.8 µV of drive.
inline constexpr double default_rest_tolerance_g = 1e-5;
// ALIF adaptation (dimensionless): moves the threshold by beta·a ≤ 0.2 µV at the default beta.
inline constexpr double default_rest_tolerance_a = 1e-3;
// Izhikevich recovery u (mV/ms): over one 1 ms tick it moves v by at most 0.1 µV.
inline constexpr double default_rest_tolerance_u = 1e-4;
// A tolerance parameter: finite and >= 0. Returns it as the float the model compares with.
float rest_tolerance(std::string_view model, std::string_view parameter, double value);

// Parameter checks; each throws InputError "<model>: parameter <name> = <value> <problem>".
void require_finite(std::string_view model, std::string_view parameter, double value);
void require_positive(std::string_view model, std::string_view parameter, double value);
void require_non_negative(std::string_view model, std::string_view parameter, double value);
void require_greater(std::string_view model, std::string_view parameter, double value,
                     std::string_view other, double other_value);
// A refractory period in ms that must be a whole number of ticks, fitting the 16-bit counter.
std::uint16_t refractory_ticks(std::string_view model, double refractory_ms, const TimeBase& time);
// How a leaky model integrates a tick: `exact` — exponential Euler, decay exp(−dt/tau), exact
// for input held over the tick (the default); `euler` — forward Euler, decay 1 − dt/tau, the
// scheme of NIR's reference equations, which imported NIR graphs use to reproduce their
// reference behaviour (docs/nir.md). Forward Euler needs tau >= dt (else the decay is negative).
enum class Integration { exact, euler };
Integration parse_integration(std::string_view text);  // "exact" | "euler"; InputError otherwise
// The fraction of the distance to v_inf covered in one tick: 1 − exp(−dt/tau) or dt/tau, in double.
// InputError naming the model and parameter when forward Euler's tau is shorter than dt.
double leak_per_tick(std::string_view model, std::string_view parameter, double dt_ms, double tau_ms,
                     Integration integration);
// exp(−dt/tau) computed in double and rounded once to float.
float decay_factor(double dt_ms, double tau_ms);
// The decay per tick of `integration`: decay_factor() for exact, 1 − dt/tau rounded once for euler.
float decay_factor(std::string_view model, std::string_view parameter, double dt_ms, double tau_ms,
                   Integration integration);

// Shared spike logic of the threshold models. Clamped ticks after a spike at tick t are
// t+1 … t+R−1 (R = refractory ticks; Brian2's timestep(t − lastspike) < timestep(refractory)),
// so the neuron integrates again R ticks after its spike.
struct SpikeRule {
  float v_threshold = 0.0F;
  float v_reset = 0.0F;
  ResetMode reset_mode = ResetMode::to_value;
  std::uint16_t refractory_ticks = 0;

  // v > threshold (strict) → reset, start refractoriness; returns true on a spike.
  bool fire(float& v, std::uint32_t& refractory_left) const {
    if (!(v > v_threshold)) return false;
    v = reset_mode == ResetMode::to_value ? v_reset : v - (v_threshold - v_reset);
    refractory_left = refractory_ticks > 0 ? static_cast<std::uint32_t>(refractory_ticks - 1) : 0U;
    return true;
  }
};

SpikeRule make_spike_rule(std::string_view model, double v_threshold_mv, double v_reset_mv,
                          ResetMode mode, double refractory_ms, const TimeBase& time);

// A SpikeRule's constants in the form branch-free neuron loops use: the reset as a bit blend and
// the refractory restart as a value, so that the loop vectorises where fire()'s branches (and a
// select on a loop-invariant bool, GCC 12) leave it scalar. Results are those of fire().
struct SpikeBlend {
  std::uint32_t subtract_mask = 0;      // all-ones for ResetMode::subtract, zero for to_value
  float threshold_minus_reset = 0.0F;   // v_threshold − v_reset, rounded to float as fire() does
  float v_reset = 0.0F;
  std::int32_t refractory_restart = 0;  // refractory_left right after a spike (R − 1, or 0)

  // v after a spike from `v`.
  [[nodiscard]] float reset(float v) const { return blend_bits(subtract_mask, v - threshold_minus_reset, v_reset); }
};
inline SpikeBlend spike_blend(const SpikeRule& rule) {
  return {rule.reset_mode == ResetMode::subtract ? ~std::uint32_t{0} : std::uint32_t{0}, rule.v_threshold - rule.v_reset,
          rule.v_reset, rule.refractory_ticks > 0 ? rule.refractory_ticks - 1 : 0};
}

}  // namespace tandem::neurons

namespace tandem::neurons {

// exp(x) for float x <= 0 from arithmetic and bit operations only, so loops calling it vectorise
// (libm's expf is a call; -ffast-math is not allowed). Cody–Waite reduction x = k·ln2 + r,
// |r| <= ln2/2, then the degree-7 Taylor polynomial (truncation error < 6e-9 relative, below
// float resolution); the result is within ~2 ulp of expf. Inputs below −87 give 0.
inline float exp_nonpositive(float x) {
  x = x < -87.0F ? -87.0F : x;
  constexpr float log2e = 1.44269504F;
  constexpr float round_magic = 12582912.0F;  // 1.5·2^23: adding it rounds to an integer
  const float shifted = x * log2e + round_magic;
  const float k = shifted - round_magic;
  const auto k_int = static_cast<std::int32_t>(std::bit_cast<std::uint32_t>(shifted) - std::bit_cast<std::uint32_t>(round_magic));
  const float r = (x - k * 0.693145752F) - k * 1.42860677e-6F;  // ln2 split so k·ln2_hi is exact
  float p = 1.0F / 5040.0F;
  p = p * r + 1.0F / 720.0F;
  p = p * r + 1.0F / 120.0F;
  p = p * r + 1.0F / 24.0F;
  p = p * r + 1.0F / 6.0F;
  p = p * r + 0.5F;
  p = p * r + 1.0F;
  p = p * r + 1.0F;
  const float scale = std::bit_cast<float>(static_cast<std::uint32_t>(k_int + 127) << 23);
  return p * scale;
}

// One named numeric parameter of a model's Parameters struct (for the name → factory registry).
template <typename Parameters>
struct Field {
  std::string_view name;
  double Parameters::*member;
};

// Exponential-Euler step of a leaky membrane with the input current held over the tick:
// tau dv/dt = (v_inf − v), v_inf = v_leak + R·I  →  v ← v_inf + (v − v_inf)·exp(−dt/tau).
// At rest (v == v_leak, I == 0) every operation adds or multiplies an exact zero.
inline float leaky_step(float v, float v_leak, float r_times_i, float decay) {
  const float v_inf = v_leak + r_times_i;
  return v_inf + (v - v_inf) * decay;
}

}  // namespace tandem::neurons
