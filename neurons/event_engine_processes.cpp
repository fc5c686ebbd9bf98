// The event engine over several processes (docs/mpi.md): each process steps a block of every
// model population (equal blocks, or its chip's neurons: ProcessGroup::block_of) and stores only
// the synapses onto its blocks; spikes are exchanged once per sub-epoch no longer than the
// shortest delay, then every spike is delivered in the order one process delivers it, so spikes,
// state and counters do not depend on the process count.
#include <algorithm>
#include <bit>
#include <limits>

#include "core/error.hpp"
#include "neurons/event_engine.hpp"
#include "neurons/event_engine_parts.hpp"

namespace tandem::neurons {

namespace {

// Counts of one node packed for a reduction: executed, then always-on.
constexpr std::size_t packed_counts = 2 * op_kind_count;

}  // namespace

bool EventEngine::use_processes(ProcessGroup* processes) {
  processes_ = processes != nullptr && processes->size() > 1 ? processes : nullptr;
  const std::size_t ranks = processes_ == nullptr ? 1 : processes_->size();
  bool changed = built_for_ranks_ != ranks;
  built_for_ranks_ = ranks;
  std::size_t split_neurons = 0;
  for (auto& entry : populations_) {
    PopulationBase& pop = *entry->population;
    entry->split = processes_ != nullptr && pop.can_own_block();
    // Equal blocks, or the blocks the program chose (a process per chip): a block that moved
    // needs the synapses onto it built again, even for the same number of processes.
    const OwnedBlock block = entry->split ? processes_->block_of(pop.name(), pop.size()) : OwnedBlock{0, pop.size()};
    if (block.begin != pop.owned_begin() || block.end != pop.owned_end()) changed = true;
    pop.own_block(block.begin, block.end);
    if (entry->split) split_neurons += pop.size();
  }
  if (processes_ == nullptr) return changed;
  // What cannot be split yet is refused by name, the same way on every process (docs/mpi.md).
  const std::string why = " with several processes (mpirun -np " + std::to_string(ranks) + "; docs/mpi.md)";
  for (const auto& entry : populations_) {
    const PopulationBase& pop = *entry->population;
    if (pop.graded()) throw InputError("population '" + pop.name() + "' sends graded values, which are not supported" + why);
    if (pop.precision() != Precision::float32) {
      throw InputError("population '" + pop.name() + "' runs in " + std::string(to_string(pop.precision())) +
                       " precision, whose weight scale comes from all its synapses: only float32 is supported" + why);
    }
  }
  for (const auto& entry : projections_) {
    if (entry->spec.same_tick) {
      throw InputError("projection '" + entry->spec.name + "' is same-tick (delay 0): processes exchange spikes once per "
                       "sub-epoch of at least one tick, so it is not supported" + why);
    }
    if (entry->spec.rule == Rule::convolution) {
      throw InputError("projection '" + entry->spec.name + "' is a convolution, which is not supported" + why);
    }
  }
  if (split_neurons < ranks) {
    throw InputError("the network has " + std::to_string(split_neurons) + " neurons to share among " +
                     std::to_string(ranks) + " processes: give at most as many processes as neurons");
  }
  return changed;
}

void EventEngine::reduce_node_descriptions() {
  if (processes_ == nullptr) {
    reduced_counters_.clear();
    return;
  }
  // Synapses are summed over the processes; fan-in is per target, so its maximum is the whole's.
  const std::size_t population_nodes = populations_.size();
  std::vector<std::uint64_t> synapses(projections_.size());
  std::vector<std::uint64_t> fan_in(counters_.size());
  for (std::size_t k = 0; k < projections_.size(); ++k) synapses[k] = projections_[k]->built->synapse_count();
  for (std::size_t n = 0; n < counters_.size(); ++n) fan_in[n] = counters_[n].fan_in;
  processes_->sum(synapses);
  processes_->max(fan_in);
  reduced_counters_ = counters_;
  for (std::size_t n = 0; n < counters_.size(); ++n) reduced_counters_[n].fan_in = static_cast<std::size_t>(fan_in[n]);
  for (std::size_t k = 0; k < projections_.size(); ++k) {
    const Projection& projection = *projections_[k]->built;
    NodeCounters& node = reduced_counters_[population_nodes + k];
    node.units = static_cast<std::size_t>(synapses[k]);
    // As Projection::memory_bytes() of the whole: its synapses and one row start per source.
    node.synapse_memory_bytes = node.units * projection.bytes_per_synapse() + (projection.source_size() + 1) * sizeof(std::uint64_t);
  }
}

void EventEngine::reduce_counts() {
  // A node that every process runs whole (a spike source, or a projection onto one) counted the
  // same on each: rank 0's counts alone go into the sum.
  const std::size_t population_nodes = populations_.size();
  const auto replicated = [&](std::size_t n) {
    const std::size_t p = n < population_nodes ? n : projections_[n - population_nodes]->target;
    return !populations_[p]->split;
  };
  std::vector<std::uint64_t> packed(counters_.size() * packed_counts + 1, 0);
  for (std::size_t n = 0; n < counters_.size(); ++n) {
    if (replicated(n) && processes_->rank() != 0) continue;
    std::copy(counters_[n].executed.value.begin(), counters_[n].executed.value.end(), packed.begin() + static_cast<std::ptrdiff_t>(n * packed_counts));
    std::copy(counters_[n].always_on.value.begin(), counters_[n].always_on.value.end(),
              packed.begin() + static_cast<std::ptrdiff_t>(n * packed_counts + op_kind_count));
  }
  packed.back() = delivered_events_;
  processes_->sum(packed);
  for (std::size_t n = 0; n < counters_.size(); ++n) {
    const auto at = packed.begin() + static_cast<std::ptrdiff_t>(n * packed_counts);
    std::copy(at, at + op_kind_count, reduced_counters_[n].executed.value.begin());
    std::copy(at + op_kind_count, at + packed_counts, reduced_counters_[n].always_on.value.begin());
  }
  total_delivered_events_ = packed.back();
}

void EventEngine::exchange_spikes(std::size_t ticks) {
  const std::size_t population_count = populations_.size();
  // This process's message: the spike count of every (tick, split population), then the spikes.
  exchange_out_.clear();
  for (std::size_t t = 0; t < ticks; ++t) {
    for (std::size_t p = 0; p < population_count; ++p) {
      if (populations_[p]->split) exchange_out_.push_back(static_cast<std::uint32_t>(held_spikes_[t * population_count + p].size()));
    }
  }
  const std::size_t header = exchange_out_.size();
  for (std::size_t t = 0; t < ticks; ++t) {
    for (std::size_t p = 0; p < population_count; ++p) {
      const auto& spikes = held_spikes_[t * population_count + p];
      if (populations_[p]->split) exchange_out_.insert(exchange_out_.end(), spikes.begin(), spikes.end());
    }
  }
  processes_->all_gather(exchange_out_, exchange_in_, exchange_counts_);
  // Blocks are in rank order, so the processes' ascending lists, appended in rank order, make the
  // population's ascending list.
  for (std::size_t t = 0; t < ticks; ++t) {
    for (std::size_t p = 0; p < population_count; ++p) {
      if (populations_[p]->split) held_spikes_[t * population_count + p].clear();
    }
  }
  std::size_t message = 0;
  for (const std::size_t length : exchange_counts_) {
    const std::uint32_t* count = exchange_in_.data() + message;
    const std::uint32_t* spike = count + header;
    for (std::size_t t = 0; t < ticks; ++t) {
      for (std::size_t p = 0; p < population_count; ++p) {
        if (!populations_[p]->split) continue;
        auto& spikes = held_spikes_[t * population_count + p];
        spikes.insert(spikes.end(), spike, spike + *count);
        spike += *count++;
      }
    }
    message += length;
  }
}

void EventEngine::gather_state_samples(ProbeEntry& probe) {
  const PopulationBase& pop = *populations_[probe.target]->population;
  const std::size_t columns = probe.units.empty() ? pop.size() : probe.units.size();
  std::vector<std::uint32_t> bits(probe.samples.size(), 0);
  for (std::size_t k = 0; k < probe.samples.size(); ++k) {
    const std::size_t unit = probe.units.empty() ? k % columns : probe.units[k % columns];
    if (unit >= pop.owned_begin() && unit < pop.owned_end()) bits[k] = std::bit_cast<std::uint32_t>(probe.samples[k]);
  }
  processes_->or_to_first(bits);
  for (std::size_t k = 0; k < bits.size(); ++k) probe.samples[k] = std::bit_cast<float>(bits[k]);
}

}  // namespace tandem::neurons
