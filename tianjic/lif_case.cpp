// The LIF soma's case (primitive 08): every parameter, the noise mask, the initial state and the
// inputs of each step in; each step's output register, membranes, counters and offsets out.
#include <array>
#include <cstdint>
#include <string_view>
#include <string>
#include <vector>

#include "tianjic/case_values.hpp"
#include "tianjic/integer_arithmetic.hpp"
#include "tianjic/lif_soma.hpp"
#include "tianjic/primitive_cases.hpp"

namespace tandem::tianjic {

namespace {

// The order of the specification's parameter list, which is also the order of the keys in
// error messages.
constexpr std::array<std::string_view, 24> parameter_names = {
    "neuron_num", "group_num", "seed", "Vth0", "Vth_adpt_en", "Vth_alpha", "Vth_beta", "Vth_Incre",
    "VR", "VL", "Vleaky_adpt_en", "Vleaky_alpha", "Vleaky_beta", "dV", "Ref_len", "Tw_cnt",
    "Vinit", "Tw_len", "Tw_en", "VM_len", "Vtheta_len", "reset_mode", "fire_type", "bit_shift_num"};

// A vector of `length` entries tiled over the neurons must divide their number.
std::int32_t read_tiled_length(const JsonReader& reader, std::size_t neurons) {
  const std::int32_t length = read_int32(reader, 1, INT32_MAX);
  if (neurons % static_cast<std::size_t>(length) != 0) {
    reader.fail("must divide neuron_num * group_num = " + std::to_string(neurons) +
                " (the vector is repeated over the neurons)");
  }
  return length;
}

LifParameters read_parameters(const JsonReader& params) {
  params.expect_only_keys(parameter_names);
  const auto flag = [&](const char* name) { return read_int32(params.at(name), 0, 1); };
  const auto value = [&](const char* name) { return read_int32(params.at(name)); };
  LifParameters p;
  p.neuron_num = read_int32(params.at("neuron_num"), 1, INT32_MAX);
  p.group_num = read_int32(params.at("group_num"), 1, INT32_MAX);
  p.seed = value("seed");
  p.Vth0 = value("Vth0");
  p.Vth_adpt_en = flag("Vth_adpt_en");
  p.Vth_alpha = value("Vth_alpha");
  p.Vth_beta = value("Vth_beta");
  p.Vth_Incre = value("Vth_Incre");
  p.VR = value("VR");
  p.VL = value("VL");
  p.Vleaky_adpt_en = flag("Vleaky_adpt_en");
  p.Vleaky_alpha = value("Vleaky_alpha");
  p.Vleaky_beta = value("Vleaky_beta");
  p.dV = value("dV");
  p.Ref_len = value("Ref_len");
  p.Tw_cnt = value("Tw_cnt");
  p.Vinit = value("Vinit");
  p.Tw_len = value("Tw_len");
  p.Tw_en = flag("Tw_en");
  p.VM_len = read_tiled_length(params.at("VM_len"), p.neurons());
  p.Vtheta_len = read_tiled_length(params.at("Vtheta_len"), p.neurons());
  p.reset_mode = value("reset_mode");  // any value: 0, 1 and 2 reset, every other one does not
  p.fire_type = read_int32(params.at("fire_type"), 0, 7);
  p.bit_shift_num = read_bit_shift_num(params.at("bit_shift_num"));
  return p;
}

LifState read_initial_state(const JsonReader& init, const LifParameters& p) {
  init.expect_only_keys({"V", "ref_cnt", "Vtheta"});
  LifState state;
  state.V = read_int_array(init.at("V"), p.neurons(), membrane_min, membrane_max);
  for (const std::int32_t count : read_int_array(init.at("ref_cnt"), p.neurons(), 0, 15)) {
    state.ref_cnt.push_back(static_cast<std::uint8_t>(count));
  }
  state.Vtheta = read_int_array(init.at("Vtheta"), static_cast<std::size_t>(p.Vtheta_len), INT32_MIN, INT32_MAX);
  return state;
}

}  // namespace

nlohmann::ordered_json run_lif_case(const JsonReader& root, OpCounts& executed) {
  root.expect_only_keys({"primitive", "params", "noise_mask", "init", "steps"});
  const LifParameters parameters = read_parameters(root.at("params"));
  std::vector<std::int32_t> noise_mask =
      read_int_array(root.at("noise_mask"), static_cast<std::size_t>(parameters.VM_len), INT32_MIN, INT32_MAX);
  LifSoma soma(parameters, std::move(noise_mask), read_initial_state(root.at("init"), parameters));

  // Every step is read before any runs, so a bad step fails before anything is computed.
  const JsonReader steps_reader = root.at("steps");
  std::vector<std::vector<std::int32_t>> inputs;
  for (std::size_t t = 0; t < steps_reader.size(); ++t) {
    const JsonReader step = steps_reader.at(t);
    step.expect_only_keys({"Uin"});
    inputs.push_back(read_int_array(step.at("Uin"), parameters.neurons(), INT32_MIN, INT32_MAX));
  }
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  std::vector<std::int32_t> out(parameters.neurons());
  for (const std::vector<std::int32_t>& Uin : inputs) {
    soma.step(Uin, out, executed);
    const LifState& state = soma.state();
    steps.push_back({{"out", out}, {"V", state.V}, {"ref_cnt", state.ref_cnt}, {"Vtheta", state.Vtheta}});
  }
  return nlohmann::ordered_json{{"steps", steps}};
}

}  // namespace tandem::tianjic
