// Projections: synapses from one population to another, stored per source as CSR fan-out rows
// (target index uint32 + weight float, or one weight for the whole projection; delay in ticks
// uint8 per synapse, or one delay for the whole projection), built by seeded connectivity rules —
// or, for a convolution (Rule::convolution: conv and pooling layers of NIR graphs), as the shared
// kernel alone: a spike computes its targets from the kernel geometry on delivery.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/convolution_shape.hpp"
#include "core/random.hpp"
#include "core/time.hpp"
#include "neurons/quantisation.hpp"

namespace tandem::neurons {

enum class Rule { all_to_all, one_to_one, fixed_probability, fixed_in_degree, explicit_list, convolution };

struct ExplicitSynapse {
  std::uint32_t source = 0;
  std::uint32_t target = 0;
  float weight = 0.0F;
  double delay_ms = 0.0;
};

// What to build. Weight: `weight` for every synapse, unless `weights` (CSR order after the build:
// sources ascending, then targets in generation order) or explicit synapses give one each.
// Delay: `delay_ms` for all, or uniform per synapse in [delay_ms, delay_max_ms] whole ticks when
// delay_max_ms > delay_ms. Delays >= 1 tick, except a `same_tick` projection (delay 0).
struct ProjectionSpec {
  std::string name;
  std::string source;    // population
  std::string target;    // population
  std::string receptor;  // target variable: "g_exc", "i_syn", "v" …
  Rule rule = Rule::all_to_all;
  double probability = 0.0;       // fixed_probability
  std::size_t in_degree = 0;      // fixed_in_degree (sources drawn with replacement: multapses allowed)
  bool allow_autapses = false;    // when source == target: may a neuron connect to itself?
  float weight = 0.0F;
  std::vector<float> weights;
  double delay_ms = 0.0;  // 0 → one tick
  double delay_max_ms = 0.0;
  // Delivered in the tick the source spikes (delay 0), as NIR graphs pass values along a
  // feed-forward path within one time step. The target must be stepped after the source (added
  // to the engine later); delay_ms, delay_max_ms and explicit synapses' delays must be 0.
  bool same_tick = false;
  std::vector<ExplicitSynapse> synapses;  // explicit_list
  // convolution: source population = C×H×W, target = O×H'×W' (flattened row-major, as
  // core/convolution_shape.hpp defines them); `kernel` is [O, C/groups, kh, kw] row-major (NIR's
  // Conv2d weight; Conv1d: kh = 1). The kernel is all that is stored (memory: O·C/groups·kh·kw
  // weights); a spike on input j visits the outputs its taps reach (for_each_reach), kernel taps
  // ascending, output channels inside. Every (input, output) pair a tap joins counts as one synapse.
  // One delay for all. A bias is not part of a projection.
  ConvolutionShape convolution;
  std::vector<float> kernel;
};

// A convolutional projection (Rule::convolution) from NIR-style arrays; `kernel_row_major` as above.
// Shapes are checked when the projection is built (InputError naming it).
ProjectionSpec make_convolution_projection(std::string name, std::string source, std::string target,
                                           std::string receptor, const ConvolutionShape& shape,
                                           std::vector<float> kernel_row_major, double delay_ms = 0.0);
// Sum or average pooling (shape from pooling_shape()): a convolution whose every tap weighs
// pool_tap_weight(shape, kind) — 1 for sum, 1/(kh·kw) for average.
ProjectionSpec make_pooling_projection(std::string name, std::string source, std::string target, std::string receptor,
                                       const ConvolutionShape& shape, PoolKind kind, double delay_ms = 0.0);

// The targets whose synapses are stored: one process's block of the target population
// (docs/mpi.md), or all of them (the default).
struct TargetBlock {
  std::size_t begin = 0;
  std::size_t end = std::numeric_limits<std::size_t>::max();
  [[nodiscard]] bool whole() const { return begin == 0 && end == std::numeric_limits<std::size_t>::max(); }
};

class Projection {
 public:
  // Builds the synapses; InputError naming the projection for bad specs. With a block, only the
  // synapses onto it are stored — the same synapses, weights, delays and CSR order as the whole
  // projection's onto those targets (every random number is still drawn), so memory shrinks with
  // the block and deliveries add the same terms in the same order.
  Projection(const ProjectionSpec& spec, std::size_t source_size, std::size_t target_size, bool same_population,
             std::size_t receptor, const TimeBase& time, std::uint64_t seed, TargetBlock block = {});

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] std::size_t receptor() const { return receptor_; }
  [[nodiscard]] std::size_t source_size() const { return sources_; }
  [[nodiscard]] std::size_t synapse_count() const { return convolution_ ? convolution_synapses_ : target_index_.size(); }
  [[nodiscard]] bool is_convolution() const { return convolution_.has_value(); }
  // A convolution's target units per output channel (its plane): the units sharing one kernel slice.
  [[nodiscard]] std::size_t kernel_block_units() const {
    return convolution_ ? convolution_->out_height() * convolution_->out_width() : 0;
  }
  [[nodiscard]] std::size_t row_length(std::uint32_t source) const;
  // A convolution: the most outputs one input reaches (every tap of its kernel slice, every
  // output channel of its group); other projections: 0.
  [[nodiscard]] std::size_t longest_reach() const {
    return convolution_ ? convolution_->kernel_height * convolution_->kernel_width * convolution_->out_per_group() : 0;
  }
  // Bytes read per synaptic event: the target index, the weight and the delay where stored per
  // synapse; a convolution reads one kernel weight (its targets are computed).
  [[nodiscard]] std::size_t bytes_per_synapse() const {
    if (convolution_) return sizeof(float);
    return sizeof(std::uint32_t) + (weight_.empty() ? 0 : sizeof(float)) + (delay_.empty() ? 0 : sizeof(std::uint8_t));
  }
  [[nodiscard]] std::size_t memory_bytes() const {
    if (convolution_) return weight_.size() * sizeof(float);  // the kernel
    return synapse_count() * bytes_per_synapse() + row_start_.size() * sizeof(std::uint64_t) +
           part_split_.size() * sizeof(std::uint32_t);
  }
  [[nodiscard]] Tick max_delay_ticks() const { return max_delay_; }
  // The shortest delay of the whole projection (every synapse, whatever the block stores).
  [[nodiscard]] Tick min_delay_ticks() const { return min_delay_; }
  // Number of synapses onto each target neuron (size target_size).
  [[nodiscard]] std::vector<std::uint32_t> in_degrees(std::size_t target_size) const;

