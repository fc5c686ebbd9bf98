// Primitive 08, the LIF soma, on vectors worked by hand from docs/tianjic.md: the document's
// worked example, every reset mode, both leaks and the floors, refractoriness (including a
// refractory neuron firing again), adaptive and shared thresholds, LFSR noise with positive,
// negative and zero seeds, time windows, every fire_type, the 28-bit clamps and the counters.
#include <catch2/catch.hpp>

#include <climits>
#include <cstdint>
#include <vector>

#include "reference_model.hpp"
#include "tianjic/lif_soma.hpp"

using namespace tandem;
using namespace tandem::tianjic;

namespace {

using Values = std::vector<std::int32_t>;
constexpr std::int32_t membrane_floor = -(1 << 27);
constexpr std::int32_t membrane_ceiling = (1 << 27) - 1;

// n neurons, no noise, no leak, no adaptation, threshold 0, reset to 0, a time window that never
// finishes (Tw_cnt 0 < Tw_len; Tw_finish is read even with Tw_en off), output register = Vint.
LifParameters quiet(std::int32_t neurons) {
  LifParameters p;
  p.neuron_num = neurons;
  p.group_num = 1;
  p.VL = membrane_floor;
  p.Tw_cnt = 0;
  p.Tw_len = INT32_MAX;
  p.VM_len = 1;
  p.Vtheta_len = 1;
  return p;
}

LifSoma soma(const LifParameters& p, Values V, std::vector<std::uint8_t> ref_cnt = {}, Values Vtheta = {0},
             Values noise_mask = {0}) {
  if (ref_cnt.empty()) ref_cnt.assign(V.size(), 0);
  return LifSoma(p, std::move(noise_mask), LifState{std::move(V), std::move(ref_cnt), std::move(Vtheta)});
}

Values step(LifSoma& lif, const Values& Uin) {
  Values out(Uin.size());
  OpCounts counts;
  lif.step(Uin, out, counts);
  return out;
}

std::vector<std::uint8_t> counters(std::initializer_list<int> values) {
  std::vector<std::uint8_t> out;
  for (const int v : values) out.push_back(static_cast<std::uint8_t>(v));
  return out;
}

}  // namespace

TEST_CASE("tianjic lif: the worked example of the specification", "[tianjic][lif]") {
  // Reset mode 1, multiplicative leak alpha 230, Ref_len 2, Vth0 100, no noise.
  LifParameters p = quiet(3);
  p.reset_mode = 1;
  p.Vleaky_adpt_en = 1;
  p.Vleaky_alpha = 230;
  p.Ref_len = 2;
  p.Vth0 = 100;
  LifSoma lif = soma(p, {33, 99, -7}, counters({0, 2, 1}));
  // Vint: 33 + 8 = 41; 99 (refractory: 146 not integrated); -7 (refractory: 46 not integrated).
  CHECK(step(lif, {8, 146, 46}) == Values{41, 99, -7});
  // Vn: floor(41·230/256) = 36, floor(99·230/256) = 88, floor(-7·230/256) = floor(-6.29) = -7.
  CHECK(lif.state().V == Values{36, 88, -7});
  CHECK(lif.state().ref_cnt == counters({0, 1, 0}));
  CHECK(lif.state().Vtheta == Values{0});
}

TEST_CASE("tianjic lif: the three reset modes and no reset", "[tianjic][lif]") {
  // V 0 + Uin 150 = 150 > Vth 100: a spike. VR -5, dV 30, constant leak 0.
  const auto after_spike = [](std::int32_t mode) {
    LifParameters p = quiet(1);
    p.Vth0 = 100;
    p.VR = -5;
    p.dV = 30;
    p.reset_mode = mode;
    p.fire_type = static_cast<std::int32_t>(FireType::spike);
    LifSoma lif = soma(p, {0});
    REQUIRE(step(lif, {150}) == Values{1});
    return lif.state().V[0];
  };
  CHECK(after_spike(0) == -5);   // to VR
  CHECK(after_spike(1) == 50);   // Vint - Vth
  CHECK(after_spike(2) == 120);  // Vint - dV
  CHECK(after_spike(3) == 150);  // any other mode: no reset
  CHECK(after_spike(-1) == 150);
  CHECK(after_spike(7) == 150);
}

