// Spike sources that behave like populations (projections can start from them): a group of
// independent Poisson spike trains, a generator replaying given spike times and a table of values
// replayed as graded events.
#pragma once

#include <utility>

#include "neurons/poisson_sampler.hpp"
#include "neurons/population.hpp"

namespace tandem::neurons {

class SourceBase : public PopulationBase {
 public:
  using PopulationBase::PopulationBase;
  [[nodiscard]] NodeKind kind() const override { return NodeKind::input; }
  [[nodiscard]] std::span<const Receptor> receptors() const override { return {}; }
  [[nodiscard]] std::span<const Variable> variables() const override { return {}; }
  [[nodiscard]] std::span<const float> values(std::size_t) const override { return {}; }

 protected:
  void reset_state() override {}
  std::span<float> mutable_values(std::size_t) override { return {}; }
};

// N independent Poisson trains: each unit spikes in a tick with probability rate·dt
// (as Brian2's PoissonGroup). Seeded by RandomStream::derived(seed, name).
class PoissonGroup final : public SourceBase {
 public:
  PoissonGroup(std::string name, std::size_t size, double rate_hz, const TimeBase& time);
  [[nodiscard]] std::string_view model_name() const override { return "poisson_group"; }
  void step(Tick tick, bool event_mode, std::vector<std::uint32_t>& spikes, OpCounts& executed) override;

 protected:
  void reset_sources(std::uint64_t seed) override { random_ = RandomStream::derived(seed, name()); }

 private:
  BernoulliSampler fires_;
  RandomStream random_;
};

// Replays given spikes: (tick, unit) pairs, any order (sorted on construction; duplicates kept once).
class SpikeGenerator final : public SourceBase {
 public:
  SpikeGenerator(std::string name, std::size_t size, std::vector<std::pair<Tick, std::uint32_t>> spikes);
  [[nodiscard]] std::string_view model_name() const override { return "spike_generator"; }
  void step(Tick tick, bool event_mode, std::vector<std::uint32_t>& spikes, OpCounts& executed) override;
  // The spikes it replays, sorted by tick then unit, each once (for export).
  [[nodiscard]] const std::vector<std::pair<Tick, std::uint32_t>>& spikes() const { return spikes_; }

 protected:
  void reset_sources(std::uint64_t) override { next_ = 0; }

 private:
  std::vector<std::pair<Tick, std::uint32_t>> spikes_;
  std::size_t next_ = 0;
};

// Replays a table of values [ticks x N] as graded events: at tick t every unit whose value in
// row t is not 0 sends it (the values a NIR graph's Input node receives each step); nothing after
// the last row. Projections from it add weight × value.
class ValueTable final : public SourceBase {
 public:
  ValueTable(std::string name, std::size_t size) : SourceBase(std::move(name), size) {}
  [[nodiscard]] std::string_view model_name() const override { return "value_table"; }
  // Row-major [ticks x N]; InputError naming the source when the length is not a multiple of N.
  void set_values(std::vector<float> rows);
  [[nodiscard]] std::size_t rows() const { return size() == 0 ? 0 : values_.size() / size(); }
  void step(Tick /*tick*/, bool /*event_mode*/, std::vector<std::uint32_t>& /*spikes*/, OpCounts& /*executed*/) override {}
  [[nodiscard]] bool graded() const override { return true; }
  void graded_events(Tick tick, std::vector<std::uint32_t>& indices, std::vector<float>& values) const override;

 private:
  std::vector<float> values_;
};

}  // namespace tandem::neurons
