// The Poisson and Bernoulli samplers against their closed-form moments and probabilities.
#include <catch2/catch.hpp>
#include <cmath>

#include "core/error.hpp"
#include "neurons/poisson_sampler.hpp"

using namespace tandem;
using namespace tandem::neurons;

TEST_CASE("poisson sampler: mean, variance and P(0) match the distribution", "[neurons][sampler]") {
  for (const double mean : {0.05, 2.0, 12.0, 80.0}) {
    const PoissonSampler sampler(mean);
    RandomStream random(3);
    RandomStream fallback(4);
    constexpr int n = 200000;
    double sum = 0.0, sum_sq = 0.0;
    int zeros = 0;
    for (int k = 0; k < n; ++k) {
      const double x = sampler.sample(random, fallback);
      sum += x;
      sum_sq += x * x;
      zeros += x == 0.0 ? 1 : 0;
    }
    const double m = sum / n;
    const double var = sum_sq / n - m * m;
    INFO("mean " << mean);
    CHECK(std::abs(m - mean) < 5.0 * std::sqrt(mean / n));      // 5 standard errors
    CHECK(std::abs(var - mean) < 0.05 * mean + 0.002);           // variance == mean
    const double p0 = std::exp(-mean);
    CHECK(std::abs(zeros / static_cast<double>(n) - p0) < 5.0 * std::sqrt(p0 * (1 - p0) / n) + 1e-9);
  }
  CHECK_THROWS_AS(PoissonSampler(-1.0), InputError);
}

TEST_CASE("bernoulli sampler: frequency matches p; 0 and 1 are exact", "[neurons][sampler]") {
  RandomStream random(5);
  const BernoulliSampler never(0.0), always(1.0), sometimes(0.03);
  int hits = 0;
  for (int k = 0; k < 100000; ++k) {
    CHECK_FALSE(never.sample(random));
    REQUIRE(always.sample(random));
    hits += sometimes.sample(random) ? 1 : 0;
  }
  CHECK(std::abs(hits - 3000) < 5 * std::sqrt(100000 * 0.03 * 0.97));
  CHECK_THROWS_AS(BernoulliSampler(1.5), InputError);
}
