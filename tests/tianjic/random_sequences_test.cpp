// Seeded random cases, long LIF sequences among them, run through the kernels and through the
// independent re-implementation in reference_model.hpp; every output and every state must agree.
// Values are mostly small (so neurons fire, leak and adapt) with rails and extremes mixed in
// (so the clamps, wraps and saturations are exercised too).
#include <catch2/catch.hpp>

#include <climits>
#include <cstdint>
#include <random>
#include <vector>

#include "reference_model.hpp"
#include "tianjic/compare.hpp"
#include "tianjic/cut.hpp"
#include "tianjic/integer_arithmetic.hpp"
#include "tianjic/lif_soma.hpp"
#include "tianjic/lookup_table.hpp"
#include "tianjic/vector_matrix.hpp"

using namespace tandem;
using namespace tandem::tianjic;
using tianjic_reference::Int;

namespace {

class Draw {
 public:
  explicit Draw(std::uint64_t seed) : engine_(seed) {}

  Int uniform(Int lo, Int hi) { return std::uniform_int_distribution<Int>(lo, hi)(engine_); }
  bool chance(int percent) { return uniform(1, 100) <= percent; }
  // Usually in [-typical, typical]; sometimes any int32, a rail, or a 28-bit edge.
  Int int32(Int typical) {
    const Int kind = uniform(0, 9);
    if (kind < 7) return uniform(-typical, typical);
    if (kind == 7) return uniform(INT32_MIN, INT32_MAX);
    if (kind == 8) {
      constexpr Int edges[] = {INT32_MIN, INT32_MAX, -(1LL << 27), (1LL << 27) - 1, 0, -1};
      return edges[uniform(0, 5)];
    }
    return uniform(-(1LL << 28), 1LL << 28);
  }
  // A divisor of n, at random.
  Int divisor(Int n) {
    std::vector<Int> divisors;
    for (Int d = 1; d <= n; ++d) {
      if (n % d == 0) divisors.push_back(d);
    }
    return divisors[static_cast<std::size_t>(uniform(0, static_cast<Int>(divisors.size()) - 1))];
  }

 private:
  std::mt19937_64 engine_;
};

std::vector<std::int32_t> narrow(const std::vector<Int>& values) {
  return std::vector<std::int32_t>(values.begin(), values.end());
}

std::vector<Int> widen(const std::vector<std::int32_t>& values) { return std::vector<Int>(values.begin(), values.end()); }

std::vector<Int> widen(const std::vector<std::uint8_t>& values) { return std::vector<Int>(values.begin(), values.end()); }

tianjic_reference::LifParameters random_lif_parameters(Draw& draw) {
  tianjic_reference::LifParameters p;
  p.neuron_num = draw.uniform(1, 5);
  p.group_num = draw.uniform(1, 3);
  const Int neurons = p.neuron_num * p.group_num;
  p.VM_len = draw.divisor(neurons);
  p.Vtheta_len = draw.divisor(neurons);
  p.seed = draw.chance(15) ? 0 : draw.int32(1000);
  p.Vth0 = draw.chance(85) ? draw.uniform(-50, 300) : draw.int32(1000);
  p.Vth_adpt_en = draw.uniform(0, 1);
  p.Vth_alpha = draw.chance(90) ? draw.uniform(0, 300) : draw.int32(300);
  p.Vth_beta = draw.chance(90) ? draw.uniform(-20, 20) : draw.int32(20);
  p.Vth_Incre = draw.chance(90) ? draw.uniform(0, 100) : draw.int32(100);
  p.VR = draw.int32(50);
  const Int floor_kind = draw.uniform(0, 3);
  p.VL = floor_kind == 0 ? -(1LL << 27) : floor_kind == 1 ? draw.uniform(-100, 50) : floor_kind == 2 ? INT32_MIN : draw.int32(100);
  p.Vleaky_adpt_en = draw.uniform(0, 1);
  p.Vleaky_alpha = draw.chance(90) ? draw.uniform(0, 300) : draw.int32(300);
  p.Vleaky_beta = draw.chance(90) ? draw.uniform(-20, 20) : draw.int32(20);
  p.dV = draw.int32(200);
  p.Ref_len = draw.uniform(-3, 20);
  p.Tw_cnt = draw.chance(90) ? draw.uniform(-2, 8) : draw.int32(8);
  p.Vinit = draw.int32(50);
  p.Tw_len = draw.chance(90) ? draw.uniform(-1, 8) : draw.int32(8);
  p.Tw_en = draw.uniform(0, 1);
  constexpr Int reset_modes[] = {0, 1, 2, 3, -1};
  p.reset_mode = reset_modes[draw.uniform(0, 4)];
  p.fire_type = draw.uniform(0, 7);
  p.bit_shift_num = draw.chance(80) ? draw.uniform(0, 3) : draw.uniform(0, max_bit_shift_num);
  return p;
}

LifParameters kernel_parameters(const tianjic_reference::LifParameters& r) {
  const auto i32 = [](Int v) { return static_cast<std::int32_t>(v); };
  LifParameters p;
  p.neuron_num = i32(r.neuron_num);
  p.group_num = i32(r.group_num);
  p.seed = i32(r.seed);
  p.Vth0 = i32(r.Vth0);
  p.Vth_adpt_en = i32(r.Vth_adpt_en);
  p.Vth_alpha = i32(r.Vth_alpha);
  p.Vth_beta = i32(r.Vth_beta);
  p.Vth_Incre = i32(r.Vth_Incre);
  p.VR = i32(r.VR);
  p.VL = i32(r.VL);
  p.Vleaky_adpt_en = i32(r.Vleaky_adpt_en);
  p.Vleaky_alpha = i32(r.Vleaky_alpha);
  p.Vleaky_beta = i32(r.Vleaky_beta);
  p.dV = i32(r.dV);
  p.Ref_len = i32(r.Ref_len);
  p.Tw_cnt = i32(r.Tw_cnt);
  p.Vinit = i32(r.Vinit);
  p.Tw_len = i32(r.Tw_len);
  p.Tw_en = i32(r.Tw_en);
  p.VM_len = i32(r.VM_len);
  p.Vtheta_len = i32(r.Vtheta_len);
  p.reset_mode = i32(r.reset_mode);
  p.fire_type = i32(r.fire_type);
  p.bit_shift_num = i32(r.bit_shift_num);
  return p;
}

}  // namespace

