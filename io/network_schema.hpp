// The keys a network file may contain, per section (docs/network-format.md). The parser
// refuses any other key; `--set` may add a key that is missing from the file only if it is
// listed here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tandem::io {

using Keys = std::vector<std::string_view>;

const Keys& top_level_keys();
const Keys& simulation_keys();
const Keys& environment_keys();
const Keys& precision_names();  // the values of every `precision:` (core/precision.hpp)
const Keys& population_keys();
const Keys& projection_keys();
const Keys& layer_keys();
const Keys& layer_event_keys();
const Keys& bridge_keys();
const Keys& subnetwork_keys();
const Keys& wire_keys();
const Keys& probe_keys();
const Keys& input_kinds();
// Keys of an input of the given kind (kind, size and the kind's own data key).
const Keys& input_keys(std::string_view kind);
// Every key any input may have (for --set, which does not know the kind yet).
const Keys& any_input_keys();

// The keys allowed in the mapping that `path` (dot-separated segments, without the last key)
// designates, or nullptr when that mapping is open (named sections, parameter maps).
const Keys* keys_of_mapping(const std::vector<std::string>& parent_path);

}  // namespace tandem::io
