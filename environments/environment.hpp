// The shape every closed-loop environment (cart-pole, bicycle …) shares, so that one Engine
// wrapper (EnvironmentEngine) and one episode runner serve them all. Environments are plain
// physics: they never log, never do I/O, and step once per call (a virtual call per step).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace tandem::environments {

// One recorded quantity of an environment: /env/<engine>/<name>, with its unit attribute.
struct SignalInfo {
  std::string name;
  std::string unit;
};

class Environment {
 public:
  virtual ~Environment() = default;

  // Short lowercase name ("cartpole"), the default engine/node name.
  [[nodiscard]] virtual std::string_view kind() const = 0;
  [[nodiscard]] virtual std::size_t action_width() const = 0;
  // Every signal the environment reports after a step. The first observation_width() of them
  // form the observation a controller sees, in this order; the rest are only recorded.
  [[nodiscard]] virtual std::span<const SignalInfo> signals() const = 0;
  [[nodiscard]] virtual std::size_t observation_width() const = 0;

  // Starts a new episode; the start state and all disturbances of the episode derive from
  // `seed` alone.
  virtual void reset(std::uint64_t seed) = 0;
  // One physics step with `action` (action_width() values, clamped to the environment's
  // limits). InputError when a value is not finite or the episode is already over.
  virtual void step(std::span<const double> action) = 0;
  // Writes every signal (signals().size() values) of the current state.
  virtual void read_signals(std::span<double> out) const = 0;

  [[nodiscard]] virtual bool failed() const = 0;
  // Steps taken in this episode.
  [[nodiscard]] virtual std::int64_t step_count() const = 0;
  // The episode cap: reaching it without failing is a success.
  [[nodiscard]] virtual std::int64_t max_steps() const = 0;
  // The simulated time of one step, for mapping steps onto chip ticks.
  [[nodiscard]] virtual double step_ms() const = 0;

  [[nodiscard]] bool done() const { return failed() || step_count() >= max_steps(); }
};

// The seed of episode `episode` of a run seeded with `run_seed`: independent streams per
// episode, so episode k starts the same whether or not the earlier ones ran.
std::uint64_t episode_seed(std::uint64_t run_seed, std::uint64_t episode);

// Throws InputError "<where>: <what> must be finite and > 0, got <value>" (or >= 0 when
// `allow_zero`). Used to validate physical parameters.
void require_positive(std::string_view where, std::string_view what, double value,
                      bool allow_zero = false);

}  // namespace tandem::environments
