// The reference bicycle controller: LQR on the lean/steer dynamics linearised about upright
// riding, discretised with the environment's own Euler order, acting with both the handlebar
// torque and the rider's displacement (the environment clamps both to their ranges).
#pragma once

#include <Eigen/Core>
#include <span>

#include "environments/bicycle/bicycle.hpp"

namespace tandem::environments {

struct BicycleLqrWeights {
  // State cost diag(omega, omega_dot, theta, theta_dot) and input cost diag(torque,
  // displacement). The lean is what fails, so it dominates; the displacement's small range
  // (2 cm) is reflected in its high cost per metre.
  Eigen::Vector4d state_cost{100.0, 1.0, 1.0, 0.01};
  Eigen::Vector2d input_cost{1.0, 1000.0};
};

class BicycleLqr {
 public:
  explicit BicycleLqr(const BicycleParams& params = {}, const BicycleLqrWeights& weights = {});

  // (torque N m, displacement m) = -K (omega, omega_dot, theta, theta_dot), not clamped.
  [[nodiscard]] Eigen::Vector2d action(const BicycleState& state) const;
  // Controller form: observation (omega, omega_dot, theta, theta_dot, …) -> action (2 values).
  void operator()(std::span<const double> observation, std::span<double> action) const;

  [[nodiscard]] const Eigen::Matrix<double, 2, 4>& gain() const { return gain_; }
  [[nodiscard]] const Eigen::Matrix4d& a() const { return a_; }
  [[nodiscard]] const Eigen::Matrix<double, 4, 2>& b() const { return b_; }

 private:
  Eigen::Matrix4d a_;
  Eigen::Matrix<double, 4, 2> b_;
  Eigen::Matrix<double, 2, 4> gain_;
};

}  // namespace tandem::environments
