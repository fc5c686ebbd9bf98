#include "neurons/projection.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/error.hpp"

namespace tandem::neurons {

namespace {

[[noreturn]] void fail(const std::string& projection, const std::string& problem) {
  throw InputError("projection '" + projection + "': " + problem);
}

// CSR connectivity without weights: rows per source of target indices. Built for the targets in
// [first, end) alone (one process's block, docs/mpi.md) from the same random numbers as the whole:
// every pair is still drawn, the others are not stored. `global` then holds each kept synapse's
// index in the whole projection's CSR order (ascending) when per-synapse weights or delays need
// it (8 bytes per kept synapse while building); `total` counts the whole projection's synapses.
struct Csr {
  std::vector<std::uint64_t> row_start;
  std::vector<std::uint32_t> target;
  std::vector<std::uint64_t> global;  // only for a block, and only when Kept::numbered
  std::uint64_t total = 0;
};

struct Kept {
  TargetBlock block;
  bool numbered = false;  // a block whose synapses' global numbers are needed
  [[nodiscard]] bool operator()(std::size_t t) const { return block.whole() || (t >= block.begin && t < block.end); }
  // Stores target t of the synapse numbered `global` when it is in the block.
  void keep(Csr& csr, std::size_t t, std::uint64_t global) const {
    if (!(*this)(t)) return;
    csr.target.push_back(static_cast<std::uint32_t>(t));
    if (numbered) csr.global.push_back(global);
  }
};

Csr all_to_all(std::size_t n_source, std::size_t n_target, bool skip_self, const Kept& kept) {
  Csr csr;
  csr.row_start.reserve(n_source + 1);
  csr.row_start.push_back(0);
  for (std::size_t s = 0; s < n_source; ++s) {
    for (std::size_t t = 0; t < n_target; ++t) {
      if (!(skip_self && s == t)) kept.keep(csr, t, csr.total++);
    }
    csr.row_start.push_back(csr.target.size());
  }
  return csr;
}

Csr one_to_one(const std::string& name, std::size_t n_source, std::size_t n_target, const Kept& kept) {
  if (n_source != n_target) {
    fail(name, "one_to_one needs equal sizes (source " + std::to_string(n_source) + ", target " +
                   std::to_string(n_target) + ")");
  }
  Csr csr;
  csr.row_start.reserve(n_source + 1);
  csr.row_start.push_back(0);
  for (std::size_t s = 0; s < n_source; ++s) {
    kept.keep(csr, s, csr.total++);
    csr.row_start.push_back(csr.target.size());
  }
  return csr;
}

// Each (source, target) pair independently with probability p, walking pairs source-major and
// jumping over geometric gaps (one random number per synapse instead of per pair).
Csr fixed_probability(const std::string& name, std::size_t n_source, std::size_t n_target, double p, bool skip_self,
                      RandomStream& random, const Kept& kept) {
  if (!(p >= 0.0 && p <= 1.0)) fail(name, "probability = " + format_number(p) + " is not in [0, 1]");
  Csr csr;
  csr.row_start.assign(n_source + 1, 0);
  const std::uint64_t pairs = static_cast<std::uint64_t>(n_source) * n_target;
  const double share = kept.block.whole() || n_target == 0
                           ? 1.0
                           : static_cast<double>(kept.block.end - kept.block.begin) / static_cast<double>(n_target);
  csr.target.reserve(static_cast<std::size_t>(static_cast<double>(pairs) * p * share * 1.05) + 16);
  if (p > 0.0) {
    const double log_q = std::log1p(-p);
    std::uint64_t pair = 0;
    std::size_t filled_source = 0;
    for (;;) {
      if (p < 1.0) {
        const double gap = std::floor(std::log(1.0 - random.uniform()) / log_q);
        if (gap >= static_cast<double>(pairs - pair)) break;
        pair += static_cast<std::uint64_t>(gap);
      }
      if (pair >= pairs) break;
      const std::size_t s = static_cast<std::size_t>(pair / n_target);
      const std::size_t t = static_cast<std::size_t>(pair % n_target);
      // Rows of sources before s are complete: close them.
      while (filled_source < s) csr.row_start[++filled_source] = csr.target.size();
      if (!(skip_self && s == t)) kept.keep(csr, t, csr.total++);
      ++pair;
    }
    while (filled_source < n_source) csr.row_start[++filled_source] = csr.target.size();
  }
  return csr;
}

// Every target gets exactly `k` sources drawn uniformly with replacement (NEST fixed_indegree,
// multapses allowed), never itself when skip_self. Two passes over the same random sequence —
// count row lengths, then fill — so no temporary (source, target) list is ever held.
Csr fixed_in_degree(const std::string& name, std::size_t n_source, std::size_t n_target, std::size_t k, bool skip_self,
                    const RandomStream& random, const Kept& kept) {
  if (n_source == 0 || (skip_self && n_source == 1 && k > 0)) fail(name, "fixed_in_degree has no source to draw from");
  const auto draw = [&](RandomStream& r, std::size_t target) {
    for (;;) {
      const auto s = static_cast<std::size_t>(r.below(n_source));
      if (!(skip_self && s == target)) return s;
    }
  };
  Csr csr;
  csr.row_start.assign(n_source + 1, 0);
  // Row lengths of the whole projection (for the synapses' global numbers) and of the kept part.
  std::vector<std::uint64_t> whole_start(kept.numbered ? n_source + 1 : 0, 0);
  RandomStream counting = random;
  for (std::size_t t = 0; t < n_target; ++t) {
    const bool keep = kept(t);
    for (std::size_t j = 0; j < k; ++j) {
      const std::size_t s = draw(counting, t);
      if (keep) ++csr.row_start[s + 1];
      if (!whole_start.empty()) ++whole_start[s + 1];
    }
  }
  std::partial_sum(csr.row_start.begin(), csr.row_start.end(), csr.row_start.begin());
  std::partial_sum(whole_start.begin(), whole_start.end(), whole_start.begin());
  csr.total = static_cast<std::uint64_t>(n_target) * k;
  csr.target.resize(csr.row_start.back());
  if (!whole_start.empty()) csr.global.resize(csr.row_start.back());
  std::vector<std::uint64_t> cursor(csr.row_start.begin(), csr.row_start.end() - 1);
  if (!whole_start.empty()) whole_start.pop_back();  // now the cursor of each whole row
  RandomStream filling = random;
  for (std::size_t t = 0; t < n_target; ++t) {
    const bool keep = kept(t);
    for (std::size_t j = 0; j < k; ++j) {
      const std::size_t s = draw(filling, t);
      const std::uint64_t global = whole_start.empty() ? 0 : whole_start[s]++;
      if (!keep) continue;
      if (!whole_start.empty()) csr.global[cursor[s]] = global;
      csr.target[cursor[s]++] = static_cast<std::uint32_t>(t);
    }
  }
  return csr;
}

// One synapse per (input, output) pair a kernel tap joins, weighted by the tap.
// The checks of a convolution projection; it stores the kernel alone (no CSR).
void check_convolution(const std::string& name, const ConvolutionShape& shape, const std::vector<float>& kernel,
                       std::size_t n_source, std::size_t n_target) {
  const std::string where = "projection '" + name + "'";
  validate(shape, where);
  if (n_source != shape.inputs() || n_target != shape.outputs()) {
    fail(name, "the convolution maps " + std::to_string(shape.in_channels) + "x" + std::to_string(shape.in_height) +
                   "x" + std::to_string(shape.in_width) + " = " + std::to_string(shape.inputs()) + " sources to " +
                   std::to_string(shape.out_channels) + "x" + std::to_string(shape.out_height()) + "x" +
                   std::to_string(shape.out_width()) + " = " + std::to_string(shape.outputs()) +
                   " targets, but the populations have " + std::to_string(n_source) + " and " +
                   std::to_string(n_target));
  }
  if (kernel.size() != shape.kernel_values()) {
    fail(name, "kernel has " + std::to_string(kernel.size()) + " values, expected out_channels x in_channels/groups x "
                   "kh x kw = " + std::to_string(shape.out_channels) + " x " + std::to_string(shape.in_per_group()) +
                   " x " + std::to_string(shape.kernel_height) + " x " + std::to_string(shape.kernel_width));
  }
  for (const float w : kernel) {
    if (!std::isfinite(w)) fail(name, "a kernel weight is not finite");
  }
}

}  // namespace

ProjectionSpec make_convolution_projection(std::string name, std::string source, std::string target,
                                           std::string receptor, const ConvolutionShape& shape,
                                           std::vector<float> kernel_row_major, double delay_ms) {
  ProjectionSpec spec{.name = std::move(name), .source = std::move(source), .target = std::move(target),
                      .receptor = std::move(receptor), .rule = Rule::convolution, .delay_ms = delay_ms};
  spec.convolution = shape;
  spec.kernel = std::move(kernel_row_major);
  return spec;
}

ProjectionSpec make_pooling_projection(std::string name, std::string source, std::string target, std::string receptor,
                                       const ConvolutionShape& shape, PoolKind kind, double delay_ms) {
  return make_convolution_projection(std::move(name), std::move(source), std::move(target), std::move(receptor), shape,
                                     std::vector<float>(shape.kernel_values(), pool_tap_weight(shape, kind)), delay_ms);
}

Projection::Projection(const ProjectionSpec& spec, std::size_t source_size, std::size_t target_size,
                       bool same_population, std::size_t receptor, const TimeBase& time, std::uint64_t seed,
                       TargetBlock block)
    : name_(spec.name), receptor_(receptor) {
  // Per-synapse weights and delays of a block are picked by each synapse's number in the whole.
  const bool per_synapse = !spec.weights.empty() || (spec.delay_max_ms > spec.delay_ms && spec.rule != Rule::explicit_list);
  const Kept kept{block, !block.whole() && per_synapse};
  const bool skip_self = same_population && !spec.allow_autapses;
  RandomStream random = RandomStream::derived(seed, spec.name);
  if (target_size > std::numeric_limits<std::uint32_t>::max()) fail(name_, "target population too large");
  if (!std::isfinite(spec.weight)) fail(name_, "weight is not finite");
  // Delays: whole ticks, >= 1; 0 only for a same-tick projection.
  if (spec.same_tick && (spec.delay_ms != 0.0 || spec.delay_max_ms != 0.0)) {
    fail(name_, "a same-tick projection has no delay (delay_ms " + format_number(spec.delay_ms) + ")");
  }
  const auto delay_ticks = [&](double ms, const char* what) -> Tick {
    if (ms == 0.0) return spec.same_tick ? 0 : 1;
    const Tick ticks = time.exact_ticks_from_ms(ms, "projection '" + name_ + "': " + what);
    if (ticks < 1) fail(name_, std::string(what) + " = " + format_number(ms) + " ms is shorter than one tick");
    return ticks;
  };
  const Tick delay_min = delay_ticks(spec.delay_ms, "delay_ms");
  const Tick delay_max = spec.delay_max_ms > spec.delay_ms ? delay_ticks(spec.delay_max_ms, "delay_max_ms") : delay_min;
  if (delay_max > std::numeric_limits<std::uint8_t>::max() && delay_max != delay_min) {
    fail(name_, "per-synapse delays are limited to 255 ticks");
  }
  uniform_weight_ = spec.weight;
  max_delay_ = delay_min;
  min_delay_ = delay_min;

  Csr csr;
  switch (spec.rule) {
    case Rule::all_to_all: csr = all_to_all(source_size, target_size, skip_self, kept); break;
    case Rule::one_to_one: csr = one_to_one(name_, source_size, target_size, kept); break;
    case Rule::fixed_probability:
      csr = fixed_probability(name_, source_size, target_size, spec.probability, skip_self, random, kept);
      break;
    case Rule::fixed_in_degree:
      csr = fixed_in_degree(name_, source_size, target_size, spec.in_degree, skip_self, random, kept);
      break;
    case Rule::convolution:
      if (!spec.weights.empty()) fail(name_, "a convolution takes its weights from `kernel`, not `weights`");
      if (!block.whole()) fail(name_, "a convolution cannot be split over processes");
      if (delay_max != delay_min) fail(name_, "a convolution has one delay for all its synapses");
      check_convolution(name_, spec.convolution, spec.kernel, source_size, target_size);
      convolution_ = spec.convolution;
      convolution_synapses_ = convolution_macs(spec.convolution);
      weight_ = spec.kernel;
      break;
    case Rule::explicit_list: {
      std::vector<ExplicitSynapse> list = spec.synapses;
      std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.source < b.source; });
      csr.row_start.assign(source_size + 1, 0);
      weight_.reserve(list.size());
      delay_.reserve(list.size());
      Tick longest = spec.same_tick ? 0 : 1;
      Tick shortest = std::numeric_limits<Tick>::max();
      for (const auto& syn : list) {
        if (syn.source >= source_size || syn.target >= target_size) {
          fail(name_, "synapse (" + std::to_string(syn.source) + " -> " + std::to_string(syn.target) +
                          ") is out of range (" + std::to_string(source_size) + " x " + std::to_string(target_size) + ")");
        }
        if (!std::isfinite(syn.weight)) fail(name_, "synapse weight is not finite");
        const Tick d = delay_ticks(syn.delay_ms, "delay_ms");
        if (d > std::numeric_limits<std::uint8_t>::max()) fail(name_, "per-synapse delays are limited to 255 ticks");
        if (spec.same_tick && d != 0) fail(name_, "a same-tick projection's synapses have no delay");
        shortest = std::min(shortest, d);  // of every synapse, kept or not: the same on every process
        if (!kept(syn.target)) continue;
        ++csr.row_start[syn.source + 1];
        csr.target.push_back(syn.target);
        weight_.push_back(syn.weight);
        delay_.push_back(static_cast<std::uint8_t>(d));
        longest = std::max(longest, d);
      }
      std::partial_sum(csr.row_start.begin(), csr.row_start.end(), csr.row_start.begin());
      max_delay_ = longest;
      min_delay_ = list.empty() ? longest : shortest;
      break;
    }
  }
  sources_ = source_size;
  row_start_ = std::move(csr.row_start);
  target_index_ = std::move(csr.target);
  if (spec.rule != Rule::explicit_list && spec.rule != Rule::convolution) {
    if (!spec.weights.empty() && spec.rule != Rule::convolution) {
      if (spec.weights.size() != csr.total) {
        fail(name_, std::to_string(spec.weights.size()) + " weights for " + std::to_string(csr.total) + " synapses");
      }
      for (const float w : spec.weights) {
        if (!std::isfinite(w)) fail(name_, "a weight is not finite");
      }
      if (block.whole()) {
        weight_ = spec.weights;
      } else {
        weight_.resize(csr.global.size());
        for (std::size_t k = 0; k < csr.global.size(); ++k) weight_[k] = spec.weights[csr.global[k]];
      }
    }
    if (delay_max > delay_min) {
      // One draw per synapse of the whole projection in CSR order; a block keeps its synapses' draws.
      RandomStream delay_random = RandomStream::derived(seed, spec.name + ".delay");
      const auto span = static_cast<std::uint64_t>(delay_max - delay_min + 1);
      delay_.resize(target_index_.size());
      std::size_t next = 0;
      for (std::uint64_t k = 0; k < csr.total && next < delay_.size(); ++k) {
        const auto d = static_cast<std::uint8_t>(delay_min + static_cast<Tick>(delay_random.below(span)));
        if (block.whole() || csr.global[next] == k) delay_[next++] = d;
      }
      max_delay_ = delay_max;
    }
  }
  if (spec.same_tick) delay_.clear();  // every synapse's delay is 0 = max_delay_
}

