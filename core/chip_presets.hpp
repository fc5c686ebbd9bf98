// Finding chip presets at run time: presets are data files (presets/<name>.yaml) looked up in
// $TANDEM_PRESETS_DIR first, then the source tree's presets/ folder; and resolving the
// `--chip NAME|file.yaml` option to a file.
#pragma once

#include <string>
#include <vector>

#include "core/chip_model.hpp"

namespace tandem {

// Folders searched for presets, in order (only those that are set; they may not exist).
std::vector<std::string> preset_directories();

// Names (file stems) of every preset found, sorted, first folder winning on duplicates.
std::vector<std::string> list_preset_names();

// A spec ending in ".yaml"/".yml" is a path (must exist); anything else is a preset name,
// looked up in preset_directories(). InputError naming the spec and the folders searched.
std::string resolve_chip_path(const std::string& spec);

// resolve_chip_path + load_chip_file.
ChipModel load_chip(const std::string& spec);

}  // namespace tandem
