#include "bridge/poisson_encoder.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>
#include <vector>

#include "bridge/channel_set.hpp"
#include "bridge/traffic_cursor.hpp"
#include "core/error.hpp"
#include "core/random.hpp"

namespace tandem::bridge {
namespace {

constexpr Tick never = std::numeric_limits<Tick>::max();

// Each channel keeps the tick of its next spike. A change of probability at tick t redraws it
// as t + K - 1, a spike at t draws t + K, with K >= 1 geometric: P(K = k) = (1 - p)^(k-1) p —
// exactly a Bernoulli(p) trial per tick, by memorylessness. Both modes draw the same K from the
// same per-channel streams at the same moments; always-on checks every channel every tick,
// event mode pops due channels from a queue.
class PoissonEncoder final : public Unit {
 public:
  PoissonEncoder(UnitDescription description, PoissonEncoderParams params)
      : Unit(std::move(description)), params_(std::move(params)) {}

  void reset(const RunContext& context) override {
    const std::size_t n = params_.channels;
    per_tick_ = params_.max_rate_hz * context.time.dt_ms() / 1000.0;
    if (per_tick_ > 1.0) {
      throw InputError("bridge unit '" + params_.name + "': max_rate_hz = " + format_number(params_.max_rate_hz) +
                       ": more than one spike per tick at dt_ms = " + format_number(context.time.dt_ms()));
    }
    held_ = Eigen::VectorXf::Zero(static_cast<Eigen::Index>(n));
    probability_.assign(n, -1.0);  // no probability yet: the first tick converts every channel
    next_.assign(n, never);
    generation_.assign(n, 0);
    dirty_.reset(n, true);
    queue_ = {};
    streams_.clear();
    RandomStream unit_stream = RandomStream::derived(context.seed, params_.name);
    for (std::size_t c = 0; c < n; ++c) streams_.emplace_back(unit_stream.next_u64());
  }

  void advance(const Epoch& epoch, const PortTraffic& in, PortTraffic& out, ExecutionMode mode,
               OpCounts& executed) override {
    const bool always_on = mode == ExecutionMode::always_on;
    const std::size_t n = params_.channels;
    FrameCursor frames(in.frames, params_.name);
    std::vector<std::uint32_t> due;
    for (Tick t = epoch.begin; t < epoch.end; ++t) {
      const std::size_t changed = frames.apply(t, held_, [&](std::uint32_t c) { dirty_.insert(c); });
      executed.add(Op::input_event, always_on ? n : changed);
      std::size_t conversions = 0;
      for (const std::uint32_t c : dirty_.channels()) {
        const double p = params_.range.normalised(held_[c]) * per_tick_;
        if (p == probability_[c]) continue;
        probability_[c] = p;
        schedule(c, t - 1, always_on);
        ++conversions;
      }
      dirty_.clear();
      std::size_t emitted = 0;
      if (always_on) {
        conversions = n;
        for (std::uint32_t c = 0; c < n; ++c) {
          if (next_[c] != t) continue;
          out.spikes.push(t, c);
          ++emitted;
          schedule(c, t, always_on);
        }
      } else {
        due.clear();
        while (!queue_.empty() && std::get<0>(queue_.top()) <= t) {
          const auto [tick, c, generation] = queue_.top();
          queue_.pop();
          if (generation == generation_[c]) due.push_back(c);
        }
        std::sort(due.begin(), due.end());
        for (const std::uint32_t c : due) {
          out.spikes.push(t, c);
          schedule(c, t, always_on);
        }
        emitted = due.size();
        conversions += due.size();
      }
      executed.add(conversion_op(), conversions);
      executed.add(Op::spike, emitted);
    }
  }

 private:
  // Next spike of channel c at from + K.
  void schedule(std::uint32_t c, Tick from, bool always_on) {
    const double p = probability_[c];
    if (p <= 0.0) {
      next_[c] = never;
    } else if (p >= 1.0) {
      next_[c] = from + 1;
    } else {
      const double u = 1.0 - streams_[c].uniform();  // in (0, 1]
      const double k = std::floor(std::log(u) / std::log1p(-p));
      next_[c] = k > 1e15 ? never : from + 1 + static_cast<Tick>(k);
    }
    ++generation_[c];
    if (!always_on && next_[c] != never) queue_.emplace(next_[c], c, generation_[c]);
  }

  using Entry = std::tuple<Tick, std::uint32_t, std::uint64_t>;  // (tick, channel, generation)
  PoissonEncoderParams params_;
  double per_tick_ = 0.0;
  Eigen::VectorXf held_;
  std::vector<double> probability_;
  std::vector<Tick> next_;
  std::vector<std::uint64_t> generation_;  // invalidates queued entries of a redrawn channel
  ChannelSet dirty_;  // inputs changed this tick (all of them at reset)
  std::vector<RandomStream> streams_;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue_;
};

}  // namespace

std::unique_ptr<Unit> make_poisson_encoder(const PoissonEncoderParams& params) {
  UnitDescription d = describe(params.name, "poisson_encoder", true, params.channels,
                               {PortKind::dense, params.channels}, {PortKind::spikes, params.channels});
  check_range(params.name, params.range);
  check_non_negative(params.name, "max_rate_hz", params.max_rate_hz);
  d.nonlinearity = "p = v max_rate_hz dt per tick, v = clamp((x - value_min) / (value_max - value_min), 0, 1)";
  d.quantisation = "stochastic: Bernoulli(p) spike per tick, seeded per unit name";
  return std::make_unique<PoissonEncoder>(std::move(d), params);
}

}  // namespace tandem::bridge
