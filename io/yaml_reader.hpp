// Typed, located reads from a YAML tree. Every failure is an InputError of the form
// "file:line:col: key.path: problem", so a user can go straight to the mistake.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "io/network_description.hpp"

namespace tandem::io {

using KeyList = std::initializer_list<std::string_view>;

// "parent.key", or "key" at the top level.
std::string join_path(std::string_view parent, std::string_view key);

// The known key closest to `key` by edit distance, or "" when nothing is plausibly meant.
std::string closest_key(std::string_view key, const std::vector<std::string_view>& known);

class YamlReader {
 public:
  explicit YamlReader(std::string file_name) : file_name_(std::move(file_name)) {}

  [[nodiscard]] const std::string& file_name() const { return file_name_; }
  // "file:line:col" (1-based) where the node came from, or "file" for nodes made by --set.
  [[nodiscard]] std::string location(const YAML::Node& node) const;
  [[noreturn]] void fail(const YAML::Node& node, std::string_view path, std::string_view problem) const;
  // Errors at or below `path` then say that the value came from `--set`.
  void note_override(std::string path) { overridden_.push_back(std::move(path)); }

  // A mapping without repeated keys, every key in `known` (unknown keys get a suggestion).
  void expect_map(const YAML::Node& node, std::string_view path, const std::vector<std::string_view>& known) const;
  // A mapping without repeated keys, any key names (named sections, parameter maps).
  void expect_open_map(const YAML::Node& node, std::string_view path) const;
  void expect_sequence(const YAML::Node& node, std::string_view path) const;
  // Fails naming `path.key` when `map` has no such key.
  [[nodiscard]] YAML::Node required(const YAML::Node& map, std::string_view path, std::string_view key) const;

  [[nodiscard]] double number(const YAML::Node& node, std::string_view path) const;  // finite
  [[nodiscard]] double non_negative(const YAML::Node& node, std::string_view path) const;
  [[nodiscard]] double positive(const YAML::Node& node, std::string_view path) const;
  [[nodiscard]] std::int64_t integer(const YAML::Node& node, std::string_view path) const;
  // 1 ..= max_size: sizes beyond that would exhaust memory long before a run starts.
  [[nodiscard]] std::int64_t size(const YAML::Node& node, std::string_view path) const;
  [[nodiscard]] std::int64_t positive_integer(const YAML::Node& node, std::string_view path) const;
  [[nodiscard]] std::string text(const YAML::Node& node, std::string_view path) const;  // non-empty
  [[nodiscard]] std::string choice(const YAML::Node& node, std::string_view path,
                                   const std::vector<std::string_view>& allowed) const;
  [[nodiscard]] std::vector<double> numbers(const YAML::Node& node, std::string_view path) const;
  // name -> number | list of numbers | string; what each name means is the model's business.
  [[nodiscard]] ParameterMap parameters(const YAML::Node& node, std::string_view path) const;

 private:
  std::string file_name_;
  std::vector<std::string> overridden_;
};

// Refused sizes: more neurons/units than this in one node or in the whole network.
inline constexpr std::int64_t max_size = 1'000'000'000;
// Refused synapse/weight estimate for the whole network (~16 bytes each would need 64 GB).
inline constexpr double max_connections = 4e9;

}  // namespace tandem::io
