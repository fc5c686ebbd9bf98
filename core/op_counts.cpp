#include "core/op_counts.hpp"

namespace tandem {
namespace {

constexpr std::array<std::string_view, op_kind_count> op_names = {
    "neuron_updates",     "neuron_updates_skipped", "synaptic_ops",       "macs",
    "activations",        "spikes",                 "input_events",       "encoder_conversions",
    "decoder_conversions", "packets",               "hops",               "memory_bytes_read",
    "memory_bytes_written"};

}  // namespace

std::string_view op_name(Op op) { return op_names.at(static_cast<std::size_t>(op)); }

bool op_from_name(std::string_view name, Op& op) {
  for (std::size_t i = 0; i < op_kind_count; ++i) {
    if (op_names[i] == name) {
      op = static_cast<Op>(i);
      return true;
    }
  }
  return false;
}

std::string_view to_string(NodeKind kind) {
  switch (kind) {
    case NodeKind::spiking: return "spiking";
    case NodeKind::projection: return "projection";
    case NodeKind::dense: return "dense";
    case NodeKind::bridge: return "bridge";
    case NodeKind::input: return "input";
    case NodeKind::environment: return "environment";
  }
  return "unknown";
}

OpCounts& OpCounts::operator+=(const OpCounts& other) {
  for (std::size_t i = 0; i < op_kind_count; ++i) value[i] += other.value[i];
  return *this;
}

OpCounts& OpCounts::operator-=(const OpCounts& other) {
  for (std::size_t i = 0; i < op_kind_count; ++i) value[i] -= other.value[i];
  return *this;
}

}  // namespace tandem
