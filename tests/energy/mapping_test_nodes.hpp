// What the mapping tests (core_mapping_test.cpp, chip_blocks_test.cpp) map: nodes described by
// their counters alone, onto the test chip reshaped.
#pragma once

#include <string>

#include "core/chip_model.hpp"
#include "core/op_counts.hpp"
#include "tests/energy/test_chip.hpp"

namespace tandem::testing {

inline NodeCounters node(const std::string& name, NodeKind kind, std::size_t units, std::size_t fan_in = 0,
                         std::size_t memory = 0) {
  NodeCounters counters;
  counters.node = name;
  counters.kind = kind;
  counters.units = units;
  counters.fan_in = fan_in;
  counters.synapse_memory_bytes = memory;
  return counters;
}

// A chip of `width` × `height` cores with `neurons` neurons each (fan-in 8, memory 1000).
inline ChipModel chip(std::size_t width, std::size_t height, std::size_t neurons) {
  ChipModel model = test_chip();
  model.mesh_width = width;
  model.mesh_height = height;
  model.core.neurons = neurons;
  return model;
}

}  // namespace tandem::testing
