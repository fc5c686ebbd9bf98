// Regenerates a hybrid controller's policy layer by imitation of a teacher (an LQR) with
// DAgger-style data collection through the real closed loop (encoder, LIF population, decoder)
// and a ridge-regression fit of the dense readout. Deterministic for a given seed.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "environments/episode_runner.hpp"
#include "examples/hybrid_controller.hpp"

namespace tandem::examples {

struct TrainingSettings {
  std::uint64_t seed = 1;
  // Iteration 0: the teacher acts in every step; iteration i >= 1: the teacher acts with
  // probability 2^-i, else the policy fitted on all data so far (DAgger's mixture).
  std::size_t iterations = 6;
  std::size_t episodes_per_iteration = 20;
  std::int64_t max_steps = 500;     // episode cap while collecting
  double ridge = 1e-2;              // penalty on the readout weights (features are ~[-1, 1])
  // Checked after every epoch of the collecting runs (RunInterrupted); nullptr: not stoppable.
  const InterruptGuard* interrupt = nullptr;
};

// What the training needs of an environment: a fresh engine (named as in the run, with the
// controller's ticks_per_step and the episode cap `max_steps`), the teacher and the clip of its
// labels (one per action: the action's range).
struct TrainingProblem {
  std::function<std::unique_ptr<environments::EnvironmentEngine>(std::int64_t max_steps)> make_environment;
  environments::Controller teacher;
  std::vector<double> label_clip;
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

TrainingResult train_hybrid_controller(const HybridControllerConfig& config, const TrainingProblem& problem,
                                       const TrainingSettings& settings, const TrainingProgress& progress = {});

// Writes /policy (weight [out x in], bias [out], float32) plus root attributes
// `description` (what the layers are, `readme` the documentation) and `training` (how to
// regenerate). RunError when the file cannot be written.
void write_hybrid_weights(const std::string& path, const HybridControllerWeights& weights,
                          const std::string& training_note, const std::string& readme = "examples/");

}  // namespace tandem::examples
