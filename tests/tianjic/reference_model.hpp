// An independent, deliberately plain re-implementation of docs/tianjic.md for the tests: 64-bit
// integers everywhere, divisions written as divisions, the LFSR as an array of 32 bits, the LIF
// step phase by phase over whole vectors (the kernel goes neuron by neuron). It calls nothing
// from tianjic/, so agreement between the two is evidence, not tautology.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

namespace tianjic_reference {

using Int = long long;

inline constexpr Int two_to_31 = 2147483648LL;
inline constexpr Int two_to_32 = 4294967296LL;
inline constexpr Int two_to_27 = 134217728LL;

inline Int clip(Int x, Int lo, Int hi) { return x < lo ? lo : (x > hi ? hi : x); }

inline Int power(Int base, int exponent) {
  Int result = 1;
  for (int k = 0; k < exponent; ++k) result *= base;
  return result;
}

// Mathematical floor of a / b for b > 0 (C++'s / truncates).
inline Int floor_div(Int a, Int b) {
  Int quotient = a / b;
  if (a % b != 0 && a < 0) --quotient;
  return quotient;
}

// x modulo 2^width, read as a signed width-bit number.
inline Int low_bits_signed(Int x, int width) {
  const Int modulus = power(2, width);
  Int m = x % modulus;
  if (m < 0) m += modulus;
  return m >= modulus / 2 ? m - modulus : m;
}

// The noise LFSR as 32 separate bits; bit 0 is the least significant.
class BitLfsr {
 public:
  explicit BitLfsr(Int seed) {
    Int s = seed % two_to_32;
    if (s < 0) s += two_to_32;
    for (int k = 0; k < 32; ++k) bits_[static_cast<std::size_t>(k)] = static_cast<int>((s >> k) & 1);
  }
  // Shift toward bit 0, the parity of taps 0, 1, 2, 3, 5, 7 entering at bit 31; the new state signed.
  Int advance() {
    const int feedback = bits_[0] ^ bits_[1] ^ bits_[2] ^ bits_[3] ^ bits_[5] ^ bits_[7];
    for (std::size_t k = 0; k < 31; ++k) bits_[k] = bits_[k + 1];
    bits_[31] = feedback;
    Int value = 0;
    for (int k = 31; k >= 0; --k) value = value * 2 + bits_[static_cast<std::size_t>(k)];
    return value >= two_to_31 ? value - two_to_32 : value;
  }

 private:
  std::array<int, 32> bits_{};
};

inline Int decode_ternary(Int code) {
  constexpr std::array<Int, 4> values = {0, 1, 2, -1};
  return values[static_cast<std::size_t>(code)];
}

// Primitive 04 on values (not codes): per-output accumulators clipped after every product.
inline std::vector<Int> vector_matrix(const std::vector<Int>& x, const std::vector<std::vector<Int>>& w,
                                      const std::vector<Int>& bias) {
  std::vector<Int> out = bias;
  for (std::size_t f = 0; f < out.size(); ++f) {
    for (std::size_t r = 0; r < x.size(); ++r) out[f] = clip(out[f] + w[r][f] * x[r], -two_to_31, two_to_31 - 1);
  }
  return out;
}

// Primitive 06; precision 0 int8, 1 uint8, 2 ternary.
inline Int cut(Int x, int precision, int bsn) {
  const Int y = floor_div(x, power(4, bsn));
  if (precision == 0) return clip(y, -128, 127);
  if (precision == 2) return clip(y, -1, 1);
  Int wrapped = y % 256;
  return wrapped < 0 ? wrapped + 256 : wrapped;
}

// Primitive 05, 1x1: compare byte (c mod 4) of the word, given as 0 … 2^32 - 1.
inline Int relu(Int x, std::size_t channel, int bsn, Int compare_word) {
  const Int byte = low_bits_signed(compare_word / power(256, static_cast<int>(channel % 4)), 8);
  const Int y = clip(floor_div(x, power(4, bsn)), -128, 127);
  return y > byte ? y : byte;
}

// Primitive 07; int8_input marks an int8 input.
inline Int lookup(Int x, int width, bool int8_input, int bsn, const std::vector<Int>& table) {
  const Int length = power(2, width);
  Int index = 0;
  if (int8_input && width == 8) index = x;
  else if (int8_input && width > 8) index = 0;
  else index = clip(floor_div(x, power(4, bsn)), -length / 2, length / 2 - 1);
  return table[static_cast<std::size_t>(index >= 0 ? index : length + index)];
}

struct LifParameters {
  Int neuron_num = 1, group_num = 1, seed = 0, Vth0 = 0, Vth_adpt_en = 0, Vth_alpha = 0, Vth_beta = 0,
      Vth_Incre = 0, VR = 0, VL = -two_to_27, Vleaky_adpt_en = 0, Vleaky_alpha = 0, Vleaky_beta = 0, dV = 0,
      Ref_len = 0, Tw_cnt = 0, Vinit = 0, Tw_len = 0, Tw_en = 0, VM_len = 1, Vtheta_len = 1, reset_mode = 0,
      fire_type = 0, bit_shift_num = 0;
};

struct LifStepResult {
  std::vector<Int> out, V, ref_cnt, Vtheta;
  std::vector<bool> spike;
};

// Primitive 08 over whole vectors, one phase after the other, as the specification lists them.
class Lif {
 public:
  Lif(const LifParameters& p, std::vector<Int> vm, std::vector<Int> v, std::vector<Int> ref_cnt,
      std::vector<Int> vtheta)
      : p_(p), vm_(std::move(vm)), v_(std::move(v)), ref_(std::move(ref_cnt)), vtheta_(std::move(vtheta)),
        lfsr_(p.seed), window_count_(p.Tw_cnt) {}