TEST_CASE("tianjic random: long LIF sequences agree with the reference, state by state", "[tianjic][lif][random]") {
  Draw draw(20240613);
  std::size_t spikes = 0;
  std::size_t refractory_spikes = 0;
  for (int trial = 0; trial < 1000; ++trial) {
    const tianjic_reference::LifParameters rp = random_lif_parameters(draw);
    const auto neurons = static_cast<std::size_t>(rp.neuron_num * rp.group_num);
    std::vector<Int> vm(static_cast<std::size_t>(rp.VM_len));
    for (Int& mask : vm) {
      constexpr Int masks[] = {0, 0xff, 0x0fffffff, -1, 0x7f, 0x00ff00ff};
      mask = draw.chance(70) ? masks[draw.uniform(0, 5)] : draw.uniform(INT32_MIN, INT32_MAX);
    }
    std::vector<Int> v(neurons), ref(neurons), vtheta(static_cast<std::size_t>(rp.Vtheta_len));
    for (Int& x : v) x = draw.chance(90) ? draw.uniform(-200, 400) : draw.uniform(-(1LL << 27), (1LL << 27) - 1);
    for (Int& x : ref) x = draw.chance(60) ? 0 : draw.uniform(0, 15);
    for (Int& x : vtheta) x = draw.int32(50);

    std::vector<std::uint8_t> ref_codes(ref.begin(), ref.end());
    LifSoma kernel(kernel_parameters(rp), narrow(vm), LifState{narrow(v), ref_codes, narrow(vtheta)});
    tianjic_reference::Lif reference(rp, vm, v, ref, vtheta);
    CAPTURE(trial, rp.neuron_num, rp.group_num, rp.reset_mode, rp.fire_type, rp.bit_shift_num);
    std::vector<std::int32_t> out(neurons);
    OpCounts counts;
    for (int t = 0; t < 200; ++t) {
      CAPTURE(t);
      std::vector<Int> uin(neurons);
      for (Int& x : uin) x = draw.chance(92) ? draw.uniform(-100, 300) : draw.int32(300);
      const std::vector<std::uint8_t> before = kernel.state().ref_cnt;
      kernel.step(narrow(uin), out, counts);
      const tianjic_reference::LifStepResult expected = reference.step(uin);
      REQUIRE(widen(out) == expected.out);
      REQUIRE(widen(kernel.state().V) == expected.V);
      REQUIRE(widen(kernel.state().ref_cnt) == expected.ref_cnt);
      REQUIRE(widen(kernel.state().Vtheta) == expected.Vtheta);
      for (std::size_t i = 0; i < neurons; ++i) refractory_spikes += expected.spike[i] && before[i] > 0 ? 1 : 0;
    }
    spikes += counts[Op::spike];
    REQUIRE(counts[Op::neuron_update] == 200 * neurons);
  }
  // The sequences exercise what they should: plenty of spikes, some of them while refractory.
  CHECK(spikes > 10000);
  CHECK(refractory_spikes > 100);
}

