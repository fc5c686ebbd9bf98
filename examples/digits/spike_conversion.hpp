// Converting a trained bias-free ReLU network into integrate-and-fire neurons by data-based
// threshold balancing (Diehl et al. 2015, "weight normalisation"; Rueckauer et al. 2017, with a
// percentile instead of the maximum): each ReLU layer l gets a scale lambda_l, the p-th
// percentile of its positive activations over training data, and the spiking network uses
//   W~_l = W_l * lambda_{l-1} / lambda_l   (lambda_0 = 1: inputs are rates in [0, 1]),
// threshold 1 and reset by subtraction, so a neuron's firing rate (spikes per tick) approximates
// a_l / lambda_l, clipped at 1. The readout layer integrates W_L * lambda_{L-1} * rates without
// spiking; its argmax is the ANN's argmax in the limit of many ticks. Method: docs/digits.md.
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "ann/layer_graph.hpp"

namespace tandem::examples {

// The p-th percentile (0 < p <= 100) of the positive entries of `values`, interpolated linearly
// between order statistics as numpy.percentile does; 1 when no entry is positive (a layer that
// never fires keeps its weights). InputError for p outside (0, 100].
double positive_percentile(const Eigen::MatrixXf& values, double percentile);

// The balancing of one network: lambda per spiking (ReLU) layer, in order, and the factor each
// layer's incoming weights are multiplied by; `readout_scale` multiplies the readout's weights.
struct ThresholdBalance {
  double percentile = 99.9;
  std::vector<std::string> layers;   // the ReLU layers that become spiking, input side first
  std::vector<double> lambdas;       // their scales lambda_l
  std::vector<double> weight_scales; // lambda_{l-1} / lambda_l, with lambda_0 = 1
  double readout_scale = 1.0;        // lambda of the last spiking layer
};

// Lambda of every layer in `layers` (ReLU layers of `graph`, each fed by the previous one through
// linear layers only) from the graph's float forward pass on `calibration` (training data).
// InputError when a listed layer is not in the graph or not a ReLU.
ThresholdBalance balance_thresholds(const ann::LayerGraph& graph, const ann::Batch& calibration,
                                    const std::vector<std::string>& layers, double percentile);

}  // namespace tandem::examples
