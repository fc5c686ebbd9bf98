// Exponential-filter (leaky integrator) readout of spike trains:
//   y(t) = y(t-1) d + (1 - d) n(t),  d = exp(-dt / tau),  n(t) = spikes arriving at tick t,
// so y estimates the rate in spikes per tick (y -> r for a steady rate r); it emits
// value = value_min + (value_max - value_min) y for every channel in the last tick of each window.
#pragma once

#include <memory>
#include <string>

#include "bridge/unit.hpp"

namespace tandem::bridge {

struct ExponentialDecoderParams {
  std::string name;
  std::size_t channels = 1;
  double tau_ms = 20.0;
  Window window{1, 0};  // output period: one frame per window
  ValueRange range;
};

std::unique_ptr<Unit> make_exponential_decoder(const ExponentialDecoderParams& params);

}  // namespace tandem::bridge
