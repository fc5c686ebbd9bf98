// The bicycle of Randløv & Alstrøm (1998), "Learning to drive a bicycle using reinforcement
// learning and shaping": balance at a constant 10 km/h with handlebar torque and the rider's
// sideways displacement, integrated by Euler with dt = 0.01 s in the paper's order.
// The equations (moments of inertia, lean/steer dynamics, tyre positions) are written out in
// examples/bicycle/README.md and next to the code in bicycle.cpp.
#pragma once

#include <cstdint>
#include <numbers>

#include "core/random.hpp"
#include "environments/environment.hpp"

namespace tandem::environments {

struct BicycleState {
  double omega_rad = 0.0;         // lean of the bicycle from vertical
  double omega_dot_rad_s = 0.0;
  double omega_ddot_rad_s2 = 0.0;  // the last step's lean acceleration
  double theta_rad = 0.0;         // handlebar angle from straight ahead
  double theta_dot_rad_s = 0.0;
  double psi_rad = 0.0;           // heading: the frame's angle to the y axis
  double x_front_m = 0.0;         // ground contact points of the tyres
  double y_front_m = 0.0;
  double x_back_m = 0.0;
  double y_back_m = 0.0;
};

struct BicycleParams {
  // Randløv & Alstrøm (1998), table of constants (and their published C code).
  double dt_s = 0.01;
  double speed_m_s = 10.0 / 3.6;       // v, 10 km/h
  double gravity_m_s2 = 9.82;          // g
  double bicycle_mass_kg = 15.0;       // M_c
  double tyre_mass_kg = 1.7;           // M_d
  double rider_mass_kg = 60.0;         // M_p
  double tyre_radius_m = 0.34;         // r
  double wheelbase_m = 1.11;           // l: distance between the tyres' ground contacts
  double front_contact_to_cm_m = 0.66; // c: horizontal, front contact to centre of mass
  double cm_height_m = 0.94;           // h: centre of mass above the ground
  double cm_offset_m = 0.30;           // d_CM: rider's CM above the bicycle's CM
  double max_torque_nm = 2.0;          // T in [-2, 2] N m
  double max_displacement_m = 0.02;    // d in [-0.02, 0.02] m
  double displacement_noise_m = 0.02;  // w uniform in [-0.02, 0.02] m each step
  double handlebar_limit_rad = 80.0 * std::numbers::pi / 180.0;  // the handlebars stop at 80 deg
  double lean_limit_rad = 12.0 * std::numbers::pi / 180.0;       // fallen beyond 12 deg (pi/15)
  std::int64_t max_steps = 10000;      // 100 s of riding counts as success
  // InputError naming the parameter when a value is not finite or out of range.
  void validate() const;
};

class Bicycle : public Environment {
 public:
  explicit Bicycle(BicycleParams params = {});

  // Signals: omega, omega_dot, theta, theta_dot, omega_ddot, psi (the observation), then
  // torque, displacement (the applied, clamped actions), noise, x_front, y_front, x_back, y_back.
  [[nodiscard]] std::string_view kind() const override { return "bicycle"; }
  [[nodiscard]] std::size_t action_width() const override { return 2; }
  [[nodiscard]] std::span<const SignalInfo> signals() const override;
  [[nodiscard]] std::size_t observation_width() const override { return 6; }
  // The paper's start: upright, straight, back tyre at the origin, front tyre at (0, l).
  void reset(std::uint64_t seed) override;
  // action = (torque N m, displacement m), each clamped to its range.
  void step(std::span<const double> action) override;
  void read_signals(std::span<double> out) const override;
  [[nodiscard]] bool failed() const override { return failed_; }
  [[nodiscard]] std::int64_t step_count() const override { return steps_; }
  [[nodiscard]] std::int64_t max_steps() const override { return params_.max_steps; }
  [[nodiscard]] double step_ms() const override { return params_.dt_s * 1000.0; }

  const BicycleState& step(double torque_nm, double displacement_m);
  [[nodiscard]] const BicycleState& state() const { return state_; }
  void set_state(const BicycleState& state);
  [[nodiscard]] const BicycleParams& params() const { return params_; }
  [[nodiscard]] double last_noise_m() const { return noise_m_; }

 private:
  void update_positions(double inv_r_front, double inv_r_back);

  BicycleParams params_;
  BicycleState state_;
  RandomStream noise_random_;
  double torque_nm_ = 0.0;
  double displacement_m_ = 0.0;
  double noise_m_ = 0.0;
  std::int64_t steps_ = 0;
  bool failed_ = false;
};

// Moments of inertia of the model (kg m^2), computed from the parameters as in the paper.
struct BicycleInertia {
  double bicycle_and_rider;  // I = 13/3 M_c h^2 + M_p (h + d_CM)^2, about the ground contact line
  double tyre_axle;          // I_dc = M_d r^2
  double tyre_vertical;      // I_dv = 3/2 M_d r^2
  double tyre_diameter;      // I_dl = 1/2 M_d r^2
};
BicycleInertia bicycle_inertia(const BicycleParams& params);

}  // namespace tandem::environments
