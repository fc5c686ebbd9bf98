// A closed-loop environment as a tandem::Engine: dense input port "action", dense output port
// "observation", one environment step every ticks_per_step chip ticks, episodes restarted
// automatically, every signal recordable under /env/<name>/<signal>.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/engine.hpp"
#include "environments/environment.hpp"
#include "environments/episode_runner.hpp"

namespace tandem::environments {

struct EnvironmentEngineSettings {
  std::string name;           // engine and node name; empty: the environment's kind()
  // Chip ticks per environment step; 0 derives it from the step's duration and the run's dt
  // (cart-pole: 20 ms / 1 ms = 20), refusing durations that are not whole ticks.
  Tick ticks_per_step = 0;
};

// Tick semantics (against the Simulation's rule 3). Step ticks are t = k * ticks_per_step:
//  - t = 0: episode 0 starts (reset with episode_seed(run seed, 0)); its start observation
//    is emitted stamped 0. No physics.
//  - t = k P, k >= 1: the action in force is the last frame that arrived at or before t
//    (zeros before the first frame). If the previous step ended the episode (failure or cap),
//    the next episode starts instead and its start observation is emitted; otherwise the
//    environment steps once and the new observation is emitted stamped t.
// Every emitted observation is one recorded sample: the signals, "step" (steps taken in the
// episode) and "episode" (its index).
class EnvironmentEngine : public Engine {
 public:
  EnvironmentEngine(std::unique_ptr<Environment> environment, EnvironmentEngineSettings settings = {});

  [[nodiscard]] std::string_view name() const override { return name_; }
  [[nodiscard]] std::span<const PortSpec> ports() const override { return ports_; }
  void reset(const RunContext& context) override;
  void advance(const Epoch& epoch, const Mailbox& inbox, Mailbox& outbox) override;
  [[nodiscard]] std::span<const NodeCounters> counters() const override { return counters_; }
  // Probe node: this engine's name. Variable: "signals" (every signal plus step and episode),
  // one signal name, "step" or "episode". every_ticks: at most one sample per that many ticks.
  bool enroll_probe(const Probe& probe, Recorder& recorder) override;
  void record(Recorder& recorder) override;

  [[nodiscard]] const Environment& environment() const { return *environment_; }
  [[nodiscard]] Tick ticks_per_step() const { return ticks_per_step_; }
  // Episodes that ended so far (failed or reached the cap), in order.
  [[nodiscard]] const std::vector<EpisodeResult>& finished_episodes() const { return finished_; }
  [[nodiscard]] std::uint64_t episode() const { return episode_; }

 private:
  struct Channel {  // one recorded stream and its per-epoch buffer
    std::size_t source;  // signal index, or signal count (+0 step, +1 episode)
    StreamId stream;
    Tick every_ticks;
    Tick next_due;
    std::vector<float> values;
    std::vector<std::int64_t> counts;
  };
  void take_actions(const std::vector<DenseFrame>& frames, std::size_t& next, Tick until);
  void start_episode();
  void emit(Tick tick, Mailbox& outbox);
  void enroll_channel(std::size_t source, const Probe& probe, Recorder& recorder);

  std::unique_ptr<Environment> environment_;
  std::string name_;
  Tick configured_ticks_per_step_;
  Tick ticks_per_step_ = 1;
  std::vector<PortSpec> ports_;
  std::vector<NodeCounters> counters_;
  std::vector<Channel> channels_;
  std::vector<double> action_;
  std::vector<double> signals_;
  std::vector<EpisodeResult> finished_;
  std::uint64_t seed_ = 1;
  std::uint64_t episode_ = 0;
};

}  // namespace tandem::environments
