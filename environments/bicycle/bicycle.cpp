#include "environments/bicycle/bicycle.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "core/error.hpp"

namespace tandem::environments {
namespace {

const std::array<SignalInfo, 13> bicycle_signals{{{"omega", "rad"},
                                                   {"omega_dot", "rad/s"},
                                                   {"theta", "rad"},
                                                   {"theta_dot", "rad/s"},
                                                   {"omega_ddot", "rad/s^2"},
                                                   {"psi", "rad"},
                                                   {"torque", "N m"},
                                                   {"displacement", "m"},
                                                   {"noise", "m"},
                                                   {"x_front", "m"},
                                                   {"y_front", "m"},
                                                   {"x_back", "m"},
                                                   {"y_back", "m"}}};

// sign(0) = 0: with a straight handlebar the turning terms vanish.
double sign(double value) { return static_cast<double>((value > 0.0) - (value < 0.0)); }

double finite_action(double value, std::string_view what) {
  if (!std::isfinite(value)) {
    throw InputError("bicycle: " + std::string(what) + " must be finite, got " + format_number(value));
  }
  return value;
}

}  // namespace

void BicycleParams::validate() const {
  constexpr std::string_view where = "bicycle";
  require_positive(where, "dt_s", dt_s);
  require_positive(where, "speed_m_s", speed_m_s);
  require_positive(where, "gravity_m_s2", gravity_m_s2);
  require_positive(where, "bicycle_mass_kg", bicycle_mass_kg);
  require_positive(where, "tyre_mass_kg", tyre_mass_kg);
  require_positive(where, "rider_mass_kg", rider_mass_kg);
  require_positive(where, "tyre_radius_m", tyre_radius_m);
  require_positive(where, "wheelbase_m", wheelbase_m);
  require_positive(where, "front_contact_to_cm_m", front_contact_to_cm_m, true);
  require_positive(where, "cm_height_m", cm_height_m);
  require_positive(where, "cm_offset_m", cm_offset_m, true);
  require_positive(where, "max_torque_nm", max_torque_nm, true);
  require_positive(where, "max_displacement_m", max_displacement_m, true);
  require_positive(where, "displacement_noise_m", displacement_noise_m, true);
  require_positive(where, "handlebar_limit_rad", handlebar_limit_rad);
  require_positive(where, "lean_limit_rad", lean_limit_rad);
  if (max_steps < 1) {
    throw InputError("bicycle: max_steps must be >= 1, got " + std::to_string(max_steps));
  }
}

BicycleInertia bicycle_inertia(const BicycleParams& p) {
  const double h = p.cm_height_m;
  const double r2 = p.tyre_radius_m * p.tyre_radius_m;
  return BicycleInertia{
      13.0 / 3.0 * p.bicycle_mass_kg * h * h +
          p.rider_mass_kg * (h + p.cm_offset_m) * (h + p.cm_offset_m),
      p.tyre_mass_kg * r2, 1.5 * p.tyre_mass_kg * r2, 0.5 * p.tyre_mass_kg * r2};
}

Bicycle::Bicycle(BicycleParams params) : params_(params) {
  params_.validate();
  reset(1);
}

std::span<const SignalInfo> Bicycle::signals() const { return bicycle_signals; }

void Bicycle::reset(std::uint64_t seed) {
  state_ = BicycleState{};
  state_.y_front_m = params_.wheelbase_m;
  noise_random_ = RandomStream::derived(seed, "bicycle/noise");
  torque_nm_ = 0.0;
  displacement_m_ = 0.0;
  noise_m_ = 0.0;
  steps_ = 0;
  failed_ = false;
}

const BicycleState& Bicycle::step(double torque_nm, double displacement_m) {
  if (done()) {
    throw InputError("bicycle: step called after the episode ended (step " +
                     std::to_string(steps_) + (failed_ ? ", fallen)" : ", cap reached)"));
  }
  const BicycleParams& p = params_;
  torque_nm_ = std::clamp(finite_action(torque_nm, "torque"), -p.max_torque_nm, p.max_torque_nm);
  displacement_m_ = std::clamp(finite_action(displacement_m, "displacement"),
                               -p.max_displacement_m, p.max_displacement_m);
  noise_m_ = p.displacement_noise_m > 0.0
                 ? noise_random_.uniform(-p.displacement_noise_m, p.displacement_noise_m)
                 : 0.0;

  const BicycleInertia inertia = bicycle_inertia(p);
  const double total_mass = p.bicycle_mass_kg + p.rider_mass_kg;  // M = M_c + M_p
  const double l = p.wheelbase_m;
  const double h = p.cm_height_m;
  const double v = p.speed_m_s;
  const double sigma_dot = v / p.tyre_radius_m;  // angular velocity of the tyres
  BicycleState& s = state_;
  // Inverse turning radii of the front tyre, back tyre and centre of mass:
  //   1/r_f = |sin theta| / l,  1/r_b = |tan theta| / l,
  //   1/r_CM = ((l - c)^2 + l^2 / tan^2 theta)^(-1/2)
  // written in inverse form so theta = 0 (straight: infinite radii) needs no special case.
  const double tan_theta = std::tan(s.theta_rad);
  const double inv_r_front = std::abs(std::sin(s.theta_rad)) / l;
  const double inv_r_back = std::abs(tan_theta) / l;
  const double lc = l - p.front_contact_to_cm_m;
  const double inv_r_cm = std::abs(tan_theta) / std::sqrt(lc * lc * tan_theta * tan_theta + l * l);

  // Total lean angle of the system: the rider's displacement plus noise tilts the CM.
  const double phi = s.omega_rad + std::atan((displacement_m_ + noise_m_) / h);
  const double omega_ddot =
      (h * total_mass * p.gravity_m_s2 * std::sin(phi) -
       std::cos(phi) * (inertia.tyre_axle * sigma_dot * s.theta_dot_rad_s +
                        sign(s.theta_rad) * v * v *
                            (p.tyre_mass_kg * p.tyre_radius_m * (inv_r_front + inv_r_back) +
                             total_mass * h * inv_r_cm))) /
      inertia.bicycle_and_rider;
  // Steering: applied torque against the gyroscopic coupling of the front wheel.
  const double theta_ddot =
      (torque_nm_ - inertia.tyre_vertical * s.omega_dot_rad_s * sigma_dot) / inertia.tyre_diameter;

  // The paper's Euler order: each velocity first, then its angle with the new velocity.
  s.omega_ddot_rad_s2 = omega_ddot;
  s.omega_dot_rad_s += omega_ddot * p.dt_s;
  s.omega_rad += s.omega_dot_rad_s * p.dt_s;
  s.theta_dot_rad_s += theta_ddot * p.dt_s;
  s.theta_rad += s.theta_dot_rad_s * p.dt_s;
  if (std::abs(s.theta_rad) > p.handlebar_limit_rad) {
    s.theta_rad = sign(s.theta_rad) * p.handlebar_limit_rad;
  }
  update_positions(inv_r_front, inv_r_back);
  ++steps_;
  failed_ = !(std::abs(s.omega_rad) <= p.lean_limit_rad);
  return state_;
}

void Bicycle::update_positions(double inv_r_front, double inv_r_back) {
  // Each tyre moves v dt along its heading, turned by half the arc angle it travels on its
  // circle of radius r: asin(v dt / (2 r)) (pi/2 when the circle is shorter than the step).
  // As in the paper, the radii are those of the step's start, the angles the updated ones.
  const BicycleParams& p = params_;
  BicycleState& s = state_;
  const double l = p.wheelbase_m;
  const double travel = p.speed_m_s * p.dt_s;
  const double front_chord = travel * inv_r_front / 2.0;
  const double front_turn = sign(s.psi_rad + s.theta_rad) *
                            (front_chord > 1.0 ? std::numbers::pi / 2.0 : std::asin(front_chord));
  s.x_front_m += -travel * std::sin(s.psi_rad + s.theta_rad + front_turn);
  s.y_front_m += travel * std::cos(s.psi_rad + s.theta_rad + front_turn);
  const double back_chord = travel * inv_r_back / 2.0;
  const double back_turn =
      sign(s.psi_rad) * (back_chord > 1.0 ? std::numbers::pi / 2.0 : std::asin(back_chord));
  s.x_back_m += -travel * std::sin(s.psi_rad + back_turn);
  s.y_back_m += travel * std::cos(s.psi_rad + back_turn);
  // Round-off makes the frame length drift; the paper pulls the back tyre back to l.
  const double dx = s.x_front_m - s.x_back_m;
  const double dy = s.y_front_m - s.y_back_m;
  const double length = std::sqrt(dx * dx + dy * dy);
  if (std::abs(length - l) > 0.01) {
    s.x_back_m -= dx * (l - length) / length;
    s.y_back_m -= dy * (l - length) / length;
  }
  // Heading from the back tyre to the front tyre, measured from the y axis (the paper's case
  // analysis of atan is exactly atan2).
  s.psi_rad = std::atan2(s.x_back_m - s.x_front_m, s.y_front_m - s.y_back_m);
}

void Bicycle::step(std::span<const double> action) {
  if (action.size() != 2) {
    throw InputError("bicycle: an action has 2 values (torque, displacement), got " +
                     std::to_string(action.size()));
  }
  step(action[0], action[1]);
}

void Bicycle::read_signals(std::span<double> out) const {
  const BicycleState& s = state_;
  const std::array<double, 13> values{s.omega_rad,         s.omega_dot_rad_s, s.theta_rad,
                                      s.theta_dot_rad_s,   s.omega_ddot_rad_s2, s.psi_rad,
                                      torque_nm_,          displacement_m_,   noise_m_,
                                      s.x_front_m,         s.y_front_m,       s.x_back_m,
                                      s.y_back_m};
  std::copy(values.begin(), values.end(), out.begin());
}

void Bicycle::set_state(const BicycleState& state) {
  state_ = state;
  failed_ = !(std::abs(state_.omega_rad) <= params_.lean_limit_rad);
}

}  // namespace tandem::environments
