#include "tianjic/noise_lfsr.hpp"

#include "tianjic/integer_arithmetic.hpp"

namespace tandem::tianjic {

std::int32_t NoiseLfsr::advance() {
  const std::uint32_t s = state_;
  const std::uint32_t feedback = (s ^ (s >> 1) ^ (s >> 2) ^ (s >> 3) ^ (s >> 5) ^ (s >> 7)) & 1U;
  state_ = (feedback << 31) | (s >> 1);
  return static_cast<std::int32_t>(state_);
}

std::int32_t noise_mask(std::int32_t lfsr_value, std::int32_t vm) {
  // For l < 0, ~l >= 0, so the masked magnitude fits in 31 bits and its negation cannot overflow.
  return lfsr_value >= 0 ? (lfsr_value & vm) : -((~lfsr_value) & vm);
}

std::int32_t threshold_noise(std::int32_t mask) { return sign_extend(static_cast<std::uint32_t>(mask), 28); }

}  // namespace tandem::tianjic
