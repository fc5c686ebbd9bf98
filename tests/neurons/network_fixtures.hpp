// Helpers for the neurons tests: running an EventEngine directly (no Simulation) and
// collecting its spikes, and a per-model input weight that makes a model fire.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <vector>

#include "neurons/event_engine.hpp"
#include "neurons/model_list.hpp"

namespace tandem::neurons::testing {

struct RunResult {
  SpikeBatch spikes;                       // every output port's spikes, port order per tick
  std::vector<std::vector<float>> state;   // every variable of every population at the end
  std::vector<NodeCounters> counters;
};

// Resets the engine with (seed, mode, workers: nullptr = one thread) and advances `ticks` in
// epochs of `epoch_ticks`.
inline RunResult run_engine(EventEngine& engine, Tick ticks, std::uint64_t seed, ExecutionMode mode,
                            Tick epoch_ticks = 7, const std::vector<std::pair<std::size_t, SpikeBatch>>& input = {},
                            WorkerPool* workers = nullptr) {
  engine.reset(RunContext{engine.time(), seed, mode, workers});
  RunResult result;
  for (Tick begin = 0; begin < ticks; begin += epoch_ticks) {
    const Epoch epoch{begin, std::min(ticks, begin + epoch_ticks)};
    Mailbox inbox(engine.ports().size());
    Mailbox outbox(engine.ports().size());
    for (const auto& [port, batch] : input) {
      for (std::size_t i = 0; i < batch.size(); ++i) {
        if (epoch.contains(batch.tick[i])) inbox.port(port).spikes.push(batch.tick[i], batch.index[i]);
      }
    }
    engine.advance(epoch, inbox, outbox);
    for (std::size_t p = 0; p < outbox.port_count(); ++p) {
      const auto& out = outbox.port(p).spikes;
      for (std::size_t i = 0; i < out.size(); ++i) result.spikes.push(out.tick[i], out.index[i] + static_cast<std::uint32_t>(p << 24));
    }
  }
  // Epoch boundaries must not matter: order spikes by (tick, port, unit).
  std::vector<std::pair<Tick, std::uint32_t>> order;
  for (std::size_t i = 0; i < result.spikes.size(); ++i) order.emplace_back(result.spikes.tick[i], result.spikes.index[i]);
  std::sort(order.begin(), order.end());
  result.spikes.clear();
  for (const auto& [tick, index] : order) result.spikes.push(tick, index);
  for (const auto& port : engine.ports()) {
    if (port.direction != PortDirection::out) continue;
    const auto& pop = engine.population(port.node);
    for (std::size_t v = 0; v < pop.variables().size(); ++v) {
      const auto values = pop.values(v);
      result.state.emplace_back(values.begin(), values.end());
    }
  }
  const auto counters = engine.counters();
  result.counters.assign(counters.begin(), counters.end());
  return result;
}

// The counters of node `name` of a run (fails the test when there is none).
inline const NodeCounters& node(const RunResult& run, const std::string& name) {
  for (const auto& counters : run.counters) {
    if (counters.node == name) return counters;
  }
  FAIL("no node " << name);
  throw;
}

inline bool bit_identical(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

// The model's resting v with default parameters (initial values are spread around it).
template <typename Model>
double resting_v() {
  if constexpr (std::is_same_v<Model, LifCuba>) return -65.0;
  if constexpr (std::is_same_v<Model, LifCoba>) return -55.0;
  if constexpr (std::is_same_v<Model, Izhikevich>) return -70.0;
  return 0.0;
}

// A weight on the model's first receptor large enough that a few coincident inputs fire it.
template <typename Model>
float drive_weight() {
  if constexpr (std::is_same_v<Model, Lif>) return 6.0F;
  if constexpr (std::is_same_v<Model, LifCuba>) return 30.0F;
  if constexpr (std::is_same_v<Model, LifCoba>) return 0.6F;
  if constexpr (std::is_same_v<Model, Izhikevich>) return 6.0F;
  return 0.4F;  // threshold-1 models (if, cuba_lif, alif) and li
}

}  // namespace tandem::neurons::testing
