#include "neurons/quantisation.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>
#include <sstream>

#include "core/error.hpp"

namespace tandem::neurons {

double WeightQuantisation::rms_error() const {
  return weights == 0 ? 0.0 : std::sqrt(sum_squared_error / static_cast<double>(weights));
}

namespace {
std::string short_number(double value) {
  std::ostringstream out;
  out << std::setprecision(6) << value;
  return out.str();
}
}  // namespace

std::string PopulationQuantisation::summary() const {
  std::string text = "scale " + short_number(scale) + " per " + input_unit + "; " + std::to_string(weights.weights) +
                     " weights up to " + short_number(weights.largest) + " " + input_unit + ", error <= " +
                     short_number(weights.max_error) + " (rms " + short_number(weights.rms_error()) + ")";
  if (weights.clipped > 0) text += ", " + std::to_string(weights.clipped) + " clipped";
  for (const auto& p : parameters) {
    text += "; " + p.name + " " + short_number(p.value) + " -> " + short_number(p.represented);
  }
  return text;
}

std::int32_t round_to_int32(double x) {
  if (std::isnan(x)) return 0;
  // Half away from zero, with a tie judged to a relative 1e-6: a value that is a tie in exact
  // arithmetic (0.1 V · 127 / 0.04 V = 317.5) arrives off it by the float32 rounding of the
  // parameters it came from (NIR files store float32: 317.49999 here), and which side it lands
  // on must not depend on that.
  const double magnitude = std::abs(x);
  const double whole = std::floor(magnitude);
  const bool tie_or_above = magnitude - whole >= 0.5 - 1e-6 * std::max(1.0, magnitude);
  const double rounded = std::copysign(tie_or_above ? whole + 1.0 : whole, x);
  return static_cast<std::int32_t>(std::clamp(rounded, static_cast<double>(std::numeric_limits<std::int32_t>::min()),
                                              static_cast<double>(std::numeric_limits<std::int32_t>::max())));
}

float quantise_weight(float w, double scale, std::int32_t limit, WeightQuantisation& stats) {
  const double scaled = round_to_int32(static_cast<double>(w) * scale);
  const double clamped = std::clamp(scaled, -static_cast<double>(limit), static_cast<double>(limit));
  const double error = std::abs(clamped / scale - static_cast<double>(w));
  ++stats.weights;
  stats.clipped += clamped != scaled ? 1 : 0;
  stats.largest = std::max(stats.largest, std::abs(static_cast<double>(w)));
  stats.max_error = std::max(stats.max_error, error);
  stats.sum_squared_error += error * error;
  return static_cast<float>(clamped);
}

}  // namespace tandem::neurons
