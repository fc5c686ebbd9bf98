#include "ann/dense_layer.hpp"

#include <cmath>

#include "core/error.hpp"

namespace tandem::ann {

std::string_view to_string(EventKind kind) { return kind == EventKind::zero_skip ? "zero-skip" : "delta"; }

std::string_view to_string(LayerKind kind) {
  switch (kind) {
    case LayerKind::dense: return "dense";
    case LayerKind::convolution: return "convolution";
    case LayerKind::sum_pool: return "sum_pool";
    case LayerKind::average_pool: return "average_pool";
    case LayerKind::flatten: return "flatten";
  }
  return "dense";
}

EventKind parse_event_kind(std::string_view name, const std::string& where) {
  if (name == "zero-skip" || name == "zero_skip") return EventKind::zero_skip;
  if (name == "delta" || name == "sigma-delta") return EventKind::delta;
  throw InputError(where + ": unknown event kind '" + std::string(name) + "' (zero-skip, delta)");
}

void validate(const DenseLayerSpec& layer) {
  const std::string where = "layer '" + layer.name + "'";
  if (layer.name.empty()) throw InputError("a dense layer has an empty name");
  if (layer.sources.empty()) throw InputError(where + ": no sources (inputs or layers feeding it)");
  const bool structured = layer.kind != LayerKind::dense && layer.kind != LayerKind::flatten;
  if (structured != layer.convolution.has_value()) {
    throw InputError(where + ": a " + std::string(to_string(layer.kind)) + " layer " +
                     (structured ? "needs" : "cannot have") + " a convolution shape");
  }
  if (layer.kind == LayerKind::flatten) {
    if (layer.flatten_width == 0) throw InputError(where + ": a flatten layer needs a width > 0");
    if (layer.weight.size() != 0 || layer.bias.size() != 0 || layer.activation.kind != ActivationKind::identity) {
      throw InputError(where + ": a flatten layer has no weights, no bias and the identity activation");
    }
  } else if (layer.convolution) {
    const ConvolutionShape& shape = *layer.convolution;
    validate(shape, where);
    if (static_cast<std::size_t>(layer.weight.rows()) != shape.out_channels ||
        static_cast<std::size_t>(layer.weight.cols()) != shape.kernel_columns()) {
      throw InputError(where + ": kernel is " + std::to_string(layer.weight.rows()) + " x " +
                       std::to_string(layer.weight.cols()) + ", the convolution needs out_channels x in_channels/groups·kh·kw = " +
                       std::to_string(shape.out_channels) + " x " + std::to_string(shape.kernel_columns()));
    }
  }
  if (layer.kind != LayerKind::flatten && (layer.weight.rows() == 0 || layer.weight.cols() == 0)) {
    throw InputError(where + ": weight is empty (" + std::to_string(layer.weight.rows()) + " x " +
                     std::to_string(layer.weight.cols()) + ")");
  }
  if (layer.bias.size() != layer.weight.rows()) {
    throw InputError(where + ": bias has " + std::to_string(layer.bias.size()) + " entries, weight has " +
                     std::to_string(layer.weight.rows()) + " outputs");
  }
  for (Eigen::Index j = 0; j < layer.weight.cols(); ++j) {
    for (Eigen::Index i = 0; i < layer.weight.rows(); ++i) {
      if (!std::isfinite(layer.weight(i, j))) {
        throw InputError(where + ": weight[" + std::to_string(i) + "][" + std::to_string(j) + "] is " +
                         format_number(layer.weight(i, j)));
      }
    }
  }
  for (Eigen::Index i = 0; i < layer.bias.size(); ++i) {
    if (!std::isfinite(layer.bias[i])) {
      throw InputError(where + ": bias[" + std::to_string(i) + "] is " + format_number(layer.bias[i]));
    }
  }
  if (layer.period_ticks < 1) {
    throw InputError(where + ": period_ticks must be >= 1, got " + std::to_string(layer.period_ticks));
  }
  if (layer.phase_ticks < 0 || layer.phase_ticks >= layer.period_ticks) {
    throw InputError(where + ": phase_ticks must be in [0, " + std::to_string(layer.period_ticks) + "), got " +
                     std::to_string(layer.phase_ticks));
  }
  if (!std::isfinite(layer.delta_threshold) || layer.delta_threshold < 0.0f) {
    throw InputError(where + ": delta_threshold must be finite and >= 0, got " + format_number(layer.delta_threshold));
  }
  validate(layer.activation, where);
  if (layer.quantization) {
    const LayerQuantization& q = *layer.quantization;
    if (q.weight.rows() != layer.weight.rows() || q.weight.cols() != layer.weight.cols() ||
        q.bias.size() != static_cast<std::size_t>(layer.bias.size())) {
      throw InputError(where + ": quantised weights do not match the layer's shape");
    }
  }
}

DenseLayerSpec make_dense_layer(std::string name, std::vector<std::string> sources, std::size_t outputs,
                                std::size_t inputs, const std::vector<float>& weight_row_major,
                                const std::vector<float>& bias, Activation activation) {
  const std::string where = "layer '" + name + "'";
  if (weight_row_major.size() != outputs * inputs) {
    throw InputError(where + ": weight has " + std::to_string(weight_row_major.size()) + " values, expected " +
                     std::to_string(outputs) + " x " + std::to_string(inputs));
  }
  if (bias.size() != outputs) {
    throw InputError(where + ": bias has " + std::to_string(bias.size()) + " values, expected " +
                     std::to_string(outputs));
  }
  DenseLayerSpec layer;
  layer.name = std::move(name);
  layer.sources = std::move(sources);
  layer.weight = Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
      weight_row_major.data(), static_cast<Eigen::Index>(outputs), static_cast<Eigen::Index>(inputs));
  layer.bias = Eigen::Map<const Eigen::VectorXf>(bias.data(), static_cast<Eigen::Index>(outputs));
  layer.activation = std::move(activation);
  return layer;
}

}  // namespace tandem::ann
