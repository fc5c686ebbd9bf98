// Primitive 08, Tianjic's LIF soma, step by step as docs/tianjic.md lists it: threshold
// Vth0 + Vtheta + LFSR noise floored at VL; integration unless refractory; strict threshold
// (not gated by the refractory counter); reset to VR, by subtracting Vth or by subtracting dV,
// or none; multiplicative or constant leak, or Vinit when the time window finishes; the VL
// floor; threshold adaptation; a 4-bit refractory counter; the output register by fire_type.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/op_counts.hpp"
#include "tianjic/noise_lfsr.hpp"

namespace tandem::tianjic {

// Field names are the primitive's own (docs/tianjic.md, the simulator, the chip's manual), so
// that a parameter can be looked up in any of them without translation.
struct LifParameters {
  std::int32_t neuron_num = 1;
  std::int32_t group_num = 1;
  std::int32_t seed = 0;
  std::int32_t Vth0 = 0;
  std::int32_t Vth_adpt_en = 0;
  std::int32_t Vth_alpha = 0;
  std::int32_t Vth_beta = 0;
  std::int32_t Vth_Incre = 0;
  std::int32_t VR = 0;
  std::int32_t VL = INT32_MIN;
  std::int32_t Vleaky_adpt_en = 0;
  std::int32_t Vleaky_alpha = 0;
  std::int32_t Vleaky_beta = 0;
  std::int32_t dV = 0;
  std::int32_t Ref_len = 0;
  std::int32_t Tw_cnt = 0;
  std::int32_t Vinit = 0;
  std::int32_t Tw_len = 0;
  std::int32_t Tw_en = 0;
  std::int32_t VM_len = 1;
  std::int32_t Vtheta_len = 1;
  std::int32_t reset_mode = 0;
  std::int32_t fire_type = 0;
  // Divides the output register of fire types 2 and 3 by 2 << (2 · bit_shift_num). The tool
  // flow never sets it (so 0, D = 2); tandem applies the value given, as the formula reads.
  std::int32_t bit_shift_num = 0;

  [[nodiscard]] std::size_t neurons() const {
    return static_cast<std::size_t>(neuron_num) * static_cast<std::size_t>(group_num);
  }
};

// What each fire_type puts in the output register (decoded per neuron, not packed in words).
enum class FireType : std::int32_t {
  integrated = 0,         // Vint, the membrane after integration
  updated = 1,            // Vn, the membrane after reset, leak and floor
  integrated_scaled = 2,  // clip8(Vint / D), truncating
  updated_scaled = 3,     // clip8(Vn / D), truncating
  spike = 4,
  spike_packed = 5,       // spikes in 2-bit lanes on the chip; 0/1 per neuron here
  noise_mask = 6,         // the raw 32-bit noise mask
  noise_mask_byte = 7,    // its low byte, sign-extended
};

// What one neuron's step computed: the membrane after integration (Vint), after reset, leak and
// floor (Vn, also written back), and whether it fired.
struct LifNeuronStep {
  std::int64_t integrated;
  std::int64_t updated;
  bool spike;
};

// Steps 3 to 7 and 9 of one neuron given this step's threshold (step 2), as LifSoma::step runs
// them; also the neuron update of populations in `tianjic` precision (neurons/tianjic_lif.hpp),
// so that the two cannot drift apart. `window_finished`: the time window ends this step.
LifNeuronStep lif_neuron_step(const LifParameters& p, bool window_finished, std::int64_t threshold, std::int32_t Uin,
                              std::int32_t& V, std::uint8_t& ref_cnt);

// Per-neuron state, and the shared threshold offsets.
struct LifState {
  std::vector<std::int32_t> V;        // 28-bit membranes
  std::vector<std::uint8_t> ref_cnt;  // 4-bit refractory counters
  std::vector<std::int32_t> Vtheta;   // Vtheta_len threshold offsets
};

class LifSoma {
 public:
  // Requires: N = neuron_num · group_num >= 1; VM_len and Vtheta_len divide N (the vectors are
  // tiled over the neurons); noise_mask has VM_len entries; initial.V and initial.ref_cnt have N
  // (V 28-bit, ref_cnt < 16) and initial.Vtheta Vtheta_len; fire_type 0 … 7; bit_shift_num
  // 0 … max_bit_shift_num. Violations throw std::invalid_argument (callers validate input first).
  LifSoma(const LifParameters& parameters, std::vector<std::int32_t> noise_mask, LifState initial);

  // One time step: Uin[i] is neuron i's int32 input, out[i] its output register. Counts one
  // neuron update per neuron and one spike per neuron that fired.
  void step(std::span<const std::int32_t> Uin, std::span<std::int32_t> out, OpCounts& executed);

  [[nodiscard]] const LifParameters& parameters() const { return parameters_; }
  [[nodiscard]] const LifState& state() const { return state_; }
  // The time-window counter and the LFSR, which belong to the primitive and persist across steps.
  [[nodiscard]] std::int32_t window_count() const { return window_count_; }
  [[nodiscard]] std::uint32_t lfsr_state() const { return lfsr_.state(); }

 private:
  [[nodiscard]] std::int32_t output_register(std::int64_t integrated, std::int64_t updated, bool spike,
                                             std::int32_t mask) const;

  LifParameters parameters_;
  std::vector<std::int32_t> noise_mask_;
  LifState state_;
  NoiseLfsr lfsr_;
  std::int32_t window_count_;
  std::vector<std::uint8_t> fired_;  // this step's spikes, for the threshold update after the loop
};

}  // namespace tandem::tianjic
