#include "bridge/dense_passthrough.hpp"

#include "bridge/traffic_cursor.hpp"

namespace tandem::bridge {
namespace {

// Event mode recomputes only the channels whose input changed; always-on recomputes every
// channel every tick. Either way a frame goes out in a tick where some y differs from what was
// last sent, so both send the same frames.
class AffineUnit final : public Unit {
 public:
  AffineUnit(UnitDescription description, AffineParams params)
      : Unit(std::move(description)), params_(std::move(params)) {}

  void reset(const RunContext&) override {
    const auto n = static_cast<Eigen::Index>(params_.channels);
    held_ = Eigen::VectorXf::Zero(n);
    sent_ = Eigen::VectorXf::Constant(n, convert(0.0F));
    changed_.clear();
    started_ = false;
  }

  void advance(const Epoch& epoch, const PortTraffic& in, PortTraffic& out, ExecutionMode mode,
               OpCounts& executed) override {
    const bool always_on = mode == ExecutionMode::always_on;
    const auto n = static_cast<Eigen::Index>(params_.channels);
    FrameCursor frames(in.frames, params_.name);
    for (Tick t = epoch.begin; t < epoch.end; ++t) {
      changed_.clear();
      const std::size_t arrived = frames.apply(t, held_, [&](std::uint32_t c) { changed_.push_back(c); });
      executed.add(Op::input_event, always_on ? params_.channels : arrived);
      bool differs = !started_;
      if (always_on) {
        for (Eigen::Index c = 0; c < n; ++c) differs |= update(c);
        executed.add(conversion_op(), params_.channels);
      } else {
        for (const std::uint32_t c : changed_) differs |= update(c);
        executed.add(conversion_op(), changed_.size());
      }
      started_ = true;
      if (differs) {
        out.frames.push_back(DenseFrame{t, sent_});
        executed.add(Op::spike, params_.channels);
      }
    }
  }

 private:
  [[nodiscard]] float convert(float x) const {
    return static_cast<float>(params_.gain * static_cast<double>(x) + params_.offset);
  }
  bool update(Eigen::Index c) {
    const float y = convert(held_[c]);
    if (y == sent_[c]) return false;
    sent_[c] = y;
    return true;
  }

  AffineParams params_;
  Eigen::VectorXf held_;
  Eigen::VectorXf sent_;
  std::vector<std::uint32_t> changed_;
  bool started_ = false;
};

std::unique_ptr<Unit> make_affine(const AffineParams& params, bool encoder, std::string kind) {
  UnitDescription d = describe(params.name, std::move(kind), encoder, params.channels,
                               {PortKind::dense, params.channels}, {PortKind::dense, params.channels});
  check_finite(params.name, "gain", params.gain);
  check_finite(params.name, "offset", params.offset);
  d.nonlinearity = "y = gain x + offset";
  d.quantisation = "none (float32)";
  return std::make_unique<AffineUnit>(std::move(d), params);
}

}  // namespace

std::unique_ptr<Unit> make_current_injection(const AffineParams& params) {
  return make_affine(params, true, "current_injection");
}

std::unique_ptr<Unit> make_membrane_readout(const AffineParams& params) {
  return make_affine(params, false, "membrane_readout");
}

}  // namespace tandem::bridge