TEST_CASE("tianjic lif: the threshold is strict", "[tianjic][lif]") {
  LifParameters p = quiet(2);
  p.Vth0 = 100;
  p.fire_type = static_cast<std::int32_t>(FireType::spike);
  LifSoma lif = soma(p, {0, 0});
  CHECK(step(lif, {100, 101}) == Values{0, 1});
  CHECK(lif.state().V == Values{100, 0});
}

TEST_CASE("tianjic lif: multiplicative leak floors, so negative membranes leak to -1", "[tianjic][lif]") {
  LifParameters p = quiet(3);
  p.Vth0 = 1000;
  p.Vleaky_adpt_en = 1;
  p.Vleaky_alpha = 128;
  p.Vleaky_beta = 3;
  LifSoma lif = soma(p, {-3, 5, -1});
  step(lif, {0, 0, 0});
  // floor(-3·128/256) + 3 = floor(-1.5) + 3 = 1; floor(2.5) + 3 = 5; floor(-0.5) + 3 = 2.
  CHECK(lif.state().V == Values{1, 5, 2});

  LifParameters decay = quiet(2);
  decay.Vth0 = 1000;
  decay.Vleaky_adpt_en = 1;
  decay.Vleaky_alpha = 200;
  LifSoma toward = soma(decay, {-1, 40});
  for (int t = 0; t < 30; ++t) step(toward, {0, 0});
  // -1 stays -1 for ever (floor(-200/256) = -1); a positive membrane reaches 0.
  CHECK(toward.state().V == Values{-1, 0});
}

TEST_CASE("tianjic lif: constant leak, floored by VL", "[tianjic][lif]") {
  LifParameters p = quiet(1);
  p.Vth0 = 1000;
  p.Vleaky_beta = -4;
  p.VL = -5;
  LifSoma lif = soma(p, {10});
  Values trace;
  for (int t = 0; t < 6; ++t) {
    step(lif, {0});
    trace.push_back(lif.state().V[0]);
  }
  CHECK(trace == Values{6, 2, -2, -5, -5, -5});  // -6 is floored to VL
}

TEST_CASE("tianjic lif: VL floors the threshold as well as the membrane", "[tianjic][lif]") {
  // Vth0 -100 is raised to VL 0: Vint -50 does not exceed it (it would exceed -100).
  LifParameters p = quiet(1);
  p.Vth0 = -100;
  p.VL = 0;
  p.fire_type = static_cast<std::int32_t>(FireType::spike);
  LifSoma lif = soma(p, {0});
  CHECK(step(lif, {-50}) == Values{0});
  CHECK(lif.state().V == Values{0});  // max(-50, VL)
  CHECK(step(lif, {1}) == Values{1});
}

TEST_CASE("tianjic lif: refractory neurons neither integrate nor stop leaking", "[tianjic][lif]") {
  LifParameters p = quiet(1);
  p.Vth0 = 10;
  p.Ref_len = 3;
  p.fire_type = static_cast<std::int32_t>(FireType::spike);
  LifSoma lif = soma(p, {0});
  Values spikes;
  std::vector<std::uint8_t> counts;
  for (int t = 0; t < 6; ++t) {
    spikes.push_back(step(lif, {20})[0]);
    counts.push_back(lif.state().ref_cnt[0]);
  }
  // Fires, three refractory steps (3, 2, 1 gate the input), then integrates and fires again.
  CHECK(spikes == Values{1, 0, 0, 0, 1, 0});
  CHECK(counts == counters({3, 2, 1, 0, 3, 2}));

  LifParameters leaky = quiet(1);
  leaky.Vth0 = 1000;
  leaky.Vleaky_beta = -2;
  LifSoma leaking = soma(leaky, {50}, counters({2}));
  step(leaking, {500});
  CHECK(leaking.state().V == Values{48});  // input ignored, leak applied
  CHECK(leaking.state().ref_cnt == counters({1}));
}

