// Reading a network file (docs/network-format.md): YAML -> --set overrides -> validation ->
// NetworkDescription. Every error is an InputError naming file:line:col and the key path.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "io/network_description.hpp"
#include "io/overrides.hpp"

namespace tandem::io {

// Reads and validates `file`; relative paths inside it resolve against its folder.
NetworkDescription load_network(const std::filesystem::path& file,
                                const std::vector<Override>& overrides = {});

// The same for YAML text; `source_name` labels errors, `base_dir` resolves relative paths.
NetworkDescription parse_network_text(const std::string& yaml_text, const std::string& source_name,
                                      const std::filesystem::path& base_dir,
                                      const std::vector<Override>& overrides = {});

}  // namespace tandem::io
