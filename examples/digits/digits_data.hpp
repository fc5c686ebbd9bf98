// The digits example's shipped files (written by examples/digits/train.py): the seeded train/test
// split of scikit-learn's 8 x 8 digits (data.h5) and the trained bias-free MLP and CNN
// (weights.h5), read into Eigen matrices. Layouts: examples/digits/README.md.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

namespace tandem::examples {

inline constexpr std::size_t digit_pixels = 64;  // 8 x 8, row-major
inline constexpr std::size_t digit_side = 8;
inline constexpr std::size_t digit_classes = 10;
inline constexpr float digit_pixel_max = 16.0F;  // the data set's pixels are 0..16; networks see pixel / 16

struct DigitSet {
  Eigen::MatrixXf images;            // [64 x N], pixel / 16 in [0, 1], one column per image
  std::vector<std::uint8_t> labels;  // N
  [[nodiscard]] std::size_t size() const { return labels.size(); }
  // The first `count` images (all when count >= size()).
  [[nodiscard]] DigitSet first(std::size_t count) const;
};

struct DigitData {
  DigitSet train;
  DigitSet test;
  std::string split;  // how the split was drawn (data.h5's attribute `split`, with its seed)
};

// Weights in NIR's layout ([out x in]; the convolution kernel [8 x 1 x 3 x 3] row-major). Both
// networks are bias-free (train.py says why).
struct DigitWeights {
  Eigen::MatrixXf mlp_fc1;                // 64 x 64
  Eigen::MatrixXf mlp_fc2;                // 10 x 64
  std::vector<float> cnn_conv;            // 8 x 1 x 3 x 3, row-major
  Eigen::MatrixXf cnn_fc;                 // 10 x 128 (input: 8 x 4 x 4 pooled, row-major)
};

// InputError naming the file and the dataset for a missing file, dataset or a wrong shape.
DigitData load_digit_data(const std::string& path);
DigitWeights load_digit_weights(const std::string& path);

// examples/digits/data.h5 and examples/digits/weights.h5 in the source tree.
std::string shipped_digit_data_path();
std::string shipped_digit_weights_path();

}  // namespace tandem::examples
