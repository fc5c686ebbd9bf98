#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>

#include "core/error.hpp"
#include "environments/bicycle/bicycle.hpp"

using namespace tandem;
using namespace tandem::environments;

namespace {

BicycleParams quiet() {
  BicycleParams params;
  params.displacement_noise_m = 0.0;
  return params;
}

}  // namespace

TEST_CASE("bicycle: moments of inertia match hand arithmetic", "[examples][bicycle]") {
  const BicycleInertia inertia = bicycle_inertia(BicycleParams{});
  // 13/3 * 15 * 0.94^2 + 60 * 1.24^2 = 57.434 + 92.256
  CHECK(inertia.bicycle_and_rider == Approx(57.434 + 92.256).epsilon(1e-12));
  CHECK(inertia.tyre_axle == Approx(1.7 * 0.1156).epsilon(1e-12));
  CHECK(inertia.tyre_vertical == Approx(1.5 * 1.7 * 0.1156).epsilon(1e-12));
  CHECK(inertia.tyre_diameter == Approx(0.5 * 1.7 * 0.1156).epsilon(1e-12));
}

TEST_CASE("bicycle: one Euler step matches the paper's equations", "[examples][bicycle]") {
  // Written out with the paper's radii r_f = l/|sin theta|, r_b = l/|tan theta|,
  // r_CM = sqrt((l-c)^2 + l^2/tan^2 theta) (the environment uses inverse radii).
  const double dt = 0.01, v = 10.0 / 3.6, g = 9.82, dcm = 0.3, c = 0.66, h = 0.94, mc = 15.0,
               md = 1.7, mp = 60.0, r = 0.34, l = 1.11;
  const double m = mc + mp, sigma_dot = v / r;
  const double i_bike = 13.0 / 3.0 * mc * h * h + mp * (h + dcm) * (h + dcm);
  const double i_dc = md * r * r, i_dv = 1.5 * md * r * r, i_dl = 0.5 * md * r * r;

  BicycleState start;
  start.omega_rad = 0.05;
  start.omega_dot_rad_s = 0.1;
  start.theta_rad = -0.2;
  start.theta_dot_rad_s = 0.3;
  start.y_front_m = l;
  const double torque = 1.5, d = 0.01;

  const double rf = l / std::abs(std::sin(start.theta_rad));
  const double rb = l / std::abs(std::tan(start.theta_rad));
  const double rcm = std::sqrt((l - c) * (l - c) + l * l / std::pow(std::tan(start.theta_rad), 2));
  const double phi = start.omega_rad + std::atan(d / h);
  const double omega_ddot =
      (h * m * g * std::sin(phi) -
       std::cos(phi) * (i_dc * sigma_dot * start.theta_dot_rad_s +
                        -1.0 * v * v * (md * r * (1.0 / rf + 1.0 / rb) + m * h / rcm))) /
      i_bike;
  const double theta_ddot = (torque - i_dv * start.omega_dot_rad_s * sigma_dot) / i_dl;
  const double omega_dot = start.omega_dot_rad_s + omega_ddot * dt;
  const double omega = start.omega_rad + omega_dot * dt;
  const double theta_dot = start.theta_dot_rad_s + theta_ddot * dt;
  const double theta = start.theta_rad + theta_dot * dt;

  Bicycle bike(quiet());
  bike.set_state(start);
  bike.step(torque, d);
  const BicycleState& s = bike.state();
  CHECK(s.omega_ddot_rad_s2 == Approx(omega_ddot).epsilon(1e-12));
  CHECK(s.omega_dot_rad_s == Approx(omega_dot).epsilon(1e-12));
  CHECK(s.omega_rad == Approx(omega).epsilon(1e-12));
  CHECK(s.theta_dot_rad_s == Approx(theta_dot).epsilon(1e-12));
  CHECK(s.theta_rad == Approx(theta).epsilon(1e-12));
  // The front tyre turns with psi + theta (psi = 0): it moves v dt along the heading
  // theta + asin(v dt / (2 r_f)) (sign of psi + theta < 0) measured from the y axis.
  const double front_turn = -std::asin(v * dt / (2.0 * rf));
  CHECK(s.x_front_m == Approx(-v * dt * std::sin(theta + front_turn)).epsilon(1e-12));
  CHECK(s.y_front_m == Approx(l + v * dt * std::cos(theta + front_turn)).epsilon(1e-12));
  // psi = 0: the back tyre goes straight ahead.
  CHECK(s.x_back_m == 0.0);
  CHECK(s.y_back_m == Approx(v * dt).epsilon(1e-12));
  CHECK(s.psi_rad == Approx(std::atan2(s.x_back_m - s.x_front_m, s.y_front_m - s.y_back_m)));
}

