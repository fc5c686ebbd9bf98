// Gaussian receptive fields shared by the population encoder and decoder: M neurons per input
// value with centres c_i = min + i (max - min) / (M - 1) and response
//   r_i(x) = exp(-(x - c_i)^2 / (2 sigma^2)).
#pragma once

#include <cmath>
#include <cstddef>
#include <string_view>

#include "bridge/unit.hpp"

namespace tandem::bridge {

struct PopulationCode {
  std::size_t neurons_per_channel = 8;
  ValueRange range;
  double sigma = 0.1;  // width of each receptive field, in input units

  [[nodiscard]] double spacing() const {
    return (range.max - range.min) / static_cast<double>(neurons_per_channel - 1);
  }
  [[nodiscard]] double centre(std::size_t i) const {
    return range.min + static_cast<double>(i) * spacing();
  }
  // Inputs outside [min, max] count as the nearest end.
  [[nodiscard]] double clamped(double x) const { return range.physical(range.normalised(x)); }
  [[nodiscard]] double response(double x, std::size_t i) const {
    const double d = x - centre(i);
    return std::exp(-d * d / (2.0 * sigma * sigma));
  }
  // Needs at least 2 neurons, a valid range and sigma > 0.
  void check(std::string_view unit) const {
    check_at_least(unit, "neurons_per_channel", static_cast<double>(neurons_per_channel), 2.0);
    check_range(unit, range);
    check_positive(unit, "sigma", sigma);
  }
};

}  // namespace tandem::bridge
