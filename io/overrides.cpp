#include "io/overrides.hpp"

#include <algorithm>
#include <charconv>

#include "core/error.hpp"
#include "io/network_schema.hpp"
#include "io/yaml_reader.hpp"
#include "neurons/registry.hpp"

namespace tandem::io {

std::string Override::path_text() const {
  std::string text;
  for (const auto& segment : path) text = join_path(text, segment);
  return text;
}

Override parse_override(std::string_view text) {
  const auto equals = text.find('=');
  if (equals == std::string_view::npos) {
    throw InputError("--set " + std::string(text) + ": expected path.to.key=value");
  }
  Override result;
  std::string_view path = text.substr(0, equals);
  result.value = std::string(text.substr(equals + 1));
  while (true) {
    const auto dot = path.find('.');
    result.path.emplace_back(path.substr(0, dot));
    if (result.path.back().empty()) {
      throw InputError("--set " + std::string(text) + ": the path has an empty part");
    }
    if (dot == std::string_view::npos) break;
    path.remove_prefix(dot + 1);
  }
  if (result.value.empty()) throw InputError("--set " + std::string(text) + ": the value is empty");
  return result;
}

namespace {

bool list_index(const YAML::Node& list, const std::string& segment, std::size_t& index) {
  const auto* end = segment.data() + segment.size();
  const auto parsed = std::from_chars(segment.data(), end, index);
  return parsed.ec == std::errc{} && parsed.ptr == end && index < list.size();
}

// Copies `value` without its marks: positions inside the --set text would point into the
// network file by mistake. Errors about it are flagged as coming from --set instead.
YAML::Node without_marks(const YAML::Node& value) {
  if (value.IsSequence()) {
    YAML::Node copy(YAML::NodeType::Sequence);
    for (const auto& item : value) copy.push_back(without_marks(item));
    return copy;
  }
  if (value.IsMap()) {
    YAML::Node copy(YAML::NodeType::Map);
    for (const auto& entry : value) copy[entry.first.Scalar()] = without_marks(entry.second);
    return copy;
  }
  if (value.IsScalar()) return YAML::Node(value.Scalar());
  return YAML::Node();
}

// The keys a mapping may gain through --set. A population's `parameters` takes the parameters
// of that population's model (e.g. rest_tolerance_mv), which only the file can tell.
const Keys* settable_keys(const YAML::Node& root, const std::vector<std::string>& walked) {
  if (walked.size() == 3 && walked[0] == "populations" && walked[2] == "parameters") {
    // Found by iterating: operator[] on a YAML::Node inserts missing keys, and a chain of its
    // const overload did not find the model in the sanitizer build (yaml-cpp 0.7; not pinned down).
    const auto child = [](const YAML::Node& map, const std::string& key) {
      if (map.IsMap()) {
        for (const auto& entry : map) {
          if (entry.first.IsScalar() && entry.first.Scalar() == key) return YAML::Node(entry.second);
        }
      }
      return YAML::Node();
    };
    const YAML::Node model = child(child(child(root, "populations"), walked[1]), "model");
    if (!model.IsScalar()) return nullptr;
    for (const auto& info : neurons::models()) {
      if (info.name == model.Scalar()) return &info.parameters;
    }
    return nullptr;
  }
  return keys_of_mapping(walked);
}

// A population without a `parameters` mapping gets one when --set gives it a parameter.
bool creates_parameters(const YAML::Node& node, const std::vector<std::string>& walked, const std::string& segment) {
  return segment == "parameters" && walked.size() == 2 && walked[0] == "populations" && node.IsMap();
}

void apply_one(YAML::Node& root, const Override& change, YamlReader& reader) {
  const std::string where = reader.file_name() + ": --set " + change.path_text();
  YAML::Node value;
  try {
    value = YAML::Load(change.value);
  } catch (const YAML::Exception& error) {
    throw InputError(where + ": the value is not valid YAML: " + error.msg);
  }
  YAML::Node node = root;
  std::vector<std::string> walked;
  for (std::size_t i = 0; i + 1 < change.path.size(); ++i) {
    const std::string& segment = change.path[i];
    std::size_t index = 0;
    YAML::Node next;
    if (node.IsMap() && node[segment].IsDefined()) {
      next.reset(node[segment]);
    } else if (node.IsSequence() && list_index(node, segment, index)) {
      next.reset(node[index]);
    } else if (creates_parameters(node, walked, segment) && i + 2 == change.path.size()) {
      node[segment] = YAML::Node(YAML::NodeType::Map);
      next.reset(node[segment]);
    } else {
      walked.push_back(segment);
      std::string shown;
      for (const auto& s : walked) shown = join_path(shown, s);
      throw InputError(where + ": '" + shown + "' does not exist in the network file");
    }
    walked.push_back(segment);
    node.reset(next);
  }
  const std::string& last = change.path.back();
  if (node.IsSequence()) {
    std::size_t index = 0;
    if (!list_index(node, last, index)) {
      throw InputError(where + ": '" + last + "' is not an index of that list (it has " +
                       std::to_string(node.size()) + " entries)");
    }
    node[index] = without_marks(value);
  } else if (node.IsMap()) {
    const bool exists = node[last].IsDefined();
    if (!exists) {
      const Keys* known = settable_keys(root, walked);
      if (known == nullptr || std::find(known->begin(), known->end(), last) == known->end()) {
        std::string problem = ": unknown path: '" + last + "' is neither in the file nor a known key there";
        if (known != nullptr) {
          const std::string suggestion = closest_key(last, *known);
          if (!suggestion.empty()) problem += " (did you mean '" + suggestion + "'?)";
        }
        throw InputError(where + problem);
      }
    }
    node[last] = without_marks(value);
  } else {
    throw InputError(where + ": the parent of '" + last + "' is not a mapping or a list");
  }
  reader.note_override(change.path_text());
}

}  // namespace

void apply_overrides(YAML::Node& root, const std::vector<Override>& overrides, YamlReader& reader) {
  for (const auto& change : overrides) apply_one(root, change, reader);
}

}  // namespace tandem::io
