#include "bridge/window_encoders.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "bridge/channel_set.hpp"
#include "bridge/traffic_cursor.hpp"

namespace tandem::bridge {
namespace {

// A window's spikes: at offsets first + floor(j W / count) for j < count (count <= W - first).
struct Pattern {
  Tick first = 0;
  Tick count = 0;
};

Tick ceil_div(Tick a, Tick b) { return (a + b - 1) / b; }

// The always-on path decides each tick on its own whether the pattern has a spike at `offset`:
// the number of pattern spikes at offsets first..first+r is min(count, ceil((r + 1) count / W))
// (j W / count < r + 1), and a spike sits at r exactly when that number grows from r - 1 to r.
// The event path lists the offsets directly instead; the equivalence tests compare the two.
bool spikes_at(const Pattern& pattern, Tick offset, Tick window) {
  const Tick rel = offset - pattern.first;
  if (pattern.count == 0 || rel < 0) return false;
  auto up_to = [&](Tick r) {
    return r < 0 ? Tick{0} : std::min(pattern.count, ceil_div((r + 1) * pattern.count, window));
  };
  return up_to(rel) > up_to(rel - 1);
}

struct RateCoding {
  ValueRange range;
  Tick window = 1;
  [[nodiscard]] std::size_t fan_out() const { return 1; }
  void convert(float x, Pattern* out) const {
    *out = Pattern{0, std::llround(range.normalised(x) * static_cast<double>(window))};
  }
};

struct LatencyCoding {
  ValueRange range;
  Tick window = 2;
  [[nodiscard]] std::size_t fan_out() const { return 1; }
  void convert(float x, Pattern* out) const {
    const double v = range.normalised(x);
    *out = v <= 0.0 ? Pattern{0, 0}
                    : Pattern{std::llround((1.0 - v) * static_cast<double>(window - 1)), 1};
  }
};

struct PopulationCoding {
  PopulationCode code;
  Tick window = 1;
  [[nodiscard]] std::size_t fan_out() const { return code.neurons_per_channel; }
  void convert(float x, Pattern* out) const {
    const double clamped = code.clamped(x);
    for (std::size_t i = 0; i < code.neurons_per_channel; ++i) {
      out[i] = Pattern{0, std::llround(code.response(clamped, i) * static_cast<double>(window))};
    }
  }
};

// Samples the held input at every window start (offset 0) and emits the coding's pattern over
// the window. Silent before the first window start. Event mode converts only inputs that
// changed since the last sample and replays a cached schedule; always-on converts every
// channel every tick from the sampled values and tests each offset with spikes_at().
template <typename Coding>
class WindowedEncoder final : public Unit {
 public:
  WindowedEncoder(UnitDescription description, Coding coding, Window window)
      : Unit(std::move(description)), coding_(coding), window_(window) {}

  void reset(const RunContext&) override {
    const auto inputs = static_cast<Eigen::Index>(description().input_width);
    held_ = Eigen::VectorXf::Zero(inputs);
    sampled_ = Eigen::VectorXf::Zero(inputs);
    patterns_.assign(description().output_width, Pattern{});
    dirty_.reset(description().input_width);
    schedule_.clear();
    cursor_ = 0;
    sampled_once_ = false;
  }

  void advance(const Epoch& epoch, const PortTraffic& in, PortTraffic& out, ExecutionMode mode,
               OpCounts& executed) override {
    const bool always_on = mode == ExecutionMode::always_on;
    const std::size_t inputs = description().input_width;
    const std::size_t outputs = description().output_width;
    const std::size_t fan_out = coding_.fan_out();
    FrameCursor frames(in.frames, description().name);
    for (Tick t = epoch.begin; t < epoch.end; ++t) {
      const std::size_t changed = frames.apply(t, held_, [&](std::uint32_t c) { dirty_.insert(c); });
      executed.add(Op::input_event, always_on ? inputs : changed);
      const Tick offset = window_.offset(t);
      if (offset == 0) sample(always_on, executed);
      // Always-on hardware converts every channel every tick, also before the first window.
      if (always_on) executed.add(conversion_op(), outputs);
      if (!sampled_once_) continue;
      std::size_t emitted = 0;
      if (always_on) {
        for (std::size_t c = 0; c < inputs; ++c) coding_.convert(sampled_[static_cast<Eigen::Index>(c)], &patterns_[c * fan_out]);
        for (std::size_t k = 0; k < outputs; ++k) {
          if (spikes_at(patterns_[k], offset, window_.ticks)) {
            out.spikes.push(t, static_cast<std::uint32_t>(k));
            ++emitted;
          }
        }
      } else {
        for (; cursor_ < schedule_.size() && schedule_[cursor_].first == offset; ++cursor_, ++emitted) {
          out.spikes.push(t, schedule_[cursor_].second);
        }
      }
      executed.add(Op::spike, emitted);
    }
  }

