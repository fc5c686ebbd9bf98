#include "core/chip_presets.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "core/error.hpp"

#ifndef TANDEM_PRESETS_SOURCE_DIR
#define TANDEM_PRESETS_SOURCE_DIR ""
#endif

namespace tandem {
namespace fs = std::filesystem;

std::vector<std::string> preset_directories() {
  std::vector<std::string> folders;
  if (const char* env = std::getenv("TANDEM_PRESETS_DIR"); env != nullptr && *env != '\0') {
    folders.emplace_back(env);
  }
  if (const std::string source = TANDEM_PRESETS_SOURCE_DIR; !source.empty()) {
    folders.push_back(source);
  }
  return folders;
}

std::vector<std::string> list_preset_names() {
  std::set<std::string> names;
  for (const auto& folder : preset_directories()) {
    std::error_code ignored;
    if (!fs::is_directory(folder, ignored)) continue;
    for (const auto& entry : fs::directory_iterator(folder, ignored)) {
      if (entry.is_regular_file() && entry.path().extension() == ".yaml") {
        names.insert(entry.path().stem().string());
      }
    }
  }
  return {names.begin(), names.end()};
}

std::string resolve_chip_path(const std::string& spec) {
  if (spec.empty()) throw InputError("--chip: empty chip name");
  const fs::path as_path(spec);
  if (as_path.extension() == ".yaml" || as_path.extension() == ".yml") {
    std::error_code ignored;
    if (!fs::is_regular_file(as_path, ignored)) {
      throw InputError("--chip " + spec + ": no such chip file");
    }
    return spec;
  }
  std::string searched;
  for (const auto& folder : preset_directories()) {
    const fs::path candidate = fs::path(folder) / (spec + ".yaml");
    std::error_code ignored;
    if (fs::is_regular_file(candidate, ignored)) return candidate.string();
    searched += (searched.empty() ? "" : ", ") + folder;
  }
  std::string known;
  for (const auto& name : list_preset_names()) known += (known.empty() ? "" : ", ") + name;
  throw InputError("--chip " + spec + ": no preset of that name (searched: " +
                   (searched.empty() ? std::string("no preset folder; set TANDEM_PRESETS_DIR") : searched) +
                   "; known: " + (known.empty() ? std::string("none") : known) +
                   "); a chip file must end in .yaml");
}

ChipModel load_chip(const std::string& spec) { return load_chip_file(resolve_chip_path(spec)); }

}  // namespace tandem