TEST_CASE("tianjic lif: a refractory neuron above threshold fires again", "[tianjic][lif]") {
  // No reset (mode 3): the membrane stays at 50 > 10, and the spike is not gated by ref_cnt.
  LifParameters p = quiet(1);
  p.Vth0 = 10;
  p.Ref_len = 2;
  p.reset_mode = 3;
  p.fire_type = static_cast<std::int32_t>(FireType::spike);
  LifSoma lif = soma(p, {0});
  CHECK(step(lif, {50}) == Values{1});
  CHECK(step(lif, {1000}) == Values{1});  // refractory: 1000 ignored, 50 still fires
  CHECK(step(lif, {1000}) == Values{1});
  CHECK(lif.state().V == Values{50});
  CHECK(lif.state().ref_cnt == counters({2}));  // re-armed by every spike

  // Reset by a small dV leaves the membrane above threshold too: 50 -> 45 -> 40 …, each step a spike.
  p.reset_mode = 2;
  p.dV = 5;
  LifSoma subtracting = soma(p, {0});
  CHECK(step(subtracting, {50}) == Values{1});
  CHECK(step(subtracting, {0}) == Values{1});
  CHECK(subtracting.state().V == Values{40});
}

TEST_CASE("tianjic lif: Ref_len acts modulo 16", "[tianjic][lif]") {
  const auto counter_after_spike = [](std::int32_t ref_len) {
    LifParameters p = quiet(1);
    p.Ref_len = ref_len;
    LifSoma lif = soma(p, {0});
    step(lif, {5});
    return static_cast<int>(lif.state().ref_cnt[0]);
  };
  CHECK(counter_after_spike(15) == 15);
  CHECK(counter_after_spike(16) == 0);
  CHECK(counter_after_spike(17) == 1);
  CHECK(counter_after_spike(-1) == 15);
  // Ref_len 16 is no refractory period at all: the next input is integrated.
  LifParameters p = quiet(1);
  p.Ref_len = 16;
  p.Vth0 = 3;
  p.reset_mode = 3;
  LifSoma lif = soma(p, {0});
  step(lif, {5});
  CHECK(step(lif, {7}) == Values{12});
}

TEST_CASE("tianjic lif: adaptive threshold offsets", "[tianjic][lif]") {
  LifParameters p = quiet(1);
  p.Vth_adpt_en = 1;
  p.Vth_alpha = 128;  // halves
  p.Vth_beta = 2;
  p.Vth_Incre = 40;
  p.fire_type = static_cast<std::int32_t>(FireType::spike);
  LifSoma lif = soma(p, {0}, {}, {100});
  CHECK(step(lif, {150}) == Values{1});  // Vth = 0 + 100
  CHECK(lif.state().Vtheta == Values{50 + 2 + 40});
  CHECK(step(lif, {0}) == Values{0});
  CHECK(lif.state().Vtheta == Values{46 + 2});
  step(lif, {0});
  CHECK(lif.state().Vtheta == Values{24 + 2});
  // A negative offset floors: floor(-3·128/256) = -2 (Vth0 1000 keeps the neuron silent).
  p.Vth0 = 1000;
  LifSoma negative = soma(p, {0}, {}, {-3});
  step(negative, {0});
  CHECK(negative.state().Vtheta == Values{-2 + 2});
}

