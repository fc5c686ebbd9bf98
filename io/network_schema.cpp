#include "io/network_schema.hpp"

namespace tandem::io {

const Keys& top_level_keys() {
  static const Keys keys{"simulation", "inputs", "populations", "projections", "layers",
                         "bridge", "subnetworks", "wires", "outputs", "probes", "environment",
                         "placement"};
  return keys;
}
const Keys& simulation_keys() {
  static const Keys keys{"dt_ms", "duration_ms", "ticks", "seed", "mode", "threads", "chip", "precision"};
  return keys;
}
const Keys& precision_names() {
  static const Keys keys{"float32", "fixed", "tianjic", "loihi"};
  return keys;
}
const Keys& environment_keys() {
  static const Keys keys{"name", "parameters"};
  return keys;
}
const Keys& population_keys() {
  static const Keys keys{"model", "size", "parameters", "reset", "initial", "precision"};
  return keys;
}
const Keys& projection_keys() {
  static const Keys keys{"from", "to", "target", "rule", "p", "k", "pairs", "synapses", "weight", "delay_ms"};
  return keys;
}
const Keys& layer_keys() {
  static const Keys keys{"inputs", "size", "activation", "precision", "event", "period_ticks",
                         "phase_ticks", "weights", "bias"};
  return keys;
}
const Keys& layer_event_keys() {
  static const Keys keys{"kind", "threshold"};
  return keys;
}
const Keys& bridge_keys() {
  static const Keys keys{"kind", "input", "output", "size", "window_ticks", "parameters"};
  return keys;
}
const Keys& subnetwork_keys() {
  static const Keys keys{"nir", "reset", "precision", "loihi_scale"};
  return keys;
}
const Keys& wire_keys() {
  static const Keys keys{"from", "to", "latency_ms", "latency_ticks"};
  return keys;
}
const Keys& probe_keys() {
  static const Keys keys{"node", "variable", "units", "every_ticks"};
  return keys;
}
const Keys& input_kinds() {
  static const Keys keys{"poisson", "poisson_drive", "spike_times", "current", "external"};
  return keys;
}
const Keys& input_keys(std::string_view kind) {
  static const Keys poisson{"kind", "size", "rate_hz"};
  static const Keys spike_times{"kind", "size", "times_ms"};
  static const Keys current{"kind", "size", "value"};
  static const Keys external{"kind", "size"};
  if (kind == "poisson" || kind == "poisson_drive") return poisson;
  if (kind == "spike_times") return spike_times;
  if (kind == "external") return external;
  return current;
}
const Keys& any_input_keys() {
  static const Keys keys{"kind", "size", "rate_hz", "times_ms", "value"};
  return keys;
}

const Keys* keys_of_mapping(const std::vector<std::string>& parent_path) {
  if (parent_path.empty()) return &top_level_keys();
  const std::string& section = parent_path[0];
  if (parent_path.size() == 1) {
    if (section == "simulation") return &simulation_keys();
    if (section == "environment") return &environment_keys();
    return nullptr;
  }
  if (parent_path.size() == 2) {
    if (section == "inputs") return &any_input_keys();
    if (section == "populations") return &population_keys();
    if (section == "projections") return &projection_keys();
    if (section == "layers") return &layer_keys();
    if (section == "bridge") return &bridge_keys();
    if (section == "wires") return &wire_keys();
    if (section == "probes") return &probe_keys();
    return nullptr;
  }
  if (parent_path.size() == 3 && section == "layers" && parent_path[2] == "event") return &layer_event_keys();
  return nullptr;
}

}  // namespace tandem::io
