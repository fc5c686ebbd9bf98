// Windowed spike decoders: each counts the spikes (and first-spike offsets) arriving on its
// channels during a window and emits one dense frame in the window's last tick — spike count /
// rate, first-spike time and population (Gaussian receptive fields). Equations: docs/bridge.md.
#pragma once

#include <memory>
#include <string>

#include "bridge/population_code.hpp"
#include "bridge/unit.hpp"
#include "bridge/window_encoders.hpp"

namespace tandem::bridge {

// value = value_min + (value_max - value_min) n / W, n = spikes in the window.
using CountDecoderParams = WindowedParams;
// v = 1 - o / (W - 1) for a first spike at offset o, v = 0 without spike; value = physical(v).
using FirstSpikeDecoderParams = WindowedParams;

// Input channel c * M + i is neuron i of value c. With m the neuron of most spikes and j its
// neighbour with more spikes, the Gaussian fitted through their counts peaks at
//   x = (c_m + c_j) / 2 + sigma^2 (ln n_m - ln n_j) / (c_m - c_j)
// (x = c_m without a spiking neighbour, value_min without spikes), clamped to the range.
using PopulationDecoderParams = PopulationParams;

std::unique_ptr<Unit> make_count_decoder(const CountDecoderParams& params);
std::unique_ptr<Unit> make_first_spike_decoder(const FirstSpikeDecoderParams& params);
std::unique_ptr<Unit> make_population_decoder(const PopulationDecoderParams& params);

}  // namespace tandem::bridge