float Projection::largest_weight() const {
  float largest = std::abs(uniform_weight_);
  if (!weight_.empty()) largest = 0.0F;
  for (const float w : weight_) largest = std::max(largest, std::abs(w));
  return synapse_count() == 0 ? 0.0F : largest;
}

void Projection::quantise_weights(double scale, std::int32_t limit, WeightQuantisation& stats) {
  if (weight_.empty()) {
    // One weight for all: its error counts once per synapse, as a per-synapse weight's would.
    WeightQuantisation one;
    uniform_weight_ = quantise_weight(uniform_weight_, scale, limit, one);
    const auto n = static_cast<double>(synapse_count());
    stats.weights += synapse_count();
    stats.clipped += one.clipped * synapse_count();
    stats.largest = std::max(stats.largest, one.largest);
    stats.max_error = std::max(stats.max_error, one.max_error);
    stats.sum_squared_error += one.sum_squared_error * n;
    return;
  }
  for (float& w : weight_) w = quantise_weight(w, scale, limit, stats);
}

std::vector<std::uint32_t> Projection::in_degrees(std::size_t target_size) const {
  std::vector<std::uint32_t> degree(target_size, 0);
  if (convolution_) {
    const std::size_t plane = convolution_->out_height() * convolution_->out_width();
    for (std::size_t j = 0; j < sources_; ++j) {
      for_each_reach(*convolution_, j, [&](std::size_t first, std::size_t position, std::size_t) {
        for (std::size_t o = first; o < first + convolution_->out_per_group(); ++o) ++degree[o * plane + position];
      });
    }
    return degree;
  }
  for (const std::uint32_t t : target_index_) ++degree[t];
  return degree;
}

