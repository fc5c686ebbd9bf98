#include "environments/bicycle/bicycle_lqr.hpp"

#include "environments/lqr.hpp"

namespace tandem::environments {

BicycleLqr::BicycleLqr(const BicycleParams& params, const BicycleLqrWeights& weights) {
  params.validate();
  // Linearisation about omega = theta = 0: sin phi ~ omega + d/h, cos phi ~ 1, and
  // sign(theta)(1/r_f, 1/r_b, 1/r_CM) ~ theta / l each, so with state (omega, omega_dot,
  // theta, theta_dot) and input (T, d):
  //   omega_ddot = (M h g omega + M g d - I_dc sigma_dot theta_dot
  //                 - v^2 (2 M_d r + M h) / l * theta) / I
  //   theta_ddot = (T - I_dv sigma_dot omega_dot) / I_dl
  const BicycleInertia inertia = bicycle_inertia(params);
  const double total_mass = params.bicycle_mass_kg + params.rider_mass_kg;
  const double h = params.cm_height_m;
  const double v = params.speed_m_s;
  const double sigma_dot = v / params.tyre_radius_m;
  const double g = params.gravity_m_s2;
  const double dt = params.dt_s;

  Eigen::Matrix<double, 2, 4> acc_state = Eigen::Matrix<double, 2, 4>::Zero();
  Eigen::Matrix2d acc_input = Eigen::Matrix2d::Zero();
  acc_state(0, 0) = total_mass * h * g / inertia.bicycle_and_rider;
  acc_state(0, 2) = -v * v * (2.0 * params.tyre_mass_kg * params.tyre_radius_m + total_mass * h) /
                    params.wheelbase_m / inertia.bicycle_and_rider;
  acc_state(0, 3) = -inertia.tyre_axle * sigma_dot / inertia.bicycle_and_rider;
  acc_input(0, 1) = total_mass * g / inertia.bicycle_and_rider;
  acc_state(1, 1) = -inertia.tyre_vertical * sigma_dot / inertia.tyre_diameter;
  acc_input(1, 0) = 1.0 / inertia.tyre_diameter;

  // The environment's Euler order: velocity_{k+1} = velocity_k + dt acc_k, then
  // angle_{k+1} = angle_k + dt velocity_{k+1}. Rows 1 and 3 are the velocities.
  a_ = Eigen::Matrix4d::Identity();
  b_ = Eigen::Matrix<double, 4, 2>::Zero();
  for (int axis = 0; axis < 2; ++axis) {
    const int angle = 2 * axis;
    const int velocity = angle + 1;
    a_.row(velocity) += dt * acc_state.row(axis);
    b_.row(velocity) = dt * acc_input.row(axis);
    a_.row(angle) += dt * a_.row(velocity);
    b_.row(angle) = dt * b_.row(velocity);
  }
  const Eigen::MatrixXd q = weights.state_cost.asDiagonal();
  const Eigen::MatrixXd r = weights.input_cost.asDiagonal();
  gain_ = solve_discrete_lqr(a_, b_, q, r).gain;
}

Eigen::Vector2d BicycleLqr::action(const BicycleState& state) const {
  const Eigen::Vector4d x{state.omega_rad, state.omega_dot_rad_s, state.theta_rad,
                          state.theta_dot_rad_s};
  return -gain_ * x;
}

void BicycleLqr::operator()(std::span<const double> observation, std::span<double> action) const {
  BicycleState state;
  state.omega_rad = observation[0];
  state.omega_dot_rad_s = observation[1];
  state.theta_rad = observation[2];
  state.theta_dot_rad_s = observation[3];
  const Eigen::Vector2d u = this->action(state);
  action[0] = u[0];
  action[1] = u[1];
}

}  // namespace tandem::environments
