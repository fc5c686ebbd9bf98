#include "io/yaml_reader.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/error.hpp"

namespace tandem::io {

std::string join_path(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  std::string path(parent);
  path += '.';
  path += key;
  return path;
}

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0U : 1U)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string quoted_scalar(const YAML::Node& node) {
  if (node.IsScalar()) return "'" + node.Scalar() + "'";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  return "nothing";
}

}  // namespace

std::string closest_key(std::string_view key, const std::vector<std::string_view>& known) {
  std::string best;
  // A typo is plausible within about a third of the word (at least 2 edits).
  std::size_t best_distance = std::max<std::size_t>(2, key.size() / 3) + 1;
  for (const auto candidate : known) {
    const std::size_t distance = edit_distance(key, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = std::string(candidate);
    }
  }
  return best;
}

std::string YamlReader::location(const YAML::Node& node) const {
  const YAML::Mark mark = node.IsDefined() ? node.Mark() : YAML::Mark::null_mark();
  if (mark.is_null() || !positions_) return file_name_;
  return file_name_ + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

void YamlReader::fail(const YAML::Node& node, std::string_view path, std::string_view problem) const {
  std::string message = location(node) + ": ";
  if (!path.empty()) message += std::string(path) + ": ";
  message += problem;
  for (const auto& set_path : overridden_) {
    if (path.starts_with(set_path) &&
        (path.size() == set_path.size() || path[set_path.size()] == '.')) {
      message += " (value given by --set " + set_path + ")";
      break;
    }
  }
  throw InputError(message);
}

void YamlReader::expect_open_map(const YAML::Node& node, std::string_view path) const {
  if (!node.IsMap()) fail(node, path, "must be a mapping (key: value lines), got " + quoted_scalar(node));
  std::set<std::string, std::less<>> seen;
  for (const auto& entry : node) {
    if (!entry.first.IsScalar()) fail(entry.first, path, "keys must be plain names");
    if (!seen.insert(entry.first.Scalar()).second) {
      fail(entry.first, join_path(path, entry.first.Scalar()), "is given twice (duplicate name)");
    }
  }
}

void YamlReader::expect_map(const YAML::Node& node, std::string_view path,
                            const std::vector<std::string_view>& known) const {
  expect_open_map(node, path);
  for (const auto& entry : node) {
    const std::string& key = entry.first.Scalar();
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    std::string problem = "unknown key";
    const std::string suggestion = closest_key(key, known);
    if (!suggestion.empty()) problem += " (did you mean '" + suggestion + "'?)";
    std::string list;
    for (const auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
    fail(entry.first, join_path(path, key), problem + "; known keys: " + list);
  }
}

void YamlReader::expect_sequence(const YAML::Node& node, std::string_view path) const {
  if (!node.IsSequence()) fail(node, path, "must be a list, got " + quoted_scalar(node));
}

YAML::Node YamlReader::required(const YAML::Node& map, std::string_view path, std::string_view key) const {
  YAML::Node value = map[std::string(key)];
  if (!value.IsDefined() || value.IsNull()) fail(map, join_path(path, key), "is required");
  return value;
}

double YamlReader::number(const YAML::Node& node, std::string_view path) const {
  double value = 0.0;
  if (!node.IsScalar() || !YAML::convert<double>::decode(node, value)) {
    fail(node, path, "must be a number, got " + quoted_scalar(node));
  }
  if (!std::isfinite(value)) fail(node, path, "must be a finite number, got " + format_number(value));
  return value;
}

double YamlReader::non_negative(const YAML::Node& node, std::string_view path) const {
  const double value = number(node, path);
  if (value < 0.0) fail(node, path, "must be >= 0, got " + format_number(value));
  return value;
}

double YamlReader::positive(const YAML::Node& node, std::string_view path) const {
  const double value = number(node, path);
  if (value <= 0.0) fail(node, path, "must be > 0, got " + format_number(value));
  return value;
}

std::int64_t YamlReader::integer(const YAML::Node& node, std::string_view path) const {
  long long value = 0;
  if (node.IsScalar() && YAML::convert<long long>::decode(node, value)) return value;
  const double real = number(node, path);
  // Accept integral values written as reals (1e6); refuse fractions and out-of-range values.
  if (std::floor(real) != real || std::abs(real) > 9.0e18) {
    fail(node, path, "must be an integer, got " + format_number(real));
  }
  return static_cast<std::int64_t>(real);
}

std::int64_t YamlReader::positive_integer(const YAML::Node& node, std::string_view path) const {
  const std::int64_t value = integer(node, path);
  if (value <= 0) fail(node, path, "must be a positive integer, got " + std::to_string(value));
  return value;
}

std::int64_t YamlReader::size(const YAML::Node& node, std::string_view path) const {
  const std::int64_t value = positive_integer(node, path);
  if (value > max_size) {
    fail(node, path, "is " + std::to_string(value) + "; sizes above " + std::to_string(max_size) +
                         " would exhaust memory");
  }
  return value;
}

std::string YamlReader::text(const YAML::Node& node, std::string_view path) const {
  if (!node.IsScalar() || node.Scalar().empty()) {
    fail(node, path, "must be a non-empty string, got " + quoted_scalar(node));
  }
  return node.Scalar();
}

std::string YamlReader::choice(const YAML::Node& node, std::string_view path,
                               const std::vector<std::string_view>& allowed) const {
  std::string value = text(node, path);
  if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return value;
  std::string list;
  for (const auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  fail(node, path, "must be one of " + list + ", got '" + value + "'");
}

const InlineArray* YamlReader::array(const YAML::Node& node, std::string_view path, std::size_t max_dims) const {
  if (arrays_ == nullptr || !node.IsMap() || node.size() != 1 || !node["array"].IsDefined()) return nullptr;
  const std::string name = text(node["array"], join_path(path, "array"));
  const auto found = arrays_->find(name);
  if (found == arrays_->end()) fail(node, path, "no array named '" + name + "' was handed over");
  const InlineArray& array = found->second;
  if (array.shape.empty() || array.shape.size() > max_dims) {
    fail(node, path, "must be an array of " + std::string(max_dims == 1 ? "one dimension" : "one or two dimensions") +
                         ", got " + std::to_string(array.shape.size()));
  }
  for (std::size_t i = 0; i < array.values.size(); ++i) {
    if (!std::isfinite(array.values[i])) {
      fail(node, join_path(path, std::to_string(i)), "must be a finite number, got " + format_number(array.values[i]));
    }
  }
  return &array;
}

std::vector<double> YamlReader::numbers(const YAML::Node& node, std::string_view path) const {
  if (const InlineArray* values = array(node, path)) return values->values;
  expect_sequence(node, path);
  std::vector<double> values;
  values.reserve(node.size());
  for (std::size_t i = 0; i < node.size(); ++i) values.push_back(number(node[i], join_path(path, std::to_string(i))));
  return values;
}

ParameterMap YamlReader::parameters(const YAML::Node& node, std::string_view path) const {
  ParameterMap map;
  if (!node.IsDefined() || node.IsNull()) return map;
  expect_open_map(node, path);
  for (const auto& entry : node) {
    const std::string& key = entry.first.Scalar();
    const std::string key_path = join_path(path, key);
    const YAML::Node& value = entry.second;
    if (value.IsSequence() || array(value, key_path) != nullptr) {
      map.emplace(key, numbers(value, key_path));
    } else if (double number_value = 0.0; value.IsScalar() && YAML::convert<double>::decode(value, number_value)) {
      map.emplace(key, number(value, key_path));  // re-read to refuse nan/inf with the path
    } else if (value.IsScalar() && !value.Scalar().empty()) {
      map.emplace(key, value.Scalar());
    } else {
      fail(value, key_path, "must be a number, a list of numbers or a string, got " + quoted_scalar(value));
    }
  }
  return map;
}

}  // namespace tandem::io
