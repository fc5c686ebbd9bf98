#include "io/network_file.hpp"

#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "io/network_parts.hpp"

namespace tandem::io {

NetworkDescription parse_network_text(const std::string& yaml_text, const std::string& source_name,
                                      const std::filesystem::path& base_dir, const std::vector<Override>& overrides) {
  YamlReader reader(source_name);
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::ParserException& error) {
    throw InputError(source_name + ":" + std::to_string(error.mark.line + 1) + ":" +
                     std::to_string(error.mark.column + 1) + ": YAML syntax error: " + error.msg +
                     " (is the file truncated or mis-indented?)");
  }
  if (!root.IsMap()) throw InputError(source_name + ": a network file must be a mapping with sections such as "
                                      "'simulation', 'populations' (got an empty file or a plain value)");
  apply_overrides(root, overrides, reader);
  NetworkDescription network;
  network.source = source_name;
  try {
    parse_sections(root, ParseContext{reader, base_dir}, network);
    check_network(root, reader, network);
  } catch (const YAML::Exception& error) {
    // yaml-cpp conversions we did not anticipate: still bad input, still located.
    throw InputError(reader.location(root) + ": " + error.msg);
  }
  YAML::Emitter emitter;
  emitter << root;
  network.resolved_yaml = std::string(emitter.c_str()) + "\n";
  return network;
}

NetworkDescription load_network(const std::filesystem::path& file, const std::vector<Override>& overrides) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file.string() + ": cannot open the network file");
  std::ostringstream text;
  text << in.rdbuf();
  const std::filesystem::path base_dir = std::filesystem::absolute(file).parent_path();
  return parse_network_text(text.str(), file.string(), base_dir, overrides);
}

}  // namespace tandem::io