TEST_CASE("bicycle: upright and straight with no input stays so, riding along y",
          "[examples][bicycle]") {
  Bicycle bike(quiet());
  bike.reset(1);
  for (int i = 0; i < 100; ++i) bike.step(0.0, 0.0);
  CHECK(bike.state().omega_rad == 0.0);
  CHECK(bike.state().theta_rad == 0.0);
  CHECK(bike.state().x_front_m == 0.0);
  CHECK(bike.state().y_front_m == Approx(1.11 + 100 * 0.01 * 10.0 / 3.6).epsilon(1e-12));
  CHECK(bike.state().y_back_m == Approx(100 * 0.01 * 10.0 / 3.6).epsilon(1e-12));
}

TEST_CASE("bicycle: falls beyond 12 degrees of lean", "[examples][bicycle]") {
  Bicycle bike(quiet());
  BicycleState tilted;
  tilted.omega_rad = 0.01;
  tilted.y_front_m = 1.11;
  bike.set_state(tilted);
  double last_lean = 0.0;
  while (!bike.done()) {
    last_lean = bike.state().omega_rad;
    bike.step(0.0, 0.0);
  }
  CHECK(bike.failed());
  CHECK(bike.step_count() < 1000);
  CHECK(bike.state().omega_rad > std::numbers::pi / 15.0);
  CHECK(last_lean <= std::numbers::pi / 15.0);
  CHECK_THROWS_WITH(bike.step(0.0, 0.0), Catch::Contains("bicycle: step called after"));
}

TEST_CASE("bicycle: actions are clamped and the handlebars stop at 80 degrees",
          "[examples][bicycle]") {
  Bicycle bike(quiet());
  std::vector<double> signals(bike.signals().size());
  bike.step(5.0, -1.0);
  bike.read_signals(signals);
  CHECK(bike.signals()[6].name == "torque");
  CHECK(signals[6] == 2.0);
  CHECK(signals[7] == -0.02);
  // Full torque turns the handlebars to the stop within a few tenths of a second.
  BicycleParams params = quiet();
  params.lean_limit_rad = 10.0;  // let it lean as far as it likes for this check
  Bicycle free(params);
  for (int i = 0; i < 200; ++i) free.step(2.0, 0.0);
  CHECK(free.state().theta_rad == Approx(80.0 * std::numbers::pi / 180.0).epsilon(1e-15));
  CHECK_THROWS_WITH(bike.step(std::nan(""), 0.0), Catch::Contains("bicycle: torque must be finite"));
  CHECK_THROWS_WITH(bike.step(0.0, INFINITY), Catch::Contains("displacement must be finite"));
  BicycleParams bad;
  bad.wheelbase_m = 0.0;
  CHECK_THROWS_WITH(Bicycle(bad), Catch::Contains("bicycle: wheelbase_m"));
}

TEST_CASE("bicycle: displacement noise is seeded and within +-2 cm", "[examples][bicycle]") {
  Bicycle a;
  Bicycle b;
  a.reset(21);
  b.reset(21);
  double largest = 0.0;
  for (int i = 0; i < 300; ++i) {
    a.step(0.0, 0.0);
    b.step(0.0, 0.0);
    REQUIRE(a.last_noise_m() == b.last_noise_m());
    CHECK(std::abs(a.last_noise_m()) <= 0.02);
    largest = std::max(largest, std::abs(a.last_noise_m()));
    if (a.done()) break;
  }
  CHECK(largest > 0.015);
  CHECK(a.state().omega_rad == b.state().omega_rad);
  b.reset(22);
  b.step(0.0, 0.0);
  a.reset(21);
  a.step(0.0, 0.0);
  CHECK(a.last_noise_m() != b.last_noise_m());
}
