// The case files of `tandem tianjic run`: each primitive's schema read and run (the worked
// example of the specification among them), the printed form, and every kind of bad input
// refused with the file, the key path and the problem.
#include <catch2/catch.hpp>

#include <functional>
#include <string>

#include "core/error.hpp"
#include "core/json_reader.hpp"
#include "tianjic/case_runner.hpp"

using namespace tandem;
using namespace tandem::tianjic;
using Json = nlohmann::json;

namespace {

// Reset mode 1, multiplicative leak 230, Ref_len 2, Vth0 100, no noise: the specification's
// worked example, its three situations as three neurons. Tw_len 1000 > Tw_cnt keeps the time
// window from finishing (Tw_finish does not look at Tw_en).
Json worked_example() {
  return Json::parse(R"({
    "primitive": "lif",
    "params": {"neuron_num": 3, "group_num": 1, "seed": 0, "Vth0": 100, "Vth_adpt_en": 0,
               "Vth_alpha": 0, "Vth_beta": 0, "Vth_Incre": 0, "VR": 0, "VL": -134217728,
               "Vleaky_adpt_en": 1, "Vleaky_alpha": 230, "Vleaky_beta": 0, "dV": 0, "Ref_len": 2,
               "Tw_cnt": 0, "Vinit": 0, "Tw_len": 1000, "Tw_en": 0, "VM_len": 1, "Vtheta_len": 1,
               "reset_mode": 1, "fire_type": 0, "bit_shift_num": 0},
    "noise_mask": [0],
    "init": {"V": [33, 99, -7], "ref_cnt": [0, 2, 1], "Vtheta": [0]},
    "steps": [{"Uin": [8, 146, 46]}, {"Uin": [0, 0, 0]}]
  })");
}

Json vmm_case() {
  return Json::parse(R"({
    "primitive": "vmm",
    "params": {"x_precision": "int8", "w_precision": "ternary", "nif": 2, "nof": 2, "bias": [5, -5]},
    "x": [3, -4],
    "W": [[2, -1], [1, 0]]
  })");
}

Json cut_case() {
  return Json::parse(R"({"primitive": "cut", "params": {"out_precision": "uint8", "bit_shift_num": 1},
                         "x": [1024, 1028, -4, 3]})");
}

Json relu_case() {
  return Json::parse(R"({"primitive": "relu", "params": {"bit_shift_num": 0, "compare": 0}, "x": [-5, 7, 300]})");
}

Json lut_case() {
  Json document = Json::parse(R"({"primitive": "lut",
    "params": {"data_width": 4, "input_precision": "int32", "bit_shift_num": 0}, "x": [-9, -1, 0, 7]})");
  for (int k = 0; k < 16; ++k) document["lut"].push_back(100 + k);
  return document;
}

Json with(Json document, const std::function<void(Json&)>& change) {
  change(document);
  return document;
}

