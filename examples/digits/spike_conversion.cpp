#include "examples/digits/spike_conversion.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace tandem::examples {

double positive_percentile(const Eigen::MatrixXf& values, double percentile) {
  if (!(percentile > 0.0 && percentile <= 100.0)) {
    throw InputError("threshold balancing: percentile must be in (0, 100], got " + std::to_string(percentile));
  }
  std::vector<float> positive;
  for (Eigen::Index k = 0; k < values.size(); ++k) {
    if (values.data()[k] > 0.0F) positive.push_back(values.data()[k]);
  }
  if (positive.empty()) return 1.0;
  std::sort(positive.begin(), positive.end());
  // numpy's default ("linear"): rank p/100 * (n - 1), interpolated between its neighbours.
  const double rank = percentile / 100.0 * static_cast<double>(positive.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(rank));
  const std::size_t above = std::min(below + 1, positive.size() - 1);
  const double fraction = rank - static_cast<double>(below);
  return static_cast<double>(positive[below]) +
         fraction * (static_cast<double>(positive[above]) - static_cast<double>(positive[below]));
}

ThresholdBalance balance_thresholds(const ann::LayerGraph& graph, const ann::Batch& calibration,
                                    const std::vector<std::string>& layers, double percentile) {
  ThresholdBalance balance;
  balance.percentile = percentile;
  balance.layers = layers;
  const ann::Batch activations = graph.forward(calibration);
  double previous = 1.0;  // lambda_0: the inputs are rates in [0, 1]
  for (const std::string& name : layers) {
    const ann::DenseLayerSpec& layer = graph.layer(name);  // InputError when unknown
    if (layer.activation.kind != ann::ActivationKind::relu) {
      throw InputError("threshold balancing: layer '" + name + "' is not a ReLU layer (" +
                       std::string(ann::to_string(layer.activation.kind)) + ")");
    }
    const double lambda = positive_percentile(activations.at(name), percentile);
    balance.lambdas.push_back(lambda);
    balance.weight_scales.push_back(previous / lambda);
    previous = lambda;
  }
  balance.readout_scale = previous;
  return balance;
}

}  // namespace tandem::examples
