// The hybrid controller shared by the closed-loop examples: a delta (send-on-change) encoder
// (bridge) with a threshold per observed value, a spiking core of input afferents and LIF neurons (event
// engine), a delta decoder (bridge) and a dense linear policy layer, wired in a closed loop with
// an environments::EnvironmentEngine. Only changes of the observation travel as spikes, so a state that
// barely moves costs little and a push shows up as a burst. Timing: below.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ann/weights_hdf5.hpp"
#include "core/precision.hpp"
#include "core/simulation.hpp"
#include "environments/environment_engine.hpp"

namespace tandem::examples {

// Engine, node and port names of the network (also the HDF5 trace paths).
namespace hybrid_names {
inline constexpr const char* dense = "ann";         // DenseEngine: layer "policy"
inline constexpr const char* bridge = "bridge";     // units "encoder" and "decoder"
inline constexpr const char* spiking = "snn";       // EventEngine: "afferent" -> "lif"
inline constexpr const char* policy_layer = "policy";
inline constexpr const char* encoder = "encoder";
inline constexpr const char* decoder = "decoder";
inline constexpr const char* afferent = "afferent";
inline constexpr const char* population = "lif";
}  // namespace hybrid_names

// One control step of P = ticks_per_step ticks (cart-pole: dt 1 ms, P = 20), every wire 1 tick,
// k the step, t0 = k P the tick at which the environment emits observation k:
//   t0      environment emits observation k                              -> bridge      at t0+1
//   t0+1..  the delta encoder compares each encoded value x_i with what it last sent s_i; while
//           |x_i - s_i| >= threshold_i = delta_threshold * observation_scale_i it sends one
//           spike per tick on that value's "on" (x > s) or "off" channel and moves s_i one
//           threshold towards x_i                                       -> snn         at e+1
//   e+1     the afferent of that channel relays the spike in its arrival tick; the projection
//           (delay 1 tick) makes the LIF neuron of the channel spike at e+2 -> decoder at e+3
//   e+3     the delta decoder adds ±delta_threshold to its value (so it decodes x_i / scale_i,
//           ~[-1, 1], in exact multiples of delta_threshold), emits the values -> ann.features at e+4
//   t0+P-2  layer "policy" (period P) emits the action from the decoded values -> environment at t0+P-1
//   t0+P    environment steps with that action.
// So spikes the encoder sends at ticks t0+1 … t0+P-6 (14 per value at P = 20, i.e. up to 14
// thresholds of change) act in step k; a larger change finishes arriving in the next step. The
// encoder and decoder keep their state across episodes (a chip does not reset between them):
// the first step of an episode sends the jump from the last state to the new start.
// The defaults are what both examples use; observation_scale and the widths are the
// environment's (see cartpole_controller_config(), bicycle_controller_config()).
struct HybridControllerConfig {
  std::string label = "hybrid controller";  // names the controller in error messages
  double dt_ms = 1.0;               // the chip tick the controller is built for (Simulation's TimeBase)
  Tick ticks_per_step = 20;         // cart-pole: 20 ms step at dt = 1 ms; bicycle: 10 ms at 0.5 ms
  // Threshold of the delta code in units of each value's observation_scale (the encoder's
  // threshold for value i is delta_threshold * observation_scale[i], the decoder's step
  // delta_threshold). A power of two, so every decoded value is an exact float multiple of it
  // (the decoder's sums carry no rounding). 1/32 resolves [-scale, scale] in 64 steps.
  double delta_threshold = 1.0 / 32.0;
  // Afferents and LIF neurons: threshold 1, reset to 0, tau_m 20 ms; an arriving spike adds
  // relay_weight (>= 1) to v, so each neuron fires once per arriving spike in its arrival tick.
  double tau_m_ms = 20.0;
  float relay_weight = 1.5F;
  // The environment's observation and action widths; the first observation_scale.size() values
  // of each observation are encoded (the range a balancing controller visits is about
  // [-scale, scale]).
  std::size_t observation_width = 0;
  std::size_t action_width = 0;
  std::vector<double> observation_scale;
  // The arithmetic (docs/precision.md): float32, or tianjic (LIF somas and the policy's
  // vector×matrix + cut in Tianjic's integers), loihi (the LIF neurons in Loihi's fixed point;
  // the policy stays float32), fixed (the policy in generic int8; the neurons stay float32).
  Precision precision = Precision::float32;

  [[nodiscard]] std::size_t encoded_values() const { return observation_scale.size(); }
  // The policy's inputs: the decoded values.
  [[nodiscard]] std::size_t feature_count() const { return encoded_values(); }
  // On/off spike channels: afferents and LIF neurons.
  [[nodiscard]] std::size_t spike_channels() const { return 2 * encoded_values(); }
  // Phase of the policy layer (tick within a step at which the action is emitted): late enough
  // for the spikes of the step to arrive, early enough for the action (one tick more with the
  // training tap in between) to reach the environment by the next step tick.
  [[nodiscard]] Tick policy_phase() const { return ticks_per_step - 2; }
  // The last tick within a step at which an encoder spike still reaches this step's policy.
  // InputError naming the parameter when the timing cannot close the loop within a step.
  void validate() const;
};

// The trained dense layer, as shipped in examples/<example>/weights.h5 (/policy; NIR layout
// weight [out x in], bias [out]).
struct HybridControllerWeights {
  ann::DenseWeights policy;  // action_width x feature_count (the decoded values)
};

// Reads /policy; InputError (naming file and dataset) when shapes do not fit `config`.
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
environments::EnvironmentEngine& add_hybrid_controller(Simulation& simulation, std::unique_ptr<environments::EnvironmentEngine> environment,
                                         const HybridControllerConfig& config,
                                         const HybridControllerWeights& weights, const HybridWiring& wiring = {});

// The example's trace: every environment signal (/env/<environment>/...), the LIF spikes
// (/snn/lif/spikes: channel 2v is value v's "on", 2v+1 its "off"), the decoded values
// once per step (/bridge/decoder/out, sampled at the policy's tick) and the policy output once per
// step (/ann/policy/activations).
void add_hybrid_trace_probes(Simulation& simulation, const std::string& environment,
                             const HybridControllerConfig& config);

// Runs the loop (via `run`, e.g. Simulation::run or RunSession::run; `now` is the current tick)
// until `environment` has finished `episodes` episodes (the engine registers an episode's end at
// the next step tick, which starts the next episode). It runs to the latest tick at which the
// current episode can be registered (its cap), so a recorded run makes few run() calls; only
// the last episode goes in chunks of at most 10 steps, so a run whose last episode fails early
// runs at most 9 steps of the next one. `ticks_per_step` must be the environment's. Returns the ticks run.
Tick run_until_episodes(const environments::EnvironmentEngine& environment, std::size_t episodes, Tick ticks_per_step, Tick now,
                        const std::function<void(Tick)>& run);

}  // namespace tandem::examples
