#include "examples/dagger_tap.hpp"

#include <Eigen/Cholesky>
#include <algorithm>

#include "core/error.hpp"

namespace tandem::examples {

RidgeAccumulator::RidgeAccumulator(std::size_t features, std::size_t targets)
    : gram_(Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(features + 1), static_cast<Eigen::Index>(features + 1))),
      moment_(Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(features + 1), static_cast<Eigen::Index>(targets))),
      squares_(Eigen::VectorXd::Zero(static_cast<Eigen::Index>(targets))),
      row_(static_cast<Eigen::Index>(features + 1)) {}

void RidgeAccumulator::add(const Eigen::VectorXf& features, std::span<const double> targets) {
  const Eigen::Index n = features.size();
  row_.head(n) = features.cast<double>();
  row_[n] = 1.0;
  gram_.selfadjointView<Eigen::Lower>().rankUpdate(row_);
  for (Eigen::Index j = 0; j < moment_.cols(); ++j) {
    const double y = targets[static_cast<std::size_t>(j)];
    moment_.col(j) += y * row_;
    squares_[j] += y * y;
  }
  ++samples_;
}

void RidgeAccumulator::solve(double ridge, Eigen::MatrixXf& weight, Eigen::VectorXf& bias) const {
  const Eigen::Index n = gram_.rows() - 1;
  Eigen::MatrixXd system = gram_.selfadjointView<Eigen::Lower>();
  system.diagonal().head(n).array() += ridge;
  // A tiny penalty on the bias too keeps the system definite when no sample was added.
  system(n, n) += 1e-12;
  const auto factor = system.ldlt();
  weight.resize(moment_.cols(), n);
  bias.resize(moment_.cols());
  for (Eigen::Index j = 0; j < moment_.cols(); ++j) {  // one target at a time, as a single fit
    const Eigen::VectorXd solution = factor.solve(moment_.col(j));
    weight.row(j) = solution.head(n).cast<float>().transpose();
    bias[j] = static_cast<float>(solution[n]);
  }
}

double RidgeAccumulator::explained(std::size_t target, const Eigen::MatrixXf& weight, const Eigen::VectorXf& bias) const {
  const auto j = static_cast<Eigen::Index>(target);
  const Eigen::Index n = gram_.rows() - 1;
  Eigen::VectorXd s(n + 1);
  s.head(n) = weight.row(j).transpose().cast<double>();
  s[n] = bias[j];
  // |X s - y|^2 = s'G s - 2 s'X'y + y'y, all from the accumulated sums.
  const Eigen::MatrixXd gram = gram_.selfadjointView<Eigen::Lower>();
  const double residual = s.dot(gram * s) - 2.0 * s.dot(moment_.col(j)) + squares_[j];
  const double count = gram_(n, n);
  const double mean = count > 0.0 ? moment_(n, j) / count : 0.0;
  const double total = squares_[j] - count * mean * mean;
  return total > 0.0 ? 1.0 - residual / total : 1.0;
}

DaggerTap::DaggerTap(DaggerTapSettings settings, std::size_t observation_width, std::size_t features,
                     environments::Controller teacher, RidgeAccumulator& data)
    : settings_(std::move(settings)), teacher_(std::move(teacher)), data_(data) {
  if (settings_.history_steps > 1) throw InputError(settings_.name + ": history_steps must be 0 or 1");
  const std::size_t actions = settings_.label_clip.size();
  ports_ = {PortSpec{"observation", PortKind::dense, PortDirection::in, observation_width, settings_.name},
            PortSpec{"features", PortKind::dense, PortDirection::in, features, settings_.name},
            PortSpec{"policy", PortKind::dense, PortDirection::in, actions, settings_.name},
            PortSpec{"action", PortKind::dense, PortDirection::out, actions, settings_.name}};
}

void DaggerTap::reset(const RunContext& context) {
  observation_ = Eigen::VectorXf::Zero(static_cast<Eigen::Index>(ports_[0].width));
  features_ = Eigen::VectorXf::Zero(static_cast<Eigen::Index>(ports_[1].width));
  sample_ = Eigen::VectorXf::Zero(static_cast<Eigen::Index>(ports_[1].width * (1 + settings_.history_steps)));
  policy_ = Eigen::VectorXf::Zero(static_cast<Eigen::Index>(ports_[2].width));
  observation_values_.assign(ports_[0].width, 0.0);
  teacher_action_.assign(ports_[2].width, 0.0);
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
        if (port == 2) policy_ = values;
      }
    }
    if (t % settings_.ticks_per_step != settings_.phase) continue;
    for (std::size_t i = 0; i < observation_values_.size(); ++i) {
      observation_values_[i] = observation_[static_cast<Eigen::Index>(i)];
    }
    teacher_(observation_values_, teacher_action_);
    std::vector<double> label(teacher_action_.size());
    for (std::size_t j = 0; j < label.size(); ++j) {
      label[j] = std::clamp(teacher_action_[j], -settings_.label_clip[j], settings_.label_clip[j]);
    }
    if (settings_.history_steps == 0) {
      data_.add(features_, label);
    } else {
      sample_.tail(features_.size()) = sample_.head(features_.size());
      sample_.head(features_.size()) = features_;
      data_.add(sample_, label);
    }
    const bool teacher_acts = random_.bernoulli(settings_.teacher_share);
    Eigen::VectorXf action = policy_;
    if (teacher_acts) {
      for (std::size_t j = 0; j < teacher_action_.size(); ++j) {
        action[static_cast<Eigen::Index>(j)] = static_cast<float>(teacher_action_[j]);
      }
    }
    outbox.port(3).frames.push_back(DenseFrame{t, action});
  }
}

}  // namespace tandem::examples
