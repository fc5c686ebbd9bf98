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

BernoulliSampler::BernoulliSampler(double probability) {
  if (!(probability >= 0.0 && probability <= 1.0)) {
    throw InputError("probability " + format_number(probability) + " is not in [0, 1]");
  }
  threshold_ = static_cast<std::uint64_t>(std::round(probability * two_pow_53));
}

}  // namespace tandem::neurons
