// Training-time engine between the hybrid controller and its environment: at the tick each step's
// action is due it pairs the features the policy saw with the teacher's action for the same
// observation (a DAgger sample), and forwards either the teacher's or the policy's action.
#pragma once

#include <Eigen/Core>
#include <span>
#include <vector>

#include "core/engine.hpp"
#include "core/random.hpp"
#include "environments/episode_runner.hpp"

namespace tandem::examples {

// Least-squares fit with a ridge penalty, accumulated sample by sample, for each target j:
//   minimise sum_k (w_j·f_k + b_j - y_kj)^2 + ridge |w_j|^2   (the bias is not penalised).
class RidgeAccumulator {
 public:
  explicit RidgeAccumulator(std::size_t features, std::size_t targets = 1);
  void add(const Eigen::VectorXf& features, std::span<const double> targets);
  [[nodiscard]] std::size_t samples() const { return samples_; }
  // Solves the normal equations (X^T X + ridge I) [w_j; b_j] = X^T y_j per target. Returns the
  // weights [targets x features] and biases [targets].
  void solve(double ridge, Eigen::MatrixXf& weight, Eigen::VectorXf& bias) const;
  // The share of target j's variance the fit (weight row j, bias j) explains on the samples so
  // far: 1 - residual sum of squares / total sum of squares (1 when the targets do not vary).
  [[nodiscard]] double explained(std::size_t target, const Eigen::MatrixXf& weight, const Eigen::VectorXf& bias) const;

 private:
  Eigen::MatrixXd gram_;  // [features + 1]^2, last row/column: the constant 1 (bias)
  Eigen::MatrixXd moment_;  // [features + 1] x targets
  Eigen::VectorXd squares_;  // sum of y_j^2 per target
  Eigen::VectorXd row_;
  std::size_t samples_ = 0;
};

struct DaggerTapSettings {
  std::string name = "dagger";
  Tick ticks_per_step = 20;
  Tick phase = 15;               // the tick within each step at which the policy's action arrives
  double teacher_share = 1.0;    // probability that the teacher, not the policy, acts in a step
  std::vector<double> label_clip;  // teacher action j is clipped to ±label_clip[j] before fitting
  // 1: each sample's features are [f_k; f_(k-1)], the features of this step and of the step
  // before (zeros before the first), for a policy that also reads its input one step late.
  std::size_t history_steps = 0;   // 0 or 1
};

// Ports: in "observation" (observation width), in "features" (feature count), in "policy" and
// out "action" (action width = label_clip.size()). At ticks t = k P + phase it adds (features
// (with history_steps 1: followed by those of the previous sample),
// clip(teacher(observation))) to `data` and emits the acting action stamped t. Its counters
// are empty: it is not part of the chip.
class DaggerTap : public Engine {
 public:
  DaggerTap(DaggerTapSettings settings, std::size_t observation_width, std::size_t features, environments::Controller teacher,
            RidgeAccumulator& data);

  [[nodiscard]] std::string_view name() const override { return settings_.name; }
  [[nodiscard]] std::span<const PortSpec> ports() const override { return ports_; }
  void reset(const RunContext& context) override;
  void advance(const Epoch& epoch, const Mailbox& inbox, Mailbox& outbox) override;
  [[nodiscard]] std::span<const NodeCounters> counters() const override { return {}; }
  bool enroll_probe(const Probe&, Recorder&) override { return false; }
  void record(Recorder&) override {}

 private:
  DaggerTapSettings settings_;
  environments::Controller teacher_;
  RidgeAccumulator& data_;
  std::vector<PortSpec> ports_;
  Eigen::VectorXf observation_;
  Eigen::VectorXf features_;
  Eigen::VectorXf sample_;  // features_, then the previous sample's features_ (history_steps 1)
  Eigen::VectorXf policy_;
  std::vector<double> observation_values_;
  std::vector<double> teacher_action_;
  RandomStream random_;
};

}  // namespace tandem::examples
