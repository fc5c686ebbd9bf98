#include "examples/digits/digits_data.hpp"

#include <filesystem>

#include "core/error.hpp"
#include "core/hdf5_reader.hpp"

#ifndef TANDEM_EXAMPLES_DIR
#error "TANDEM_EXAMPLES_DIR must be defined (examples/CMakeLists.txt)"
#endif

namespace tandem::examples {
namespace {

std::string shape_text(const std::vector<std::size_t>& dims) {
  std::string text;
  for (const std::size_t d : dims) text += (text.empty() ? "" : " x ") + std::to_string(d);
  return text.empty() ? "a scalar" : text;
}

NumericDataset read_shaped(const Hdf5Reader& file, const std::string& dataset, const std::vector<std::size_t>& expected,
                           std::size_t free_axis = static_cast<std::size_t>(-1)) {
  if (!file.is_dataset(dataset)) throw InputError(file.path() + ": missing dataset " + dataset);
  NumericDataset data = file.read_numeric(dataset);
  bool fits = data.dims.size() == expected.size();
  for (std::size_t k = 0; fits && k < expected.size(); ++k) fits = k == free_axis || data.dims[k] == expected[k];
  if (!fits) {
    std::string wanted = shape_text(expected);
    if (free_axis < expected.size()) wanted += " (any size on axis " + std::to_string(free_axis) + ")";
    throw InputError(file.path() + ": " + dataset + " is " + shape_text(data.dims) + ", expected " + wanted);
  }
  return data;
}

DigitSet read_set(const Hdf5Reader& file, const std::string& split) {
  const NumericDataset images = read_shaped(file, "/" + split + "/images", {0, digit_pixels}, 0);
  const std::size_t count = images.dims[0];
  const NumericDataset labels = read_shaped(file, "/" + split + "/labels", {count});
  DigitSet set;
  set.images.resize(static_cast<Eigen::Index>(digit_pixels), static_cast<Eigen::Index>(count));
  for (std::size_t n = 0; n < count; ++n) {
    for (std::size_t p = 0; p < digit_pixels; ++p) {
      const double pixel = images.values[n * digit_pixels + p];
      if (!(pixel >= 0.0 && pixel <= digit_pixel_max)) {
        throw InputError(file.path() + ": /" + split + "/images: image " + std::to_string(n) + " has pixel value " +
                         std::to_string(pixel) + " outside 0..16");
      }
      set.images(static_cast<Eigen::Index>(p), static_cast<Eigen::Index>(n)) = static_cast<float>(pixel) / digit_pixel_max;
    }
    const double label = labels.values[n];
    if (!(label >= 0.0 && label < static_cast<double>(digit_classes))) {
      throw InputError(file.path() + ": /" + split + "/labels: label " + std::to_string(n) + " is not 0..9");
    }
    set.labels.push_back(static_cast<std::uint8_t>(label));
  }
  return set;
}

Eigen::MatrixXf read_matrix(const Hdf5Reader& file, const std::string& dataset, std::size_t rows, std::size_t cols) {
  const NumericDataset data = read_shaped(file, dataset, {rows, cols});
  Eigen::MatrixXf matrix(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < cols; ++c) {
      matrix(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = static_cast<float>(data.values[r * cols + c]);
    }
  }
  return matrix;
}

void require_file(const std::string& path, const std::string& what) {
  if (!std::filesystem::exists(path)) {
    throw InputError(path + ": the digits " + what + " file does not exist (examples/digits/train.py writes it)");
  }
}

}  // namespace

DigitSet DigitSet::first(std::size_t count) const {
  if (count >= size()) return *this;
  DigitSet subset;
  subset.images = images.leftCols(static_cast<Eigen::Index>(count));
  subset.labels.assign(labels.begin(), labels.begin() + static_cast<std::ptrdiff_t>(count));
  return subset;
}

DigitData load_digit_data(const std::string& path) {
  require_file(path, "data");
  const Hdf5Reader file(path);
  DigitData data{read_set(file, "train"), read_set(file, "test"), ""};
  if (file.has_attribute("/", "split")) data.split = file.read_string_attribute("/", "split");
  return data;
}

DigitWeights load_digit_weights(const std::string& path) {
  require_file(path, "weights");
  const Hdf5Reader file(path);
  DigitWeights weights;
  weights.mlp_fc1 = read_matrix(file, "/mlp/fc1/weight", 64, digit_pixels);
  weights.mlp_fc2 = read_matrix(file, "/mlp/fc2/weight", digit_classes, 64);
  const NumericDataset conv = read_shaped(file, "/cnn/conv/weight", {8, 1, 3, 3});
  weights.cnn_conv.assign(conv.values.begin(), conv.values.end());
  weights.cnn_fc = read_matrix(file, "/cnn/fc/weight", digit_classes, 8 * 4 * 4);
  return weights;
}

std::string shipped_digit_data_path() { return std::string(TANDEM_EXAMPLES_DIR) + "/digits/data.h5"; }
std::string shipped_digit_weights_path() { return std::string(TANDEM_EXAMPLES_DIR) + "/digits/weights.h5"; }

}  // namespace tandem::examples
