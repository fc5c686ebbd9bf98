// The event engine's use of several threads (docs/threads.md): each population is split into
// contiguous blocks of neurons; Poisson draws, neuron updates and synaptic delivery run block by
// block, every block's values computed by the same operations in the same order as with one
// thread, so spikes, state and counters do not depend on the thread count.
#include <algorithm>

#include "neurons/event_engine.hpp"
#include "neurons/event_engine_parts.hpp"

namespace tandem::neurons {

namespace {

// A sparse Poisson input draws its events chunk by chunk, each chunk from its own stream, by
// geometric gaps; a chunk is the unit a thread takes. 4096 neurons: seeding a stream per chunk
// and tick stays negligible next to the draws even for inputs of a few events per tick.
constexpr std::size_t poisson_chunk = 4096;

// Below this many draws per block (neurons × ticks), a dense Poisson input is drawn by one thread.
constexpr std::size_t poisson_min_block = 2048;

}  // namespace

void EventEngine::use_workers(WorkerPool* workers) {
  workers_ = workers != nullptr && workers->threads() > 1 ? workers : nullptr;
  for (auto& entry : populations_) entry->population->use_workers(workers_);
  const std::size_t threads = workers_ == nullptr ? 1 : workers_->threads();
  // deliver_held counts per projection; deliver per outgoing projection of one source (fewer).
  part_stride_ = (std::max<std::size_t>(projections_.size(), 1) + 7) / 8 * 8;  // 8 counts = one 64-byte line
  part_delivered_.assign(threads * part_stride_, 0);
  // The parts follow the population blocks, which depend on the thread count and the pool's grain.
  const std::size_t parts_key = workers_ == nullptr ? 1 : threads * 2 + (workers_->min_block(2) == 1 ? 1 : 0);
  if (parts_key_ == parts_key) return;
  parts_key_ = parts_key;
  for (auto& entry : projections_) {
    Projection& whole = *entry->built;
    // The blocks of the neurons this process steps (several processes: of its own block).
    const PopulationBase& target = *populations_[entry->target]->population;
    std::vector<std::uint32_t> bounds;
    if (threads > 1) {
      for (const std::size_t bound : population_blocks(target.owned_end() - target.owned_begin(), *workers_)) {
        bounds.push_back(static_cast<std::uint32_t>(target.owned_begin() + bound));
      }
    }
    whole.group_by_target_blocks(bounds);
  }
  // A target's rows are written by one thread per block only if every projection onto it is split,
  // and one thread per row only if every projection onto it has a single delay.
  std::vector<std::uint8_t> all_split(populations_.size(), 1);
  std::vector<std::uint8_t> all_single_delay(populations_.size(), 1);
  for (const auto& entry : projections_) {
    if (entry->built->part_count() == 0) all_split[entry->target] = 0;
    if (entry->built->min_delay_ticks() != entry->built->max_delay_ticks()) all_single_delay[entry->target] = 0;
  }
  for (auto& entry : projections_) {
    entry->deliver_by_parts = all_split[entry->target] != 0;
    entry->deliver_by_rows = all_single_delay[entry->target] != 0;
  }
}

std::uint64_t EventEngine::synapses_to_deliver(const ProjectionEntry& entry, const std::vector<std::uint32_t>& spikes) const {
  const Projection& projection = *entry.built;
  if (mode_ != ExecutionMode::event) return projection.synapse_count();
  // A convolution's reach would cost a walk of its kernel per spike: its bound (every tap) is
  // enough to decide whether a parallel pass pays.
  if (projection.is_convolution()) return spikes.size() * projection.longest_reach();
  std::uint64_t synapses = 0;
  for (const std::uint32_t s : spikes) synapses += projection.row_length(s);
  return synapses;
}

bool EventEngine::split_all_outgoing(const PopulationEntry& source) const {
  if (workers_ == nullptr) return false;
  std::uint64_t synapses = 0;
  for (const std::size_t projection_index : source.outgoing) {
    const ProjectionEntry& entry = *projections_[projection_index];
    if (entry.built->part_count() == 0) return false;
    synapses += synapses_to_deliver(entry, source.spikes);
  }
  return synapses >= workers_->min_block(parallel_delivery_synapses);
}

void EventEngine::draw_poisson_inputs(Tick begin, Tick end) {
  for (PoissonInputEntry& input : poisson_inputs_) {
    const std::uint64_t events = draw_poisson_input(input, begin, end);
    counters_[input.target].executed.add(Op::input_event, events);
    counters_[input.target].always_on.add(Op::input_event, events);
  }
}

std::uint64_t EventEngine::draw_poisson_input(PoissonInputEntry& input, Tick begin_tick, Tick end_tick) {
  PopulationBase& pop = *populations_[input.target]->population;
  const PoissonSampler& sampler = input.sampler;
  const float weight = input.weight;
  const auto ticks = static_cast<std::size_t>(end_tick - begin_tick);
  // The neurons this process steps (several processes: its block, docs/mpi.md).
  const std::size_t owned_begin = pop.owned_begin();
  const std::size_t owned_end = pop.owned_end();
  if (owned_begin == owned_end) return 0;  // a process owning none of the population (docs/mpi.md)
  // A thread takes a block of neurons through every tick: each (tick, neuron) count comes from the
  // same key whoever draws it, and each row receives its counts in neuron order.
  if (sampler.sparse()) {
    // Whole chunks, from the one holding the block's first neuron: a chunk is drawn whole
    // whoever draws it, and only the block's events are kept.
    const std::size_t first_chunk = owned_begin / poisson_chunk * poisson_chunk;
    const std::size_t population_size = pop.size();
    return sum_over_blocks(workers_, owned_end - first_chunk, poisson_chunk, poisson_chunk, [&](std::size_t begin, std::size_t end) {
      // Drawn first, then added: the rows' lines of scattered units are all requested before
      // the first add waits for one.
      thread_local std::vector<std::pair<std::uint32_t, std::uint32_t>> drawn;
      std::uint64_t events = 0;
      for (Tick tick = begin_tick; tick < end_tick; ++tick) {
        float* row = pop.input_row(input.receptor, tick);
        const std::uint64_t tick_key = keyed_bits(input.key, static_cast<std::uint64_t>(tick));
        for (std::size_t chunk = first_chunk + begin; chunk < first_chunk + end; chunk += poisson_chunk) {
          RandomStream random(keyed_bits(tick_key, chunk / poisson_chunk));
          drawn.clear();
          sampler.for_each_event(random, std::min(poisson_chunk, population_size - chunk), [&](std::size_t i, std::uint32_t count) {
            if (chunk + i < owned_begin || chunk + i >= owned_end) return;
            drawn.emplace_back(static_cast<std::uint32_t>(chunk + i), count);
            __builtin_prefetch(row + chunk + i, 1);
          });
          for (const auto& [i, count] : drawn) {
            row[i] += static_cast<float>(count) * weight;
            pop.note_input(tick, i);
            events += count;
          }
        }
      }
      return events;
    });
  }
  // Blocks worth a worker over all the ticks together.
  const std::size_t min_block = (poisson_min_block + ticks - 1) / std::max<std::size_t>(ticks, 1);
  return sum_over_blocks(workers_, owned_end - owned_begin, min_block, population_block_align, [&](std::size_t begin, std::size_t end) {
    std::uint64_t events = 0;
    for (Tick tick = begin_tick; tick < end_tick; ++tick) {
      float* row = pop.input_row(input.receptor, tick);
      const std::uint64_t tick_key = keyed_bits(input.key, static_cast<std::uint64_t>(tick));
      for (std::size_t i = owned_begin + begin; i < owned_begin + end; ++i) {
        const std::uint64_t bits = keyed_bits(tick_key, i);
        // Means beyond the table: a stream of its own per neuron and tick (rare: mean > 30).
        const std::uint32_t count = sampler.tabulated() ? sampler.sample_table(bits)
                                                        : static_cast<std::uint32_t>(RandomStream(bits).poisson(sampler.mean()));
        if (count == 0) continue;
        row[i] += static_cast<float>(count) * weight;
        pop.note_input(tick, static_cast<std::uint32_t>(i));
        events += count;
      }
    }
    return events;
  });
}

}  // namespace tandem::neurons
