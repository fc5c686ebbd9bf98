#include "io/network_file.hpp"

#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "io/network_parts.hpp"

namespace tandem::io {

NetworkDescription parse_network_text(const std::string& yaml_text, const std::string& source_name,
                                      const std::filesystem::path& base_dir, const std::vector<Override>& overrides,
                                      const ParseOptions& options) {
  YamlReader reader(source_name);
  reader.show_positions(options.positions);
  reader.use_arrays(options.arrays);
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

std::vector<std::string> large_inline_list_advice(const NetworkDescription& network) {
  std::vector<std::string> advice;
  // Measured on 320,000 explicit synapses: 5.0 s and 726 MB inline, 0.18 s and 44 MB from HDF5.
  const auto advise = [&](const std::string& path, std::size_t entries, const std::string& form) {
    if (entries <= large_inline_list) return;
    advice.push_back(network.source + ": " + path + " has " + std::to_string(entries) +
                     " entries inline, which YAML reads slowly (~16 us and ~2 kB each); " + form +
                     " loads them about 25x faster in a fifteenth of the memory (docs/network-format.md#large-synapse-lists)");
  };
  for (const ProjectionDescription& projection : network.projections) {
    const std::string path = "projections." + projection.name;
    advise(path + ".pairs", projection.pairs.size(), "pairs: {file: syn.h5, dataset: /pairs} ([synapses x 2] integers)");
    if (const auto* weights = std::get_if<std::vector<double>>(&projection.weight)) {
      advise(path + ".weight", weights->size(), "weight: {file: syn.h5, dataset: /weight}");
    }
  }
  for (const DenseLayerDescription& layer : network.layers) {
    if (!layer.weights) continue;
    if (const auto* matrix = std::get_if<Matrix>(&*layer.weights)) {
      advise("layers." + layer.name + ".weights", matrix->values.size(), "weights: {file: w.h5, dataset: /w}");
    }
  }
  return advice;
}

}  // namespace tandem::io
