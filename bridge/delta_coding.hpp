// Delta / sigma-delta coding: send only changes. The encoder emits an event on a channel when
// |x - last sent| >= threshold — as on/off spikes (output 2c up, 2c+1 down; last sent moves by
// one threshold per event, at most one event per channel per tick, so a large step is sent as
// a burst) or as graded events (a dense frame carrying the new values). The delta decoder
// integrates on/off spikes back into values: x += step (on - off). The decoder's step may differ
// from the encoder's threshold: the decoded value is then the input rescaled by step / threshold
// (e.g. per-channel encoder thresholds in physical units, one decoder step in normalised units).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "bridge/unit.hpp"

namespace tandem::bridge {

enum class DeltaOutput { on_off_spikes, graded };

struct DeltaEncoderParams {
  std::string name;
  std::size_t channels = 1;
  double threshold = 0.1;  // in input units, > 0
  // One threshold per channel (input units, > 0) instead of `threshold`; empty: `threshold`.
  std::vector<double> thresholds;
  DeltaOutput output = DeltaOutput::on_off_spikes;
  // Width of the dense input; the first `channels` values are encoded, the rest ignored (a
  // sensor frame of which only some values matter). 0: `channels`.
  std::size_t input_width = 0;
};

struct DeltaDecoderParams {
  std::string name;
  std::size_t channels = 1;  // values out; the spike input has 2 channels per value
  double threshold = 0.1;    // step per spike; the encoder's threshold to reproduce its input
};

std::unique_ptr<Unit> make_delta_encoder(const DeltaEncoderParams& params);
std::unique_ptr<Unit> make_delta_decoder(const DeltaDecoderParams& params);

}  // namespace tandem::bridge
