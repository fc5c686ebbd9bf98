// Poisson rate encoder: each channel spikes in a tick with probability
//   p = v * max_rate_hz * dt_ms / 1000,  v = clamp((x - value_min) / (value_max - value_min), 0, 1),
// drawn as geometric inter-spike intervals from a per-channel stream derived from the run seed
// and the unit name (RandomStream::derived), so results depend only on seed and name.
#pragma once

#include <memory>
#include <string>

#include "bridge/unit.hpp"

namespace tandem::bridge {

struct PoissonEncoderParams {
  std::string name;
  std::size_t channels = 1;
  ValueRange range;
  double max_rate_hz = 100.0;  // rate at v = 1; max_rate_hz * dt must not exceed one spike per tick
};

std::unique_ptr<Unit> make_poisson_encoder(const PoissonEncoderParams& params);

}  // namespace tandem::bridge
