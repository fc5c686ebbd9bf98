#include "core/random.hpp"

#include <cmath>
#include <numbers>

namespace tandem {
namespace {

std::uint64_t splitmix64(std::uint64_t& x) {
  const std::uint64_t z = keyed_bits(x, 0);
  x += 0x9e3779b97f4a7c15ULL;
  return z;
}

// GCC and Clang provide a 128-bit integer; __extension__ tells -Wpedantic we mean it.
__extension__ using Uint128 = unsigned __int128;

}  // namespace

std::uint64_t hash_name(std::string_view name) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : name) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

RandomStream::RandomStream(std::uint64_t seed) {
  // splitmix64 spreads any seed (even 0) over the whole state, as xoshiro's authors advise.
  std::uint64_t x = seed;
  for (auto& word : state_) word = splitmix64(x);
}

RandomStream RandomStream::derived(std::uint64_t seed, std::string_view stream_name) {
  std::uint64_t mixed = seed ^ rotl(hash_name(stream_name), 17);
  return RandomStream(splitmix64(mixed));
}

double RandomStream::uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

float RandomStream::uniform_float() { return static_cast<float>(next_u64() >> 40) * 0x1.0p-24f; }

std::uint64_t RandomStream::below(std::uint64_t bound) {
  // Lemire's multiply-shift with rejection of the biased low range.
  const std::uint64_t threshold = (0 - bound) % bound;
  for (;;) {
    const std::uint64_t r = next_u64();
    const Uint128 product = static_cast<Uint128>(r) * bound;
    if (static_cast<std::uint64_t>(product) >= threshold) {
      return static_cast<std::uint64_t>(product >> 64);
    }
  }
}

double RandomStream::normal() {
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    return spare_normal_;
  }
  double u = 0.0;
  double v = 0.0;
  double s = 0.0;
  do {
    u = uniform(-1.0, 1.0);
    v = uniform(-1.0, 1.0);
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double factor = std::sqrt(-2.0 * std::log(s) / s);
  spare_normal_ = v * factor;
  has_spare_normal_ = true;
  return u * factor;
}

std::uint64_t RandomStream::poisson(double mean) {
  if (!(mean > 0.0)) return 0;
  if (mean < 10.0) {
    // Inversion by sequential search: exact, and fast for small means.
    const double limit = std::exp(-mean);
    double p = uniform();
    std::uint64_t k = 0;
    double term = limit;
    double cumulative = limit;
    while (p > cumulative && k < 1000) {
      ++k;
      term *= mean / static_cast<double>(k);
      cumulative += term;
    }
    return k;
  }
  // Hörmann's PTRS (transformed rejection with squeeze), valid for mean >= 10.
  const double slam = std::sqrt(mean);
  const double loglam = std::log(mean);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2.0);
  for (;;) {
    const double u = uniform() - 0.5;
    const double v = uniform();
    const double us = 0.5 - std::abs(u);
    const double k = std::floor((2.0 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return static_cast<std::uint64_t>(k);
    if (k < 0.0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(inv_alpha) - std::log(a / (us * us) + b) <=
        -mean + k * loglam - std::lgamma(k + 1.0)) {
      return static_cast<std::uint64_t>(k);
    }
  }
}

}  // namespace tandem
