#include "ann/weights_hdf5.hpp"

#include <cmath>
#include <limits>

#include "core/contained_read.hpp"
#include "core/error.hpp"
#include "core/hdf5_reader.hpp"

namespace tandem::ann {
namespace {

std::string join(const std::string& group, const std::string& name) {
  if (group.empty() || group == "/") return "/" + name;
  return (group.back() == '/' ? group : group + "/") + name;
}

std::string dims_text(const std::vector<std::size_t>& dims) {
  if (dims.empty()) return "a scalar";
  std::string text = "[";
  for (std::size_t i = 0; i < dims.size(); ++i) text += (i ? " x " : "") + std::to_string(dims[i]);
  return text + "]";
}

// Checks every value is finite and representable as float32; `where` names file and dataset.
void check_values(const NumericDataset& data, const std::string& where) {
  constexpr double largest = std::numeric_limits<float>::max();
  for (std::size_t i = 0; i < data.values.size(); ++i) {
    const double value = data.values[i];
    if (!std::isfinite(value) || std::abs(value) > largest) {
      throw InputError(where + ": value " + std::to_string(i) + " is " + format_number(value) +
                       " (weights must be finite float32 numbers)");
    }
  }
}

DenseWeights read_dense_weights(const std::string& file, const std::string& group, BiasPolicy bias_policy) {
  const Hdf5Reader reader(file);
  if (!group.empty() && group != "/" && !reader.is_group(group)) {
    throw InputError(file + ": group '" + group + "' not found");
  }
  const std::string weight_path = join(group, "weight");
  const std::string bias_path = join(group, "bias");
  if (!reader.is_dataset(weight_path)) throw InputError(file + ": " + weight_path + ": dataset missing");
  const NumericDataset weight = reader.read_numeric(weight_path);
  const std::string weight_where = file + ": " + weight_path;
  if (weight.dims.size() != 2) {
    throw InputError(weight_where + ": expected rank 2 [outputs x inputs], found " + dims_text(weight.dims));
  }
  if (weight.dims[0] == 0 || weight.dims[1] == 0) {
    throw InputError(weight_where + ": empty shape " + dims_text(weight.dims));
  }
  check_values(weight, weight_where);
  const auto rows = static_cast<Eigen::Index>(weight.dims[0]);
  const auto cols = static_cast<Eigen::Index>(weight.dims[1]);
  DenseWeights result;
  result.weight = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
                      weight.values.data(), rows, cols)
                      .cast<float>();
  if (!reader.is_dataset(bias_path)) {
    if (bias_policy == BiasPolicy::required) throw InputError(file + ": " + bias_path + ": dataset missing");
    result.bias = Eigen::VectorXf::Zero(rows);
    return result;
  }
  const NumericDataset bias = reader.read_numeric(bias_path);
  const std::string bias_where = file + ": " + bias_path;
  if (bias.dims.size() != 1) {
    throw InputError(bias_where + ": expected rank 1 [outputs], found " + dims_text(bias.dims));
  }
  if (bias.dims[0] != weight.dims[0]) {
    throw InputError(bias_where + ": shape " + dims_text(bias.dims) + " does not match weight " +
                     dims_text(weight.dims) + " (expected [" + std::to_string(weight.dims[0]) + "])");
  }
  check_values(bias, bias_where);
  result.bias = Eigen::Map<const Eigen::VectorXd>(bias.values.data(), rows).cast<float>();
  return result;
}

}  // namespace

DenseWeights load_dense_weights(const std::string& file, const std::string& group, BiasPolicy bias_policy) {
  // Weight files are untrusted input read through libhdf5: first in a child process.
  return read_contained(file, [&] { return read_dense_weights(file, group, bias_policy); });
}

}  // namespace tandem::ann
