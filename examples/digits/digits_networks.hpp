// The digits example's networks, each built into a Simulation for one inference: the trained MLP
// or CNN as an ANN on the dense engine (float32, fixed int8 or tianjic precision), converted to an
// SNN on the event engine (bridge rate encoder -> input relays -> IF layers -> integrating
// readout), or as a hybrid (the SNN's first layer, a count decoder in the bridge, the rest of the
// ANN as a dense head). Timing of each: digits_networks.cpp; method: docs/digits.md.
#pragma once

#include <Eigen/Core>
#include <map>
#include <string>
#include <vector>

#include "ann/graph_quantization.hpp"
#include "ann/layer_graph.hpp"
#include "core/precision.hpp"
#include "core/simulation.hpp"
#include "examples/digits/digits_data.hpp"
#include "examples/digits/spike_conversion.hpp"

namespace tandem::examples {

enum class DigitArchitecture { mlp, cnn };
enum class DigitVariant { ann, snn, hybrid };
std::string_view to_string(DigitArchitecture architecture);
std::string_view to_string(DigitVariant variant);
// "mlp" | "cnn"; InputError naming the text otherwise.
DigitArchitecture parse_digit_architecture(const std::string& text);

// Engine names (and so the energy report's nodes are "<layer>", "encoder", "decoder", …).
namespace digit_names {
inline constexpr const char* image = "image";    // ExternalEngine and its port: the image, off-chip
inline constexpr const char* input = "pixels";  // the dense graph's input, the SNN's input port
inline constexpr const char* dense = "ann";
inline constexpr const char* bridge = "bridge";
inline constexpr const char* spiking = "snn";
inline constexpr const char* encoder = "encoder";   // rate encoder, pixels -> spikes
inline constexpr const char* decoder = "decoder";   // hybrid: count decoder, hidden spikes -> rates
inline constexpr const char* relays = "input";      // 64 relay neurons, the chip's input axons
inline constexpr const char* readout = "logits";    // ANN output layer, SNN readout population
}  // namespace digit_names

// Everything computed once per architecture before the per-image runs.
struct DigitModels {
  DigitArchitecture architecture = DigitArchitecture::mlp;
  ann::LayerGraph graph;                                // float32; input "pixels", output "logits"
  std::map<Precision, ann::LayerGraph> quantised;       // fixed and tianjic, calibrated on training images
  ThresholdBalance balance;                             // the SNN conversion (training images)
  // The hybrid's dense head (input "rates": the first layer's spikes per tick), per precision:
  // float32, and fixed and tianjic calibrated on the training images' clipped rates.
  std::map<Precision, ann::LayerGraph> heads;
  DigitWeights weights;
};

// Builds the float graph and the hybrid's head, quantises them (fixed, tianjic) and balances the thresholds, all on
// `train` (the training split: nothing of the test split is used).
DigitModels prepare_digit_models(DigitArchitecture architecture, const DigitWeights& weights, const DigitSet& train,
                                 double percentile = 99.9);

struct DigitRunSpec {
  DigitVariant variant = DigitVariant::ann;
  Precision precision = Precision::float32;  // ann and hybrid (its head): float32 | fixed | tianjic; snn: float32
  Tick ticks = 0;                            // snn and hybrid: ticks the image is presented (T >= 1)
};

// Adds the engines and wires of one inference to an empty `simulation` (dt 1 ms). Returns the
// ticks to run for the decision.
Tick build_digit_inference(Simulation& simulation, const DigitModels& models, const DigitRunSpec& spec);
// Queues `image` (64 values in [0, 1]) at tick 0. Call it once the simulation is built and its
// energy ledgers attached: building resets every engine, queued frames included.
void queue_digit_image(Simulation& simulation, const DigitRunSpec& spec, const Eigen::VectorXf& image);

// After the run: the class whose readout is largest (the first of equal ones).
std::size_t digit_decision(const Simulation& simulation, const DigitRunSpec& spec);

}  // namespace tandem::examples
