// A test engine whose spikes and state follow closed forms, so a recorded trace can be
// checked value by value without trusting the recorder: unit i spikes at tick t iff
// (t + 3 i) mod 7 == 0, and its state v(t, i) = 0.25 (t mod 1000) + i (exact in float32).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/engine.hpp"
#include "core/error.hpp"

namespace tandem::testing {

inline bool pattern_spikes(Tick tick, std::uint32_t unit) { return (tick + 3 * Tick{unit}) % 7 == 0; }
inline float pattern_v(Tick tick, std::uint32_t unit) {
  return 0.25f * static_cast<float>(tick % 1000) + static_cast<float>(unit);
}

class PatternEngine : public Engine {
 public:
  // dt_ms goes into the state stream's attributes; probes are enrolled before reset() runs,
  // so it cannot come from the RunContext.
  PatternEngine(std::uint32_t units, double dt_ms) : units_(units), dt_ms_(dt_ms) {
    counters_.push_back(NodeCounters{.node = "pop"});
  }

  // When >= 0, advance() throws a RunError once it reaches this tick (failure tests).
  Tick fail_at_tick = -1;

  std::string_view name() const override { return "pattern"; }
  std::span<const PortSpec> ports() const override { return {}; }
  void reset(const RunContext&) override {
    spike_tick_.clear();
    spike_index_.clear();
    state_.clear();
  }
  void advance(const Epoch& epoch, const Mailbox&, Mailbox&) override {
    epoch_spikes_ = 0;
    for (Tick t = epoch.begin; t < epoch.end; ++t) {
      if (t == fail_at_tick) throw RunError("pattern engine: failing at tick " + std::to_string(t));
      for (std::uint32_t i = 0; i < units_; ++i) {
        if (!pattern_spikes(t, i)) continue;
        ++epoch_spikes_;
        if (!spikes_enrolled_) continue;
        spike_tick_.push_back(t);
        spike_index_.push_back(i);
      }
      if (state_enrolled_ && t % state_every_ == 0) {
        for (std::uint32_t i = 0; i < units_; ++i) state_.push_back(pattern_v(t, i));
      }
    }
    counters_[0].executed.add(Op::neuron_update, static_cast<std::uint64_t>(epoch.length()) * units_);
  }
  std::span<const NodeCounters> counters() const override { return counters_; }
  bool enroll_probe(const Probe& probe, Recorder& recorder) override {
    if (probe.node != "pop") return false;
    if (probe.variable == "spikes") {
      tick_stream_ = recorder.enroll({"/snn/pop/spikes/tick", SampleType::int64, 0, {{"unit", "tick"}}});
      index_stream_ = recorder.enroll({"/snn/pop/spikes/index", SampleType::uint32, 0, {}});
      spikes_enrolled_ = true;
      return true;
    }
    if (probe.variable == "v") {
      state_every_ = probe.every_ticks;
      state_stream_ = recorder.enroll({"/snn/pop/state/v", SampleType::float32, units_,
                                       {{"unit", "mV"},
                                        {"dt_ms", format_number(dt_ms_)},
                                        {"every_ticks", std::to_string(state_every_)},
                                        {"first_tick", "0"},
                                        {"units", "all"}}});
      state_enrolled_ = true;
      return true;
    }
    throw InputError("probe pop." + probe.variable + ": pattern engine records spikes and v");
  }
  void record(Recorder& recorder) override {
    if (spikes_enrolled_) {
      recorder.append(tick_stream_, std::span<const std::int64_t>(spike_tick_));
      recorder.append(index_stream_, std::span<const std::uint32_t>(spike_index_));
    }
    if (state_enrolled_) recorder.append(state_stream_, std::span<const float>(state_));
    spike_tick_.clear();
    spike_index_.clear();
    state_.clear();
  }

  [[nodiscard]] std::uint64_t epoch_spikes() const { return epoch_spikes_; }
  [[nodiscard]] std::uint32_t units() const { return units_; }

 private:
  std::uint32_t units_;
  double dt_ms_ = 1.0;
  std::vector<NodeCounters> counters_;
  bool spikes_enrolled_ = false;
  bool state_enrolled_ = false;
  Tick state_every_ = 1;
  StreamId tick_stream_ = 0;
  StreamId index_stream_ = 0;
  StreamId state_stream_ = 0;
  std::vector<Tick> spike_tick_;
  std::vector<std::uint32_t> spike_index_;
  std::vector<float> state_;
  std::uint64_t epoch_spikes_ = 0;
};

}  // namespace tandem::testing
