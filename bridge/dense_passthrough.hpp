// Dense-to-dense bridge units: direct current injection (an encoder: values -> a dense frame
// passed on as input current) and membrane-potential readout (a decoder: a dense frame of
// membrane values, e.g. probed from a population, passed on scaled). Both compute
//   y = gain * x + offset
// per channel and send a frame only when y changes (and once at their first tick).
#pragma once

#include <memory>
#include <string>

#include "bridge/unit.hpp"

namespace tandem::bridge {

struct AffineParams {
  std::string name;
  std::size_t channels = 1;
  double gain = 1.0;    // e.g. nA per input unit (current injection), 1/mV (readout)
  double offset = 0.0;  // added after scaling, in output units
};

std::unique_ptr<Unit> make_current_injection(const AffineParams& params);
std::unique_ptr<Unit> make_membrane_readout(const AffineParams& params);

}  // namespace tandem::bridge
