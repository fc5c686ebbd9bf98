// Walks one epoch's arrivals tick by tick: dense frames update a held vector (a frame arriving
// at tick t applies from t on), spikes are handed out per tick. Arrivals are sorted by tick.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/payload.hpp"

namespace tandem::bridge {

class FrameCursor {
 public:
  FrameCursor(const std::vector<DenseFrame>& frames, std::string_view unit)
      : frames_(frames), unit_(unit) {}

  // Applies every frame with tick <= `tick` to `held`; calls on_change(channel) for each value
  // that differs from the held one. Returns how many values changed. A NaN value or a frame of
  // the wrong width is a RunError naming the unit.
  template <typename OnChange>
  std::size_t apply(Tick tick, Eigen::VectorXf& held, OnChange&& on_change) {
    std::size_t changed = 0;
    for (; next_ < frames_.size() && frames_[next_].tick <= tick; ++next_) {
      const Eigen::VectorXf& values = frames_[next_].values;
      if (values.size() != held.size()) {
        throw RunError("bridge unit '" + std::string(unit_) + "': a frame of " +
                       std::to_string(values.size()) + " values arrived on an input of width " +
                       std::to_string(held.size()));
      }
      for (Eigen::Index c = 0; c < values.size(); ++c) {
        if (std::isnan(values[c])) {
          throw RunError("bridge unit '" + std::string(unit_) + "': NaN arrived on channel " +
                         std::to_string(c) + " at tick " + std::to_string(frames_[next_].tick));
        }
        if (values[c] != held[c]) {
          held[c] = values[c];
          ++changed;
          on_change(static_cast<std::uint32_t>(c));
        }
      }
    }
    return changed;
  }
  std::size_t apply(Tick tick, Eigen::VectorXf& held) {
    return apply(tick, held, [](std::uint32_t) {});
  }

 private:
  const std::vector<DenseFrame>& frames_;
  std::string_view unit_;
  std::size_t next_ = 0;
};

class SpikeCursor {
 public:
  explicit SpikeCursor(const SpikeBatch& spikes) : spikes_(spikes) {}

  // Calls f(channel) for every spike arriving at `tick` (earlier ones are skipped); returns the count.
  template <typename F>
  std::size_t at(Tick tick, F&& f) {
    while (next_ < spikes_.size() && spikes_.tick[next_] < tick) ++next_;
    std::size_t count = 0;
    for (; next_ < spikes_.size() && spikes_.tick[next_] == tick; ++next_, ++count) f(spikes_.index[next_]);
    return count;
  }

 private:
  const SpikeBatch& spikes_;
  std::size_t next_ = 0;
};

}  // namespace tandem::bridge
