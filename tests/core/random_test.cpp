#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "core/random.hpp"

using namespace tandem;

TEST_CASE("random: the same seed gives the same stream", "[core][random]") {
  RandomStream a(42);
  RandomStream b(42);
  RandomStream c(43);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    const auto x = a.next_u64();
    CHECK(x == b.next_u64());
    differs = differs || x != c.next_u64();
  }
  CHECK(differs);
  auto d1 = RandomStream::derived(7, "exc");
  auto d2 = RandomStream::derived(7, "exc");
  auto d3 = RandomStream::derived(7, "inh");
  const auto first = d1.next_u64();
  CHECK(first == d2.next_u64());
  CHECK(first != d3.next_u64());
}

TEST_CASE("random: distributions have the right moments", "[core][random]") {
  RandomStream rng(1);
  const int n = 200000;
  double sum_u = 0, sum_n = 0, sum_n2 = 0;
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    sum_u += u;
    const double z = rng.normal();
    sum_n += z;
    sum_n2 += z * z;
  }
  CHECK(sum_u / n == Approx(0.5).margin(0.005));
  CHECK(sum_n / n == Approx(0.0).margin(0.01));
  CHECK(sum_n2 / n == Approx(1.0).margin(0.02));

  for (const double mean : {0.3, 2.0, 9.5, 25.0, 400.0}) {
    double s = 0, s2 = 0;
    for (int i = 0; i < n; ++i) {
      const double k = static_cast<double>(rng.poisson(mean));
      s += k;
      s2 += k * k;
    }
    const double m = s / n;
    INFO("mean " << mean);
    CHECK(m == Approx(mean).epsilon(0.02).margin(0.01));
    CHECK(s2 / n - m * m == Approx(mean).epsilon(0.05).margin(0.02));
  }

  std::vector<int> histogram(7, 0);
  for (int i = 0; i < 70000; ++i) ++histogram[rng.below(7)];
  for (const int count : histogram) CHECK(count == Approx(10000).epsilon(0.05));
}
