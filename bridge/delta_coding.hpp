// Delta / sigma-delta coding: send only changes. The encoder emits an event on a channel when
// |x - last sent| >= threshold — as on/off spikes (output 2c up, 2c+1 down; last sent moves by
// one threshold per event, at most one event per channel per tick, so a large step is sent as
// a burst) or as graded events (a dense frame carrying the new values). The delta decoder
// integrates on/off spikes back into values: x += threshold (on - off).
#pragma once

#include <memory>
#include <string>

#include "bridge/unit.hpp"

namespace tandem::bridge {

enum class DeltaOutput { on_off_spikes, graded };

struct DeltaEncoderParams {
  std::string name;
  std::size_t channels = 1;
  double threshold = 0.1;  // in input units, > 0
  DeltaOutput output = DeltaOutput::on_off_spikes;
};

struct DeltaDecoderParams {
  std::string name;
  std::size_t channels = 1;  // values out; the spike input has 2 channels per value
  double threshold = 0.1;    // must equal the encoder's
};

std::unique_ptr<Unit> make_delta_encoder(const DeltaEncoderParams& params);
std::unique_ptr<Unit> make_delta_decoder(const DeltaDecoderParams& params);

}  // namespace tandem::bridge
