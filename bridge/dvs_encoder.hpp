// The event-camera (dynamic vision sensor) encoder: grey-level pixels in, ON/OFF spikes out, as a
// DVS pixel works — it remembers the log intensity at its last event and fires when the present
// log intensity has moved a contrast threshold away from it. See docs/cartpole-camera.md.
//
// Per pixel p (input I_p >= 0, clamped; L_p = ln(I_p + epsilon); reference R_p, at reset
// ln(epsilon), i.e. the sensor starts from a dark scene), in every tick t:
//   if t is not within refractory_ticks after p's last event and |L_p - R_p| >= threshold
//   (compared up to a relative 1e-9, so that a return to an earlier level sends every event):
//     L_p > R_p: ON event (output channel p),       R_p += threshold
//     L_p < R_p: OFF event (output channel N + p),  R_p -= threshold
// At most one event per pixel per tick, so a change of k thresholds leaves as a burst of k
// events (spaced by the refractory period). Noise: every pixel independently draws background
// events at noise_rate_hz (each tick with p = rate·dt), ON or OFF with equal odds; a noise event
// moves R_p by ±threshold like a real one (shot noise resets the pixel's memory) and starts the
// refractory period; a pixel that fires a real event in a tick ignores a noise draw that tick,
// and a refractory pixel ignores it too. The draws come from RandomStream::derived(seed, name)
// as geometric gaps over the (tick, pixel) sequence, independent of the mode.
// Output layout: ON plane then OFF plane (channel c·N + p, c = 0 ON, 1 OFF), i.e. the 2 × H × W
// input of a convolution (docs/convolution.md).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "bridge/unit.hpp"

namespace tandem::bridge {

struct DvsEncoderParams {
  std::string name;
  std::size_t pixels = 1;        // N = W·H grey levels in, 2N spike channels out
  double threshold = 0.2;        // contrast threshold in log intensity, > 0
  Tick refractory_ticks = 0;     // ticks after an event in which the pixel cannot fire, >= 0
  double noise_rate_hz = 0.0;    // background events per pixel per second, >= 0
  double epsilon = 0.1;          // ln(I + epsilon): keeps dark pixels finite, > 0
};

std::unique_ptr<Unit> make_dvs_encoder(const DvsEncoderParams& params);

}  // namespace tandem::bridge
