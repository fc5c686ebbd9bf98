// A small chip with distinct per-op costs (all different primes) so a test can recompute any
// energy by hand: 2 x 2 mesh, 4 neurons / 8 axons / 1000 bytes per core, both modes.
#pragma once

#include <string>

#include "core/chip_model.hpp"

namespace tandem::testing {

inline std::string test_chip_yaml(const std::string& static_power_w = "0") {
  return R"(name: test
description: hand-countable test chip
source: tests/energy/test_chip.hpp
mesh: {width: 2, height: 2}
core: {neurons: 4, fan_in: 8, synapse_memory_bytes: 1000, modes: [snn, ann]}
costs_pj:
  synaptic_ops: 2
  neuron_updates: 3
  neuron_updates_skipped: 1
  macs: 5
  activations: 7
  spikes: 11
  packets: 13
  hops_east_west: 17
  hops_north_south: 19
static_power_w: )" + static_power_w + R"(
clock_hz: 1e6
)";
}

inline ChipModel test_chip(const std::string& static_power_w = "0") {
  return parse_chip_text(test_chip_yaml(static_power_w), "test_chip.yaml");
}

}  // namespace tandem::testing
