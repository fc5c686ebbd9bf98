#include "ann/activation.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "core/error.hpp"

namespace tandem::ann {
namespace {

constexpr std::array<std::string_view, 8> kind_names = {
    "identity", "relu", "clipped_relu", "leaky_relu", "tanh", "sigmoid", "softmax", "lookup_table"};

float lookup(const LookupTable& table, float x) {
  const float clamped = std::clamp(x, table.input_min, table.input_max);
  const auto intervals = static_cast<float>(table.values.size() - 1);
  const float position = (clamped - table.input_min) / (table.input_max - table.input_min) * intervals;
  const auto last = table.values.size() - 2;
  const auto k = std::min(static_cast<std::size_t>(position), last);
  const float fraction = position - static_cast<float>(k);
  return table.values[k] + (table.values[k + 1] - table.values[k]) * fraction;
}

void softmax_in_place(Eigen::Ref<Eigen::VectorXf> values) {
  if (values.size() == 0) return;
  const float largest = values.maxCoeff();
  values = (values.array() - largest).exp();
  values /= values.sum();
}

}  // namespace

std::string_view to_string(ActivationKind kind) { return kind_names.at(static_cast<std::size_t>(kind)); }

ActivationKind parse_activation_kind(std::string_view name, const std::string& where) {
  for (std::size_t i = 0; i < kind_names.size(); ++i) {
    if (kind_names[i] == name) return static_cast<ActivationKind>(i);
  }
  throw InputError(where + ": unknown activation '" + std::string(name) +
                   "' (relu, clipped_relu, leaky_relu, tanh, sigmoid, identity, softmax, lookup_table)");
}

void validate(const Activation& activation, const std::string& where) {
  switch (activation.kind) {
    case ActivationKind::clipped_relu:
      if (!(activation.clip_max > 0.0f) || !std::isfinite(activation.clip_max)) {
        throw InputError(where + ": clipped_relu clip_max must be finite and > 0, got " +
                         format_number(activation.clip_max));
      }
      break;
    case ActivationKind::leaky_relu:
      if (!std::isfinite(activation.leak_slope)) {
        throw InputError(where + ": leaky_relu slope must be finite, got " +
                         format_number(activation.leak_slope));
      }
      break;
    case ActivationKind::lookup_table: {
      const LookupTable& table = activation.table;
      if (table.values.size() < 2) {
        throw InputError(where + ": lookup_table needs at least 2 values, got " +
                         std::to_string(table.values.size()));
      }
      if (!std::isfinite(table.input_min) || !std::isfinite(table.input_max) ||
          !(table.input_max > table.input_min)) {
        throw InputError(where + ": lookup_table input range [" + format_number(table.input_min) + ", " +
                         format_number(table.input_max) + "] must be finite with max > min");
      }
      for (std::size_t i = 0; i < table.values.size(); ++i) {
        if (!std::isfinite(table.values[i])) {
          throw InputError(where + ": lookup_table value " + std::to_string(i) + " is " +
                           format_number(table.values[i]));
        }
      }
      break;
    }
    default: break;
  }
}

float activate(const Activation& activation, float x) {
  switch (activation.kind) {
    case ActivationKind::identity: return x;
    case ActivationKind::relu: return std::max(x, 0.0f);
    case ActivationKind::clipped_relu: return std::min(std::max(x, 0.0f), activation.clip_max);
    case ActivationKind::leaky_relu: return x >= 0.0f ? x : activation.leak_slope * x;
    case ActivationKind::tanh: return std::tanh(x);
    case ActivationKind::sigmoid: return 1.0f / (1.0f + std::exp(-x));
    case ActivationKind::lookup_table: return lookup(activation.table, x);
    case ActivationKind::softmax: break;
  }
  throw InputError("softmax is not an element-wise activation");
}

void apply_activation(const Activation& activation, Eigen::Ref<Eigen::VectorXf> values) {
  switch (activation.kind) {
    case ActivationKind::identity: return;
    case ActivationKind::relu: values = values.cwiseMax(0.0f); return;
    case ActivationKind::softmax: softmax_in_place(values); return;
    default:
      for (Eigen::Index i = 0; i < values.size(); ++i) values[i] = activate(activation, values[i]);
  }
}

void apply_activation(const Activation& activation, Eigen::Ref<Eigen::MatrixXf> values) {
  for (Eigen::Index column = 0; column < values.cols(); ++column) {
    apply_activation(activation, Eigen::Ref<Eigen::VectorXf>(values.col(column)));
  }
}

}  // namespace tandem::ann
