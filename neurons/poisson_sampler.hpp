// A fast Poisson sampler for a fixed small mean (the Brunel benchmark draws mean-2 counts for
// every neuron every tick): inversion against a precomputed table of 53-bit CDF thresholds,
// so a draw is one 64-bit random number and a few integer compares. Larger means fall back
// to RandomStream::poisson. For rare events (a sparse input over a large population) it also
// skips from one neuron with an event to the next by geometric gaps, so drawing a tick's input
// costs O(events), not O(neurons).
#pragma once

#include <cstdint>
#include <vector>

#include "core/random.hpp"

namespace tandem::neurons {

class PoissonSampler {
 public:
  explicit PoissonSampler(double mean = 0.0);
  [[nodiscard]] double mean() const { return mean_; }
  // `fallback` serves means too large for the table.
  std::uint32_t sample(RandomStream& random, RandomStream& fallback) const {
    if (use_table_) return sample_table(random.next_u64());
    return static_cast<std::uint32_t>(fallback.poisson(mean_));
  }
  // Whether sample_table serves this mean (else RandomStream::poisson does).
  [[nodiscard]] bool tabulated() const { return use_table_; }
  // A count from 64 random bits (tabulated() only): the same count sample() draws when the
  // stream's next number is `bits`.
  [[nodiscard]] std::uint32_t sample_table(std::uint64_t bits) const {
    const std::uint64_t u = bits >> 11;  // uniform integer in [0, 2^53)
    // The guide table gives the smallest k whose CDF can exceed u's bucket; the search
    // from there takes ~1 compare. The last threshold is 2^53, so the search stops.
    std::uint32_t k = guide_[u >> (53 - guide_bits)];
    while (u >= cdf_[k]) ++k;
    return k;
  }
  // True when P(count >= 1) <= 1/8: then for_each_event below is cheaper than a draw per unit.
  [[nodiscard]] bool sparse() const { return sparse_; }
  // Calls visit(unit, count) for every unit in [0, n) whose count is >= 1, in ascending order:
  // the gaps between them are Geometric(P(count >= 1)), each count is drawn given count >= 1.
  // Distributed as n independent sample() calls, but from fewer random numbers.
  template <typename Visit>
  void for_each_event(RandomStream& random, std::size_t n, Visit&& visit) const {
    for (std::uint64_t unit = gap(random); unit < n; unit += 1 + gap(random)) {
      visit(static_cast<std::size_t>(unit), sample_nonzero(random));
    }
  }

 private:
  // Units without an event before the next one with; saturates far beyond any population.
  [[nodiscard]] std::uint64_t gap(RandomStream& random) const;
  // A count drawn given that it is >= 1 (inversion on the table's upper part).
  [[nodiscard]] std::uint32_t sample_nonzero(RandomStream& random) const;

  double mean_ = 0.0;
  bool use_table_ = true;
  bool sparse_ = false;
  double log_no_event_ = 0.0;  // ln P(count = 0) = -mean
  static constexpr int guide_bits = 10;
  std::vector<std::uint64_t> cdf_;    // cdf_[k] = P(X <= k)·2^53, rounded; last entry 2^53
  std::vector<std::uint32_t> guide_;  // per bucket b of u: the first k with cdf_[k] > b·2^(53−bits)
};

// Bernoulli(p) by comparing 53 random bits with a precomputed threshold.
class BernoulliSampler {
 public:
  explicit BernoulliSampler(double probability = 0.0);
  bool sample(RandomStream& random) const { return (random.next_u64() >> 11) < threshold_; }

 private:
  std::uint64_t threshold_ = 0;
};

}  // namespace tandem::neurons
