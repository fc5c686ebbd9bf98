// The cart-pole camera's rasteriser against pixels worked out by hand from its geometry
// (centre column 32, ground row 29, 12 px/m: the cart spans u in [29, 35], v in [25.4, 29];
// the pole is 0.12 m = 1.44 px wide and 12 px long above v = 25.4). With one line per pixel row
// (sub_rows 1) a pixel is the covered share of its width on the line through its centre.
#include <catch2/catch.hpp>
#include <cmath>

#include "core/error.hpp"
#include "environments/cartpole/cartpole_camera.hpp"

using namespace tandem;
using namespace tandem::environments;

namespace {

CartPoleCameraParams one_sample() {
  CartPoleCameraParams params;
  params.sub_rows = 1;
  return params;
}

float at(const std::vector<float>& image, std::size_t row, std::size_t column) { return image[row * 64 + column]; }

}  // namespace

TEST_CASE("cart-pole camera: upright pole on a centred cart, hand-checked pixels", "[environments][camera]") {
  const std::vector<float> image = render_cartpole({}, one_sample());
  REQUIRE(image.size() == 64 * 32);
  // Cart: centres u = c + 0.5 in [29, 35] -> columns 29..34; v = r + 0.5 in [25.4, 29] -> rows 25..28.
  CHECK(at(image, 26, 29) == 1.0F);
  CHECK(at(image, 26, 34) == 1.0F);
  CHECK(at(image, 26, 28) == 0.0F);
  CHECK(at(image, 26, 35) == 0.0F);
  CHECK(at(image, 24, 29) == 0.0F);
  CHECK(at(image, 29, 30) == 0.0F);
  // Pole: u in [31.28, 32.72] covers 0.72 of columns 31 and 32; v in [13.4, 25.4] -> rows 13..24
  // (row 25 is cart).
  CHECK(at(image, 20, 31) == Approx(0.8 * 0.72));
  CHECK(at(image, 13, 32) == Approx(0.8 * 0.72));
  CHECK(at(image, 24, 32) == Approx(0.8 * 0.72));
  CHECK(at(image, 25, 31) == 1.0F);
  CHECK(at(image, 12, 31) == 0.0F);
  CHECK(at(image, 20, 30) == 0.0F);
  CHECK(at(image, 20, 33) == 0.0F);
  // Grey mass: 6 x 4 cart pixels + 12 rows of the 1.44 px wide pole.
  double sum = 0.0;
  for (const float v : image) sum += v;
  CHECK(sum == Approx(24.0 * 1.0 + 12.0 * 1.44 * 0.8));
}

TEST_CASE("cart-pole camera: the cart moves 12 px per metre, the pole leans with theta", "[environments][camera]") {
  const std::vector<float> moved = render_cartpole({.x_m = 1.0}, one_sample());
  CHECK(at(moved, 26, 41) == 1.0F);
  CHECK(at(moved, 26, 46) == 1.0F);
  CHECK(at(moved, 26, 40) == 0.0F);
  CHECK(at(moved, 26, 34) == 0.0F);
  // theta = 0.3 rad, the line v = 19.5 (0.4917 m above the hinge, ay): |ax cos - ay sin| <= 0.06
  // gives ax in [(0.145297 - 0.06) / 0.955336, (0.145297 + 0.06) / 0.955336] = [0.089285, 0.214895] m,
  // u in [33.07142, 34.57874] (the along-pole bound is not reached): column 33 is 0.92858 covered,
  // column 34 0.57874; leaning the other way mirrors this about u = 32.
  const std::vector<float> leaning = render_cartpole({.theta_rad = 0.3}, one_sample());
  CHECK(at(leaning, 19, 33) == Approx(0.8 * 0.92858).epsilon(1e-4));
  CHECK(at(leaning, 19, 34) == Approx(0.8 * 0.57874).epsilon(1e-4));
  CHECK(at(leaning, 19, 30) == 0.0F);
  const std::vector<float> mirrored = render_cartpole({.theta_rad = -0.3}, one_sample());
  CHECK(at(mirrored, 19, 30) == Approx(0.8 * 0.92858).epsilon(1e-4));
  CHECK(at(mirrored, 19, 29) == Approx(0.8 * 0.57874).epsilon(1e-4));
  CHECK(at(mirrored, 19, 33) == 0.0F);
}

TEST_CASE("cart-pole camera: anti-aliasing grades the edge pixels of a sub-pixel move", "[environments][camera]") {
  CartPoleCameraParams params;  // 8 lines per pixel row
  // Half a pixel right (1/24 m): the cart's left edge at u = 29.5 halves pixel column 29.
  const std::vector<float> image = render_cartpole({.x_m = 1.0 / 24.0}, params);
  CHECK(at(image, 26, 29) == Approx(0.5));
  CHECK(at(image, 26, 30) == 1.0F);
  CHECK(at(image, 26, 35) == Approx(0.5));
  // Deterministic: the same state draws the same image.
  CHECK(render_cartpole({.x_m = 1.0 / 24.0}, params) == image);
  // Any move shows: 1/100 px more shifts 0.01 of the edge pixel's width from background to cart.
  const std::vector<float> nudged = render_cartpole({.x_m = 1.0 / 24.0 + 0.01 / 12.0}, params);
  CHECK(at(nudged, 26, 29) == Approx(0.49).epsilon(1e-4));
  CHECK(at(nudged, 26, 35) == Approx(0.51).epsilon(1e-4));
}

TEST_CASE("cart-pole camera: bad parameters are named", "[environments][camera][errors]") {
  CartPoleCameraParams params;
  params.width = 0;
  CHECK_THROWS_AS(params.validate(), InputError);
  params = {};
  params.pixels_per_m = -1.0;
  CHECK_THROWS_WITH(params.validate(), Catch::Contains("pixels_per_m"));
  params = {};
  params.pole = 1.5F;
  CHECK_THROWS_WITH(params.validate(), Catch::Contains("grey levels"));
  std::vector<float> small(10);
  CHECK_THROWS_WITH(render_cartpole({}, CartPoleCameraParams{}, small), Catch::Contains("expected 2048"));
}
