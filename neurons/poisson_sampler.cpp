#include "neurons/poisson_sampler.hpp"

#include <cmath>

#include "core/error.hpp"

namespace tandem::neurons {

namespace {
constexpr double two_pow_53 = 9007199254740992.0;
// Above this mean the table would be long and exp(−mean) loses precision: use PTRS instead.
constexpr double max_table_mean = 30.0;
}  // namespace

PoissonSampler::PoissonSampler(double mean) : mean_(mean) {
  if (!std::isfinite(mean) || mean < 0.0) throw InputError("Poisson mean " + format_number(mean) + " must be finite and >= 0");
  use_table_ = mean <= max_table_mean;
  // P(count >= 1) = 1 - e^-mean <= 1/8.
  sparse_ = mean > 0.0 && -std::expm1(-mean) <= 0.125;
  log_no_event_ = -mean;
  if (!use_table_) return;
  double term = std::exp(-mean);
  double cumulative = term;
  for (std::uint32_t k = 0;; ++k) {
    const double scaled = std::round(cumulative * two_pow_53);
    // Stop once the remaining tail is below one part in 2^53.
    if (scaled >= two_pow_53 || (static_cast<double>(k) > mean && term * two_pow_53 < 0.5)) {
      cdf_.push_back(static_cast<std::uint64_t>(two_pow_53));
      break;
    }
    cdf_.push_back(static_cast<std::uint64_t>(scaled));
    term *= mean / static_cast<double>(k + 1);
    cumulative += term;
  }
  guide_.resize(std::size_t{1} << guide_bits);
  std::uint32_t k = 0;
  for (std::size_t bucket = 0; bucket < guide_.size(); ++bucket) {
    const std::uint64_t bucket_start = static_cast<std::uint64_t>(bucket) << (53 - guide_bits);
    while (cdf_[k] <= bucket_start) ++k;
    guide_[bucket] = k;
  }
}

std::uint64_t PoissonSampler::gap(RandomStream& random) const {
  // P(gap >= k) = P(count = 0)^k: gap = floor(ln U / ln P(count = 0)), U uniform in (0, 1].
  const double u = (static_cast<double>(random.next_u64() >> 11) + 1.0) / two_pow_53;
  const double skip = std::floor(std::log(u) / log_no_event_);
  return skip >= 1e18 ? std::uint64_t{1'000'000'000'000'000'000} : static_cast<std::uint64_t>(skip);
}

std::uint32_t PoissonSampler::sample_nonzero(RandomStream& random) const {
  // u uniform over the table's range above P(count = 0): k >= 1 with probability P(k) / P(k >= 1).
  const std::uint64_t no_event = cdf_[0];
  const std::uint64_t span = (std::uint64_t{1} << 53) - no_event;
  const auto u = no_event + static_cast<std::uint64_t>(static_cast<double>(random.next_u64() >> 11) / two_pow_53 *
                                                    static_cast<double>(span));
  std::uint32_t k = 1;
  while (u >= cdf_[k]) ++k;
  return k;
}

BernoulliSampler::BernoulliSampler(double probability) {
  if (!(probability >= 0.0 && probability <= 1.0)) {
    throw InputError("probability " + format_number(probability) + " is not in [0, 1]");
  }
  threshold_ = static_cast<std::uint64_t>(std::round(probability * two_pow_53));
}

}  // namespace tandem::neurons