  // Threads (docs/threads.md): deliver and scan_all take a part — kWhole, or k < part_count() for
  // the synapses onto target block k alone (group_by_target_blocks).
  static constexpr std::size_t kWhole = std::numeric_limits<std::size_t>::max();

  // Adds the weights of every synapse of each source in `spiking` (ascending) to the input row
  // of its target at tick + delay. `row_for(delay)` gives that row's base pointer;
  // `note(delay, first, last)` is told the targets written in that row (the target
  // population's active set), a whole CSR row at once where the delay is uniform.
  // Graded events (docs/neurons.md#graded-outputs): `payloads` (nullptr for spikes) holds one value
  // per entry of `spiking`, and each synapse adds weight × value. Returns the synapses delivered
  // along (Σ row_length over `spiking`, counted as they are visited).
  template <typename RowFor, typename Note>
  std::uint64_t deliver(const std::vector<std::uint32_t>& spiking, const float* payloads, RowFor&& row_for,
                        Note&& note, std::size_t part = kWhole) const;
  // Always-on: reads every synapse; adds exactly what deliver() adds, in the same order
  // (`fired` is a 0/1 flag per source; `payload_of`, nullptr for spikes, a value per source).
  // Returns a checksum of the reads so they are not elided.
  template <typename RowFor, typename Note>
  std::uint64_t scan_all(const std::vector<std::uint8_t>& fired, const float* payload_of, RowFor&& row_for,
                         Note&& note, std::size_t part = kWhole) const;

  // Threads: reorders each source's row so that its synapses onto target block k — targets
  // [bounds[k], bounds[k + 1]), bounds ascending, covering every stored target — come before those
  // onto block k + 1, keeping their order within a block, and notes where each block's synapses
  // begin. Part k is then one slice of every row, read in place: threads deliver parts without a
  // copy of the synapses. Synapses onto one target keep their order (they share a block), so every
  // target still receives its terms in the same order. A convolution stores no rows: its part k
  // visits the outputs in block k alone (an input reaches each output through one tap, so again
  // each target's terms keep their order). One bound pair: not split.
  void group_by_target_blocks(const std::vector<std::uint32_t>& bounds);
  [[nodiscard]] std::size_t part_count() const { return parts_; }
  // Synapses of `part` from `source`.
  [[nodiscard]] std::size_t part_row_length(std::uint32_t source, std::size_t part) const {
    const auto [begin, end] = row_range(source, part);
    return static_cast<std::size_t>(end - begin);
  }

