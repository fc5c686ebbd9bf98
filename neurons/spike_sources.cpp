#include "neurons/spike_sources.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace tandem::neurons {

namespace {
double spike_probability(const std::string& name, double rate_hz, const TimeBase& time) {
  const double p = rate_hz * time.dt_ms() * 1e-3;
  if (!std::isfinite(rate_hz) || rate_hz < 0.0 || p > 1.0) {
    throw InputError("poisson_group '" + name + "': rate_hz = " + format_number(rate_hz) +
                     " must be >= 0 and at most 1/dt");
  }
  return p;
}
}  // namespace

PoissonGroup::PoissonGroup(std::string name, std::size_t size, double rate_hz, const TimeBase& time)
    : SourceBase(name, size), fires_(spike_probability(name, rate_hz, time)) {}

void PoissonGroup::step(Tick, bool, std::vector<std::uint32_t>& spikes, OpCounts& executed) {
  const std::size_t before = spikes.size();
  for (std::size_t i = 0; i < size(); ++i) {
    if (fires_.sample(random_)) spikes.push_back(static_cast<std::uint32_t>(i));
  }
  executed.add(Op::spike, spikes.size() - before);
}

SpikeGenerator::SpikeGenerator(std::string name, std::size_t size, std::vector<std::pair<Tick, std::uint32_t>> spikes)
    : SourceBase(std::move(name), size), spikes_(std::move(spikes)) {
  for (const auto& [tick, unit] : spikes_) {
    if (tick < 0 || unit >= size) {
      throw InputError("spike_generator '" + this->name() + "': spike (tick " + std::to_string(tick) + ", unit " +
                       std::to_string(unit) + ") is outside [0, inf) x [0, " + std::to_string(size) + ")");
    }
  }
  std::sort(spikes_.begin(), spikes_.end());
  spikes_.erase(std::unique(spikes_.begin(), spikes_.end()), spikes_.end());
}

void SpikeGenerator::step(Tick tick, bool, std::vector<std::uint32_t>& spikes, OpCounts& executed) {
  while (next_ < spikes_.size() && spikes_[next_].first < tick) ++next_;  // runs may start late
  const std::size_t before = spikes.size();
  while (next_ < spikes_.size() && spikes_[next_].first == tick) spikes.push_back(spikes_[next_++].second);
  executed.add(Op::spike, spikes.size() - before);
}

void ValueTable::set_values(std::vector<float> rows) {
  if (size() == 0 ? !rows.empty() : rows.size() % size() != 0) {
    throw InputError("input '" + name() + "': " + std::to_string(rows.size()) + " values are not whole rows of " +
                     std::to_string(size()));
  }
  values_ = std::move(rows);
}

void ValueTable::graded_events(Tick tick, std::vector<std::uint32_t>& indices, std::vector<float>& values) const {
  indices.clear();
  values.clear();
  if (tick < 0 || static_cast<std::size_t>(tick) >= rows()) return;
  const float* row = values_.data() + static_cast<std::size_t>(tick) * size();
  for (std::size_t i = 0; i < size(); ++i) {
    if (row[i] != 0.0F) {
      indices.push_back(static_cast<std::uint32_t>(i));
      values.push_back(row[i]);
    }
  }
}

}  // namespace tandem::neurons