  LifStepResult step(const std::vector<Int>& uin) {
    const auto n = static_cast<std::size_t>(p_.neuron_num * p_.group_num);
    const Int m27 = two_to_27;
    const bool finished = window_count_ >= p_.Tw_len;
    std::vector<Int> lfsr(n), mask(n), vth(n), vint(n), vn(n), out(n);
    std::vector<bool> spike(n);
    for (std::size_t i = 0; i < n; ++i) lfsr[i] = lfsr_.advance();
    for (std::size_t i = 0; i < n; ++i) {
      const Int vm = vm_[i % vm_.size()];
      mask[i] = lfsr[i] >= 0 ? (lfsr[i] & vm) : -((~lfsr[i]) & vm);
    }
    for (std::size_t i = 0; i < n; ++i) {
      const Int sum = low_bits_signed(p_.Vth0 + vtheta_[i % vtheta_.size()] + low_bits_signed(mask[i], 28), 32);
      vth[i] = std::max(clip(sum, -m27, m27 - 1), p_.VL);
    }
    for (std::size_t i = 0; i < n; ++i) vint[i] = clip(ref_[i] == 0 ? v_[i] + uin[i] : v_[i], -m27, m27 - 1);
    for (std::size_t i = 0; i < n; ++i) spike[i] = vint[i] > vth[i];
    for (std::size_t i = 0; i < n; ++i) {
      Int vu = vint[i];
      if (spike[i] && p_.reset_mode == 0) vu = p_.VR;
      if (spike[i] && p_.reset_mode == 1) vu = vint[i] - vth[i];
      if (spike[i] && p_.reset_mode == 2) vu = vint[i] - p_.dV;
      Int next = p_.Vinit;
      if (!finished) next = p_.Vleaky_adpt_en ? floor_div(vu * p_.Vleaky_alpha, 256) + p_.Vleaky_beta : vu + p_.Vleaky_beta;
      vn[i] = std::max(clip(next, -m27, m27 - 1), p_.VL);
    }
    std::vector<Int> vtheta_next(vtheta_.size());
    for (std::size_t j = 0; j < vtheta_.size(); ++j) {
      Int t = p_.Vth_adpt_en ? floor_div(vtheta_[j] * p_.Vth_alpha, 256) + p_.Vth_beta : vtheta_[j] + p_.Vth_beta;
      if (spike[j]) t += p_.Vth_Incre;
      vtheta_next[j] = clip(t, -m27, m27 - 1);
    }
    const Int divisor = 2 * power(4, static_cast<int>(p_.bit_shift_num));
    for (std::size_t i = 0; i < n; ++i) {
      switch (p_.fire_type) {
        case 0: out[i] = vint[i]; break;
        case 1: out[i] = vn[i]; break;
        case 2: out[i] = clip(vint[i] / divisor, -128, 127); break;
        case 3: out[i] = clip(vn[i] / divisor, -128, 127); break;
        case 4:
        case 5: out[i] = spike[i] ? 1 : 0; break;
        case 6: out[i] = mask[i]; break;
        default: out[i] = low_bits_signed(mask[i], 8); break;
      }
    }
    for (std::size_t i = 0; i < n; ++i) ref_[i] = spike[i] ? ((p_.Ref_len % 16) + 16) % 16 : std::max<Int>(ref_[i] - 1, 0);
    if (p_.Tw_en) window_count_ = window_count_ == p_.Tw_len ? 0 : low_bits_signed(window_count_ + 1, 32);
    v_ = vn;
    vtheta_ = vtheta_next;
    return {out, v_, ref_, vtheta_, spike};
  }

 private:
  LifParameters p_;
  std::vector<Int> vm_, v_, ref_, vtheta_;
  BitLfsr lfsr_;
  Int window_count_;
};

}  // namespace tianjic_reference
