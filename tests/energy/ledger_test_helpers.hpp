// Small lookups the energy tests share: a node's figures in a ledger by name, and the message a
// malformed chip file raises.
#pragma once

#include <catch2/catch.hpp>
#include <string>

#include "core/chip_model.hpp"
#include "core/energy_ledger.hpp"
#include "core/error.hpp"

namespace tandem::testing {

inline const NodeEnergy& find_node(const EnergyLedger& ledger, const std::string& name) {
  for (const auto& node : ledger.nodes()) {
    if (node.node == name) return node;
  }
  FAIL("no node " << name);
  throw;
}

// The message of the InputError `text` raises when parsed as the chip file `origin`.
inline std::string chip_parse_error(const std::string& text, const std::string& origin = "bad.yaml") {
  try {
    parse_chip_text(text, origin);
  } catch (const InputError& error) {
    return error.what();
  }
  return "no error";
}

}  // namespace tandem::testing