  // Integer precisions (neurons/quantisation.hpp): the largest |weight|, and every weight replaced
  // by its integer (round(w·scale) within ±limit), the error of each added to `stats`.
  [[nodiscard]] float largest_weight() const;
  void quantise_weights(double scale, std::int32_t limit, WeightQuantisation& stats);

  // Synapses in CSR order, for tests and export (not for convolutions, which store no synapses).
  [[nodiscard]] std::uint32_t target_of(std::size_t synapse) const { return target_index_[synapse]; }
  [[nodiscard]] float weight_of(std::size_t synapse) const { return weight_.empty() ? uniform_weight_ : weight_[synapse]; }
  [[nodiscard]] Tick delay_of(std::size_t synapse) const { return delay_.empty() ? max_delay_ : delay_[synapse]; }
  [[nodiscard]] std::uint64_t row_begin(std::uint32_t source) const { return row_start_[source]; }

 private:
  // The synapses [first, second) of `source`'s row in `part` (kWhole: the whole row).
  [[nodiscard]] std::pair<std::uint64_t, std::uint64_t> row_range(std::uint32_t source, std::size_t part) const {
    const std::uint64_t begin = row_start_[source];
    const std::uint64_t end = row_start_[source + 1];
    if (part == kWhole) return {begin, end};
    const std::uint32_t* split = part_split_.data() + source * (parts_ - 1);
    return {part == 0 ? begin : begin + split[part - 1], part + 1 == parts_ ? end : begin + split[part]};
  }
  // Requests the lines deliver_row reads for `source`'s row: its bounds, then its synapses — every
  // line of a row of up to prefetched_synapses (a row is a few KB at random places: left to the
  // hardware prefetcher, each costs a memory latency or more before it streams, and a thread
  // delivering part of every row pays it once per part).
  static constexpr std::uint64_t prefetched_synapses = 1024;
  // One cache line requested. An asm statement, not __builtin_prefetch: GCC treats a loop of
  // builtin prefetches as free of effects and may delete it (seen in deliver_held's inlined loop).
  static void prefetch_line(const void* address) {
#if defined(__x86_64__) || defined(__i386__)
    asm volatile("prefetcht0 %0" : : "m"(*static_cast<const char*>(address)));
#else
    __builtin_prefetch(address);
#endif
  }
  void prefetch_row_bounds(std::uint32_t source) const {
    __builtin_prefetch(row_start_.data() + source);
    __builtin_prefetch(row_start_.data() + source + 1);
    if (parts_ > 1) __builtin_prefetch(part_split_.data() + source * (parts_ - 1));
  }
  void prefetch_row(std::uint32_t source, std::size_t part) const {
    const auto [begin, end] = row_range(source, part);
    const std::uint64_t last = std::min(end, begin + prefetched_synapses);
    constexpr std::uint64_t per_line = 64 / sizeof(std::uint32_t);
    for (std::uint64_t k = begin; k < last; k += per_line) prefetch_line(target_index_.data() + k);
    if (!weight_.empty()) {
      for (std::uint64_t k = begin; k < last; k += per_line) prefetch_line(weight_.data() + k);
    }
    if (!delay_.empty()) {
      for (std::uint64_t k = begin; k < last; k += 64) prefetch_line(delay_.data() + k);
    }
  }
  // `factor`: 1 for a spike, the value of a graded event (w·1 is w exactly, so spikes add the
  // same bits as before graded events existed).
  // Returns the synapses of the row (of `part`).
  template <typename RowFor, typename Note>
  std::size_t deliver_row(std::uint32_t source, float factor, RowFor& row_for, Note& note, std::size_t part) const;

  std::string name_;
  std::size_t receptor_ = 0;
  std::size_t sources_ = 0;
  std::optional<ConvolutionShape> convolution_;  // set: weight_ is the kernel, no CSR
  std::size_t convolution_synapses_ = 0;         // (input, output) pairs its taps join
  std::vector<std::uint64_t> row_start_;     // per source, index of its first synapse; size N_source + 1
  std::vector<std::uint32_t> target_index_;  // per synapse
  std::vector<float> weight_;                // per synapse, or empty: uniform_weight_
  std::vector<std::uint8_t> delay_;          // per synapse in ticks, or empty: max_delay_ for all
  // Threads: parts_ target blocks (0: not split), bounded by part_bounds_; per source, where parts
  // 1 … parts_ − 1 begin in its row (parts_ − 1 offsets from the row's start; not a convolution).
  std::size_t parts_ = 0;
  std::vector<std::uint32_t> part_bounds_;
  std::vector<std::uint32_t> part_split_;
  float uniform_weight_ = 0.0F;
  Tick max_delay_ = 1;
  Tick min_delay_ = 1;
};

