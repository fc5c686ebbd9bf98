#include <catch2/catch.hpp>
#include <cmath>

#include "core/error.hpp"
#include "environments/cartpole/cartpole.hpp"

using namespace tandem;
using namespace tandem::environments;

namespace {

// The classic equations, written out again independently of the environment's code.
CartPoleState reference_step(const CartPoleState& s, double force) {
  const double g = 9.8, mc = 1.0, mp = 0.1, l = 0.5, tau = 0.02;
  const double m = mc + mp;
  const double temp = (force + mp * l * s.theta_dot_rad_s * s.theta_dot_rad_s * std::sin(s.theta_rad)) / m;
  const double theta_acc = (g * std::sin(s.theta_rad) - std::cos(s.theta_rad) * temp) /
                           (l * (4.0 / 3.0 - mp * std::cos(s.theta_rad) * std::cos(s.theta_rad) / m));
  const double x_acc = temp - mp * l * theta_acc * std::cos(s.theta_rad) / m;
  return CartPoleState{s.x_m + tau * s.x_dot_m_s, s.x_dot_m_s + tau * x_acc,
                       s.theta_rad + tau * s.theta_dot_rad_s, s.theta_dot_rad_s + tau * theta_acc};
}

void check_state(const CartPoleState& a, const CartPoleState& b) {
  CHECK(a.x_m == Approx(b.x_m).margin(1e-14));
  CHECK(a.x_dot_m_s == Approx(b.x_dot_m_s).margin(1e-14));
  CHECK(a.theta_rad == Approx(b.theta_rad).margin(1e-14));
  CHECK(a.theta_dot_rad_s == Approx(b.theta_dot_rad_s).margin(1e-14));
}

}  // namespace

TEST_CASE("cartpole: one step from rest matches hand arithmetic", "[examples][cartpole]") {
  CartPole env;
  env.set_state(CartPoleState{});
  env.step(1.0);  // discrete: +10 N
  // temp = 10/1.1; theta_acc = -(100/11) / (0.5 (4/3 - 1/11)) = -600/41; x_acc = 400/41.
  CHECK(env.state().x_m == 0.0);
  CHECK(env.state().theta_rad == 0.0);
  CHECK(env.state().x_dot_m_s == Approx(0.02 * 400.0 / 41.0).epsilon(1e-14));
  CHECK(env.state().theta_dot_rad_s == Approx(-0.02 * 600.0 / 41.0).epsilon(1e-14));
}

TEST_CASE("cartpole: an Euler step from a tilted moving state matches the equations",
          "[examples][cartpole]") {
  const CartPoleState start{0.3, -0.4, 0.15, -0.7};
  SECTION("discrete, pushing left") {
    CartPole env;
    env.set_state(start);
    env.step(-0.2);
    check_state(env.state(), reference_step(start, -10.0));
  }
  SECTION("continuous force") {
    CartPoleParams params;
    params.continuous = true;
    CartPole env(params);
    env.set_state(start);
    env.step(3.5);
    check_state(env.state(), reference_step(start, 3.5));
  }
  SECTION("several steps in a row keep the order x, x_dot, theta, theta_dot") {
    CartPole env;
    env.set_state(start);
    CartPoleState expected = start;
    for (int i = 0; i < 5; ++i) {
      env.step(i % 2 == 0 ? 1.0 : 0.0);
      expected = reference_step(expected, i % 2 == 0 ? 10.0 : -10.0);
    }
    check_state(env.state(), expected);
  }
}

TEST_CASE("cartpole: fails beyond 2.4 m or 12 degrees, succeeds at the cap", "[examples][cartpole]") {
  CartPole env;
  env.set_state(CartPoleState{2.39, 0, 0, 0});
  CHECK_FALSE(env.failed());
  env.set_state(CartPoleState{-2.41, 0, 0, 0});
  CHECK(env.failed());
  env.set_state(CartPoleState{0, 0, 0.2094, 0});  // 12 deg = 0.20944 rad
  CHECK_FALSE(env.failed());
  env.set_state(CartPoleState{0, 0, -0.2095, 0});
  CHECK(env.failed());
  CHECK(env.done());
  CHECK_THROWS_WITH(env.step(1.0), Catch::Contains("after the episode ended"));

  // A pole falling: pushing right forever tips it left past 12 degrees.
  env.reset(3);
  while (!env.done()) env.step(1.0);
  CHECK(env.failed());
  CHECK(env.state().theta_rad < -0.20943951);
  CHECK(env.step_count() < 100);

  CartPoleParams short_params;
  short_params.max_steps = 3;
  CartPole capped(short_params);
  capped.set_state(CartPoleState{});
  for (int i = 0; i < 3; ++i) capped.step(i % 2 == 0 ? 1.0 : -1.0);
  CHECK(capped.done());
  CHECK_FALSE(capped.failed());
}

