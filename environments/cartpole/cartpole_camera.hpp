// A fixed camera looking at the cart-pole from the side: a deterministic rasteriser that draws
// the cart (a rectangle on the track) and the pole (a bar hinged at the cart's top centre) as a
// small grey-level image, for the event-camera example (docs/cartpole-camera.md).
//
// Geometry (image rows top to bottom, columns left to right; pixel (r, c) covers the square
// [c, c + 1) x [r, r + 1) in image coordinates): a world point (X right, Y up, metres, Y = 0 the
// track) appears at u = centre_column + X·pixels_per_m, v = ground_row - Y·pixels_per_m.
//   cart: |X - x| <= cart_width_m / 2, 0 <= Y <= cart_height_m                (intensity cart)
//   pole: hinge A = (x, cart_height_m), axis d = (sin theta, cos theta) (theta > 0 leans right);
//         0 <= (P - A)·d <= pole_length_m and |(P - A) x d| <= pole_width_m / 2  (intensity pole,
//         drawn over the cart)
//   everything else: background.
// Anti-aliasing: each pixel row is cut into sub_rows horizontal lines (at the centres of equal
// slices); along each line the cart's and the pole's extents are intervals, and a pixel takes
// the exact share of its width that each covers. The pixel is the mean over its lines. So any
// horizontal move of an edge, however small, changes the edge pixels' grey level linearly —
// which is what an event camera sees, and what tells a controller where the cart and the pole
// are to a fraction of a pixel (point sampling would quantise positions to the sample spacing).
// Pixel (r, c) is image[r·width + c].
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "environments/cartpole/cartpole.hpp"

namespace tandem::environments {

struct CartPoleCameraParams {
  std::size_t width = 64;         // pixels
  std::size_t height = 32;
  double pixels_per_m = 12.0;     // 64 px span ±2.67 m: the whole track (±2.4 m) stays in view
  double centre_column = 32.0;    // image u of X = 0
  double ground_row = 29.0;       // image v of Y = 0
  double cart_width_m = 0.5;
  double cart_height_m = 0.3;
  double pole_length_m = 1.0;     // CartPole-v1: twice the half-length 0.5 m
  double pole_width_m = 0.12;
  float background = 0.0F;        // grey levels in [0, 1]
  float cart = 1.0F;
  float pole = 0.8F;
  std::size_t sub_rows = 8;       // horizontal lines per pixel row

  [[nodiscard]] std::size_t pixels() const { return width * height; }
  // InputError naming the parameter for zero sizes or sub_rows, non-finite or non-positive lengths, grey
  // levels outside [0, 1].
  void validate() const;
};

// Draws `state` into `image` (params.pixels() values, row-major).
void render_cartpole(const CartPoleState& state, const CartPoleCameraParams& params, std::span<float> image);
std::vector<float> render_cartpole(const CartPoleState& state, const CartPoleCameraParams& params);

}  // namespace tandem::environments
