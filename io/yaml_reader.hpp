// Typed, located reads from a YAML tree. Every failure is an InputError of the form
// "file:line:col: key.path: problem", so a user can go straight to the mistake.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <map>
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

// Numbers handed over in memory rather than as YAML text (the Python module's numpy arrays):
// the tree holds `{array: NAME}` where the values belong, the table holds them by NAME. Wherever
// a list of numbers, a matrix or `pairs` may be written, such a reference may stand instead.
struct InlineArray {
  std::vector<std::size_t> shape;  // 1 or 2 dimensions
  std::vector<double> values;      // row-major
};
using ArrayTable = std::map<std::string, InlineArray, std::less<>>;

class YamlReader {
 public:
  explicit YamlReader(std::string file_name) : file_name_(std::move(file_name)) {}

  [[nodiscard]] const std::string& file_name() const { return file_name_; }
  // "file:line:col" (1-based) where the node came from, or "file" for nodes made by --set
  // (and for every node when positions are off: text generated from a program's description).
  [[nodiscard]] std::string location(const YAML::Node& node) const;
  void show_positions(bool show) { positions_ = show; }
  // Resolves `{array: NAME}` references against `arrays` (nullptr: none are allowed).
  void use_arrays(const ArrayTable* arrays) { arrays_ = arrays; }
  // The array `node` refers to, or nullptr when it is not an `{array: NAME}` reference (or no
  // table is in use); fails naming the path when NAME is not in the table or the shape has
  // more than `max_dims` dimensions.
  [[nodiscard]] const InlineArray* array(const YAML::Node& node, std::string_view path, std::size_t max_dims = 1) const;
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
  // A list of finite numbers, or an `{array: NAME}` of one dimension.
  [[nodiscard]] std::vector<double> numbers(const YAML::Node& node, std::string_view path) const;
  // name -> number | list of numbers | string; what each name means is the model's business.
  [[nodiscard]] ParameterMap parameters(const YAML::Node& node, std::string_view path) const;

 private:
  std::string file_name_;
  std::vector<std::string> overridden_;
  bool positions_ = true;
  const ArrayTable* arrays_ = nullptr;
};

// Refused sizes: more neurons/units than this in one node or in the whole network.
inline constexpr std::int64_t max_size = 1'000'000'000;
// Refused synapse/weight estimate for the whole network (~16 bytes each would need 64 GB).
inline constexpr double max_connections = 4e9;

}  // namespace tandem::io
