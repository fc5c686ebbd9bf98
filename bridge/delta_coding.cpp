#include "bridge/delta_coding.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "bridge/channel_set.hpp"
#include "bridge/traffic_cursor.hpp"
#include "core/error.hpp"

namespace tandem::bridge {
namespace {

// Event mode keeps the channels that may still send (input changed, or not yet caught up) in
// an active list and checks only those; always-on checks every channel every tick. A channel
// leaves the list only when |x - last| < threshold, where the check is an exact no-op until its
// input changes again — so both modes emit the same events.
class DeltaEncoder final : public Unit {
 public:
  DeltaEncoder(UnitDescription description, DeltaEncoderParams params)
      : Unit(std::move(description)), params_(std::move(params)) {
    threshold_ = Eigen::VectorXf::Constant(static_cast<Eigen::Index>(params_.channels),
                                           static_cast<float>(params_.threshold));
    for (std::size_t c = 0; c < params_.thresholds.size(); ++c) {
      threshold_[static_cast<Eigen::Index>(c)] = static_cast<float>(params_.thresholds[c]);
    }
  }

  void reset(const RunContext&) override {
    held_ = Eigen::VectorXf::Zero(static_cast<Eigen::Index>(description().input_width));
    last_ = Eigen::VectorXf::Zero(static_cast<Eigen::Index>(params_.channels));
    active_.reset(params_.channels);
  }

  void advance(const Epoch& epoch, const PortTraffic& in, PortTraffic& out, ExecutionMode mode,
               OpCounts& executed) override {
    const bool always_on = mode == ExecutionMode::always_on;
    const std::size_t n = params_.channels;
    FrameCursor frames(in.frames, params_.name);
    for (Tick t = epoch.begin; t < epoch.end; ++t) {
      bool added = false;
      std::size_t changed = 0;  // encoded channels whose input changed (the others are not read)
      frames.apply(t, held_, [&](std::uint32_t c) {
        if (c >= n) return;
        ++changed;
        added |= active_.insert(c);
      });
      executed.add(Op::input_event, always_on ? description().input_width : changed);
      std::size_t events = 0;
      bool frame_due = false;
      if (always_on) {
        for (std::uint32_t c = 0; c < n; ++c) events += step(c, t, out, frame_due);
        executed.add(conversion_op(), n);
      } else {
        if (added) active_.sort();
        executed.add(conversion_op(), active_.size());
        for (const std::uint32_t c : active_.channels()) events += step(c, t, out, frame_due);
        active_.erase_if([&](std::uint32_t c) { return !pending(c); });
      }
      if (frame_due) out.frames.push_back(DenseFrame{t, last_});
      executed.add(Op::spike, events);
    }
  }

 private:
  [[nodiscard]] bool pending(std::uint32_t c) const { return std::abs(held_[c] - last_[c]) >= threshold_[c]; }

  // One channel's check in tick t; returns the events sent (0 or 1).
  std::size_t step(std::uint32_t c, Tick t, PortTraffic& out, bool& frame_due) {
    const float d = held_[c] - last_[c];
    if (std::abs(d) < threshold_[c]) return 0;
    if (params_.output == DeltaOutput::graded) {
      last_[c] = held_[c];
      frame_due = true;
    } else if (d > 0.0F) {
      last_[c] += threshold_[c];
      out.spikes.push(t, 2 * c);
    } else {
      last_[c] -= threshold_[c];
      out.spikes.push(t, 2 * c + 1);
    }
    return 1;
  }

  DeltaEncoderParams params_;
  Eigen::VectorXf threshold_;  // per channel
  Eigen::VectorXf held_;       // the whole input frame; channels >= params_.channels are not read
  Eigen::VectorXf last_;  // what the receiver knows: the last value sent
  ChannelSet active_;  // channels that changed or are still catching up
};

// Adds threshold * (on - off) to each value and emits a frame in every tick a spike arrived.
// The net count per channel is formed first, so the arithmetic does not depend on arrival
// order; always-on adds threshold * 0 = 0 (exact) to every other channel.
class DeltaDecoder final : public Unit {
 public:
  DeltaDecoder(UnitDescription description, DeltaDecoderParams params)
      : Unit(std::move(description)), params_(std::move(params)),
        threshold_(static_cast<float>(params_.threshold)) {}