TEST_CASE("tianjic lif: constant threshold drift, increments and the 28-bit clamp", "[tianjic][lif]") {
  LifParameters p = quiet(1);
  p.Vth_beta = -1;
  p.Vth_Incre = 10;
  p.Vth0 = 20;
  p.fire_type = static_cast<std::int32_t>(FireType::spike);
  LifSoma lif = soma(p, {0}, {}, {5});
  CHECK(step(lif, {26}) == Values{1});  // 26 > 20 + 5
  CHECK(lif.state().Vtheta == Values{5 - 1 + 10});
  CHECK(step(lif, {0}) == Values{0});
  CHECK(lif.state().Vtheta == Values{13});

  p.Vth_beta = 10;
  LifSoma high = soma(p, {0}, {}, {membrane_ceiling});
  step(high, {0});
  CHECK(high.state().Vtheta == Values{membrane_ceiling});
  p.Vth_beta = INT32_MIN;
  LifSoma low = soma(p, {0}, {}, {0});
  step(low, {0});
  CHECK(low.state().Vtheta == Values{membrane_floor});
}

TEST_CASE("tianjic lif: shared thresholds are driven by neurons 0 … Vtheta_len-1 only", "[tianjic][lif]") {
  // Four neurons share two offsets [10, 20]: neurons 0, 2 use the first, 1, 3 the second.
  LifParameters p = quiet(4);
  p.Vtheta_len = 2;
  p.Vth_Incre = 5;
  p.fire_type = static_cast<std::int32_t>(FireType::spike);
  LifSoma lif = soma(p, {0, 0, 0, 0}, {}, {10, 20});
  // Neuron 2 fires (11 > 10), neuron 3 does not (20 is not > 20): offsets unchanged, only
  // neurons 0 and 1 drive them.
  CHECK(step(lif, {0, 0, 11, 20}) == Values{0, 0, 1, 0});
  CHECK(lif.state().Vtheta == Values{10, 20});
  // Neuron 1 fires: its offset rises to 25 — after the step. Neuron 3 still compares with 20
  // this step (its membrane 20 + 2 = 22 fires), and with 25 the next.
  CHECK(step(lif, {0, 21, 0, 2}) == Values{0, 1, 0, 1});
  CHECK(lif.state().Vtheta == Values{10, 25});
  CHECK(step(lif, {0, 0, 0, 24}) == Values{0, 0, 0, 0});  // neuron 3 was reset to 0: 24 < 25
  CHECK(step(lif, {0, 0, 0, 2}) == Values{0, 0, 0, 1});   // 26 > 25
}

TEST_CASE("tianjic lif: LFSR noise from a positive seed", "[tianjic][lif][lfsr]") {
  // Seed 1: l = 0x80000000 for neuron 0, 0x40000000 for neuron 1 (noise_lfsr_test.cpp).
  LifParameters p = quiet(2);
  p.seed = 1;
  p.fire_type = static_cast<std::int32_t>(FireType::noise_mask);
  LifSoma raw = soma(p, {0, 0}, {}, {0}, {-1});
  CHECK(step(raw, {0, 0}) == Values{-0x7fffffff, 0x40000000});
  // The LFSR persists: the next step continues with 0x20000000 and 0x10000000.
  CHECK(step(raw, {0, 0}) == Values{0x20000000, 0x10000000});
  p.fire_type = static_cast<std::int32_t>(FireType::noise_mask_byte);
  LifSoma byte = soma(p, {0, 0}, {}, {0}, {-1});
  CHECK(step(byte, {0, 0}) == Values{1, 0});  // 0x80000001 -> byte 0x01
  // With VM 0x0fffffff neuron 0's mask is -0x0fffffff = 0xf0000001, whose 28-bit noise is +1:
  // the threshold is 1, so 1 does not fire and 2 does.
  p.fire_type = static_cast<std::int32_t>(FireType::spike);
  p.neuron_num = 1;
  LifSoma once = soma(p, {0}, {}, {0}, {0x0fffffff});
  CHECK(step(once, {1}) == Values{0});
  LifSoma twice = soma(p, {0}, {}, {0}, {0x0fffffff});
  CHECK(step(twice, {2}) == Values{1});
}

