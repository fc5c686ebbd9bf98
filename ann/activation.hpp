// Activation functions of dense layers, including the lookup-table soma nonlinearity of a
// hybrid chip (a table of values over a clamped input range, linearly interpolated).
#pragma once

#include <Eigen/Core>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::ann {

enum class ActivationKind { identity, relu, clipped_relu, leaky_relu, tanh, sigmoid, softmax, lookup_table };

// y = table[k] + (table[k+1] - table[k]) * f for the input clamped to [input_min, input_max]
// and split into table.size() - 1 equal intervals (k the interval, f in [0, 1) the position).
struct LookupTable {
  float input_min = -1.0f;
  float input_max = 1.0f;
  std::vector<float> values;  // at least 2 entries, equally spaced over [input_min, input_max]
};

struct Activation {
  ActivationKind kind = ActivationKind::identity;
  float clip_max = 6.0f;       // clipped ReLU: y = min(max(x, 0), clip_max)
  float leak_slope = 0.01f;    // leaky ReLU: y = x for x >= 0, leak_slope * x otherwise
  LookupTable table;           // lookup_table only
};

// "relu", "clipped_relu", "leaky_relu", "tanh", "sigmoid", "identity", "softmax", "lookup_table".
std::string_view to_string(ActivationKind kind);
// Inverse of to_string; InputError naming `where` for an unknown name.
ActivationKind parse_activation_kind(std::string_view name, const std::string& where);
// InputError naming `where` for bad parameters (NaN, clip_max <= 0, table too short …).
void validate(const Activation& activation, const std::string& where);

// Element-wise activations; softmax is not element-wise (use apply_activation).
float activate(const Activation& activation, float x);
// Applies the activation to a whole vector in place (softmax: exp(x - max) / sum, stable).
void apply_activation(const Activation& activation, Eigen::Ref<Eigen::VectorXf> values);
// Same for a batch [units x samples], column by column for softmax.
void apply_activation(const Activation& activation, Eigen::Ref<Eigen::MatrixXf> values);

}  // namespace tandem::ann
