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
  std::uint32_t sample(RandomStream& random) const {
    if (use_table_) {
      const std::uint64_t u = random.next_u64() >> 11;  // uniform integer in [0, 2^53)
      std::uint32_t k = 0;
      while (u >= cdf_[k]) ++k;  // the last threshold is 2^53, so this stops
      return k;
    }
    return static_cast<std::uint32_t>(random.poisson(mean_));
  }

 private:
  double mean_ = 0.0;
  bool use_table_ = true;
  std::vector<std::uint64_t> cdf_;  // cdf_[k] = P(X <= k)·2^53, rounded; last entry 2^53
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
