#include "tianjic/lif_soma.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "tianjic/integer_arithmetic.hpp"

namespace tandem::tianjic {

namespace {

void require(bool condition, const char* what) {
  if (!condition) throw std::invalid_argument(std::string("LifSoma: ") + what);
}

bool tiles(std::int32_t length, std::size_t neurons) {
  return length >= 1 && neurons % static_cast<std::size_t>(length) == 0;
}

constexpr std::int64_t clip_int8(std::int64_t x) { return std::clamp<std::int64_t>(x, -128, 127); }

}  // namespace

LifNeuronStep lif_neuron_step(const LifParameters& p, bool window_finished, std::int64_t threshold, std::int32_t Uin,
                              std::int32_t& V, std::uint8_t& ref_cnt) {
  // Step 3: a refractory neuron keeps its membrane and ignores its input.
  const std::int64_t membrane = V;
  const std::int64_t integrated = clamp_membrane(ref_cnt == 0 ? membrane + Uin : membrane);
  // Step 4: strict, and deliberately not gated by ref_cnt: a refractory neuron whose
  // carried-over membrane is above threshold fires again.
  const bool spike = integrated > threshold;
  // Step 5.
  std::int64_t reset = integrated;
  if (spike) {
    if (p.reset_mode == 0) reset = p.VR;
    else if (p.reset_mode == 1) reset = integrated - threshold;
    else if (p.reset_mode == 2) reset = integrated - p.dV;
  }
  // Step 6: floor, so a negative membrane leaks toward -1, not 0. Exact in int64 (|reset| < 2^32).
  std::int64_t updated = 0;
  if (window_finished) updated = p.Vinit;
  else if (p.Vleaky_adpt_en != 0) updated = floor_divide_pow2(reset * p.Vleaky_alpha, 8) + p.Vleaky_beta;
  else updated = reset + p.Vleaky_beta;
  // Step 7: VL floors the membrane as it floored the threshold.
  updated = std::max<std::int64_t>(clamp_membrane(updated), p.VL);
  V = static_cast<std::int32_t>(updated);
  // Step 9: the counter is 4 bits wide, so Ref_len acts modulo 16.
  ref_cnt = spike ? static_cast<std::uint8_t>(p.Ref_len & 0xF) : static_cast<std::uint8_t>(ref_cnt > 0 ? ref_cnt - 1 : 0);
  return {integrated, updated, spike};
}

LifSoma::LifSoma(const LifParameters& parameters, std::vector<std::int32_t> noise_mask, LifState initial)
    : parameters_(parameters),
      noise_mask_(std::move(noise_mask)),
      state_(std::move(initial)),
      lfsr_(parameters.seed),
      window_count_(parameters.Tw_cnt) {
  require(parameters_.neuron_num >= 1 && parameters_.group_num >= 1, "neuron_num and group_num must be >= 1");
  const std::size_t neurons = parameters_.neurons();
  require(tiles(parameters_.VM_len, neurons), "VM_len must divide neuron_num * group_num");
  require(tiles(parameters_.Vtheta_len, neurons), "Vtheta_len must divide neuron_num * group_num");
  require(noise_mask_.size() == static_cast<std::size_t>(parameters_.VM_len), "noise mask length != VM_len");
  require(state_.V.size() == neurons && state_.ref_cnt.size() == neurons, "one V and one ref_cnt per neuron");
  require(state_.Vtheta.size() == static_cast<std::size_t>(parameters_.Vtheta_len), "Vtheta length != Vtheta_len");
  require(std::all_of(state_.V.begin(), state_.V.end(),
                      [](std::int32_t v) { return v >= membrane_min && v <= membrane_max; }),
          "V must be 28-bit");
  require(std::all_of(state_.ref_cnt.begin(), state_.ref_cnt.end(), [](std::uint8_t r) { return r < 16; }),
          "ref_cnt must be 4-bit");
  require(parameters_.fire_type >= 0 && parameters_.fire_type <= 7, "fire_type must be 0 ... 7");
  require(parameters_.bit_shift_num >= 0 && parameters_.bit_shift_num <= max_bit_shift_num,
          "bit_shift_num out of range");
  fired_.assign(neurons, 0);
}

std::int32_t LifSoma::output_register(std::int64_t integrated, std::int64_t updated, bool spike,
                                      std::int32_t mask) const {
  // D = 2 << (2 bsn) = 2^(2 bsn + 1), and this primitive truncates where the others floor.
  const int divisor_bits = 2 * parameters_.bit_shift_num + 1;
  switch (static_cast<FireType>(parameters_.fire_type)) {
    case FireType::integrated: return static_cast<std::int32_t>(integrated);
    case FireType::updated: return static_cast<std::int32_t>(updated);
    case FireType::integrated_scaled:
      return static_cast<std::int32_t>(clip_int8(truncate_divide_pow2(integrated, divisor_bits)));
    case FireType::updated_scaled:
      return static_cast<std::int32_t>(clip_int8(truncate_divide_pow2(updated, divisor_bits)));
    case FireType::spike:
    case FireType::spike_packed: return spike ? 1 : 0;
    case FireType::noise_mask: return mask;
    case FireType::noise_mask_byte: return sign_extend(static_cast<std::uint32_t>(mask), 8);
  }
  return 0;
}

void LifSoma::step(std::span<const std::int32_t> Uin, std::span<std::int32_t> out, OpCounts& executed) {
  const LifParameters& p = parameters_;
  const std::size_t neurons = p.neurons();
  require(Uin.size() == neurons && out.size() == neurons, "one Uin and one output per neuron");
  const auto vm_len = static_cast<std::size_t>(p.VM_len);
  const auto theta_len = static_cast<std::size_t>(p.Vtheta_len);
  // Step 1: read before the counter moves at the end of the step, and whether or not Tw_en is set.
  const bool window_finished = window_count_ >= p.Tw_len;
  std::size_t spikes = 0;
  for (std::size_t i = 0; i < neurons; ++i) {
    // The LFSR advances once per neuron, in neuron order, every step.
    const std::int32_t mask = noise_mask(lfsr_.advance(), noise_mask_[i % vm_len]);
    // Step 2. Every neuron reads the offsets as they were at the start of the step (step 8
    // runs after the loop), which matters only for neurons sharing an offset. The sum is
    // int32 arithmetic: it wraps before the 28-bit clamp.
    const std::int64_t sum = std::int64_t{p.Vth0} + state_.Vtheta[i % theta_len] + threshold_noise(mask);
    const std::int64_t threshold = std::max<std::int64_t>(clamp_membrane(wrap_int32(sum)), p.VL);
    const LifNeuronStep result = lif_neuron_step(p, window_finished, threshold, Uin[i], state_.V[i], state_.ref_cnt[i]);
    const bool spike = result.spike;
    fired_[i] = spike ? 1 : 0;
    spikes += spike ? 1 : 0;
    // Step 10.
    out[i] = output_register(result.integrated, result.updated, spike, mask);
  }
  // Step 8: only neurons 0 … Vtheta_len-1 drive the offsets; with a shared threshold the other
  // neurons' spikes do not move it.
  for (std::size_t j = 0; j < theta_len; ++j) {
    const std::int64_t theta = state_.Vtheta[j];
    std::int64_t adapted = p.Vth_adpt_en != 0 ? floor_divide_pow2(theta * p.Vth_alpha, 8) + p.Vth_beta : theta + p.Vth_beta;
    if (fired_[j] != 0) adapted += p.Vth_Incre;
    state_.Vtheta[j] = static_cast<std::int32_t>(clamp_membrane(adapted));
  }
  // Step 11.
  if (p.Tw_en != 0) window_count_ = window_count_ == p.Tw_len ? 0 : wrap_int32(std::int64_t{window_count_} + 1);
  executed.add(Op::neuron_update, neurons);
  executed.add(Op::spike, spikes);
}

}  // namespace tandem::tianjic
