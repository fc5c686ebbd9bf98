// Every bridge unit kind by name, with how to build it from a network file's parameters: the
// network-file lowering (io) builds units from this list, and the conformance tests
// (tests/bridge/unit_conformance_test.cpp) iterate it. A new encoder or decoder is its own file
// plus one entry in unit_kinds.cpp.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bridge/unit.hpp"

namespace tandem::bridge {

// The parameters a unit is given, read by name with a default (io reads them from YAML and
// refuses names no kind asked for).
class UnitSettings {
 public:
  virtual ~UnitSettings() = default;
  virtual double number(const std::string& key, double fallback) = 0;
  // A list of numbers (one per channel, say); empty when the key is not given.
  virtual std::vector<double> numbers(const std::string& key) = 0;
  // The input's width does not suit the kind (e.g. not a multiple of its group size): throws.
  [[noreturn]] virtual void reject_input(const std::string& problem) = 0;
};

struct UnitRequest {
  std::string name;
  std::size_t input_width = 0;  // values or spike channels arriving
  Tick window_ticks = 1;        // the unit's `window_ticks`, for the windowed kinds
};

struct UnitKind {
  std::string_view name;
  std::string_view summary;  // one line, for error messages listing the kinds
  std::unique_ptr<Unit> (*make)(const UnitRequest& request, UnitSettings& settings);
};

// Every kind, encoders first.
const std::vector<UnitKind>& unit_kinds();
// The kind named `name`, or nullptr.
const UnitKind* find_unit_kind(std::string_view name);

}  // namespace tandem::bridge
