// Training-time engine between the hybrid controller and the cart-pole: at the tick each step's
// action is due it pairs the features the policy saw with the LQR teacher's force for the same
// observation (a DAgger sample), and forwards either the teacher's or the policy's action.
#pragma once

#include <Eigen/Core>
#include <vector>

#include "core/engine.hpp"
#include "core/random.hpp"
#include "examples/cartpole/cartpole_lqr.hpp"

namespace tandem::examples {

// Least-squares fit with a ridge penalty, accumulated sample by sample:
//   minimise sum_k (w·f_k + b - y_k)^2 + ridge |w|^2   (the bias is not penalised).
class RidgeAccumulator {
 public:
  explicit RidgeAccumulator(std::size_t features);
  void add(const Eigen::VectorXf& features, double target);
  [[nodiscard]] std::size_t samples() const { return samples_; }
  // Solves the normal equations (X^T X + ridge I) [w; b] = X^T y. Returns w (features) and b.
  void solve(double ridge, Eigen::VectorXf& weight, float& bias) const;

 private:
  Eigen::MatrixXd gram_;  // [features + 1]^2, last row/column: the constant 1 (bias)
  Eigen::VectorXd moment_;
  Eigen::VectorXd row_;
  std::size_t samples_ = 0;
};

struct DaggerTapSettings {
  std::string name = "dagger";
  Tick ticks_per_step = 20;
  Tick phase = 15;               // the tick within each step at which the policy's action arrives
  double teacher_share = 1.0;    // probability that the teacher, not the policy, acts in a step
  double label_clip_n = 10.0;    // teacher forces are clipped to ±this before fitting
};

// Ports: in "observation" (4), in "features" (feature count), in "policy" (1), out "action" (1).
// At ticks t = k P + phase it adds (features, clip(LQR force(observation))) to `data` and emits
// the acting action stamped t. Its counters are empty: it is not part of the chip.
class DaggerTap : public Engine {
 public:
  DaggerTap(DaggerTapSettings settings, std::size_t features, CartPoleLqr teacher, RidgeAccumulator& data);

  [[nodiscard]] std::string_view name() const override { return settings_.name; }
  [[nodiscard]] std::span<const PortSpec> ports() const override { return ports_; }
  void reset(const RunContext& context) override;
  void advance(const Epoch& epoch, const Mailbox& inbox, Mailbox& outbox) override;
  [[nodiscard]] std::span<const NodeCounters> counters() const override { return {}; }
  bool enroll_probe(const Probe&, Recorder&) override { return false; }
  void record(Recorder&) override {}

 private:
  DaggerTapSettings settings_;
  CartPoleLqr teacher_;
  RidgeAccumulator& data_;
  std::vector<PortSpec> ports_;
  Eigen::VectorXf observation_;
  Eigen::VectorXf features_;
  float policy_ = 0.0F;
  RandomStream random_;
};

}  // namespace tandem::examples