template <typename RowFor, typename Note>
std::size_t Projection::deliver_row(std::uint32_t source, float factor, RowFor& row_for, Note& note, std::size_t part) const {
  if (convolution_) {
    std::size_t synapses = 0;
    const ConvolutionShape& shape = *convolution_;
    const std::size_t plane = shape.out_height() * shape.out_width();
    const std::size_t columns = shape.kernel_columns();
    float* row = row_for(max_delay_);
    // Targets are announced in batches: one call per batch, not per synapse.
    std::array<std::uint32_t, 128> batch;
    std::size_t filled = 0;
    // A part: the output channels whose unit at `position` lies in the part's block.
    const std::size_t low = part == kWhole ? 0 : part_bounds_[part];
    const std::size_t high = part == kWhole ? std::numeric_limits<std::size_t>::max() : part_bounds_[part + 1];
    for_each_reach(shape, source, [&](std::size_t first, std::size_t position, std::size_t column) {
      std::size_t o_begin = first;
      std::size_t o_end = first + shape.out_per_group();
      if (part != kWhole) {
        o_begin = std::max(o_begin, low <= position ? 0 : (low - position + plane - 1) / plane);
        o_end = std::min(o_end, high <= position ? 0 : (high - position + plane - 1) / plane);
      }
      for (std::size_t o = o_begin; o < o_end; ++o) {
        const auto target = static_cast<std::uint32_t>(o * plane + position);
        row[target] += weight_[o * columns + column] * factor;
        batch[filled++] = target;
        if (filled == batch.size()) {
          note(max_delay_, batch.data(), batch.data() + filled);
          filled = 0;
        }
      }
      synapses += o_end > o_begin ? o_end - o_begin : 0;
    });
    note(max_delay_, batch.data(), batch.data() + filled);
    return synapses;
  }
  const auto [begin, end] = row_range(source, part);
  const std::uint32_t* targets = target_index_.data();
  if (delay_.empty()) {
    note(max_delay_, targets + begin, targets + end);
    float* row = row_for(max_delay_);
    if (weight_.empty()) {
      const float w = uniform_weight_ * factor;
      for (std::uint64_t k = begin; k < end; ++k) row[targets[k]] += w;
    } else {
      const float* w = weight_.data();
      for (std::uint64_t k = begin; k < end; ++k) row[targets[k]] += w[k] * factor;
    }
  } else {
    for (std::uint64_t k = begin; k < end; ++k) {
      row_for(delay_[k])[targets[k]] += weight_of(k) * factor;
      note(static_cast<Tick>(delay_[k]), targets + k, targets + k + 1);
    }
  }
  return static_cast<std::size_t>(end - begin);
}

template <typename RowFor, typename Note>
std::uint64_t Projection::deliver(const std::vector<std::uint32_t>& spiking, const float* payloads, RowFor&& row_for,
                                  Note&& note, std::size_t part) const {
  std::uint64_t synapses = 0;
  const std::size_t n = spiking.size();
  for (std::size_t k = 0; k < n; ++k) {
    // The rows of the next spikes are scattered through memory: their bounds are requested two
    // rows ahead and their first synapses one row ahead, while this row streams.
    if (!convolution_) {
      if (k + 2 < n) prefetch_row_bounds(spiking[k + 2]);
      if (k + 1 < n) prefetch_row(spiking[k + 1], part);
    }
    synapses += deliver_row(spiking[k], payloads == nullptr ? 1.0F : payloads[k], row_for, note, part);
  }
  return synapses;
}

template <typename RowFor, typename Note>
std::uint64_t Projection::scan_all(const std::vector<std::uint8_t>& fired, const float* payload_of, RowFor&& row_for,
                                   Note&& note, std::size_t part) const {
  std::uint64_t checksum = 0;
  for (std::uint32_t source = 0; source < sources_; ++source) {
    if (fired[source] != 0) {
      deliver_row(source, payload_of == nullptr ? 1.0F : payload_of[source], row_for, note, part);
      continue;
    }
    if (convolution_) {
      for_each_reach(*convolution_, source, [&](std::size_t first, std::size_t position, std::size_t column) {
        checksum += first + position + column;
      });
      continue;
    }
    const auto [begin, end] = row_range(source, part);
    for (std::uint64_t k = begin; k < end; ++k) checksum += target_index_[k] + (delay_.empty() ? 0U : delay_[k]);
  }
  return checksum;
}

}  // namespace tandem::neurons
