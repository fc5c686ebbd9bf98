// Seeded random streams. Our own generator (xoshiro256**) and distributions, so the same seed
// gives the same numbers on every standard library. Each node derives its own stream from
// the run seed and its name, so adding a node does not change the numbers of the others.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace tandem {

class RandomStream {
 public:
  explicit RandomStream(std::uint64_t seed = 1);
  // A stream for one named consumer of a run seeded with `seed`.
  static RandomStream derived(std::uint64_t seed, std::string_view stream_name);

  // Inline: per-neuron-per-tick samplers (neurons/poisson_sampler.hpp) call it in hot loops.
  std::uint64_t next_u64() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }
  // Uniform in [0, 1) with 53 random bits / 24 random bits.
  double uniform();
  float uniform_float();
  double uniform(double low, double high) { return low + (high - low) * uniform(); }
  // Uniform integer in [0, bound) without modulo bias; bound must be > 0.
  std::uint64_t below(std::uint64_t bound);
  // Standard normal (Marsaglia polar method).
  double normal();
  // Poisson with mean `mean` >= 0: inversion for small means, PTRS otherwise.
  std::uint64_t poisson(double mean);
  bool bernoulli(double probability) { return uniform() < probability; }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<std::uint64_t, 4> state_{};
  double spare_normal_ = 0.0;
  bool has_spare_normal_ = false;
};

// 64-bit FNV-1a of a name, for deriving streams.
std::uint64_t hash_name(std::string_view name);

// Counter-based draws: 64 random bits for item `index` of the draws keyed by `key` (SplitMix64's
// output function at key + (index + 1)·golden ratio, i.e. item `index` of the SplitMix64 sequence
// seeded with `key`). Any item is drawn without drawing the others, so work split over threads
// at any boundary draws the same numbers (per-neuron Poisson input: key per input and tick,
// index per neuron).
inline std::uint64_t keyed_bits(std::uint64_t key, std::uint64_t index) {
  std::uint64_t z = key + (index + 1) * 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace tandem
