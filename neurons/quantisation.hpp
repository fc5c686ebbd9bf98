// Quantisation of a float population onto an integer precision (tianjic, loihi): one scale per
// population, integer units per unit of its spike input (per mV for lif), chosen so that the
// largest incoming weight uses the whole weight range; every weight and every parameter is then
// rounded, and the error of each is reported (docs/precision.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/precision.hpp"

namespace tandem::neurons {

// A parameter as the integer arithmetic represents it: `represented` is the float value the
// integer stands for (e.g. the threshold's integer / scale), so |represented − value| is its error.
struct QuantisedParameter {
  std::string name;
  double value = 0.0;
  double represented = 0.0;
};

// What rounding the incoming weights did, in the weights' own unit (mV for lif).
struct WeightQuantisation {
  std::size_t weights = 0;
  std::size_t clipped = 0;      // beyond ±limit after scaling (never with the default scale)
  double largest = 0.0;         // largest |w| before rounding
  double max_error = 0.0;       // largest |represented − w|
  double sum_squared_error = 0.0;
  [[nodiscard]] double rms_error() const;
};

struct PopulationQuantisation {
  std::string population;
  Precision precision = Precision::float32;
  double scale = 0.0;            // integer units per unit of spike input
  std::string input_unit = "mV";  // that unit (the spike receptors' variable: v of lif)
  std::int32_t weight_limit = 0;  // |integer weight| <= this
  WeightQuantisation weights;
  std::vector<QuantisedParameter> parameters;
  // "scale 84.6667 per mV; 8 weights up to 1.5 mV, error <= 0 (rms 0); v_threshold_mv 1 -> 1.00394; …"
  [[nodiscard]] std::string summary() const;
};

// round_to_int32(w · scale), clamped to ±limit; adds its error (in w's unit) to `stats`.
float quantise_weight(float w, double scale, std::int32_t limit, WeightQuantisation& stats);

// x rounded half away from zero to an int32, saturated, a tie judged to a relative 1e-6 (so the float32
// rounding of parameters does not decide it): how every weight, parameter, current and initial value
// enters the integer arithmetic.
std::int32_t round_to_int32(double x);

}  // namespace tandem::neurons