std::string error_of(const Json& document) {
  try {
    run_case(document, "case.json");
  } catch (const InputError& error) {
    return error.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("tianjic case: the worked example through the lif schema", "[tianjic][case]") {
  const CaseResult result = run_case(worked_example(), "worked.json");
  CHECK(result.primitive == "lif");
  const Json& first = result.output["steps"][0];
  CHECK(first["out"] == Json::parse("[41, 99, -7]"));
  CHECK(first["V"] == Json::parse("[36, 88, -7]"));
  CHECK(first["ref_cnt"] == Json::parse("[0, 1, 0]"));
  CHECK(first["Vtheta"] == Json::parse("[0]"));
  // Next step: neuron 1 is still refractory (count 1), so 88 is not integrated but leaks to 79.
  CHECK(result.output["steps"][1]["V"] == Json::parse("[32, 79, -7]"));
  CHECK(result.executed[Op::neuron_update] == 6);
  CHECK(format_case_output(result.output) ==
        "{\"steps\": [\n"
        "  {\"out\":[41,99,-7],\"V\":[36,88,-7],\"ref_cnt\":[0,1,0],\"Vtheta\":[0]},\n"
        "  {\"out\":[36,88,-7],\"V\":[32,79,-7],\"ref_cnt\":[0,0,0],\"Vtheta\":[0]}\n"
        "]}\n");
}

TEST_CASE("tianjic case: a LIF case without steps prints an empty list", "[tianjic][case]") {
  const CaseResult result = run_case(with(worked_example(), [](Json& d) { d["steps"] = Json::array(); }), "c.json");
  CHECK(format_case_output(result.output) == "{\"steps\": []}\n");
}

TEST_CASE("tianjic case: vmm, cut, relu and lut schemas", "[tianjic][case]") {
  // 5 + 3·2 + (-4)·1 = 7; -5 + 3·(-1) + (-4)·0 = -8. Ternary weight 2 is the code-2 value +2.
  const CaseResult vmm = run_case(vmm_case(), "vmm.json");
  CHECK(format_case_output(vmm.output) == "{\"out\":[7,-8]}\n");
  CHECK(vmm.executed[Op::mac] == 4);
  const Json constant = with(vmm_case(), [](Json& d) {
    d["params"].erase("bias");
    d["params"]["constant_bias"] = 1;
  });
  CHECK(run_case(constant, "vmm.json").output["out"] == Json::parse("[3, -2]"));
  CHECK(run_case(cut_case(), "cut.json").output["out"] == Json::parse("[0, 1, 255, 0]"));
  CHECK(run_case(relu_case(), "relu.json").output["out"] == Json::parse("[0, 7, 127]"));
  CHECK(run_case(lut_case(), "lut.json").output["out"] == Json::parse("[108, 115, 100, 107]"));
  // The compare word may be written unsigned or signed: 0x8005ff02 either way.
  const auto relu_with = [](std::int64_t word) {
    return with(relu_case(), [word](Json& d) {
      d["params"]["compare"] = word;
      d["x"] = Json::parse("[0, -50, 3, -128]");
    });
  };
  CHECK(run_case(relu_with(2147876610LL), "relu.json").output["out"] == Json::parse("[2, -1, 5, -128]"));
  CHECK(run_case(relu_with(-2147090686LL), "relu.json").output["out"] == Json::parse("[2, -1, 5, -128]"));
}

TEST_CASE("tianjic case: bad input names the file, the key path and the problem", "[tianjic][case]") {
  struct Bad {
    Json document;
    std::string message;
  };
  const std::vector<Bad> cases = {
      {Json::array(), "case.json: key '(top level)': expected an object"},
      {Json::object(), "case.json: key 'primitive': missing"},
      {with(vmm_case(), [](Json& d) { d["primitive"] = "conv"; }),
       "key 'primitive': unknown primitive 'conv' (expected lif, vmm, cut, relu or lut)"},
      {with(vmm_case(), [](Json& d) { d["primitive"] = 4; }), "key 'primitive': expected a string"},
      {with(vmm_case(), [](Json& d) { d["comment"] = "hi"; }), "key 'comment': unknown key"},
      {with(vmm_case(), [](Json& d) { d["params"]["stride"] = 1; }), "key 'params.stride': unknown key"},
      {with(vmm_case(), [](Json& d) { d["params"].erase("nof"); }), "key 'params.nof': missing"},
      {with(vmm_case(), [](Json& d) { d.erase("W"); }), "key 'W': missing"},
      {with(vmm_case(), [](Json& d) { d["params"]["nif"] = 0; }), "key 'params.nif': expected an integer in [1, 2147483647], got 0"},
      {with(vmm_case(), [](Json& d) { d["x"] = Json::parse("[1, 2, 3]"); }), "key 'x': expected 2 values, got 3"},
      {with(vmm_case(), [](Json& d) { d["params"]["x_precision"] = "ternary"; d["x"] = Json::parse("[1, 3]"); }),
       "key 'x[1]': expected an integer in [-1, 2], got 3"},
      {with(vmm_case(), [](Json& d) { d["params"]["w_precision"] = "int8"; d["W"][1][0] = 128; }),
       "key 'W[1][0]': expected an integer in [-128, 127], got 128"},
      {with(vmm_case(), [](Json& d) { d["params"]["x_precision"] = "uint8"; }),
       "key 'x[1]': expected an integer in [0, 255], got -4"},
      {with(vmm_case(), [](Json& d) { d["params"]["x_precision"] = "int32"; }),
       "key 'params.x_precision': int32 operands are not supported by the vector x matrix primitive (04)"},
      {with(vmm_case(), [](Json& d) { d["params"]["w_precision"] = "int4"; }),
       "key 'params.w_precision': unknown precision 'int4' (expected int8, uint8 or ternary)"},
      {with(vmm_case(), [](Json& d) { d["params"]["constant_bias"] = 1; }), "key 'params': give either 'bias'"},
      {with(vmm_case(), [](Json& d) { d["params"].erase("bias"); }), "key 'params': give either 'bias'"},
      {with(vmm_case(), [](Json& d) { d["params"]["bias"] = Json::parse("[1]"); }),
       "key 'params.bias': expected 2 values, got 1"},
      {with(vmm_case(), [](Json& d) { d["W"] = Json::parse("[[1, 0]]"); }), "key 'W': expected nif = 2 rows, got 1"},
      {with(vmm_case(), [](Json& d) { d["W"][0] = 1; }), "key 'W[0]': expected an array"},
      {with(vmm_case(), [](Json& d) { d["x"][0] = 1.5; }), "key 'x[0]': expected an integer in [-128, 127], got 1.5"},
      {with(vmm_case(), [](Json& d) { d["x"][0] = 2.0; }), "key 'x[0]': expected an integer in [-128, 127], got 2.0"},
      {with(vmm_case(), [](Json& d) { d["x"][0] = "3"; }), "key 'x[0]': expected an integer in [-128, 127], got \"3\""},
      {with(vmm_case(), [](Json& d) { d["x"][0] = true; }), "key 'x[0]': expected an integer in [-128, 127], got true"},
      {with(vmm_case(), [](Json& d) { d["x"][0] = nullptr; }), "key 'x[0]': expected an integer in [-128, 127], got null"},
      {with(cut_case(), [](Json& d) { d["params"]["bit_shift_num"] = 16; }),
       "key 'params.bit_shift_num': expected an integer in [0, 15], got 16"},
      {with(cut_case(), [](Json& d) { d["x"][0] = 2147483648LL; }),
       "key 'x[0]': expected an integer in [-2147483648, 2147483647], got 2147483648"},
      {with(cut_case(), [](Json& d) { d["x"][0] = 18446744073709551615ULL; }), "key 'x[0]': expected an integer"},
      {with(cut_case(), [](Json& d) { d["x"] = 5; }), "key 'x': expected an array"},
      {with(relu_case(), [](Json& d) { d["params"]["compare"] = 4294967296LL; }),
       "key 'params.compare': expected an integer in [-2147483648, 4294967295], got 4294967296"},
      {with(relu_case(), [](Json& d) { d["params"]["out_precision"] = "int8"; }), "key 'params.out_precision': unknown key"},
      {with(lut_case(), [](Json& d) { d["params"]["data_width"] = 6; }), "key 'params.data_width': expected 4, 8, 12 or 16"},
      {with(lut_case(), [](Json& d) { d["params"]["data_width"] = 32; }), "key 'params.data_width': expected an integer in [4, 16]"},
      {with(lut_case(), [](Json& d) { d["lut"].erase(15); }), "key 'lut': expected 16 values, got 15"},
      {with(lut_case(), [](Json& d) { d["params"]["input_precision"] = "uint8"; }),
       "key 'params.input_precision': expected int32 or int8, got 'uint8'"},
      {with(lut_case(), [](Json& d) { d["params"]["input_precision"] = "int8"; d["x"][0] = 200; }),
       "key 'x[0]': expected an integer in [-128, 127], got 200"},
      {with(worked_example(), [](Json& d) { d["params"].erase("dV"); }), "key 'params.dV': missing"},
      {with(worked_example(), [](Json& d) { d["params"]["tau"] = 3; }), "key 'params.tau': unknown key"},
      {with(worked_example(), [](Json& d) { d["params"]["fire_type"] = 8; }),
       "key 'params.fire_type': expected an integer in [0, 7], got 8"},
      {with(worked_example(), [](Json& d) { d["params"]["Tw_en"] = 2; }), "key 'params.Tw_en': expected an integer in [0, 1], got 2"},
      {with(worked_example(), [](Json& d) { d["params"]["VR"] = 3000000000LL; }),
       "key 'params.VR': expected an integer in [-2147483648, 2147483647], got 3000000000"},
      {with(worked_example(), [](Json& d) { d["params"]["group_num"] = 0; }), "key 'params.group_num': expected an integer in [1, "},
      {with(worked_example(), [](Json& d) { d["params"]["VM_len"] = 2; d["noise_mask"] = Json::parse("[0, 0]"); }),
       "key 'params.VM_len': must divide neuron_num * group_num = 3"},
      {with(worked_example(), [](Json& d) { d["params"]["Vtheta_len"] = 3; }), "key 'init.Vtheta': expected 3 values, got 1"},
      {with(worked_example(), [](Json& d) { d["noise_mask"] = Json::parse("[0, 0]"); }), "key 'noise_mask': expected 1 values, got 2"},
      {with(worked_example(), [](Json& d) { d["init"]["V"][0] = 134217728; }),
       "key 'init.V[0]': expected an integer in [-134217728, 134217727], got 134217728"},
      {with(worked_example(), [](Json& d) { d["init"]["ref_cnt"][1] = 16; }),
       "key 'init.ref_cnt[1]': expected an integer in [0, 15], got 16"},
      {with(worked_example(), [](Json& d) { d["init"].erase("Vtheta"); }), "key 'init.Vtheta': missing"},
      {with(worked_example(), [](Json& d) { d["steps"][1]["Uin"] = Json::parse("[1, 2]"); }),
       "key 'steps[1].Uin': expected 3 values, got 2"},
      {with(worked_example(), [](Json& d) { d["steps"][0]["I"] = 1; }), "key 'steps[0].I': unknown key"},
      {with(worked_example(), [](Json& d) { d["steps"] = Json::object(); }), "key 'steps': expected an array"},
      {with(worked_example(), [](Json& d) { d["steps"][0] = 5; }), "key 'steps[0]': expected an object"},
  };
  for (const Bad& bad : cases) {
    CAPTURE(bad.document.dump());
    const std::string message = error_of(bad.document);
    CHECK_THAT(message, Catch::Contains(bad.message));
    CHECK_THAT(message, Catch::StartsWith("case.json: key '"));
  }
}

TEST_CASE("tianjic case: malformed JSON is an input error", "[tianjic][case]") {
  CHECK_THROWS_WITH(parse_json("{\"primitive\": ", "broken.json"), Catch::Contains("broken.json: not valid JSON"));
  CHECK_THROWS_AS(parse_json("[1, 2,", "broken.json"), InputError);
  // Deep nesting parses (nlohmann's parser does not recurse) and is then refused, never a crash.
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  CHECK_THROWS_WITH(run_case(parse_json(deep, "deep.json"), "deep.json"), Catch::Contains("expected an object"));
  CHECK_THROWS_WITH(read_json_file("/nonexistent/case.json"), Catch::Contains("/nonexistent/case.json: cannot open"));
}
