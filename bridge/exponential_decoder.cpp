#include "bridge/exponential_decoder.hpp"

#include <cmath>
#include <vector>

#include "bridge/channel_set.hpp"
#include "bridge/traffic_cursor.hpp"

namespace tandem::bridge {
namespace {

// y below this many spikes per tick is set to zero (in both modes): under one spike per 10^6
// ticks it carries nothing, and it lets an idle channel fall back to an exact zero that event
// mode can skip (0 d + 0 = 0) instead of decaying through denormals for thousands of ticks.
constexpr float flush_floor = 1e-6F;

// Event mode updates only channels with y != 0 or a spike this tick; always-on updates every
// channel every tick with the same float expression, so skipped updates are exact no-ops.
class ExponentialDecoder final : public Unit {
 public:
  ExponentialDecoder(UnitDescription description, ExponentialDecoderParams params)
      : Unit(std::move(description)), params_(std::move(params)) {}

  void reset(const RunContext& context) override {
    decay_ = static_cast<float>(std::exp(-context.time.dt_ms() / params_.tau_ms));
    gain_ = 1.0F - decay_;
    y_.assign(params_.channels, 0.0F);
    arrived_.assign(params_.channels, 0);
    active_.reset(params_.channels);
  }

  void advance(const Epoch& epoch, const PortTraffic& in, PortTraffic& out, ExecutionMode mode,
               OpCounts& executed) override {
    const bool always_on = mode == ExecutionMode::always_on;
    const std::size_t n = params_.channels;
    SpikeCursor spikes(in.spikes);
    for (Tick t = epoch.begin; t < epoch.end; ++t) {
      const std::size_t count = spikes.at(t, [&](std::uint32_t c) {
        ++arrived_.at(c);
        if (!always_on) active_.insert(c);
      });
      executed.add(Op::input_event, count);
      if (always_on) {
        for (std::size_t c = 0; c < n; ++c) update(c);
        executed.add(conversion_op(), n);
      } else {
        executed.add(conversion_op(), active_.size());
        active_.erase_if([&](std::uint32_t c) {  // updates every active channel once, in order
          update(c);
          return y_[c] == 0.0F;
        });
      }
      if (params_.window.offset(t) == params_.window.ticks - 1) {
        DenseFrame frame{t, Eigen::VectorXf(static_cast<Eigen::Index>(n))};
        for (std::size_t c = 0; c < n; ++c) {
          frame.values[static_cast<Eigen::Index>(c)] = static_cast<float>(params_.range.physical(y_[c]));
        }
        out.frames.push_back(std::move(frame));
        executed.add(Op::spike, n);
      }
    }
  }

 private:
  void update(std::size_t c) {
    const float y = y_[c] * decay_ + gain_ * static_cast<float>(arrived_[c]);
    y_[c] = y < flush_floor ? 0.0F : y;
    arrived_[c] = 0;
  }

  ExponentialDecoderParams params_;
  float decay_ = 0.0F;
  float gain_ = 0.0F;
  std::vector<float> y_;
  std::vector<std::uint32_t> arrived_;  // spikes per channel in the current tick
  ChannelSet active_;  // channels with y != 0 or a spike this tick
};

}  // namespace

std::unique_ptr<Unit> make_exponential_decoder(const ExponentialDecoderParams& params) {
  UnitDescription d = describe(params.name, "exponential_decoder", false, params.channels,
                               {PortKind::spikes, params.channels}, {PortKind::dense, params.channels});
  check_positive(params.name, "tau_ms", params.tau_ms);
  check_window(params.name, params.window);
  check_range(params.name, params.range);
  set_window(d, params.window);  // the filter adds its own lag of about tau
  d.nonlinearity = "y = y exp(-dt/tau) + (1 - exp(-dt/tau)) n; value = value_min + (value_max - value_min) y";
  d.quantisation = "none (float32); y < 1e-6 spikes per tick is flushed to 0";
  return std::make_unique<ExponentialDecoder>(std::move(d), params);
}

}  // namespace tandem::bridge
