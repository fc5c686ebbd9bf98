// `--set path.to.key=value` overrides, applied to a network file's YAML tree before it is
// validated, so an overridden value is checked exactly like one written in the file.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <vector>

namespace tandem::io {

class YamlReader;

struct Override {
  std::vector<std::string> path;  // dot-separated segments; list entries by index
  std::string value;              // YAML text: 15, abc, [1, 2, 3]
  [[nodiscard]] std::string path_text() const;
};

// Splits "a.b.c=value"; InputError when there is no '=', the path is empty or has an empty
// segment, or the value is empty.
Override parse_override(std::string_view text);

// Applies the overrides in order. The path must exist in the tree, except its last key,
// which may also be a known optional key of that section (network_schema.hpp). Errors name
// the override and `file_name`.
void apply_overrides(YAML::Node& root, const std::vector<Override>& overrides, YamlReader& reader);

}  // namespace tandem::io
