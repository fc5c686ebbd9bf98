// The one file of the hybrid-controller examples that writes HDF5: the controller's dense layers as NIR
// stores them (<layer>/weight [out x in], <layer>/bias [out]), readable by load_dense_weights.
#include <H5Cpp.h>

#include "core/error.hpp"
#include "examples/hybrid_training.hpp"

namespace tandem::examples {
namespace {

void write_string_attribute(H5::H5Object& object, const std::string& key, const std::string& value) {
  const H5::StrType type(H5::PredType::C_S1, value.empty() ? 1 : value.size());
  const H5::DataSpace scalar(H5S_SCALAR);
  object.createAttribute(key, type, scalar).write(type, value);
}

void write_layer(H5::H5File& file, const std::string& name, const ann::DenseWeights& layer) {
  H5::Group group = file.createGroup("/" + name);
  // Row-major [out x in] as h5py/numpy/NIR write it.
  const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> row_major = layer.weight;
  const hsize_t weight_dims[2] = {static_cast<hsize_t>(row_major.rows()), static_cast<hsize_t>(row_major.cols())};
  group.createDataSet("weight", H5::PredType::IEEE_F32LE, H5::DataSpace(2, weight_dims))
      .write(row_major.data(), H5::PredType::NATIVE_FLOAT);
  const hsize_t bias_dims[1] = {static_cast<hsize_t>(layer.bias.size())};
  group.createDataSet("bias", H5::PredType::IEEE_F32LE, H5::DataSpace(1, bias_dims))
      .write(layer.bias.data(), H5::PredType::NATIVE_FLOAT);
}

}  // namespace

void write_hybrid_weights(const std::string& path, const HybridControllerWeights& weights,
                          const std::string& training_note, const std::string& readme) {
  try {
    H5::Exception::dontPrint();
    H5::H5File file(path, H5F_ACC_TRUNC);
    write_layer(file, "policy", weights.policy);
    H5::Group root = file.openGroup("/");
    const auto shape = [](const ann::DenseWeights& layer) {
      return std::to_string(layer.weight.rows()) + "x" + std::to_string(layer.weight.cols());
    };
    write_string_attribute(root, "description",
                           "tandem hybrid controller: dense policy layer (" + shape(weights.policy) +
                               ", actions x decoded values); see " + readme);
    write_string_attribute(root, "training", training_note);
  } catch (const H5::Exception& error) {
    throw RunError(path + ": cannot write the controller weights: " + error.getDetailMsg());
  }
}

}  // namespace tandem::examples
