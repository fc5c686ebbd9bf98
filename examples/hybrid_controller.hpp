// The hybrid controller shared by the closed-loop examples: a dense normalisation layer, a Gaussian
// population encoder (bridge), a LIF population (event engine), a spike-count decoder (bridge) and
// a dense linear policy layer, wired in a closed loop with an EnvironmentEngine. Timing: below.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ann/weights_hdf5.hpp"
#include "core/simulation.hpp"
#include "examples/environment_engine.hpp"

namespace tandem::examples {

// Engine, node and port names of the network (also the HDF5 trace paths).
namespace hybrid_names {
inline constexpr const char* dense = "ann";         // DenseEngine: layers "norm" and "policy"
inline constexpr const char* bridge = "bridge";     // units "encoder" and "decoder"
inline constexpr const char* spiking = "snn";       // EventEngine: "afferent" -> "lif"
inline constexpr const char* norm_layer = "norm";
inline constexpr const char* policy_layer = "policy";
inline constexpr const char* encoder = "encoder";
inline constexpr const char* decoder = "decoder";
inline constexpr const char* afferent = "afferent";
inline constexpr const char* population = "lif";
}  // namespace hybrid_names

// One control step of P = ticks_per_step ticks (dt 1 ms: P = 20), every wire 1 tick, k the step,
// t0 = k P the tick at which the environment emits observation k:
//   t0      environment emits observation k                          -> ann.obs      at t0+1
//   t0+1    layer "norm" (period P, phase 1) scales it to ~[-1,1]  -> bridge       at t0+2
//   t0+2    encoder (window W, phase 2) samples it and emits W ticks of spikes, twice per step
//           (W = P/2), the second window repeating the first       -> snn          at t0+3..
//   t0+3..  afferents relay each spike in its arrival tick; the projection (delay 1 tick) feeds
//           the LIF population, which spikes from t0+4               -> decoder     at t0+5..
//   t0+4+W  decoder (window W, phase 5) emits the counts of [t0+5, t0+4+W] -> ann.features
//   t0+5+W  layer "policy" (period P, phase 5+W) emits the action  -> environment at t0+6+W
//   t0+P    environment steps with that action (t0+6+W <= t0+P needs W <= P-6; W = 10 at P = 20).
// So the action of step k is computed from observation k (and the LIF membranes' residue of
// earlier steps), and is ready 4 ticks before the environment needs it; the decoder's second
// window of each step is read by nobody.
// The defaults are the timing and neurons both examples use; observation_scale and the widths are
// the environment's (see cartpole_controller_config(), bicycle_controller_config()).
struct HybridControllerConfig {
  std::string label = "hybrid controller";  // names the controller in error messages
  double dt_ms = 1.0;               // the chip tick the controller is built for (Simulation's TimeBase)
  Tick ticks_per_step = 20;         // cart-pole: 20 ms step at dt = 1 ms; bicycle: 10 ms at 0.5 ms
  Tick window_ticks = 10;           // encoder and decoder window (divides ticks_per_step)
  std::size_t neurons_per_value = 16;
  double sigma_spacings = 1.0;      // receptive-field width in units of the centre spacing
  // LIF: v_th 1, subtract reset (the residue carries to the next spike, so counts stay graded),
  // tau_m 20 ms; a spike of its own afferent adds input_weight to v, a neighbour's neighbour_weight.
  double tau_m_ms = 20.0;
  float input_weight = 0.6F;
  float neighbour_weight = 0.2F;
  // The environment's observation and action widths; the first observation_scale.size() values
  // of each observation are encoded, divided by their scale (so ~[-1, 1]; the encoder clamps).
  std::size_t observation_width = 0;
  std::size_t action_width = 0;
  std::vector<double> observation_scale;

  [[nodiscard]] std::size_t encoded_values() const { return observation_scale.size(); }
  [[nodiscard]] std::size_t feature_count() const { return encoded_values() * neurons_per_value; }
  // Phase of the policy layer (tick within a step at which the action is emitted).
  [[nodiscard]] Tick policy_phase() const { return 5 + window_ticks; }
  // InputError naming the parameter when the timing cannot close the loop within a step.
  void validate() const;
};

// The two dense layers, as shipped in examples/<example>/weights.h5 (/norm, /policy; NIR layout
// weight [out x in], bias [out]).
struct HybridControllerWeights {
  ann::DenseWeights norm;    // encoded_values x observation_width, fixed by observation_scale
  ann::DenseWeights policy;  // action_width x feature_count, trained
};

// The norm layer for `config` (1/scale on the diagonal, zero elsewhere and zero bias).
ann::DenseWeights make_norm_weights(const HybridControllerConfig& config);
// Reads /norm and /policy; InputError (naming file and dataset) when shapes do not fit `config`.
HybridControllerWeights load_hybrid_weights(const std::string& path, const HybridControllerConfig& config);
// The shipped weights file of an example (absolute path into the source tree):
// examples/<example>/weights.h5.
std::string shipped_weights_path(const std::string& example);

// Extra wiring for training: when set, the policy's action goes to `action_tap` engine's port
// "policy" and the tap's "action" output drives the environment; the tap also receives
// "observation" and "features" (see DaggerTap).
struct HybridWiring {
  std::string action_tap;  // empty: policy -> environment directly
};

// Adds `environment` (its ticks_per_step must be config.ticks_per_step, its widths the config's)
// and the controller's engines and wires to `simulation`. Returns the environment engine (owned
// by the simulation).
EnvironmentEngine& add_hybrid_controller(Simulation& simulation, std::unique_ptr<EnvironmentEngine> environment,
                                         const HybridControllerConfig& config,
                                         const HybridControllerWeights& weights, const HybridWiring& wiring = {});

// The example's trace: every environment signal (/env/<environment>/...), the LIF spikes
// (/snn/lif/spikes) and the policy output once per step (/ann/policy/activations).
void add_hybrid_trace_probes(Simulation& simulation, const std::string& environment,
                             const HybridControllerConfig& config);

// Runs the loop (via `run`, e.g. Simulation::run or RunSession::run; `now` is the current tick)
// until `environment` has finished `episodes` episodes (the engine registers an episode's end at
// the next step tick, which starts the next episode). It runs to the latest tick at which the
// current episode can be registered (its cap), so a recorded run makes few run() calls; only
// the last episode goes in chunks of at most 10 steps, so a run whose last episode fails early
// runs at most 9 steps of the next one. `ticks_per_step` must be the environment's. Returns the ticks run.
Tick run_until_episodes(const EnvironmentEngine& environment, std::size_t episodes, Tick ticks_per_step, Tick now,
                        const std::function<void(Tick)>& run);

}  // namespace tandem::examples