TEST_CASE("tianjic lif: LFSR noise from negative seeds", "[tianjic][lif][lfsr]") {
  // Seed -1 is 0xffffffff: l = 0x7fffffff, mask = l & 0xff = 255 = the noise; byte 0xff reads -1.
  LifParameters p = quiet(1);
  p.seed = -1;
  p.fire_type = static_cast<std::int32_t>(FireType::noise_mask);
  LifSoma raw = soma(p, {0}, {}, {0}, {0xff});
  CHECK(step(raw, {0}) == Values{255});
  p.fire_type = static_cast<std::int32_t>(FireType::noise_mask_byte);
  LifSoma byte = soma(p, {0}, {}, {0}, {0xff});
  CHECK(step(byte, {0}) == Values{-1});
  p.fire_type = static_cast<std::int32_t>(FireType::spike);
  LifSoma below = soma(p, {0}, {}, {0}, {0xff});
  CHECK(step(below, {255}) == Values{0});
  LifSoma above = soma(p, {0}, {}, {0}, {0xff});
  CHECK(step(above, {256}) == Values{1});
  // Seed -2: l = -1, so ~l = 0 and the mask is 0 whatever VM is.
  p.seed = -2;
  p.fire_type = static_cast<std::int32_t>(FireType::noise_mask);
  LifSoma zero = soma(p, {0}, {}, {0}, {-1});
  CHECK(step(zero, {0}) == Values{0});
}

TEST_CASE("tianjic lif: seed 0 gives no noise, ever", "[tianjic][lif][lfsr]") {
  LifParameters p = quiet(3);
  p.seed = 0;
  p.fire_type = static_cast<std::int32_t>(FireType::noise_mask);
  LifSoma lif = soma(p, {0, 0, 0}, {}, {0}, {-1});
  for (int t = 0; t < 50; ++t) REQUIRE(step(lif, {0, 0, 0}) == Values{0, 0, 0});
  CHECK(lif.lfsr_state() == 0U);
}

TEST_CASE("tianjic lif: the LFSR advances once per neuron per step", "[tianjic][lif][lfsr]") {
  LifParameters p = quiet(6);
  p.group_num = 1;
  p.seed = -123456789;
  LifSoma lif = soma(p, Values(6, 0));
  tianjic_reference::BitLfsr reference(p.seed);
  for (int t = 0; t < 7; ++t) step(lif, Values(6, 0));
  tianjic_reference::Int last = 0;
  for (int k = 0; k < 6 * 7; ++k) last = reference.advance();
  CHECK(static_cast<std::int32_t>(lif.lfsr_state()) == last);
}

TEST_CASE("tianjic lif: time windows reset to Vinit; Tw_finish is read first and ignores Tw_en",
          "[tianjic][lif]") {
  LifParameters p = quiet(1);
  p.Vth0 = 1000;
  p.Vleaky_beta = 1;
  p.Vinit = 7;
  p.Tw_len = 2;
  p.Tw_cnt = 0;
  p.Tw_en = 1;
  LifSoma lif = soma(p, {0});
  Values trace;
  std::vector<std::int32_t> windows;
  for (int t = 0; t < 7; ++t) {
    step(lif, {0});
    trace.push_back(lif.state().V[0]);
    windows.push_back(lif.window_count());
  }
  // Tw_cnt 0, 1 leak; at 2 (>= Tw_len) V = Vinit and the counter wraps to 0; and again.
  CHECK(trace == Values{1, 2, 7, 8, 9, 7, 8});
  CHECK(windows == Values{1, 2, 0, 1, 2, 0, 1});

  // Tw_en off, Tw_cnt 5 >= Tw_len 3: finished every step, the counter never moves.
  p.Tw_en = 0;
  p.Tw_cnt = 5;
  p.Tw_len = 3;
  LifSoma stuck = soma(p, {0});
  for (int t = 0; t < 3; ++t) {
    step(stuck, {100});
    CHECK(stuck.state().V == Values{7});
    CHECK(stuck.window_count() == 5);
  }
  // A finishing window still fires: the spike is decided before the membrane is replaced.
  p.Vth0 = 10;
  p.fire_type = static_cast<std::int32_t>(FireType::spike);
  LifSoma firing = soma(p, {0});
  CHECK(step(firing, {50}) == Values{1});
  CHECK(firing.state().V == Values{7});
}

