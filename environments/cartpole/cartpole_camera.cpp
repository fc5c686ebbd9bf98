#include "environments/cartpole/cartpole_camera.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/error.hpp"

namespace tandem::environments {

void CartPoleCameraParams::validate() const {
  const std::string where = "cart-pole camera";
  if (width == 0 || height == 0) throw InputError(where + ": width and height must be >= 1");
  if (sub_rows == 0) throw InputError(where + ": sub_rows must be >= 1");
  require_positive(where, "pixels_per_m", pixels_per_m);
  require_positive(where, "cart_width_m", cart_width_m);
  require_positive(where, "cart_height_m", cart_height_m);
  require_positive(where, "pole_length_m", pole_length_m);
  require_positive(where, "pole_width_m", pole_width_m);
  if (!std::isfinite(centre_column) || !std::isfinite(ground_row)) {
    throw InputError(where + ": centre_column and ground_row must be finite");
  }
  for (const float level : {background, cart, pole}) {
    if (!(level >= 0.0F && level <= 1.0F)) throw InputError(where + ": grey levels must be in [0, 1]");
  }
}

namespace {

// A closed interval of image columns u; empty when lo >= hi.
struct Span {
  double lo = 0.0;
  double hi = 0.0;
  [[nodiscard]] double overlap(double a, double b) const { return std::max(0.0, std::min(hi, b) - std::max(lo, a)); }
  [[nodiscard]] Span intersect(const Span& other) const {
    return {std::max(lo, other.lo), std::min(hi, other.hi)};
  }
};

constexpr double infinity = std::numeric_limits<double>::infinity();

// Where the pole crosses the line at height y_m, in metres relative to the cart centre: the
// solutions ax of 0 <= ax sin + ay cos <= L and |ax cos - ay sin| <= w/2 (ay = y_m - hinge height),
// cos > 0 for every angle the cart-pole allows before failing (|theta| < 90 degrees).
Span pole_span_m(double ay, double sin_t, double cos_t, double length, double half_width) {
  Span along{-infinity, infinity};
  if (sin_t > 0.0) {
    along = {-ay * cos_t / sin_t, (length - ay * cos_t) / sin_t};
  } else if (sin_t < 0.0) {
    along = {(length - ay * cos_t) / sin_t, -ay * cos_t / sin_t};
  } else if (ay < 0.0 || ay > length) {
    return {0.0, 0.0};
  }
  const Span across{(ay * sin_t - half_width) / cos_t, (ay * sin_t + half_width) / cos_t};
  return along.intersect(across);
}

}  // namespace

void render_cartpole(const CartPoleState& state, const CartPoleCameraParams& params, std::span<float> image) {
  if (image.size() != params.pixels()) {
    throw InputError("cart-pole camera: image has " + std::to_string(image.size()) + " values, expected " +
                     std::to_string(params.pixels()));
  }
  const double sin_t = std::sin(state.theta_rad);
  const double cos_t = std::cos(state.theta_rad);
  const double scale = params.pixels_per_m;
  const double cart_u = params.centre_column + state.x_m * scale;  // the cart's centre column
  const auto lines = static_cast<double>(params.sub_rows);
  const double bg = params.background;
  std::fill(image.begin(), image.end(), 0.0F);
  for (std::size_t r = 0; r < params.height; ++r) {
    float* row = image.data() + r * params.width;
    for (std::size_t k = 0; k < params.sub_rows; ++k) {
      const double v = static_cast<double>(r) + (static_cast<double>(k) + 0.5) / lines;
      const double y_m = (params.ground_row - v) / scale;
      Span cart{0.0, 0.0};
      if (y_m >= 0.0 && y_m <= params.cart_height_m) {
        cart = {cart_u - params.cart_width_m / 2.0 * scale, cart_u + params.cart_width_m / 2.0 * scale};
      }
      const Span pole_m = pole_span_m(y_m - params.cart_height_m, sin_t, cos_t, params.pole_length_m,
                                      params.pole_width_m / 2.0);
      Span pole{0.0, 0.0};
      if (pole_m.lo < pole_m.hi) pole = {cart_u + pole_m.lo * scale, cart_u + pole_m.hi * scale};
      const Span both = cart.intersect(pole);
      for (std::size_t c = 0; c < params.width; ++c) {
        const auto a = static_cast<double>(c);
        const double on_pole = pole.overlap(a, a + 1.0);
        const double on_cart = cart.overlap(a, a + 1.0) - both.overlap(a, a + 1.0);  // the pole is drawn over the cart
        const double level = bg + (params.pole - bg) * on_pole + (params.cart - bg) * on_cart;
        row[c] += static_cast<float>(level / lines);
      }
    }
  }
}

std::vector<float> render_cartpole(const CartPoleState& state, const CartPoleCameraParams& params) {
  std::vector<float> image(params.pixels());
  render_cartpole(state, params, image);
  return image;
}

}  // namespace tandem::environments
