// Loading a dense layer's weights and bias from HDF5 as NIR stores them: in a group, dataset
// `weight` [outputs x inputs] and dataset `bias` [outputs]. Errors name file, dataset, problem.
#pragma once

#include <Eigen/Core>
#include <string>

namespace tandem::ann {

struct DenseWeights {
  Eigen::MatrixXf weight;  // [outputs x inputs]
  Eigen::VectorXf bias;    // [outputs]
};

enum class BiasPolicy { required, optional_zero };

// Reads <group>/weight and <group>/bias from `file` ("/" or "" for the root group). With
// BiasPolicy::optional_zero a missing bias means zeros (NIR Linear); a present one is checked.
// InputError for: missing file, not HDF5, missing group or dataset, wrong rank, bias length
// != weight rows, non-numeric data, NaN/inf or values beyond float32 range.
DenseWeights load_dense_weights(const std::string& file, const std::string& group,
                                BiasPolicy bias = BiasPolicy::required);

}  // namespace tandem::ann
