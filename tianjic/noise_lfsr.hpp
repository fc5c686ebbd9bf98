// The threshold noise of Tianjic's LIF soma (primitive 08): a 32-bit Fibonacci LFSR with taps
// on bits 0, 1, 2, 3, 5 and 7, shifting right and feeding the parity in at bit 31 (maximal
// length, period 2^32 - 1), and the masking that turns its state into a per-neuron noise.
#pragma once

#include <cstdint>

namespace tandem::tianjic {

class NoiseLfsr {
 public:
  // A negative seed is taken modulo 2^32; seed 0 stays 0 for ever (all noise 0).
  explicit NoiseLfsr(std::int32_t seed) : state_(static_cast<std::uint32_t>(seed)) {}

  // Advances once and returns the new state read as a signed int32 (the l of the specification).
  std::int32_t advance();
  [[nodiscard]] std::uint32_t state() const { return state_; }

 private:
  std::uint32_t state_;
};

// The 32-bit mask of one neuron: l & VM for l >= 0, -((~l) & VM) for l < 0 (the sign of l
// survives the mask). Output register 6 shows it raw, 7 its low byte.
std::int32_t noise_mask(std::int32_t lfsr_value, std::int32_t vm);
// The noise added to the threshold: the mask's low 28 bits, sign-extended.
std::int32_t threshold_noise(std::int32_t mask);

}  // namespace tandem::tianjic
