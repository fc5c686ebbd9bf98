// What lif's integer process models (tianjic_lif.hpp, loihi_lif.hpp) share: lif's name,
// parameters, receptors and variables (a network file's lif runs in either precision unchanged),
// int8 weights, an int32 membrane that rests at 0, and the scale used when no weight arrives.
#pragma once

#include <cmath>
#include <cstdint>

#include "neurons/lif.hpp"
#include "neurons/quantisation.hpp"

namespace tandem::neurons {

struct LifProcessModel {
  static constexpr std::string_view name = Lif::name;
  static constexpr std::int32_t weight_limit = 127;  // int8 weights (−128 unused: symmetric)
  using Parameters = Lif::Parameters;
  static constexpr auto fields = Lif::fields;
  static constexpr auto receptors = Lif::receptors;  // v: integer weights; i_ext: a current, rounded on arrival
  static constexpr auto variables = Lif::variables;  // v, recorded in mV
  using State = ModelState<1, std::int32_t>;

  // Without incoming weights: the threshold at 2^12 units.
  static double fallback_scale(const Parameters& p) {
    const double span = std::abs(p.v_threshold_mv - p.v_leak_mv);
    return span > 0.0 ? 4096.0 / span : 1.0;
  }
  template <typename State>
  static void rest(const auto& /*constants*/, State& s, std::size_t i) {
    s.var[0][i] = 0;
  }
};

}  // namespace tandem::neurons
