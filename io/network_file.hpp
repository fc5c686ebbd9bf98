// Reading a network file (docs/network-format.md): YAML -> --set overrides -> validation ->
// NetworkDescription. Every error is an InputError naming file:line:col and the key path.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "io/network_description.hpp"
#include "io/overrides.hpp"
#include "io/yaml_reader.hpp"

namespace tandem::io {

// Reads and validates `file`; relative paths inside it resolve against its folder.
NetworkDescription load_network(const std::filesystem::path& file,
                                const std::vector<Override>& overrides = {});

// How text that a program generated (rather than a file a user wrote) is read.
struct ParseOptions {
  // Values handed over in memory, referred to as `{array: NAME}` in the text (the Python module).
  const ArrayTable* arrays = nullptr;
  // Errors name "file:line:col"; off, they name only `source_name` and the key path (line
  // numbers of generated text mean nothing to whoever described the network).
  bool positions = true;
};

// The same for YAML text; `source_name` labels errors, `base_dir` resolves relative paths.
NetworkDescription parse_network_text(const std::string& yaml_text, const std::string& source_name,
                                      const std::filesystem::path& base_dir,
                                      const std::vector<Override>& overrides = {}, const ParseOptions& options = {});

// Inline lists above this many entries are slow to read as YAML (every number a node: 320 k
// synapses take ~6 s and ~700 MB); the same data from HDF5 loads in a fraction of a second.
inline constexpr std::size_t large_inline_list = 20'000;

// One line of advice per projection or layer whose inline synapse or weight list is larger
// than large_inline_list, naming its key and the HDF5 form that loads it fast
// (docs/network-format.md#large-synapse-lists). Empty when there is none.
std::vector<std::string> large_inline_list_advice(const NetworkDescription& network);

}  // namespace tandem::io
