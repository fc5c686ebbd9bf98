#include "core/json_reader.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

#include "core/error.hpp"

namespace tandem {

namespace {

// A short rendering of an offending value for messages; long arrays and strings are cut.
std::string excerpt(const nlohmann::json& value) {
  constexpr std::size_t longest = 40;
  std::string text = value.dump();
  if (text.size() > longest) text = text.substr(0, longest) + "...";
  return text;
}

}  // namespace

nlohmann::json parse_json(const std::string& text, const std::string& origin) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    throw InputError(origin + ": not valid JSON (byte " + std::to_string(error.byte) + ")");
  } catch (const nlohmann::json::exception& error) {
    // Not a syntax error but a value the parser cannot hold, such as 1e400: drop the
    // "[json.exception.out_of_range.406] " prefix, keep the explanation.
    const std::string what = error.what();
    const auto bracket = what.find("] ");
    throw InputError(origin + ": not valid JSON (" + (bracket == std::string::npos ? what : what.substr(bracket + 2)) + ")");
  }
}

nlohmann::json read_json_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw InputError(path + ": cannot open the file");
  std::ostringstream text;
  text << file.rdbuf();
  return parse_json(text.str(), path);
}

JsonReader::JsonReader(const nlohmann::json& value, std::string origin, std::string path)
    : value_(value), origin_(std::move(origin)), path_(std::move(path)) {}

void JsonReader::fail(const std::string& problem) const {
  throw InputError(origin_ + ": key '" + (path_.empty() ? std::string("(top level)") : path_) + "': " + problem);
}

JsonReader JsonReader::at(const std::string& key) const {
  if (!value_.is_object()) fail("expected an object");
  const auto it = value_.find(key);
  const std::string path = path_.empty() ? key : path_ + "." + key;
  if (it == value_.end()) JsonReader(value_, origin_, path).fail("missing");
  return JsonReader(*it, origin_, path);
}

JsonReader JsonReader::at(std::size_t index) const {
  if (index >= size()) fail("has no element " + std::to_string(index));
  return JsonReader(value_[index], origin_, path_ + "[" + std::to_string(index) + "]");
}

bool JsonReader::has(const std::string& key) const { return value_.is_object() && value_.contains(key); }

bool JsonReader::is_null(const std::string& key) const { return has(key) && value_.at(key).is_null(); }

void JsonReader::expect_only_keys(std::span<const std::string_view> known) const {
  if (!value_.is_object()) fail("expected an object");
  for (const auto& [key, value] : value_.items()) {
    bool listed = false;
    for (const std::string_view name : known) listed = listed || name == key;
    if (!listed) {
      std::string names;
      for (const std::string_view name : known) names += (names.empty() ? "" : ", ") + std::string(name);
      JsonReader(value, origin_, path_.empty() ? key : path_ + "." + key).fail("unknown key (expected one of: " + names + ")");
    }
  }
}

std::size_t JsonReader::size() const {
  if (!value_.is_array()) fail("expected an array");
  return value_.size();
}

bool JsonReader::boolean() const {
  if (!value_.is_boolean()) fail("expected true or false");
  return value_.get<bool>();
}

std::string JsonReader::text() const {
  if (!value_.is_string()) fail("expected a string");
  return value_.get<std::string>();
}

double JsonReader::number() const {
  if (!value_.is_number()) fail("expected a number");
  const double value = value_.get<double>();
  if (!std::isfinite(value) || value < 0.0) fail("expected a finite number >= 0");
  return value;
}

std::uint64_t JsonReader::count() const {
  if (!value_.is_number_unsigned() && !(value_.is_number_integer() && value_.get<std::int64_t>() >= 0)) {
    fail("expected a non-negative integer");
  }
  return value_.get<std::uint64_t>();
}

std::size_t JsonReader::size_value() const { return static_cast<std::size_t>(count()); }

std::int64_t JsonReader::integer(std::int64_t min, std::int64_t max) const {
  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "[" + std::to_string(…) + ….
  std::string range = "[";
  range.append(std::to_string(min)).append(", ").append(std::to_string(max)).append("]");
  if (!value_.is_number_integer()) fail("expected an integer in " + range + ", got " + excerpt(value_));
  // nlohmann stores every non-negative integer as unsigned (and those above INT64_MAX only so).
  if (value_.is_number_unsigned()) {
    const std::uint64_t value = value_.get<std::uint64_t>();
    const bool in_range = max >= 0 && value <= static_cast<std::uint64_t>(max) &&
                          (min <= 0 || value >= static_cast<std::uint64_t>(min));
    if (!in_range) fail("expected an integer in " + range + ", got " + excerpt(value_));
    return static_cast<std::int64_t>(value);
  }
  const std::int64_t value = value_.get<std::int64_t>();
  if (value < min || value > max) fail("expected an integer in " + range + ", got " + excerpt(value_));
  return value;
}

}  // namespace tandem
