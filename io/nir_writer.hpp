// Writing a flat NIR graph in NIR's documented HDF5 layout, the one io/nir_graph.hpp reads:
// /version, /node with type "NIRGraph", /node/nodes/<name>/ with a `type` string and one dataset
// per parameter, /node/edges an (E, 2) array of [source, target] strings, and the graph's
// metadata as datasets of /node/metadata (where NIR keeps a node's metadata).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace tandem::io {

struct NirArray {
  std::vector<double> values;
  std::vector<std::size_t> dims;  // empty: one dimension of values.size()
  bool integer = false;           // written as int64 (shapes), else float64
};

struct NirWriteNode {
  std::string name;
  std::string type;  // "LIF", "Linear" …
  std::map<std::string, NirArray> parameters;
};

struct NirWriteGraph {
  std::vector<NirWriteNode> nodes;
  std::vector<std::pair<std::string, std::string>> edges;  // [source, target], in this order
  std::map<std::string, double> metadata_numbers;
  std::map<std::string, std::string> metadata_texts;
};

// The NIR format version written to /version.
inline constexpr const char* nir_format_version = "1.0.0";

// Writes `graph` to `file` (replacing it); InputError naming the file when that fails.
void write_nir_graph(const std::filesystem::path& file, const NirWriteGraph& graph);

}  // namespace tandem::io
