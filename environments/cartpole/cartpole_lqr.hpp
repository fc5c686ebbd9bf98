// The reference cart-pole controller: LQR on the model linearised about the upright state and
// discretised with the environment's own explicit Euler step. Its force is meant to be applied
// as is (continuous mode) or by sign (discrete +-10 N mode: the environment takes the sign).
#pragma once

#include <Eigen/Core>
#include <span>

#include "environments/cartpole/cartpole.hpp"

namespace tandem::environments {

struct CartPoleLqrWeights {
  // State cost diag(x, x_dot, theta, theta_dot) and force cost. Angle errors dominate because
  // the pole falls within a few steps while the track allows metres of drift.
  Eigen::Vector4d state_cost{1.0, 1.0, 10.0, 1.0};
  double force_cost = 0.1;
};

class CartPoleLqr {
 public:
  explicit CartPoleLqr(const CartPoleParams& params = {}, const CartPoleLqrWeights& weights = {});

  // u = -K x, in N (not clamped).
  [[nodiscard]] double force_n(const CartPoleState& state) const;
  // Controller form for the episode runner and teachers: observation (x, x_dot, theta,
  // theta_dot) -> action (1 value).
  void operator()(std::span<const double> observation, std::span<double> action) const;

  [[nodiscard]] const Eigen::RowVector4d& gain() const { return gain_; }
  // The linearised Euler step x_{k+1} = A x_k + B u_k used for the design.
  [[nodiscard]] const Eigen::Matrix4d& a() const { return a_; }
  [[nodiscard]] const Eigen::Vector4d& b() const { return b_; }

 private:
  Eigen::Matrix4d a_;
  Eigen::Vector4d b_;
  Eigen::RowVector4d gain_;
};

}  // namespace tandem::environments
