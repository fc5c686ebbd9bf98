#include "examples/cartpole/dagger_tap.hpp"

#include <Eigen/Cholesky>
#include <algorithm>

namespace tandem::examples {

RidgeAccumulator::RidgeAccumulator(std::size_t features)
    : gram_(Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(features + 1), static_cast<Eigen::Index>(features + 1))),
      moment_(Eigen::VectorXd::Zero(static_cast<Eigen::Index>(features + 1))),
      row_(static_cast<Eigen::Index>(features + 1)) {}

void RidgeAccumulator::add(const Eigen::VectorXf& features, double target) {
  const Eigen::Index n = features.size();
  row_.head(n) = features.cast<double>();
  row_[n] = 1.0;
  gram_.selfadjointView<Eigen::Lower>().rankUpdate(row_);
  moment_ += target * row_;
  ++samples_;
}

void RidgeAccumulator::solve(double ridge, Eigen::VectorXf& weight, float& bias) const {
  const Eigen::Index n = gram_.rows() - 1;
  Eigen::MatrixXd system = gram_.selfadjointView<Eigen::Lower>();
  system.diagonal().head(n).array() += ridge;
  // A tiny penalty on the bias too keeps the system definite when no sample was added.
  system(n, n) += 1e-12;
  const Eigen::VectorXd solution = system.ldlt().solve(moment_);
  weight = solution.head(n).cast<float>();
  bias = static_cast<float>(solution[n]);
}

DaggerTap::DaggerTap(DaggerTapSettings settings, std::size_t features, CartPoleLqr teacher, RidgeAccumulator& data)
    : settings_(std::move(settings)), teacher_(std::move(teacher)), data_(data) {
  ports_ = {PortSpec{"observation", PortKind::dense, PortDirection::in, 4, settings_.name},
            PortSpec{"features", PortKind::dense, PortDirection::in, features, settings_.name},
            PortSpec{"policy", PortKind::dense, PortDirection::in, 1, settings_.name},
            PortSpec{"action", PortKind::dense, PortDirection::out, 1, settings_.name}};
}

void DaggerTap::reset(const RunContext& context) {
  observation_ = Eigen::VectorXf::Zero(4);
  features_ = Eigen::VectorXf::Zero(static_cast<Eigen::Index>(ports_[1].width));
  policy_ = 0.0F;
  random_ = RandomStream::derived(context.seed, settings_.name);
}

void DaggerTap::advance(const Epoch& epoch, const Mailbox& inbox, Mailbox& outbox) {
  std::array<std::size_t, 3> next{};
  for (Tick t = epoch.begin; t < epoch.end; ++t) {
    // Hold the latest frame of each input that arrived at or before t.
    for (std::size_t port = 0; port < 3; ++port) {
      const auto& frames = inbox.port(port).frames;
      for (; next[port] < frames.size() && frames[next[port]].tick <= t; ++next[port]) {
        const Eigen::VectorXf& values = frames[next[port]].values;
        if (port == 0) observation_ = values;
        if (port == 1) features_ = values;
        if (port == 2) policy_ = values[0];
      }
    }
    if (t % settings_.ticks_per_step != settings_.phase) continue;
    const CartPoleState state{observation_[0], observation_[1], observation_[2], observation_[3]};
    const double teacher = teacher_.force_n(state);
    data_.add(features_, std::clamp(teacher, -settings_.label_clip_n, settings_.label_clip_n));
    const bool teacher_acts = random_.bernoulli(settings_.teacher_share);
    Eigen::VectorXf action(1);
    action[0] = teacher_acts ? static_cast<float>(teacher) : policy_;
    outbox.port(3).frames.push_back(DenseFrame{t, action});
  }
}

}  // namespace tandem::examples
