// `tandem tianjic run CASE.json`: one primitive run on the inputs a case file gives, its results
// as JSON, so that Tianjic's arithmetic can be checked against other tools (docs/tianjic.md).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "core/op_counts.hpp"

namespace tandem::tianjic {

struct CaseResult {
  std::string primitive;  // "lif", "vmm", "cut", "relu" or "lut"
  nlohmann::ordered_json output;  // keys in the documented order
  OpCounts executed;      // what the kernel counted over the whole case
};

// Runs a parsed case; `origin` (the file name) starts every error message. Bad input
// (unknown primitive or key, missing field, wrong length, a value outside its width) is an
// InputError naming origin, the key path and the problem.
CaseResult run_case(const nlohmann::json& document, const std::string& origin);

// The output as printed: one line, except that each LIF step gets a line of its own.
std::string format_case_output(const nlohmann::ordered_json& output);

}  // namespace tandem::tianjic
