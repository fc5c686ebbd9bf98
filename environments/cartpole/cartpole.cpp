#include "environments/cartpole/cartpole.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"

namespace tandem::environments {
namespace {

const std::array<SignalInfo, 6> cartpole_signals{{{"x", "m"},
                                                   {"x_dot", "m/s"},
                                                   {"theta", "rad"},
                                                   {"theta_dot", "rad/s"},
                                                   {"action", "N"},
                                                   {"push", "N"}}};

}  // namespace

void CartPoleParams::validate() const {
  constexpr std::string_view where = "cartpole";
  require_positive(where, "gravity_m_s2", gravity_m_s2);
  require_positive(where, "cart_mass_kg", cart_mass_kg);
  require_positive(where, "pole_mass_kg", pole_mass_kg);
  require_positive(where, "pole_half_length_m", pole_half_length_m);
  require_positive(where, "force_n", force_n);
  require_positive(where, "tau_s", tau_s);
  require_positive(where, "theta_limit_rad", theta_limit_rad);
  require_positive(where, "x_limit_m", x_limit_m);
  require_positive(where, "start_range", start_range, true);
  require_positive(where, "push_force_n", push_force_n, true);
  if (!(push_probability >= 0.0 && push_probability <= 1.0)) {
    throw InputError("cartpole: push_probability must lie in [0, 1], got " +
                     format_number(push_probability));
  }
  if (max_steps < 1) {
    throw InputError("cartpole: max_steps must be >= 1, got " + std::to_string(max_steps));
  }
}

CartPole::CartPole(CartPoleParams params) : params_(params) {
  params_.validate();
  reset(1);
}

std::span<const SignalInfo> CartPole::signals() const { return cartpole_signals; }

void CartPole::reset(std::uint64_t seed) {
  // Separate streams for the start and the pushes: switching pushes on keeps the starts.
  RandomStream start = RandomStream::derived(seed, "cartpole/start");
  const double r = params_.start_range;
  state_.x_m = start.uniform(-r, r);
  state_.x_dot_m_s = start.uniform(-r, r);
  state_.theta_rad = start.uniform(-r, r);
  state_.theta_dot_rad_s = start.uniform(-r, r);
  push_random_ = RandomStream::derived(seed, "cartpole/push");
  force_n_ = 0.0;
  push_n_ = 0.0;
  steps_ = 0;
  failed_ = out_of_bounds();
}

double CartPole::control_force_n(double action) const {
  if (!std::isfinite(action)) {
    throw InputError("cartpole: action must be finite, got " + format_number(action));
  }
  if (params_.continuous) return std::clamp(action, -params_.force_n, params_.force_n);
  return action > 0.0 ? params_.force_n : -params_.force_n;
}

const CartPoleState& CartPole::step(double action) {
  if (done()) {
    throw InputError("cartpole: step called after the episode ended (step " +
                     std::to_string(steps_) + (failed_ ? ", failed)" : ", cap reached)"));
  }
  force_n_ = control_force_n(action);
  push_n_ = 0.0;
  if (params_.push_probability > 0.0 && push_random_.bernoulli(params_.push_probability)) {
    push_n_ = push_random_.bernoulli(0.5) ? params_.push_force_n : -params_.push_force_n;
  }
  const CartPoleParams& p = params_;
  const double total_mass = p.cart_mass_kg + p.pole_mass_kg;
  const double pole_mass_length = p.pole_mass_kg * p.pole_half_length_m;
  const double force = force_n_ + push_n_;
  const double cos_theta = std::cos(state_.theta_rad);
  const double sin_theta = std::sin(state_.theta_rad);
  const double temp =
      (force + pole_mass_length * state_.theta_dot_rad_s * state_.theta_dot_rad_s * sin_theta) /
      total_mass;
  const double theta_acc =
      (p.gravity_m_s2 * sin_theta - cos_theta * temp) /
      (p.pole_half_length_m * (4.0 / 3.0 - p.pole_mass_kg * cos_theta * cos_theta / total_mass));
  const double x_acc = temp - pole_mass_length * theta_acc * cos_theta / total_mass;
  // Explicit Euler in Gym's order: positions move with the old velocities.
  state_.x_m += p.tau_s * state_.x_dot_m_s;
  state_.x_dot_m_s += p.tau_s * x_acc;
  state_.theta_rad += p.tau_s * state_.theta_dot_rad_s;
  state_.theta_dot_rad_s += p.tau_s * theta_acc;
  ++steps_;
  failed_ = out_of_bounds();
  return state_;
}

void CartPole::step(std::span<const double> action) {
  if (action.size() != 1) {
    throw InputError("cartpole: an action has 1 value, got " + std::to_string(action.size()));
  }
  step(action[0]);
}

void CartPole::read_signals(std::span<double> out) const {
  out[0] = state_.x_m;
  out[1] = state_.x_dot_m_s;
  out[2] = state_.theta_rad;
  out[3] = state_.theta_dot_rad_s;
  out[4] = force_n_;
  out[5] = push_n_;
}

void CartPole::set_state(const CartPoleState& state) {
  state_ = state;
  failed_ = out_of_bounds();
}

bool CartPole::out_of_bounds() const {
  // Gym fails strictly beyond the limits; NaN states count as failed too.
  return !(std::abs(state_.x_m) <= params_.x_limit_m) ||
         !(std::abs(state_.theta_rad) <= params_.theta_limit_rad);
}

}  // namespace tandem::environments
