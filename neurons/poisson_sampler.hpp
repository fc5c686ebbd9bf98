// A fast Poisson sampler for a fixed small mean (the Brunel benchmark draws mean-2 counts for
// every neuron every tick): inversion against a precomputed table of 53-bit CDF thresholds,
// so a draw is one 64-bit random number and a few integer compares. Larger means fall back
// to RandomStream::poisson.
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
    if (use_table_) {
      const std::uint64_t u = random.next_u64() >> 11;  // uniform integer in [0, 2^53)
      // The guide table gives the smallest k whose CDF can exceed u's bucket; the search
      // from there takes ~1 compare. The last threshold is 2^53, so the search stops.
      std::uint32_t k = guide_[u >> (53 - guide_bits)];
      while (u >= cdf_[k]) ++k;
      return k;
    }
    return static_cast<std::uint32_t>(fallback.poisson(mean_));
  }

 private:
  double mean_ = 0.0;
  bool use_table_ = true;
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
