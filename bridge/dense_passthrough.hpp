// Dense-to-dense bridge units: direct current injection (an encoder: values -> a dense frame
// passed on as input current), population current injection (Gaussian receptive fields,
// current proportional to the response) and membrane-potential readout (a decoder: a dense
// frame of membrane values, e.g. probed from a population, passed on scaled). Each sends a
// frame only in a tick in which some output changed (and once at its first tick).
#pragma once

#include <memory>
#include <string>

#include "bridge/population_code.hpp"
#include "bridge/unit.hpp"

namespace tandem::bridge {

// y = gain * x + offset per channel.
struct AffineParams {
  std::string name;
  std::size_t channels = 1;
  double gain = 1.0;    // e.g. nA per input unit (current injection), 1/mV (readout)
  double offset = 0.0;  // added after scaling, in output units
};

// y_{c M + i} = gain * r_i(x_c), r_i the Gaussian response of neuron i (x clamped to the range).
struct PopulationCurrentParams {
  std::string name;
  std::size_t channels = 1;
  PopulationCode code;
  double gain = 1.0;  // current at the peak of a receptive field, in output units
};

std::unique_ptr<Unit> make_current_injection(const AffineParams& params);
std::unique_ptr<Unit> make_population_current(const PopulationCurrentParams& params);
std::unique_ptr<Unit> make_membrane_readout(const AffineParams& params);

}  // namespace tandem::bridge
