// Test support: runs one bridge unit alone over [0, ticks) in epochs, feeding it prepared
// arrivals, and collects what it emitted and counted.
#pragma once

#include "bridge/unit.hpp"

namespace tandem::bridge::testing {

struct UnitRun {
  SpikeBatch spikes;
  std::vector<DenseFrame> frames;
  OpCounts executed;
  OpCounts always_on;
};

inline UnitRun run_unit(Unit& unit, const PortTraffic& input, Tick ticks, ExecutionMode mode,
                        Tick epoch_ticks = 7, std::uint64_t seed = 1) {
  unit.reset(RunContext{TimeBase{1.0}, seed, mode});
  UnitRun run;
  for (Tick begin = 0; begin < ticks; begin += epoch_ticks) {
    const Epoch epoch{begin, std::min(ticks, begin + epoch_ticks)};
    PortTraffic in;
    for (std::size_t i = 0; i < input.spikes.size(); ++i) {
      if (epoch.contains(input.spikes.tick[i])) in.spikes.push(input.spikes.tick[i], input.spikes.index[i]);
    }
    for (const DenseFrame& f : input.frames) {
      if (epoch.contains(f.tick)) in.frames.push_back(f);
    }
    PortTraffic out;
    OpCounts done;
    unit.advance(epoch, in, out, mode, done);
    for (std::size_t i = 0; i < out.spikes.size(); ++i) run.spikes.push(out.spikes.tick[i], out.spikes.index[i]);
    for (DenseFrame& f : out.frames) run.frames.push_back(std::move(f));
    run.executed += done;
    run.always_on += unit.always_on(epoch.length(), done);
  }
  return run;
}

// A frame of `values` arriving at `tick`.
inline DenseFrame frame(Tick tick, std::initializer_list<float> values) {
  DenseFrame f{tick, Eigen::VectorXf(static_cast<Eigen::Index>(values.size()))};
  Eigen::Index i = 0;
  for (const float v : values) f.values[i++] = v;
  return f;
}

// Frames as arrivals of a unit's dense input.
inline PortTraffic frames_in(std::vector<DenseFrame> frames) {
  PortTraffic in;
  in.frames = std::move(frames);
  return in;
}

// Spikes as they leave one unit, fed to the next as arrivals (no wire latency).
inline PortTraffic as_input(const UnitRun& run) {
  PortTraffic in;
  in.spikes = run.spikes;
  in.frames = run.frames;
  return in;
}

inline bool same_spikes(const SpikeBatch& a, const SpikeBatch& b) { return a.tick == b.tick && a.index == b.index; }

inline bool same_frames(const std::vector<DenseFrame>& a, const std::vector<DenseFrame>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].tick != b[i].tick || a[i].values.size() != b[i].values.size()) return false;
    for (Eigen::Index k = 0; k < a[i].values.size(); ++k) {
      if (a[i].values[k] != b[i].values[k]) return false;  // bit-identical, NaN never equal
    }
  }
  return true;
}

}  // namespace tandem::bridge::testing