TEST_CASE("cartpole: actions are discretised or clamped, never silently accepted when not finite",
          "[examples][cartpole]") {
  CartPole discrete;
  CHECK(discrete.control_force_n(0.3) == 10.0);
  CHECK(discrete.control_force_n(1.0) == 10.0);   // Gym's action 1
  CHECK(discrete.control_force_n(0.0) == -10.0);  // Gym's action 0
  CHECK(discrete.control_force_n(-7.0) == -10.0);
  CartPoleParams params;
  params.continuous = true;
  CartPole continuous(params);
  CHECK(continuous.control_force_n(25.0) == 10.0);
  CHECK(continuous.control_force_n(-25.0) == -10.0);
  CHECK(continuous.control_force_n(4.25) == 4.25);
  CHECK_THROWS_AS(continuous.step(std::nan("")), InputError);
  CHECK_THROWS_WITH(discrete.step(INFINITY), Catch::Contains("cartpole: action must be finite"));
}

TEST_CASE("cartpole: bad parameters name themselves", "[examples][cartpole]") {
  CartPoleParams params;
  params.cart_mass_kg = -1.0;
  CHECK_THROWS_WITH(CartPole(params), Catch::Contains("cartpole: cart_mass_kg") &&
                                          Catch::Contains("-1"));
  params = CartPoleParams{};
  params.tau_s = std::nan("");
  CHECK_THROWS_WITH(CartPole(params), Catch::Contains("tau_s") && Catch::Contains("nan"));
  params = CartPoleParams{};
  params.push_probability = 1.5;
  CHECK_THROWS_WITH(CartPole(params), Catch::Contains("push_probability"));
  params = CartPoleParams{};
  params.max_steps = 0;
  CHECK_THROWS_AS(CartPole(params), InputError);
}

TEST_CASE("cartpole: seeded starts are uniform in +-0.05 and reproducible", "[examples][cartpole]") {
  CartPole a;
  CartPole b(CartPoleParams{}.with_pushes());
  double largest = 0.0;
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    a.reset(seed);
    b.reset(seed);
    const CartPoleState& s = a.state();
    for (double v : {s.x_m, s.x_dot_m_s, s.theta_rad, s.theta_dot_rad_s}) {
      CHECK(std::abs(v) <= 0.05);
      largest = std::max(largest, std::abs(v));
    }
    // Switching pushes on does not change the start.
    CHECK(s.x_m == b.state().x_m);
    CHECK(s.theta_dot_rad_s == b.state().theta_dot_rad_s);
  }
  CHECK(largest > 0.045);  // the range is actually used
  a.reset(7);
  const CartPoleState first = a.state();
  a.reset(8);
  CHECK(a.state().x_m != first.x_m);
  a.reset(7);
  CHECK(a.state().x_m == first.x_m);
  CHECK(a.state().theta_rad == first.theta_rad);
}

TEST_CASE("cartpole: pushes are seeded, of the set size and about as frequent as asked",
          "[examples][cartpole]") {
  CartPoleParams params;
  params.push_probability = 0.05;
  params.push_force_n = 20.0;
  params.max_steps = 1000000;
  CartPole a(params);
  CartPole b(params);
  a.reset(11);
  b.reset(11);
  int pushes = 0;
  int right = 0;
  const int steps = 4000;
  for (int i = 0; i < steps; ++i) {
    // Keep the system inside its bounds so the episode never ends.
    a.set_state(CartPoleState{});
    b.set_state(CartPoleState{});
    a.step(1.0);
    b.step(1.0);
    REQUIRE(a.last_push_n() == b.last_push_n());
    if (a.last_push_n() != 0.0) {
      CHECK(std::abs(a.last_push_n()) == 20.0);
      ++pushes;
      right += a.last_push_n() > 0 ? 1 : 0;
    }
  }
  // Binomial(4000, 0.05): mean 200, sd ~13.8; +-5 sd.
  CHECK(pushes > 130);
  CHECK(pushes < 270);
  CHECK(right > pushes / 4);
  CHECK(right < 3 * pushes / 4);

  // A push is an extra force for that step only.
  params.push_probability = 1.0;
  CartPole always(params);
  always.set_state(CartPoleState{});
  always.step(1.0);
  const double push = always.last_push_n();
  CHECK(std::abs(push) == 20.0);
  const CartPoleState expected = reference_step(CartPoleState{}, 10.0 + push);
  check_state(always.state(), expected);
}