TEST_CASE("tianjic random: vector x matrix agrees with the reference and saturates per MAC", "[tianjic][vmm][random]") {
  Draw draw(77);
  const Precision precisions[] = {Precision::int8, Precision::uint8, Precision::ternary};
  std::size_t order_mattered = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    const Precision xp = precisions[draw.uniform(0, 2)];
    const Precision wp = precisions[draw.uniform(0, 2)];
    const auto inputs = static_cast<std::size_t>(draw.uniform(1, 80));
    const auto outputs = static_cast<std::size_t>(draw.uniform(1, 6));
    const auto random_value = [&](Precision p) {
      const ValueRange range = value_range(p);
      return draw.uniform(range.min, range.max);
    };
    std::vector<Int> x(inputs);
    std::vector<std::uint8_t> x_codes(inputs);
    for (std::size_t r = 0; r < inputs; ++r) {
      x[r] = random_value(xp);
      x_codes[r] = encode(xp, static_cast<std::int32_t>(x[r]));
    }
    std::vector<std::vector<Int>> w(inputs, std::vector<Int>(outputs));
    std::vector<std::uint8_t> w_codes;
    for (std::size_t r = 0; r < inputs; ++r) {
      for (std::size_t f = 0; f < outputs; ++f) {
        w[r][f] = random_value(wp);
        w_codes.push_back(encode(wp, static_cast<std::int32_t>(w[r][f])));
      }
    }
    // Biases near a rail make every other case saturate somewhere along the sum.
    const auto random_bias = [&]() -> Int {
      const Int kind = draw.uniform(0, 3);
      if (kind == 0) return INT32_MAX - draw.uniform(0, 400000);
      if (kind == 1) return INT32_MIN + draw.uniform(0, 400000);
      return draw.int32(100000);
    };
    const bool per_output = draw.chance(50);
    std::vector<Int> bias(outputs);
    const Int constant = random_bias();
    for (Int& b : bias) b = per_output ? random_bias() : constant;
    const std::vector<std::int32_t> bias32 = narrow(bias);

    std::vector<std::int32_t> out(outputs);
    OpCounts counts;
    vector_matrix({xp, x_codes}, {wp, w_codes},
                  {per_output ? std::span<const std::int32_t>(bias32) : std::span<const std::int32_t>(),
                   static_cast<std::int32_t>(constant)},
                  out, counts);
    CAPTURE(trial, to_string(xp), to_string(wp), inputs, outputs);
    REQUIRE(widen(out) == tianjic_reference::vector_matrix(x, w, bias));
    REQUIRE(counts[Op::mac] == inputs * outputs);
    for (std::size_t f = 0; f < outputs; ++f) {
      Int exact = bias[f];
      for (std::size_t r = 0; r < inputs; ++r) exact += w[r][f] * x[r];
      order_mattered += out[f] != tianjic_reference::clip(exact, INT32_MIN, INT32_MAX) ? 1 : 0;
    }
  }
  // Clamping once at the end would have been wrong for a good share of these outputs.
  CHECK(order_mattered > 100);
}

TEST_CASE("tianjic random: cut, compare and lookup agree with the reference", "[tianjic][soma][random]") {
  Draw draw(4242);
  const Precision precisions[] = {Precision::int8, Precision::uint8, Precision::ternary};
  OpCounts counts;
  for (int trial = 0; trial < 20000; ++trial) {
    const auto x = static_cast<std::int32_t>(draw.int32(5000));
    const int bsn = draw.chance(70) ? static_cast<int>(draw.uniform(0, 3)) : static_cast<int>(draw.uniform(0, max_bit_shift_num));
    CAPTURE(x, bsn);
    const auto precision_index = static_cast<int>(draw.uniform(0, 2));
    REQUIRE(cut_value(x, precisions[precision_index], bsn) == tianjic_reference::cut(x, precision_index, bsn));

    const auto word = static_cast<std::uint32_t>(draw.uniform(0, 0xffffffffLL));
    const auto channel = static_cast<std::size_t>(draw.uniform(0, 7));
    std::vector<std::int32_t> xs(channel + 1, 0), ys(channel + 1);
    xs[channel] = x;
    compare_relu(xs, bsn, word, ys, counts);
    REQUIRE(ys[channel] == tianjic_reference::relu(x, channel, bsn, word));
  }
  for (int trial = 0; trial < 200; ++trial) {
    const int width = 4 * static_cast<int>(draw.uniform(1, 4));
    const bool int8_input = draw.chance(40);
    const LookupParameters parameters{width, int8_input ? LookupInput::int8 : LookupInput::int32,
                                      static_cast<int>(draw.uniform(0, 5))};
    std::vector<Int> table(std::size_t{1} << width);
    for (Int& entry : table) entry = draw.int32(1000);
    const std::vector<std::int32_t> table32 = narrow(table);
    std::vector<Int> xs(100);
    for (Int& v : xs) v = int8_input ? draw.uniform(-128, 127) : draw.int32(40000);
    std::vector<std::int32_t> ys(xs.size());
    lookup(narrow(xs), parameters, table32, ys, counts);
    for (std::size_t i = 0; i < xs.size(); ++i) {
      REQUIRE(ys[i] == tianjic_reference::lookup(xs[i], width, int8_input, parameters.bit_shift_num, table));
    }
  }
}
