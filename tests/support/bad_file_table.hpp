// Test support for the broken-file corpora (tests/data/bad/...): counting a folder's files so a
// new file needs a table row, and catching the InputError a loader must raise on a file.
#pragma once

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "core/error.hpp"

namespace tandem::testing {

inline std::size_t files_with_extension(const std::filesystem::path& folder, const std::string& extension) {
  std::size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) count += entry.path().extension() == extension;
  return count;
}

// The message of the InputError `load(file)` raises, checked to start with the file name; a
// FAIL when the file is accepted.
template <typename Load>
std::string input_error_of(const Load& load, const std::string& file) {
  try {
    load(file);
  } catch (const InputError& error) {
    const std::string message = error.what();
    CHECK(message.rfind(file, 0) == 0);
    return message;
  }
  FAIL("accepted " << file);
  return {};
}

}  // namespace tandem::testing