  void reset(const RunContext&) override {
    value_ = Eigen::VectorXf::Zero(static_cast<Eigen::Index>(params_.channels));
    net_.assign(params_.channels, 0);
    touched_.reset(params_.channels);
  }

  void advance(const Epoch& epoch, const PortTraffic& in, PortTraffic& out, ExecutionMode mode,
               OpCounts& executed) override {
    const bool always_on = mode == ExecutionMode::always_on;
    const std::size_t n = params_.channels;
    SpikeCursor spikes(in.spikes);
    for (Tick t = epoch.begin; t < epoch.end; ++t) {
      const std::size_t arrived = spikes.at(t, [&](std::uint32_t k) {
        const std::uint32_t c = k / 2;
        touched_.insert(c);
        net_[c] += (k % 2 == 0) ? 1 : -1;
      });
      executed.add(Op::input_event, arrived);
      if (always_on) {
        for (std::size_t c = 0; c < n; ++c) apply(c);
        executed.add(conversion_op(), n);
      } else {
        for (const std::uint32_t c : touched_.channels()) apply(c);
        executed.add(conversion_op(), touched_.size());
      }
      touched_.clear();
      if (arrived > 0) {
        out.frames.push_back(DenseFrame{t, value_});
        executed.add(Op::spike, n);
      }
    }
  }

 private:
  void apply(std::size_t c) {
    value_[static_cast<Eigen::Index>(c)] += threshold_ * static_cast<float>(net_[c]);
    net_[c] = 0;
  }

  DeltaDecoderParams params_;
  float threshold_;
  Eigen::VectorXf value_;
  std::vector<std::int64_t> net_;
  ChannelSet touched_;  // channels with spikes in the current tick
};

}  // namespace

std::unique_ptr<Unit> make_delta_encoder(const DeltaEncoderParams& params) {
  const bool graded = params.output == DeltaOutput::graded;
  const std::size_t input_width = params.input_width == 0 ? params.channels : params.input_width;
  UnitDescription d = describe(params.name, graded ? "delta_encoder_graded" : "delta_encoder", true,
                               params.channels, {PortKind::dense, input_width},
                               graded ? PortShape{PortKind::dense, params.channels}
                                      : PortShape{PortKind::spikes, 2 * params.channels});
  if (input_width < params.channels) {
    throw InputError("bridge unit '" + params.name + "': input_width = " + std::to_string(input_width) +
                     " is less than channels = " + std::to_string(params.channels));
  }
  if (params.thresholds.empty()) {
    check_positive(params.name, "threshold", params.threshold);
  } else {
    if (params.thresholds.size() != params.channels) {
      throw InputError("bridge unit '" + params.name + "': thresholds has " + std::to_string(params.thresholds.size()) +
                       " values, expected one per channel (" + std::to_string(params.channels) + ")");
    }
    for (std::size_t c = 0; c < params.thresholds.size(); ++c) {
      check_positive(params.name, "thresholds[" + std::to_string(c) + "]", params.thresholds[c]);
    }
  }
  d.nonlinearity = "event when |x - last sent| >= threshold";
  d.quantisation = graded ? "sends x itself; the receiver lags by < threshold"
                          : "steps of threshold, one on/off spike per channel per tick";
  return std::make_unique<DeltaEncoder>(std::move(d), params);
}

std::unique_ptr<Unit> make_delta_decoder(const DeltaDecoderParams& params) {
  UnitDescription d = describe(params.name, "delta_decoder", false, params.channels,
                               {PortKind::spikes, 2 * params.channels}, {PortKind::dense, params.channels});
  check_positive(params.name, "threshold", params.threshold);
  d.fan_in = 2;
  d.nonlinearity = "x += threshold (on - off)";
  d.quantisation = "steps of threshold";
  return std::make_unique<DeltaDecoder>(std::move(d), params);
}

}  // namespace tandem::bridge
