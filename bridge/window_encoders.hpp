// Windowed spike encoders: each samples its dense input at the start of every window and emits
// a spike pattern over the window — deterministic rate, latency (time to first spike) and
// population (Gaussian receptive fields, rate coded). Equations: docs/bridge.md.
#pragma once

#include <memory>
#include <string>

#include "bridge/population_code.hpp"
#include "bridge/unit.hpp"

namespace tandem::bridge {

// Parameters of a windowed coding of `channels` values in `range`, shared with the decoders.
struct WindowedParams {
  std::string name;
  std::size_t channels = 1;
  Window window;
  ValueRange range;
};

// Parameters of a population coding of `channels` values, shared with the decoder.
struct PopulationParams {
  std::string name;
  std::size_t channels = 1;
  Window window;
  PopulationCode code;
};

// n = round(v W) spikes per window (v = normalised input), at offsets floor(j W / n), j < n.
using RateEncoderParams = WindowedParams;
// One spike per window at offset round((1 - v) (W - 1)); no spike when v = 0. Needs W >= 2.
using LatencyEncoderParams = WindowedParams;
// Each input value drives M neurons; neuron i emits round(r_i(x) W) spikes per window, spread
// like the rate encoder. Output channel c * M + i belongs to input c.
using PopulationEncoderParams = PopulationParams;

std::unique_ptr<Unit> make_rate_encoder(const RateEncoderParams& params);
std::unique_ptr<Unit> make_latency_encoder(const LatencyEncoderParams& params);
std::unique_ptr<Unit> make_population_encoder(const PopulationEncoderParams& params);

}  // namespace tandem::bridge
