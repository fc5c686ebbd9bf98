// The event-camera cart-pole controller (`tandem example cartpole-camera`): a camera renders the
// cart-pole each control step, the bridge's DVS encoder turns intensity changes into ON/OFF
// events, a spiking convolution and a sum pooling (event engine) reduce them, a readout
// population feeds the bridge's delta decoder, which integrates ON - OFF per pooled cell into
// a picture of where the scene has been brightening, and one dense policy layer reads that
// picture now and one step ago. See docs/cartpole-camera.md.
#pragma once

#include <string>

#include "core/simulation.hpp"
#include "environments/cartpole/cartpole.hpp"
#include "environments/cartpole/cartpole_camera.hpp"
#include "environments/environment_engine.hpp"
#include "examples/cartpole/cartpole_controller.hpp"
#include "examples/hybrid_controller.hpp"
#include "examples/hybrid_training.hpp"

namespace tandem::examples {

// Engine, node and port names (also the HDF5 trace paths).
namespace camera_names {
inline constexpr const char* environment = "cartpole";
inline constexpr const char* camera = "camera";       // CameraEngine: observation -> image
inline constexpr const char* bridge = "bridge";       // units "dvs" and "decoder"
inline constexpr const char* dvs = "dvs";
inline constexpr const char* decoder = "decoder";
inline constexpr const char* spiking = "snn";         // "afferent" -> "conv" -> "pool" -> "readout"
inline constexpr const char* afferent = "afferent";
inline constexpr const char* conv = "conv";
inline constexpr const char* pool = "pool";
inline constexpr const char* readout = "readout";
inline constexpr const char* dense = "ann";           // layers "now", "before" and "policy"
}  // namespace camera_names

// Timing, every wire 1 tick unless said (P = ticks_per_step, t0 = k P the step tick):
//   t0     environment emits the state            -> camera (renders)   -> bridge.dvs at t0+2
//   t0+2…  DVS events (a pixel a threshold or more away sends one per tick) -> afferents t0+3
//   then conv (projection delay 1), pool (delay 1), readout (delay 1), decoder, dense: an
//   event at e reaches the decoder at e+4 and the dense inputs at e+5.
//   t0+P-2 layers "now" (decoded picture) and "before" (the same, wired P ticks later, so the
//          picture one step ago) and "policy" (their sum) run -> environment at t0+P-1.
// So DVS events sent up to tick P-7 of a step act in that step.
struct CameraControllerConfig {
  double dt_ms = 1.0;
  Tick ticks_per_step = 20;
  environments::CartPoleCameraParams camera;
  // DVS: contrast threshold in ln units, refractory period, background noise.
  double dvs_threshold = 0.02;
  Tick dvs_refractory_ticks = 0;
  double dvs_noise_rate_hz = 0.0;
  double dvs_epsilon = 1.0;
  // Integrate-and-fire layers (reset by subtraction, so no input is forgotten, only delayed):
  // conv: 3x3 binomial kernel (1 2 1)ᵀ(1 2 1)/4, stride 2, per polarity: hat functions two pixels
  // apart, which interpolate linearly, so an edge's sub-cell position survives in the ratio of
  // neighbouring cells. pool: sum over pool_rows x pool_columns conv cells (a box loses the
  // position inside it, so the default pools rows only: the cart and the pole's lean are
  // horizontal positions).
  float conv_threshold = 0.99F;
  float pool_threshold = 0.99F;
  std::size_t pool_rows = 2;
  std::size_t pool_columns = 1;
  // The delta decoder's step per readout spike: the picture's units (a power of two, exact sums).
  double decoder_step = 1.0 / 16.0;
  // Noise on the DVS is seeded from the run seed; nothing else here is random.

  [[nodiscard]] std::size_t pixels() const { return camera.pixels(); }
  [[nodiscard]] std::size_t conv_height() const { return (camera.height + 1) / 2; }
  [[nodiscard]] std::size_t conv_width() const { return (camera.width + 1) / 2; }
  [[nodiscard]] std::size_t pool_height() const { return conv_height() / pool_rows; }
  [[nodiscard]] std::size_t pool_width() const { return conv_width() / pool_columns; }
  // Pooled cells per polarity: the decoded picture's width.
  [[nodiscard]] std::size_t cells() const { return pool_height() * pool_width(); }
  // The policy's inputs: the picture now, then one step ago.
  [[nodiscard]] std::size_t policy_inputs() const { return 2 * cells(); }
  [[nodiscard]] Tick policy_phase() const { return ticks_per_step - 2; }
  // InputError naming the parameter.
  void validate() const;
};

// /policy: weight [1 x 2·cells] (the picture now, then one step ago), bias [1].
HybridControllerWeights load_camera_weights(const std::string& path, const CameraControllerConfig& config);
std::string shipped_camera_weights_path();  // examples/cartpole_camera/weights.h5

// Adds the cart-pole (params, with config.ticks_per_step), the camera and the controller to
// `simulation`; `wiring.action_tap` as for the hybrid controller (the tap's features: the
// decoded picture, wired with latency 2 so that it holds what the layers read). Returns the
// environment engine.
environments::EnvironmentEngine& add_camera_controller(Simulation& simulation, const environments::CartPoleParams& params,
                                                       const CameraControllerConfig& config,
                                                       const HybridControllerWeights& weights,
                                                       const HybridWiring& wiring = {});

// /env/cartpole/..., the DVS events (/bridge/dvs/spikes), the pool and readout spikes
// (/snn/pool/spikes) and the policy output once per step (/ann/policy/activations).
void add_camera_trace_probes(Simulation& simulation, const CameraControllerConfig& config);

// DAgger through the whole camera loop (see train_by_dagger) on the cart-pole LQR applied to
// finite-difference velocities (what two pictures show); collects with the default pushes when
// settings.pushes.
TrainingResult train_camera_controller(const CameraControllerConfig& config, const environments::CartPoleParams& params,
                                       const CartPoleTrainingSettings& settings, const TrainingProgress& progress = {});

}  // namespace tandem::examples
