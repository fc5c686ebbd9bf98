#include <catch2/catch.hpp>
#include <Eigen/Eigenvalues>
#include <cmath>

#include "environments/bicycle/bicycle_lqr.hpp"
#include "environments/cartpole/cartpole_lqr.hpp"
#include "environments/episode_runner.hpp"
#include "environments/lqr.hpp"

using namespace tandem;
using namespace tandem::environments;

namespace {

double spectral_radius(const Eigen::MatrixXd& m) {
  return m.eigenvalues().cwiseAbs().maxCoeff();
}

}  // namespace

TEST_CASE("lqr: the scalar Riccati solution matches its closed form", "[examples][lqr]") {
  // x' = a x + b u: P solves b^2 P^2 + (r - q b^2 - a^2 r) P - q r = 0, K = a b P / (r + b^2 P).
  const double a = 1.2, b = 0.5, q = 2.0, r = 0.3;
  const double lin = r - q * b * b - a * a * r;
  const double p = (-lin + std::sqrt(lin * lin + 4.0 * b * b * q * r)) / (2.0 * b * b);
  const LqrSolution solution = solve_discrete_lqr(Eigen::MatrixXd::Constant(1, 1, a),
                                                  Eigen::MatrixXd::Constant(1, 1, b),
                                                  Eigen::MatrixXd::Constant(1, 1, q),
                                                  Eigen::MatrixXd::Constant(1, 1, r));
  CHECK(solution.cost(0, 0) == Approx(p).epsilon(1e-10));
  CHECK(solution.gain(0, 0) == Approx(a * b * p / (r + b * b * p)).epsilon(1e-10));
  CHECK(std::abs(a - b * solution.gain(0, 0)) < 1.0);
  CHECK_THROWS(solve_discrete_lqr(Eigen::MatrixXd::Identity(2, 2), Eigen::MatrixXd::Ones(3, 1),
                                  Eigen::MatrixXd::Identity(2, 2), Eigen::MatrixXd::Identity(1, 1)));
}

TEST_CASE("lqr: cart-pole and bicycle designs stabilise their linearised models and satisfy the Riccati equation",
          "[examples][lqr]") {
  const CartPoleLqr cartpole;
  const Eigen::Matrix4d cart_closed = cartpole.a() - cartpole.b() * cartpole.gain();
  CHECK(spectral_radius(cartpole.a()) > 1.0);  // upright is unstable without control
  CHECK(spectral_radius(cart_closed) < 1.0);
  // The linearisation is the environment's own step for small deviations.
  CartPole env;
  const CartPoleState small{0.001, -0.002, 0.0015, 0.001};
  env.set_state(small);
  env.step(1.0);
  const Eigen::Vector4d linear =
      cartpole.a() * Eigen::Vector4d{small.x_m, small.x_dot_m_s, small.theta_rad, small.theta_dot_rad_s} +
      cartpole.b() * 10.0;
  CHECK(env.state().x_dot_m_s == Approx(linear[1]).epsilon(1e-4));
  CHECK(env.state().theta_dot_rad_s == Approx(linear[3]).epsilon(1e-4));

  const BicycleLqr bicycle;
  CHECK(spectral_radius(bicycle.a()) > 1.0);
  CHECK(spectral_radius(bicycle.a() - bicycle.b() * bicycle.gain()) < 1.0);
  // Linear map vs the nonlinear bicycle for a small state (no noise).
  BicycleParams quiet;
  quiet.displacement_noise_m = 0.0;
  Bicycle bike(quiet);
  BicycleState s;
  s.omega_rad = 1e-4;
  s.omega_dot_rad_s = -2e-4;
  s.theta_rad = 3e-4;
  s.theta_dot_rad_s = 1e-4;
  bike.set_state(s);
  bike.step(0.01, 0.001);
  const Eigen::Vector4d predicted =
      bicycle.a() * Eigen::Vector4d{s.omega_rad, s.omega_dot_rad_s, s.theta_rad, s.theta_dot_rad_s} +
      bicycle.b() * Eigen::Vector2d{0.01, 0.001};
  CHECK(bike.state().omega_dot_rad_s == Approx(predicted[1]).epsilon(1e-3));
  CHECK(bike.state().omega_rad == Approx(predicted[0]).epsilon(1e-3));
  CHECK(bike.state().theta_dot_rad_s == Approx(predicted[3]).epsilon(1e-3));
}

TEST_CASE("episodes: the runner is seeded and counts steps like a hand-written loop",
          "[examples][episodes]") {
  CartPole env;
  const Controller push_right = [](std::span<const double>, std::span<double> action) { action[0] = 1.0; };
  const EpisodeSummary summary = run_episodes(env, push_right, 5, 42);
  REQUIRE(summary.episodes.size() == 5);
  CHECK(summary.successes() == 0);
  for (std::size_t k = 0; k < 5; ++k) {
    CHECK(summary.episodes[k].seed == episode_seed(42, k));
    CartPole manual;
    manual.reset(episode_seed(42, k));
    std::int64_t steps = 0;
    while (!manual.failed() && steps < 500) {
      manual.step(1.0);
      ++steps;
    }
    CHECK(summary.episodes[k].steps == steps);
    CHECK_FALSE(summary.episodes[k].success);
  }
  const EpisodeSummary again = run_episodes(env, push_right, 5, 42);
  for (std::size_t k = 0; k < 5; ++k) CHECK(again.episodes[k].steps == summary.episodes[k].steps);
  CHECK(summary.mean_steps() > 0.0);
  CHECK(summary.mean_steps() < 100.0);
}

TEST_CASE("controllers: the cart-pole LQR balances every seeded episode, with and without pushes",
          "[examples][controllers]") {
  const std::size_t episodes = 100;
  for (const bool continuous : {false, true}) {
    for (const bool pushes : {false, true}) {
      CartPoleParams params;
      params.continuous = continuous;
      if (pushes) params = params.with_pushes();
      CartPole env(params);
      const CartPoleLqr lqr(params);
      const EpisodeSummary summary = run_episodes(env, lqr, episodes, 1);
      INFO("continuous " << continuous << " pushes " << pushes);
      if (pushes) {
        CHECK(summary.successes() >= 95);
      } else {
        CHECK(summary.successes() == episodes);
      }
    }
  }
}

TEST_CASE("controllers: pushes are strong enough to matter", "[examples][controllers]") {
  // Without control every episode fails early; with pushes 3x the default the same LQR loses
  // some, so the default is not trivially small.
  CartPoleParams strong = CartPoleParams{}.with_pushes();
  strong.push_force_n *= 3.0;
  strong.push_probability *= 2.5;
  CartPole env(strong);
  const EpisodeSummary summary = run_episodes(env, CartPoleLqr(strong), 40, 5);
  CHECK(summary.successes() < 40);
}

TEST_CASE("controllers: the bicycle LQR keeps the noisy bicycle upright for 10,000 steps",
          "[examples][controllers]") {
  Bicycle bike;
  const BicycleLqr lqr;
  const EpisodeSummary summary = run_episodes(bike, lqr, 100, 1);
  CHECK(summary.successes() >= 95);
  CHECK(summary.mean_steps() > 9500.0);

  // Doing nothing, the noise alone topples it.
  const Controller nothing = [](std::span<const double>, std::span<double> action) {
    action[0] = 0.0;
    action[1] = 0.0;
  };
  const EpisodeSummary idle = run_episodes(bike, nothing, 5, 1);
  CHECK(idle.successes() == 0);
}
