// The stateless primitives' cases: vmm (04), relu (05), cut (06), lut (07).
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tianjic/case_values.hpp"
#include "tianjic/compare.hpp"
#include "tianjic/cut.hpp"
#include "tianjic/lookup_table.hpp"
#include "tianjic/primitive_cases.hpp"
#include "tianjic/vector_matrix.hpp"

namespace tandem::tianjic {

namespace {

// Operand precision of primitive 04, which has no int32 operands: refusing them by name is
// clearer than "unknown precision".
Precision read_operand_precision(const JsonReader& reader) {
  if (reader.text() == "int32") {
    reader.fail("int32 operands are not supported by the vector x matrix primitive (04); cut them to int8, "
                "uint8 or ternary first");
  }
  return read_precision(reader);
}

// Checks a case's top-level keys and returns its params object, its keys checked too.
JsonReader checked_params(const JsonReader& root, std::initializer_list<std::string_view> case_keys,
                          std::initializer_list<std::string_view> parameter_keys) {
  root.expect_only_keys(case_keys);
  const JsonReader params = root.at("params");
  params.expect_only_keys(parameter_keys);
  return params;
}

nlohmann::ordered_json out_document(const std::vector<std::int32_t>& out) {
  return nlohmann::ordered_json{{"out", out}};
}

// {"out": …} of a soma that maps every input value to one output value.
template <typename Soma>
nlohmann::ordered_json map_values(const std::vector<std::int32_t>& x, Soma soma) {
  std::vector<std::int32_t> out(x.size());
  soma(std::span<const std::int32_t>(x), std::span<std::int32_t>(out));
  return out_document(out);
}

}  // namespace

nlohmann::ordered_json run_vector_matrix_case(const JsonReader& root, OpCounts& executed) {
  const JsonReader params = checked_params(root, {"primitive", "params", "x", "W"},
                                           {"x_precision", "w_precision", "nif", "nof", "bias", "constant_bias"});
  const Precision x_precision = read_operand_precision(params.at("x_precision"));
  const Precision w_precision = read_operand_precision(params.at("w_precision"));
  const auto inputs = static_cast<std::size_t>(read_int32(params.at("nif"), 1, INT32_MAX));
  const auto outputs = static_cast<std::size_t>(read_int32(params.at("nof"), 1, INT32_MAX));
  if (params.has("bias") == params.has("constant_bias")) {
    params.fail("give either 'bias' (one int32 per output) or 'constant_bias' (one int32), not both or neither");
  }
  std::vector<std::int32_t> bias;
  std::int32_t constant_bias = 0;
  if (params.has("bias")) bias = read_int_array(params.at("bias"), outputs, INT32_MIN, INT32_MAX);
  else constant_bias = read_int32(params.at("constant_bias"));

  const std::vector<std::uint8_t> x = read_codes(root.at("x"), inputs, x_precision);
  const JsonReader rows = root.at("W");
  if (rows.size() != inputs) rows.fail("expected nif = " + std::to_string(inputs) + " rows, got " + std::to_string(rows.size()));
  // Not reserved up front: nof is only known to be honest once the rows have been read.
  std::vector<std::uint8_t> weight;
  for (std::size_t r = 0; r < inputs; ++r) {
    const std::vector<std::uint8_t> row = read_codes(rows.at(r), outputs, w_precision);
    weight.insert(weight.end(), row.begin(), row.end());
  }
  std::vector<std::int32_t> out(outputs);
  vector_matrix({x_precision, x}, {w_precision, weight}, {bias, constant_bias}, out, executed);
  return out_document(out);
}

nlohmann::ordered_json run_cut_case(const JsonReader& root, OpCounts& executed) {
  const JsonReader params = checked_params(root, {"primitive", "params", "x"}, {"out_precision", "bit_shift_num"});
  const Precision precision = read_precision(params.at("out_precision"));
  const int bit_shift_num = read_bit_shift_num(params.at("bit_shift_num"));
  return map_values(read_int32_array(root.at("x")), [&](auto x, auto y) {
    cut(x, precision, bit_shift_num, y, executed);
  });
}

nlohmann::ordered_json run_relu_case(const JsonReader& root, OpCounts& executed) {
  const JsonReader params = checked_params(root, {"primitive", "params", "x"}, {"bit_shift_num", "compare"});
  const int bit_shift_num = read_bit_shift_num(params.at("bit_shift_num"));
  // A 32-bit word of four compare bytes: written signed or unsigned (0x80808080 = 2155905152).
  const auto compare_word = static_cast<std::uint32_t>(params.at("compare").integer(INT32_MIN, UINT32_MAX));
  return map_values(read_int32_array(root.at("x")), [&](auto x, auto y) {
    compare_relu(x, bit_shift_num, compare_word, y, executed);
  });
}

nlohmann::ordered_json run_lookup_case(const JsonReader& root, OpCounts& executed) {
  const JsonReader params = checked_params(root, {"primitive", "params", "lut", "x"},
                                           {"data_width", "input_precision", "bit_shift_num"});
  LookupParameters parameters;
  parameters.data_width = read_int32(params.at("data_width"), 4, 16);
  if (parameters.data_width % 4 != 0) params.at("data_width").fail("expected 4, 8, 12 or 16");
  const std::string input = params.at("input_precision").text();
  if (input != "int32" && input != "int8") params.at("input_precision").fail("expected int32 or int8, got '" + input + "'");
  parameters.input = input == "int8" ? LookupInput::int8 : LookupInput::int32;
  parameters.bit_shift_num = read_bit_shift_num(params.at("bit_shift_num"));
  const std::vector<std::int32_t> table =
      read_int_array(root.at("lut"), lookup_table_length(parameters.data_width), INT32_MIN, INT32_MAX);
  const JsonReader x_reader = root.at("x");
  const std::vector<std::int32_t> x = parameters.input == LookupInput::int8
                                          ? read_int_array(x_reader, x_reader.size(), -128, 127)
                                          : read_int32_array(x_reader);
  return map_values(x, [&](auto values, auto y) { lookup(values, parameters, table, y, executed); });
}

}  // namespace tandem::tianjic
