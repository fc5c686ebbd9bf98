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

// The test chip with static power (1 W working, 0.5 W idle per core, unused cores idle) and a
// timing model whose latencies (ns) equal the costs (pJ), serial or overlapped pipelines, and a
// 100 ns barrier.
inline std::string timed_test_chip_yaml(const std::string& pipelines = "serial", const std::string& timing_extra = "") {
  std::string yaml = test_chip_yaml("0");
  yaml.replace(yaml.find("static_power_w: 0\n"), std::string("static_power_w: 0\n").size(),
               "static_power: {core_active_w: 1, core_idle_w: 0.5, unused_cores: idle, source: \"assumed: test\"}\n");
  return yaml + R"(timing:
  source: "test latencies"
  latency_ns: {synaptic_ops: 2, neuron_updates: 3, neuron_updates_skipped: 1, macs: 5, activations: 7,
               spikes: 11, packets: 13, hops_east_west: 17, hops_north_south: 19}
  untimed: {input_events: none, encoder_conversions: none, decoder_conversions: none,
            memory_bytes_read: none, memory_bytes_written: none}
  core_pipelines: )" + pipelines + "\n  sync_ns: 100\n" + timing_extra;
}

inline ChipModel test_chip(const std::string& static_power_w = "0") {
  return parse_chip_text(test_chip_yaml(static_power_w), "test_chip.yaml");
}

}  // namespace tandem::testing
