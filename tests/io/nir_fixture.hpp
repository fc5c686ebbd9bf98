// Test support: writes small NIR files with the documented layout (/version, /node type
// "NIRGraph", nodes/<name>/{type, parameter datasets}, edges (E, 2) strings) through the HDF5 C API.
#pragma once

#include <hdf5.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace tandem::testing {

struct NirArray {
  std::vector<double> values;
  std::vector<hsize_t> dims;  // empty: [values.size()]
};

struct NirNodeSpec {
  std::string type;
  std::map<std::string, NirArray> parameters;
};

struct NirGraphSpec {
  std::vector<std::pair<std::string, NirNodeSpec>> nodes;
  std::vector<std::pair<std::string, NirGraphSpec>> subgraphs;
  std::vector<std::pair<std::string, std::string>> edges;
};

inline void write_string(hid_t parent, const std::string& name, const std::string& text) {
  hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, H5T_VARIABLE);
  hid_t space = H5Screate(H5S_SCALAR);
  hid_t set = H5Dcreate2(parent, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  const char* data = text.c_str();
  H5Dwrite(set, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, &data);
  H5Dclose(set);
  H5Sclose(space);
  H5Tclose(type);
}

inline void write_array(hid_t parent, const std::string& name, const NirArray& array) {
  std::vector<hsize_t> dims = array.dims.empty() ? std::vector<hsize_t>{array.values.size()} : array.dims;
  hid_t space = H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr);
  hid_t set = H5Dcreate2(parent, name.c_str(), H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Dwrite(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, array.values.data());
  H5Dclose(set);
  H5Sclose(space);
}

inline void write_graph(hid_t group, const NirGraphSpec& graph) {
  write_string(group, "type", "NIRGraph");
  hid_t nodes = H5Gcreate2(group, "nodes", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  for (const auto& [name, node] : graph.nodes) {
    hid_t g = H5Gcreate2(nodes, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    write_string(g, "type", node.type);
    for (const auto& [key, array] : node.parameters) write_array(g, key, array);
    H5Gclose(g);
  }
  for (const auto& [name, sub] : graph.subgraphs) {
    hid_t g = H5Gcreate2(nodes, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    write_graph(g, sub);
    H5Gclose(g);
  }
  H5Gclose(nodes);
  std::vector<const char*> texts;
  for (const auto& [from, to] : graph.edges) {
    texts.push_back(from.c_str());
    texts.push_back(to.c_str());
  }
  hsize_t dims[2] = {graph.edges.size(), 2};
  hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, H5T_VARIABLE);
  hid_t space = H5Screate_simple(2, dims, nullptr);
  hid_t set = H5Dcreate2(group, "edges", type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  if (!texts.empty()) H5Dwrite(set, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data());
  H5Dclose(set);
  H5Sclose(space);
  H5Tclose(type);
}

inline void write_nir(const std::string& path, const NirGraphSpec& graph) {
  hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  write_string(file, "version", "1.0.0");
  hid_t node = H5Gcreate2(file, "node", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  write_graph(node, graph);
  H5Gclose(node);
  H5Fclose(file);
}

}  // namespace tandem::testing
