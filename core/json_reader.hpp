// Reading JSON input files with errors that name the file, the key path and the problem
// ("case.json: key 'params.nif': expected an integer in [1, 2147483647], got 0"), as InputError.
// Every reader of a tandem JSON file (energy reports, Tianjic cases) walks its document with this.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace tandem {

// Parses `text`; malformed JSON is an InputError "<origin>: not valid JSON (byte N)".
nlohmann::json parse_json(const std::string& text, const std::string& origin);
// Reads and parses a file; an unreadable file is an InputError naming it.
nlohmann::json read_json_file(const std::string& path);

// A value of a parsed document together with its key path ("steps[3].Uin"), for error messages.
class JsonReader {
 public:
  JsonReader(const nlohmann::json& value, std::string origin, std::string path);

  [[noreturn]] void fail(const std::string& problem) const;

  // The member `key` of an object; missing is an error naming the full path.
  [[nodiscard]] JsonReader at(const std::string& key) const;
  // Element `index` of an array (check size() first; out of range is an error too).
  [[nodiscard]] JsonReader at(std::size_t index) const;
  [[nodiscard]] bool has(const std::string& key) const;
  [[nodiscard]] bool is_null(const std::string& key) const;
  // Fails on the first member whose name is not in `known` (a misspelt key is an error, not ignored).
  void expect_only_keys(std::span<const std::string_view> known) const;
  void expect_only_keys(std::initializer_list<std::string_view> known) const {
    expect_only_keys(std::span<const std::string_view>(known.begin(), known.size()));
  }

  // Length of an array.
  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] bool boolean() const;
  [[nodiscard]] std::string text() const;
  // A finite number >= 0.
  [[nodiscard]] double number() const;
  // A non-negative integer.
  [[nodiscard]] std::uint64_t count() const;
  [[nodiscard]] std::size_t size_value() const;
  // An integer in [min, max]; a fraction (1.5, and 1.0 written as a float) or a string is an error.
  [[nodiscard]] std::int64_t integer(std::int64_t min, std::int64_t max) const;

  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  const nlohmann::json& value_;
  std::string origin_;
  std::string path_;
};

}  // namespace tandem