void Projection::group_by_target_blocks(const std::vector<std::uint32_t>& bounds) {
  parts_ = bounds.size() < 3 ? 0 : bounds.size() - 1;
  part_bounds_ = parts_ == 0 ? std::vector<std::uint32_t>{} : bounds;
  part_split_.clear();
  if (parts_ == 0 || convolution_) return;
  part_split_.resize(sources_ * (parts_ - 1));
  const auto block_of = [&](std::uint32_t target) {
    return static_cast<std::size_t>(std::upper_bound(bounds.begin() + 1, bounds.end() - 1, target) - (bounds.begin() + 1));
  };
  // A stable counting sort of each row by block, through scratch copies of one row.
  std::vector<std::uint32_t> targets;
  std::vector<float> weights;
  std::vector<std::uint8_t> delays;
  std::vector<std::uint32_t> blocks;
  std::vector<std::uint64_t> next(parts_);
  for (std::size_t source = 0; source < sources_; ++source) {
    const std::uint64_t begin = row_start_[source];
    const std::uint64_t end = row_start_[source + 1];
    const auto length = static_cast<std::size_t>(end - begin);
    blocks.resize(length);
    std::fill(next.begin(), next.end(), 0);
    for (std::size_t k = 0; k < length; ++k) {
      const std::uint32_t target = target_index_[begin + k];
      if (target < bounds.front() || target >= bounds.back()) fail(name_, "a synapse lies outside the target blocks");
      blocks[k] = static_cast<std::uint32_t>(block_of(target));
      ++next[blocks[k]];
    }
    // next[b]: where block b's synapses begin in the row.
    std::uint64_t at = 0;
    for (std::size_t b = 0; b < parts_; ++b) {
      const std::uint64_t count = next[b];
      next[b] = at;
      if (b > 0) part_split_[source * (parts_ - 1) + b - 1] = static_cast<std::uint32_t>(at);
      at += count;
    }
    targets.assign(target_index_.begin() + static_cast<std::ptrdiff_t>(begin), target_index_.begin() + static_cast<std::ptrdiff_t>(end));
    if (!weight_.empty()) weights.assign(weight_.begin() + static_cast<std::ptrdiff_t>(begin), weight_.begin() + static_cast<std::ptrdiff_t>(end));
    if (!delay_.empty()) delays.assign(delay_.begin() + static_cast<std::ptrdiff_t>(begin), delay_.begin() + static_cast<std::ptrdiff_t>(end));
    for (std::size_t k = 0; k < length; ++k) {
      const std::uint64_t to = begin + next[blocks[k]]++;
      target_index_[to] = targets[k];
      if (!weight_.empty()) weight_[to] = weights[k];
      if (!delay_.empty()) delay_[to] = delays[k];
    }
  }
}

std::size_t Projection::row_length(std::uint32_t source) const {
  if (!convolution_) return static_cast<std::size_t>(row_start_[source + 1] - row_start_[source]);
  std::size_t taps = 0;
  for_each_reach(*convolution_, source, [&](std::size_t, std::size_t, std::size_t) { ++taps; });
  return taps * convolution_->out_per_group();
}

}  // namespace tandem::neurons