TEST_CASE("tianjic lif: the output register for every fire_type", "[tianjic][lif]") {
  // One neuron: V 0, Uin -7 (no spike at Vth0 100): Vint -7, Vn = floor(-7·128/256) + 0 = -4.
  const auto output = [](FireType type, std::int32_t bsn, std::int32_t uin, std::int32_t seed = 0) {
    LifParameters p = quiet(1);
    p.Vth0 = 100;
    p.Vleaky_adpt_en = 1;
    p.Vleaky_alpha = 128;
    p.fire_type = static_cast<std::int32_t>(type);
    p.bit_shift_num = bsn;
    p.seed = seed;
    LifSoma lif = soma(p, {0}, {}, {0}, {0x0fff0000});
    return step(lif, {uin})[0];
  };
  CHECK(output(FireType::integrated, 0, -7) == -7);
  CHECK(output(FireType::updated, 0, -7) == -4);
  // D = 2 << 0 = 2, truncating: -7 / 2 = -3 (a floor would give -4).
  CHECK(output(FireType::integrated_scaled, 0, -7) == -3);
  CHECK(output(FireType::updated_scaled, 0, -7) == -2);
  // D = 2 << 2 = 8 for bsn 1 (not 4^1): -15 / 8 = -1 (floor -2; floor by 4 would be -4).
  CHECK(output(FireType::integrated_scaled, 1, -15) == -1);
  CHECK(output(FireType::integrated_scaled, 1, 99) == 12);
  // Clipped to int8 after the division: 300 / 2 = 150 -> 127; -301 / 2 = -150 -> -128.
  CHECK(output(FireType::integrated_scaled, 0, -301) == -128);
  CHECK(output(FireType::integrated_scaled, 0, 255) == 127);
  CHECK(output(FireType::updated_scaled, 0, -600) == -128);  // Vn = -300
  // Spikes (5 is packed on the chip; decoded per neuron here).
  CHECK(output(FireType::spike, 0, 101) == 1);
  CHECK(output(FireType::spike, 0, 100) == 0);
  CHECK(output(FireType::spike_packed, 0, 101) == 1);
  CHECK(output(FireType::spike_packed, 0, 99) == 0);
  // The mask, raw and its low byte: seed -1 gives l = 0x7fffffff, & 0x0fff0000.
  CHECK(output(FireType::noise_mask, 0, 0, -1) == 0x0fff0000);
  CHECK(output(FireType::noise_mask_byte, 0, 0, -1) == 0);
  CHECK(output(FireType::noise_mask, 0, 0, 0) == 0);
}

TEST_CASE("tianjic lif: D = 2 << 2·bsn for every accepted bit_shift_num, truncating", "[tianjic][lif]") {
  const auto scaled = [](std::int32_t bsn, std::int32_t uin) {
    LifParameters p = quiet(1);
    p.Vth0 = membrane_ceiling;
    p.fire_type = static_cast<std::int32_t>(FireType::integrated_scaled);
    p.bit_shift_num = bsn;
    LifSoma lif = soma(p, {0});
    return step(lif, {uin})[0];
  };
  for (std::int32_t bsn = 0; bsn <= 12; ++bsn) {
    CAPTURE(bsn);
    const std::int32_t divisor = 2 << (2 * bsn);
    // ±(3D - 1) is ±2.99… D: truncation gives ±2 (a floor would give -3 for the negative one).
    CHECK(scaled(bsn, 3 * divisor - 1) == 2);
    CHECK(scaled(bsn, -(3 * divisor - 1)) == -2);
    CHECK(scaled(bsn, -divisor) == -1);
  }
  // From bsn 13 on, D = 2^27 or more exceeds every 28-bit membrane but -2^27: all truncate to 0.
  for (std::int32_t bsn = 13; bsn <= 15; ++bsn) {
    CAPTURE(bsn);
    CHECK(scaled(bsn, membrane_ceiling) == 0);
    CHECK(scaled(bsn, -membrane_ceiling) == 0);
  }
  CHECK(scaled(13, membrane_floor) == -1);  // -2^27 / 2^27
}

