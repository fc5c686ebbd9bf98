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
  double explained = 0.0;      // share of the teacher's first action's variance the fit explains
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

// The closed loop DAgger drives, for any controller whose last stage is one linear policy layer:
// `build` adds the environment (episode cap max_steps) and the controller with `policy` to the
// simulation, wired through the DaggerTap engine named `tap` as HybridWiring describes, and
// returns the environment engine. The tap samples at tick phase `tap_phase` of each step;
// `features` is the width of its features port, history_steps as DaggerTapSettings (the fitted
// policy then has features·(1 + history_steps) inputs).
struct DaggerLoop {
  double dt_ms = 1.0;
  Tick ticks_per_step = 20;
  Tick tap_phase = 19;
  std::size_t observation_width = 0;
  std::size_t features = 0;
  std::size_t history_steps = 0;
  std::function<environments::EnvironmentEngine&(Simulation& simulation, const ann::DenseWeights& policy,
                                                 const std::string& tap, std::int64_t max_steps)>
      build;
};

// DAgger with `teacher` (labels clipped to label_clip, one per action) and a ridge fit of the
// policy on all samples so far, after each iteration (TrainingSettings). Deterministic.
TrainingResult train_by_dagger(const DaggerLoop& loop, const environments::Controller& teacher,
                               const std::vector<double>& label_clip, const TrainingSettings& settings,
                               const TrainingProgress& progress = {});

// Writes /policy (weight [out x in], bias [out], float32) plus root attributes
// `description` (what the layers are, `readme` the documentation) and `training` (how to
// regenerate). RunError when the file cannot be written.
void write_hybrid_weights(const std::string& path, const HybridControllerWeights& weights,
                          const std::string& training_note, const std::string& readme = "examples/");

}  // namespace tandem::examples
