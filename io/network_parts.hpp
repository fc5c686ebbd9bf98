// Internal to io/: the per-section parsers and the whole-network checks that
// parse_network_text runs in order.
#pragma once

#include <yaml-cpp/yaml.h>

#include <filesystem>

#include "io/network_description.hpp"
#include "io/yaml_reader.hpp"

namespace tandem::io {

struct ParseContext {
  const YamlReader& reader;
  std::filesystem::path base_dir;
  double dt_ms = 1.0;  // converts ms values to ticks once simulation.dt_ms is known
};

// Fills every section of `network` from `root` (already overridden). Relative file paths are
// resolved and written back into `root` as absolute paths.
void parse_sections(YAML::Node root, const ParseContext& context, NetworkDescription& network);

// Names unique, references resolve, sizes agree and are bounded, no zero-latency cycle.
void check_network(const YAML::Node& root, const YamlReader& reader, const NetworkDescription& network);

}  // namespace tandem::io