TEST_CASE("tianjic lif: integration clamps to 28 bits; the threshold sum wraps in int32", "[tianjic][lif]") {
  LifParameters p = quiet(2);
  p.Vth0 = membrane_ceiling;
  p.reset_mode = 3;
  LifSoma lif = soma(p, {membrane_ceiling - 10, membrane_floor});
  CHECK(step(lif, {1000, INT32_MIN}) == Values{membrane_ceiling, membrane_floor});
  CHECK(step(lif, {INT32_MAX, INT32_MAX}) == Values{membrane_ceiling, membrane_ceiling});

  // Vth0 = INT32_MAX plus an offset of 1 wraps to INT32_MIN, clamps to -2^27: membrane 0 fires.
  LifParameters wrap = quiet(1);
  wrap.Vth0 = INT32_MAX;
  wrap.fire_type = static_cast<std::int32_t>(FireType::spike);
  LifSoma wrapped = soma(wrap, {0}, {}, {1});
  CHECK(step(wrapped, {0}) == Values{1});
  LifSoma unwrapped = soma(wrap, {0}, {}, {0});
  CHECK(step(unwrapped, {0}) == Values{0});  // INT32_MAX clamps to 2^27 - 1
}

TEST_CASE("tianjic lif: counts one update per neuron and one spike per firing", "[tianjic][lif]") {
  LifParameters p = quiet(3);
  p.Vth0 = 10;
  LifSoma lif = soma(p, {0, 0, 0});
  Values out(3);
  OpCounts counts;
  lif.step(Values{11, 5, 20}, out, counts);
  lif.step(Values{0, 6, 0}, out, counts);
  CHECK(counts[Op::neuron_update] == 6);
  CHECK(counts[Op::spike] == 3);  // 0 and 2, then 1 (5 + 6 = 11)
  CHECK(counts[Op::mac] == 0);
}

TEST_CASE("tianjic lif: inconsistent shapes and values are refused", "[tianjic][lif]") {
  LifParameters p = quiet(4);
  CHECK_THROWS_AS(soma(p, {0, 0, 0}), std::invalid_argument);          // 3 membranes for 4 neurons
  CHECK_THROWS_AS(soma(p, {0, 0, 0, 1 << 27}), std::invalid_argument);  // beyond 28 bits
  CHECK_THROWS_AS(soma(p, {0, 0, 0, 0}, counters({0, 0, 0, 16})), std::invalid_argument);
  p.Vtheta_len = 3;  // does not divide 4
  CHECK_THROWS_AS(soma(p, {0, 0, 0, 0}, {}, {0, 0, 0}), std::invalid_argument);
  p.Vtheta_len = 2;
  CHECK_THROWS_AS(soma(p, {0, 0, 0, 0}, {}, {0}), std::invalid_argument);  // Vtheta length
  p.Vtheta_len = 1;
  p.fire_type = 8;
  CHECK_THROWS_AS(soma(p, {0, 0, 0, 0}), std::invalid_argument);
  p.fire_type = 0;
  LifSoma lif = soma(p, {0, 0, 0, 0});
  Values out(4);
  OpCounts counts;
  CHECK_THROWS_AS(lif.step(Values{1, 2}, out, counts), std::invalid_argument);
}
