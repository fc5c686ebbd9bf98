#include "bridge/dvs_encoder.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "bridge/channel_set.hpp"
#include "bridge/traffic_cursor.hpp"
#include "core/error.hpp"
#include "core/random.hpp"

namespace tandem::bridge {
namespace {

constexpr Tick never = std::numeric_limits<Tick>::min() / 2;

// Event mode checks only the pixels whose input changed or that are still catching up (their log
// intensity is a threshold or more from the reference, possibly waiting out a refractory
// period); a pixel leaves that list only when |L - R| < threshold, where its check is an exact
// no-op until its input changes or a noise event moves R. Always-on checks every pixel every
// tick. Noise is drawn over the (tick, pixel) sequence in both modes alike, so both emit the
// same events.
class DvsEncoder final : public Unit {
 public:
  DvsEncoder(UnitDescription description, DvsEncoderParams params)
      : Unit(std::move(description)), params_(std::move(params)) {}

  void reset(const RunContext& context) override {
    const std::size_t n = params_.pixels;
    held_ = Eigen::VectorXf::Zero(static_cast<Eigen::Index>(n));
    dark_ = std::log(params_.epsilon);
    log_.assign(n, dark_);
    level_.assign(n, 0);
    last_event_.assign(n, never);
    active_.reset(n);
    noise_p_ = params_.noise_rate_hz * context.time.dt_ms() / 1000.0;
    if (noise_p_ >= 1.0) {
      throw InputError("bridge unit '" + params_.name + "': noise_rate_hz = " + format_number(params_.noise_rate_hz) +
                       ": at least one noise event per pixel per tick at dt_ms = " +
                       format_number(context.time.dt_ms()));
    }
    random_ = RandomStream::derived(context.seed, params_.name);
    next_noise_ = std::numeric_limits<std::int64_t>::max();
    if (noise_p_ > 0.0) next_noise_ = draw_gap() - 1;
  }

  void advance(const Epoch& epoch, const PortTraffic& in, PortTraffic& out, ExecutionMode mode,
               OpCounts& executed) override {
    const bool always_on = mode == ExecutionMode::always_on;
    const std::size_t n = params_.pixels;
    FrameCursor frames(in.frames, params_.name);
    for (Tick t = epoch.begin; t < epoch.end; ++t) {
      bool added = false;
      const std::size_t changed = frames.apply(t, held_, [&](std::uint32_t p) {
        log_[p] = std::log(std::max(0.0, static_cast<double>(held_[p])) + params_.epsilon);
        added |= active_.insert(p);
      });
      executed.add(Op::input_event, always_on ? n : changed);
      on_.clear();
      off_.clear();
      if (always_on) {
        for (std::uint32_t p = 0; p < n; ++p) check(p, t);
        executed.add(conversion_op(), n);
      } else {
        if (added) active_.sort();
        executed.add(conversion_op(), active_.size());
        for (const std::uint32_t p : active_.channels()) check(p, t);
      }
      add_noise(t);
      if (!always_on) active_.erase_if([&](std::uint32_t p) { return !pending(p); });
      std::sort(on_.begin(), on_.end());
      std::sort(off_.begin(), off_.end());
      for (const std::uint32_t p : on_) out.spikes.push(t, p);
      for (const std::uint32_t p : off_) out.spikes.push(t, static_cast<std::uint32_t>(n) + p);
      executed.add(Op::spike, on_.size() + off_.size());
    }
  }

 private:
  // R = ln(epsilon) + level·threshold, formed afresh (never accumulated, so it carries no drift).
  [[nodiscard]] double reference(std::uint32_t p) const {
    return dark_ + static_cast<double>(level_[p]) * params_.threshold;
  }
  // |L - R| >= threshold, up to a relative 1e-9: a pixel that returns to a level it had (e.g.
  // dark again) is exactly k thresholds from R, and rounding must not swallow the k-th event —
  // it would leave the pixel's events summing to one level off for good.
  [[nodiscard]] bool pending(std::uint32_t p) const {
    return std::abs(log_[p] - reference(p)) >= params_.threshold * (1.0 - 1e-9);
  }
  [[nodiscard]] bool refractory(std::uint32_t p, Tick t) const {
    return t - last_event_[p] <= params_.refractory_ticks;
  }

  void fire(std::uint32_t p, Tick t, bool on) {
    level_[p] += on ? 1 : -1;
    last_event_[p] = t;
    (on ? on_ : off_).push_back(p);
  }

  // The pixel's comparison in tick t.
  void check(std::uint32_t p, Tick t) {
    if (refractory(p, t) || !pending(p)) return;
    fire(p, t, log_[p] > reference(p));
  }

  // Noise draws falling in tick t: sequence positions t·N … t·N + N - 1.
  void add_noise(Tick t) {
    const auto n = static_cast<std::int64_t>(params_.pixels);
    const std::int64_t end = (t + 1) * n;
    while (next_noise_ < end) {
      const auto p = static_cast<std::uint32_t>(next_noise_ - t * n);
      const bool on = random_.bernoulli(0.5);
      if (last_event_[p] != t && !refractory(p, t)) {
        fire(p, t, on);
        active_.insert(p);  // R moved: the pixel may now be a threshold from L
      }
      next_noise_ += draw_gap();
    }
  }

  // K >= 1 with P(K = k) = (1 - p)^(k - 1) p: the distance to the next noise draw.
  std::int64_t draw_gap() {
    const double u = 1.0 - random_.uniform();  // (0, 1]
    return static_cast<std::int64_t>(std::floor(std::log(u) / std::log1p(-noise_p_))) + 1;
  }

  DvsEncoderParams params_;
  Eigen::VectorXf held_;            // the intensities as they arrived
  std::vector<double> log_;         // ln(max(I, 0) + epsilon)
  std::vector<std::int64_t> level_; // R in thresholds above ln(epsilon): ON events - OFF events
  double dark_ = 0.0;               // ln(epsilon)
  std::vector<Tick> last_event_;
  ChannelSet active_;
  std::vector<std::uint32_t> on_;   // this tick's events, pixel indices
  std::vector<std::uint32_t> off_;
  RandomStream random_;
  double noise_p_ = 0.0;
  std::int64_t next_noise_ = 0;     // sequence position t·N + p of the next noise draw
};

}  // namespace

std::unique_ptr<Unit> make_dvs_encoder(const DvsEncoderParams& params) {
  UnitDescription d = describe(params.name, "dvs_encoder", true, params.pixels, {PortKind::dense, params.pixels},
                               {PortKind::spikes, 2 * params.pixels});
  check_positive(params.name, "threshold", params.threshold);
  check_non_negative(params.name, "refractory_ticks", static_cast<double>(params.refractory_ticks));
  check_non_negative(params.name, "noise_rate_hz", params.noise_rate_hz);
  check_positive(params.name, "epsilon", params.epsilon);
  d.nonlinearity = "event when |ln(I + epsilon) - ln intensity at the last event| >= threshold";
  d.quantisation = "steps of threshold in log intensity, one ON/OFF spike per pixel per tick, refractory";
  return std::make_unique<DvsEncoder>(std::move(d), params);
}

}  // namespace tandem::bridge
