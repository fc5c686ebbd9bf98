#include "bridge/dense_passthrough.hpp"

#include "bridge/traffic_cursor.hpp"

namespace tandem::bridge {
namespace {

struct AffineMap {
  double gain = 1.0;
  double offset = 0.0;
  [[nodiscard]] std::size_t fan_out() const { return 1; }
  void convert(float x, float* y) const { *y = static_cast<float>(gain * static_cast<double>(x) + offset); }
};

struct PopulationMap {
  PopulationCode code;
  double gain = 1.0;
  [[nodiscard]] std::size_t fan_out() const { return code.neurons_per_channel; }
  void convert(float x, float* y) const {
    const double clamped = code.clamped(x);
    for (std::size_t i = 0; i < code.neurons_per_channel; ++i) {
      y[i] = static_cast<float>(gain * code.response(clamped, i));
    }
  }
};

// Maps each input channel to fan_out output values. Event mode recomputes only the inputs
// that changed; always-on recomputes every input every tick. Either way a frame goes out in a
// tick where some output differs from what was last sent, so both send the same frames.
template <typename Map>
class DenseMapUnit final : public Unit {
 public:
  DenseMapUnit(UnitDescription description, Map map) : Unit(std::move(description)), map_(map) {}

  void reset(const RunContext&) override {
    held_ = Eigen::VectorXf::Zero(static_cast<Eigen::Index>(description().input_width));
    sent_ = Eigen::VectorXf::Zero(static_cast<Eigen::Index>(description().output_width));
    for (std::size_t c = 0; c < description().input_width; ++c) map_.convert(0.0F, &sent_[index(c)]);
    scratch_.resize(map_.fan_out());
    changed_.clear();
    started_ = false;
  }

  void advance(const Epoch& epoch, const PortTraffic& in, PortTraffic& out, ExecutionMode mode,
               OpCounts& executed) override {
    const bool always_on = mode == ExecutionMode::always_on;
    const std::size_t inputs = description().input_width;
    FrameCursor frames(in.frames, description().name);
    for (Tick t = epoch.begin; t < epoch.end; ++t) {
      changed_.clear();
      const std::size_t arrived = frames.apply(t, held_, [&](std::uint32_t c) { changed_.push_back(c); });
      executed.add(Op::input_event, always_on ? inputs : arrived);
      bool differs = !started_;
      if (always_on) {
        for (std::size_t c = 0; c < inputs; ++c) differs |= update(c);
        executed.add(conversion_op(), description().output_width);
      } else {
        for (const std::uint32_t c : changed_) differs |= update(c);
        executed.add(conversion_op(), changed_.size() * map_.fan_out());
      }
      started_ = true;
      if (differs) {
        out.frames.push_back(DenseFrame{t, sent_});
        executed.add(Op::spike, description().output_width);
      }
    }
  }

 private:
  [[nodiscard]] Eigen::Index index(std::size_t input) const {
    return static_cast<Eigen::Index>(input * map_.fan_out());
  }
  // Recomputes input c's outputs; true when any of them changed.
  bool update(std::size_t c) {
    map_.convert(held_[static_cast<Eigen::Index>(c)], scratch_.data());
    bool differs = false;
    for (std::size_t i = 0; i < scratch_.size(); ++i) {
      float& sent = sent_[index(c) + static_cast<Eigen::Index>(i)];
      if (scratch_[i] != sent) {
        sent = scratch_[i];
        differs = true;
      }
    }
    return differs;
  }

  Map map_;
  Eigen::VectorXf held_;
  Eigen::VectorXf sent_;
  std::vector<float> scratch_;
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
  return std::make_unique<DenseMapUnit<AffineMap>>(std::move(d), AffineMap{params.gain, params.offset});
}

}  // namespace

std::unique_ptr<Unit> make_current_injection(const AffineParams& params) {
  return make_affine(params, true, "current_injection");
}

std::unique_ptr<Unit> make_membrane_readout(const AffineParams& params) {
  return make_affine(params, false, "membrane_readout");
}

std::unique_ptr<Unit> make_population_current(const PopulationCurrentParams& params) {
  check_name(params.name);
  params.code.check(params.name);
  const std::size_t outputs = params.channels * params.code.neurons_per_channel;
  UnitDescription d = describe(params.name, "population_current", true, outputs,
                               {PortKind::dense, params.channels}, {PortKind::dense, outputs});
  check_finite(params.name, "gain", params.gain);
  d.nonlinearity = "y_i = gain exp(-(x - c_i)^2 / (2 sigma^2)), c_i evenly over [value_min, value_max]";
  d.quantisation = "none (float32)";
  return std::make_unique<DenseMapUnit<PopulationMap>>(std::move(d), PopulationMap{params.code, params.gain});
}

}  // namespace tandem::bridge