 private:
  void sample(bool always_on, OpCounts& executed) {
    const std::size_t fan_out = coding_.fan_out();
    bool converted = false;
    if (!sampled_once_) {  // the first window converts everything once
      sampled_ = held_;
      if (!always_on) {
        for (std::size_t c = 0; c < description().input_width; ++c) {
          coding_.convert(sampled_[static_cast<Eigen::Index>(c)], &patterns_[c * fan_out]);
        }
        executed.add(conversion_op(), description().output_width);
        converted = true;
      }
    }
    for (const std::uint32_t c : dirty_.channels()) {
      if (sampled_[c] == held_[c]) continue;
      sampled_[c] = held_[c];
      if (!always_on) {
        coding_.convert(sampled_[c], &patterns_[c * fan_out]);
        executed.add(conversion_op(), fan_out);
        converted = true;
      }
    }
    dirty_.clear();
    sampled_once_ = true;
    cursor_ = 0;
    if (converted) rebuild_schedule();
  }

  // Lists (offset, channel) in that order by counting sort over the W offsets: channels are
  // visited in ascending order, so each offset's bucket comes out sorted by channel.
  void rebuild_schedule() {
    bucket_start_.assign(static_cast<std::size_t>(window_.ticks) + 1, 0);
    std::size_t total = 0;
    for (const Pattern& p : patterns_) {
      for (Tick j = 0; j < p.count; ++j) ++bucket_start_[static_cast<std::size_t>(offset_of(p, j)) + 1];
      total += static_cast<std::size_t>(p.count);
    }
    for (std::size_t o = 1; o < bucket_start_.size(); ++o) bucket_start_[o] += bucket_start_[o - 1];
    schedule_.resize(total);
    for (std::size_t k = 0; k < patterns_.size(); ++k) {
      const Pattern& p = patterns_[k];
      for (Tick j = 0; j < p.count; ++j) {
        const Tick offset = offset_of(p, j);
        schedule_[bucket_start_[static_cast<std::size_t>(offset)]++] = {offset, static_cast<std::uint32_t>(k)};
      }
    }
  }

  [[nodiscard]] Tick offset_of(const Pattern& p, Tick j) const { return p.first + j * window_.ticks / p.count; }

  Coding coding_;
  Window window_;
  Eigen::VectorXf held_;     // current input (frames apply from their arrival tick)
  Eigen::VectorXf sampled_;  // input as sampled at the current window's start
  std::vector<Pattern> patterns_;
  ChannelSet dirty_;  // inputs touched since the last sample
  std::vector<std::pair<Tick, std::uint32_t>> schedule_;  // (offset, channel), sorted
  std::vector<std::size_t> bucket_start_;  // scratch of rebuild_schedule
  std::size_t cursor_ = 0;
  bool sampled_once_ = false;
};

UnitDescription windowed_description(const std::string& name, std::string kind, std::size_t inputs,
                                     std::size_t fan_out, const Window& window, Tick least_window) {
  UnitDescription d = describe(name, std::move(kind), true, inputs,
                               {PortKind::dense, inputs}, {PortKind::spikes, inputs * fan_out});
  check_window(name, window, least_window);
  d.channels = inputs * fan_out;
  set_window(d, window);
  return d;
}

}  // namespace

std::unique_ptr<Unit> make_rate_encoder(const RateEncoderParams& params) {
  UnitDescription d = windowed_description(params.name, "rate_encoder", params.channels, 1, params.window, 1);
  check_range(params.name, params.range);
  d.nonlinearity = "v = clamp((x - value_min) / (value_max - value_min), 0, 1)";
  d.quantisation = "n = round(v W) spikes per window at offsets floor(j W / n), j < n";
  return std::make_unique<WindowedEncoder<RateCoding>>(
      std::move(d), RateCoding{params.range, params.window.ticks}, params.window);
}

std::unique_ptr<Unit> make_latency_encoder(const LatencyEncoderParams& params) {
  UnitDescription d = windowed_description(params.name, "latency_encoder", params.channels, 1, params.window, 2);
  check_range(params.name, params.range);
  d.nonlinearity = "v = clamp((x - value_min) / (value_max - value_min), 0, 1)";
  d.quantisation = "one spike per window at offset round((1 - v)(W - 1)); none when v = 0";
  return std::make_unique<WindowedEncoder<LatencyCoding>>(
      std::move(d), LatencyCoding{params.range, params.window.ticks}, params.window);
}

std::unique_ptr<Unit> make_population_encoder(const PopulationEncoderParams& params) {
  check_name(params.name);
  params.code.check(params.name);
  UnitDescription d = windowed_description(params.name, "population_encoder", params.channels,
                                           params.code.neurons_per_channel, params.window, 1);
  d.nonlinearity = "r_i = exp(-(x - c_i)^2 / (2 sigma^2)), c_i evenly over [value_min, value_max]";
  d.quantisation = "round(r_i W) spikes per window per neuron, spread as the rate encoder";
  return std::make_unique<WindowedEncoder<PopulationCoding>>(
      std::move(d), PopulationCoding{params.code, params.window.ticks}, params.window);
}

}  // namespace tandem::bridge
