#include "io/nir_writer.hpp"

#include "core/hdf5_writer.hpp"

namespace tandem::io {

void write_nir_graph(const std::filesystem::path& file, const NirWriteGraph& graph) {
  Hdf5Writer out(file.string());
  out.write_string("/version", nir_format_version);
  out.create_group("/node");
  out.write_string("/node/type", "NIRGraph");
  out.create_group("/node/nodes");
  for (const auto& node : graph.nodes) {
    const std::string group = "/node/nodes/" + node.name;
    out.create_group(group);
    out.write_string(group + "/type", node.type);
    for (const auto& [key, array] : node.parameters) {
      const auto dims = array.dims.empty() ? std::vector<std::size_t>{array.values.size()} : array.dims;
      if (array.integer) {
        out.write_integers(group + "/" + key, std::vector<std::int64_t>(array.values.begin(), array.values.end()), dims);
      } else {
        out.write_doubles(group + "/" + key, array.values, dims);
      }
    }
  }
  std::vector<std::string> edges;
  edges.reserve(2 * graph.edges.size());
  for (const auto& [source, target] : graph.edges) {
    edges.push_back(source);
    edges.push_back(target);
  }
  out.write_strings("/node/edges", edges, {graph.edges.size(), 2});
  if (!graph.metadata_numbers.empty() || !graph.metadata_texts.empty()) {
    out.create_group("/node/metadata");
    for (const auto& [key, value] : graph.metadata_numbers) out.write_doubles("/node/metadata/" + key, {value}, {});
    for (const auto& [key, text] : graph.metadata_texts) out.write_string("/node/metadata/" + key, text);
  }
  out.close();
}

}  // namespace tandem::io
