// The cart-pole of Barto, Sutton & Anderson (1983) exactly as OpenAI Gym CartPole-v1 steps it
// (explicit Euler, tau 0.02 s), with a continuous-force option and seeded push disturbances.
//
// Equations (theta = 0 upright, positive clockwise; F the total horizontal force on the cart):
//   temp       = (F + m_p l theta_dot^2 sin theta) / (m_c + m_p)
//   theta_acc  = (g sin theta - cos theta * temp) / (l (4/3 - m_p cos^2 theta / (m_c + m_p)))
//   x_acc      = temp - m_p l theta_acc cos theta / (m_c + m_p)
//   x <- x + tau x_dot;  x_dot <- x_dot + tau x_acc;
//   theta <- theta + tau theta_dot;  theta_dot <- theta_dot + tau theta_acc
// (l is the pole's half-length). The episode fails when |x| > 2.4 m or |theta| > 12 degrees.
#pragma once

#include <array>
#include <cstdint>
#include <numbers>

#include "core/random.hpp"
#include "environments/environment.hpp"

namespace tandem::environments {

struct CartPoleState {
  double x_m = 0.0;
  double x_dot_m_s = 0.0;
  double theta_rad = 0.0;
  double theta_dot_rad_s = 0.0;
};

struct CartPoleParams {
  // CartPole-v1 constants (gym/envs/classic_control/cartpole.py).
  double gravity_m_s2 = 9.8;
  double cart_mass_kg = 1.0;
  double pole_mass_kg = 0.1;
  double pole_half_length_m = 0.5;
  double force_n = 10.0;   // discrete action magnitude, and the clamp of continuous actions
  double tau_s = 0.02;
  double theta_limit_rad = 12.0 * 2.0 * std::numbers::pi / 360.0;  // 12 degrees, as Gym
  double x_limit_m = 2.4;
  double start_range = 0.05;  // every state variable starts uniform in [-0.05, 0.05]
  std::int64_t max_steps = 500;  // CartPole-v1's episode cap
  // false: the action's sign picks +force_n (> 0) or -force_n (<= 0), so Gym's {0, 1} actions
  // and signed controller outputs both work. true: the action is a force in N, clamped.
  bool continuous = false;
  // Push disturbances: each step, with this probability, an extra force of +-push_force_n
  // (random sign) acts on the cart for that step only. Off unless set (see with_pushes()).
  double push_probability = 0.0;
  double push_force_n = 0.0;

  // The documented default pushes: on average one push per second (p = 0.02 at 50 steps/s) of
  // 20 N for one step, i.e. an impulse of 0.4 N s — twice the largest force the controller
  // itself can apply. One push changes theta_dot by ~0.6 rad/s (clearly visible) yet the LQR
  // recovers every time; failures start near 30-40 N (see README.md).
  static constexpr double default_push_probability = 0.02;
  static constexpr double default_push_force_n = 20.0;
  [[nodiscard]] CartPoleParams with_pushes() const {
    CartPoleParams p = *this;
    p.push_probability = default_push_probability;
    p.push_force_n = default_push_force_n;
    return p;
  }
  // InputError naming the parameter when a value is not finite or out of range.
  void validate() const;
};

class CartPole : public Environment {
 public:
  explicit CartPole(CartPoleParams params = {});

  // Signals: x, x_dot, theta, theta_dot (the observation), then action (the control force
  // applied, N) and push (the disturbance force, N).
  [[nodiscard]] std::string_view kind() const override { return "cartpole"; }
  [[nodiscard]] std::size_t action_width() const override { return 1; }
  [[nodiscard]] std::span<const SignalInfo> signals() const override;
  [[nodiscard]] std::size_t observation_width() const override { return 4; }
  void reset(std::uint64_t seed) override;
  void step(std::span<const double> action) override;
  void read_signals(std::span<double> out) const override;
  [[nodiscard]] bool failed() const override { return failed_; }
  [[nodiscard]] std::int64_t step_count() const override { return steps_; }
  [[nodiscard]] std::int64_t max_steps() const override { return params_.max_steps; }
  [[nodiscard]] double step_ms() const override { return params_.tau_s * 1000.0; }

  // Typed access for controllers and tests.
  const CartPoleState& step(double action);
  [[nodiscard]] const CartPoleState& state() const { return state_; }
  // Places the system in a given state (tests, demonstrations); keeps the step count.
  void set_state(const CartPoleState& state);
  [[nodiscard]] const CartPoleParams& params() const { return params_; }
  // The control force an action value turns into (discretised or clamped), N.
  [[nodiscard]] double control_force_n(double action) const;
  [[nodiscard]] double last_push_n() const { return push_n_; }

 private:
  [[nodiscard]] bool out_of_bounds() const;

  CartPoleParams params_;
  CartPoleState state_;
  RandomStream push_random_;
  double force_n_ = 0.0;
  double push_n_ = 0.0;
  std::int64_t steps_ = 0;
  bool failed_ = false;
};

}  // namespace tandem::environments
