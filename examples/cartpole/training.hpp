// Regenerates the hybrid controller's policy layer by imitation of the LQR teacher with
// DAgger-style data collection through the real closed loop (encoder, LIF population, decoder)
// and a ridge-regression fit of the dense readout. Deterministic for a given seed.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "examples/cartpole/hybrid_controller.hpp"

namespace tandem::examples {

struct TrainingSettings {
  std::uint64_t seed = 1;
  // Iteration 0: the teacher acts in every step; iteration i >= 1: the teacher acts with
  // probability 2^-i, else the policy fitted on all data so far (DAgger's mixture).
  std::size_t iterations = 6;
  std::size_t episodes_per_iteration = 20;
  std::int64_t max_steps = 500;     // episode cap while collecting
  bool pushes = true;               // collect with the default pushes: more varied states
  double ridge = 1e-2;              // penalty on the readout weights (features are in [0, 1])
  double label_clip_n = 10.0;       // the controller's force range
};

struct TrainingIteration {
  std::size_t samples = 0;     // aggregated samples after this iteration
  std::size_t successes = 0;   // episodes of this iteration that reached max_steps
  std::size_t episodes = 0;
};

struct TrainingResult {
  HybridControllerWeights weights;
  std::vector<TrainingIteration> iterations;
};

// Progress callback, called after each iteration.
using TrainingProgress = std::function<void(std::size_t iteration, const TrainingIteration&)>;

TrainingResult train_hybrid_controller(const HybridControllerConfig& config, const CartPoleParams& params,
                                       const TrainingSettings& settings, const TrainingProgress& progress = {});

// Writes /norm and /policy (weight [out x in], bias [out], float32) plus root attributes
// `description` and `training` (how to regenerate). RunError when the file cannot be written.
void write_hybrid_weights(const std::string& path, const HybridControllerWeights& weights,
                          const std::string& training_note);

}  // namespace tandem::examples
