// Spike sources that behave like populations (projections can start from them): a group of
// independent Poisson spike trains and a generator replaying given spike times.
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

 protected:
  void reset_sources(std::uint64_t) override { next_ = 0; }

 private:
  std::vector<std::pair<Tick, std::uint32_t>> spikes_;
  std::size_t next_ = 0;
};

}  // namespace tandem::neurons
