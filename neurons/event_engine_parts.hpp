// Internal to the event engine (event_engine*.cpp): the bookkeeping behind each population,
// projection, input, port and probe. Not part of the public API.
#pragma once

#include "neurons/event_engine.hpp"

namespace tandem::neurons {

// Below this many synapses to add in a tick, a source's projections are delivered by the calling
// thread: waking the workers (~1 µs) would cost more than the adds it spares (~2 ns each).
inline constexpr std::uint64_t parallel_delivery_synapses = 8192;

struct EventEngine::PopulationEntry {
  std::unique_ptr<PopulationBase> population;
  std::size_t out_port = 0;
  std::vector<std::uint32_t> spikes;  // this tick's (a graded population: its events)
  std::vector<float> payloads;        // a graded population: this tick's values, parallel to spikes
  std::vector<std::uint8_t> fired;    // always-on: 0/1 per neuron for this tick
  std::vector<float> payload_of;      // always-on, graded: this tick's value per neuron
  double fixed_scale = 0.0;           // integer precisions: a given scale; 0 = from the weights
  std::vector<std::size_t> outgoing;  // projection indices
  std::uint64_t ticks_spikes = 0;
  // Several processes: each steps a block of this population (a model population), or every
  // process runs it whole (a spike source: the same spikes everywhere, counted once).
  bool split = false;
};

struct EventEngine::ProjectionEntry {
  ProjectionSpec spec;
  std::size_t source = 0;
  std::size_t target = 0;
  std::size_t receptor = 0;
  // With several threads, its rows are grouped by the target population's blocks
  // (Projection::group_by_target_blocks): part k, the synapses onto block k, is thread k's share,
  // so each thread adds to its own targets only and every target receives its terms in the order
  // the whole projection gives them. built->part_count() == 0: delivered whole.
  std::unique_ptr<Projection> built;
  // Whether deliver_held uses the parts: every projection onto the target has them (a target that
  // also receives one delivered whole — a convolution — is written by one thread alone).
  bool deliver_by_parts = false;
  // Whether deliver_held may instead give each of the target's rows to one thread: every projection
  // onto the target has a single delay, so that a row receives from one source tick per projection.
  bool deliver_by_rows = false;
  // rows[t·(max delay + 1) + d]: the target's input row at tick t + d of the sub-epoch being
  // delivered (deliver: t = 0, refreshed each tick).
  std::vector<float*> rows;
};

struct EventEngine::PoissonInputEntry {
  std::string name;
  std::size_t target = 0;
  std::size_t receptor = 0;
  float weight = 0.0F;
  float given_weight = 0.0F;  // as specified; `weight` is its integer in an integer precision
  PoissonSampler sampler;
  // Draws are counter-based (core/random.hpp keyed_bits), so any split of the target over threads
  // draws the same counts: tick t's key is keyed_bits(key, t); neuron i's count comes from
  // keyed_bits(tick key, i) (a dense input), or the counts of the 4096-neuron chunk c from a
  // RandomStream seeded with keyed_bits(tick key, c) (a sparse input, geometric gaps).
  std::uint64_t key = 0;
};

struct EventEngine::CurrentEntry {
  std::string name;
  std::size_t target = 0;
  std::size_t receptor = 0;
  std::vector<std::uint32_t> units;
  std::vector<Tick> start;
  std::vector<float> amplitudes;
};

struct EventEngine::InputPort {
  std::size_t port = 0;
  std::size_t target = 0;
  std::size_t receptor = 0;
  bool dense = false;
  float weight = 0.0F;
  float given_weight = 0.0F;  // as specified; `weight` is its integer in an integer precision
  std::vector<float> held;  // dense: the frame in force
  std::vector<std::uint32_t> held_nonzero;  // dense: units where it is not 0
  bool holding = false;
};

struct EventEngine::ProbeEntry {
  std::size_t target = 0;
  bool spikes = false;
  std::size_t variable = 0;
  std::vector<std::uint32_t> units;  // empty: all
  std::vector<std::uint8_t> mask;    // spikes of a subset
  Tick every = 1;
  StreamId tick_stream = 0, index_stream = 0, state_stream = 0;
  std::vector<std::int64_t> ticks;
  std::vector<std::uint32_t> indices;
  std::vector<float> samples;
};

}  // namespace tandem::neurons
