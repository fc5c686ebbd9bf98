// The Poisson and Bernoulli samplers against their closed-form moments and probabilities.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <vector>

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

TEST_CASE("poisson sampler: skipping by geometric gaps gives the same distribution per unit",
          "[neurons][sampler]") {
  // for_each_event over n units must be distributed as n independent draws: the share of units
  // with an event is 1 − e^−mean, the counts of those units follow Poisson given >= 1.
  for (const double mean : {0.001, 0.02, 0.1}) {
    const PoissonSampler sampler(mean);
    REQUIRE(sampler.sparse());
    RandomStream random(7);
    constexpr std::size_t units = 1000;
    constexpr int ticks = 2000;
    double units_with_event = 0.0, events = 0.0, events_sq = 0.0;
    std::vector<std::uint32_t> hits(units, 0);
    std::size_t out_of_order = 0;
    for (int t = 0; t < ticks; ++t) {
      std::size_t previous = 0;
      bool first = true;
      sampler.for_each_event(random, units, [&](std::size_t unit, std::uint32_t count) {
        out_of_order += (!first && unit <= previous) || unit >= units || count == 0 ? 1 : 0;
        previous = unit;
        first = false;
        ++hits[unit];
        units_with_event += 1.0;
        events += count;
        events_sq += static_cast<double>(count) * count;
      });
    }
    INFO("mean " << mean);
    CHECK(out_of_order == 0);  // ascending, in range, counts >= 1
    const double trials = static_cast<double>(units) * ticks;
    const double p = -std::expm1(-mean);
    CHECK(std::abs(units_with_event / trials - p) < 5.0 * std::sqrt(p * (1 - p) / trials));
    CHECK(std::abs(events / trials - mean) < 5.0 * std::sqrt(mean / trials));
    // E[count | count >= 1] = mean / p.
    CHECK(events / units_with_event == Approx(mean / p).epsilon(0.02));
    // No unit is favoured: the busiest one is within a few standard deviations of the rest.
    const double per_unit = p * ticks;
    CHECK(*std::max_element(hits.begin(), hits.end()) < per_unit + 6.0 * std::sqrt(per_unit) + 3.0);
  }
  CHECK_FALSE(PoissonSampler(2.0).sparse());
  CHECK_FALSE(PoissonSampler(0.0).sparse());
}
