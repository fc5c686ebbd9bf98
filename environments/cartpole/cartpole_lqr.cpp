#include "environments/cartpole/cartpole_lqr.hpp"

#include "environments/lqr.hpp"

namespace tandem::environments {

CartPoleLqr::CartPoleLqr(const CartPoleParams& params, const CartPoleLqrWeights& weights) {
  params.validate();
  // Linearisation about theta = theta_dot = 0 (sin theta ~ theta, cos theta ~ 1, theta_dot^2 ~ 0):
  //   theta_acc = (g theta - F / M) / d,   d = l (4/3 - m_p / M)
  //   x_acc     = F / M - (m_p l / M) theta_acc
  const double total_mass = params.cart_mass_kg + params.pole_mass_kg;
  const double l = params.pole_half_length_m;
  const double d = l * (4.0 / 3.0 - params.pole_mass_kg / total_mass);
  const double theta_acc_per_theta = params.gravity_m_s2 / d;
  const double theta_acc_per_force = -1.0 / (total_mass * d);
  const double coupling = params.pole_mass_kg * l / total_mass;
  const double x_acc_per_theta = -coupling * theta_acc_per_theta;
  const double x_acc_per_force = 1.0 / total_mass - coupling * theta_acc_per_force;

  Eigen::Matrix4d continuous = Eigen::Matrix4d::Zero();
  continuous(0, 1) = 1.0;
  continuous(1, 2) = x_acc_per_theta;
  continuous(2, 3) = 1.0;
  continuous(3, 2) = theta_acc_per_theta;
  const Eigen::Vector4d input{0.0, x_acc_per_force, 0.0, theta_acc_per_force};
  // Explicit Euler, as the environment steps: x_{k+1} = (I + tau A_c) x_k + tau B_c u_k.
  a_ = Eigen::Matrix4d::Identity() + params.tau_s * continuous;
  b_ = params.tau_s * input;

  const Eigen::MatrixXd q = weights.state_cost.asDiagonal();
  const Eigen::MatrixXd r = Eigen::MatrixXd::Constant(1, 1, weights.force_cost);
  gain_ = solve_discrete_lqr(a_, b_, q, r).gain;
}

double CartPoleLqr::force_n(const CartPoleState& state) const {
  const Eigen::Vector4d x{state.x_m, state.x_dot_m_s, state.theta_rad, state.theta_dot_rad_s};
  return -(gain_ * x).value();
}

void CartPoleLqr::operator()(std::span<const double> observation, std::span<double> action) const {
  action[0] = force_n(CartPoleState{observation[0], observation[1], observation[2], observation[3]});
}

}  // namespace tandem::environments
