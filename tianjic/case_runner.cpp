#include "tianjic/case_runner.hpp"

#include "core/json_reader.hpp"
#include "tianjic/primitive_cases.hpp"

namespace tandem::tianjic {

namespace {

struct PrimitiveCase {
  const char* name;
  nlohmann::ordered_json (*run)(const JsonReader& root, OpCounts& executed);
};

constexpr PrimitiveCase primitive_cases[] = {
    {"lif", run_lif_case}, {"vmm", run_vector_matrix_case}, {"cut", run_cut_case},
    {"relu", run_relu_case}, {"lut", run_lookup_case},
};

}  // namespace

CaseResult run_case(const nlohmann::json& document, const std::string& origin) {
  const JsonReader root(document, origin, "");
  const JsonReader primitive = root.at("primitive");
  const std::string name = primitive.text();
  for (const PrimitiveCase& primitive_case : primitive_cases) {
    if (name != primitive_case.name) continue;
    CaseResult result;
    result.primitive = name;
    result.output = primitive_case.run(root, result.executed);
    return result;
  }
  primitive.fail("unknown primitive '" + name + "' (expected lif, vmm, cut, relu or lut)");
}

std::string format_case_output(const nlohmann::ordered_json& output) {
  if (!output.contains("steps")) return output.dump() + "\n";
  std::string text = "{\"steps\": [";
  const auto& steps = output.at("steps");
  for (std::size_t t = 0; t < steps.size(); ++t) text += (t == 0 ? "\n  " : ",\n  ") + steps[t].dump();
  return text + (steps.empty() ? "]}\n" : "\n]}\n");
}

}  // namespace tandem::tianjic
