// Reading a Neuromorphic Intermediate Representation file (HDF5: /node = NIRGraph with nodes/,
// edges (E, 2) [source, target]) into one flat, checked graph: nested graphs are inlined with
// names "<graph>.<node>", shapes are inferred and checked, parameters are plain arrays.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/contained_read.hpp"
#include "core/interrupt_guard.hpp"

namespace tandem::io {

enum class NirKind { input, output, affine, linear, scale, threshold, flatten, if_neuron, li, lif, cuba_li, cuba_lif,
                     integrator, delay };

struct NirNode {
  std::string name;  // NIR name; nested: "<graph>.<node>"
  std::string type;  // as in the file ("LIF", "Affine" …)
  NirKind kind = NirKind::input;
  bool external_input = false;  // a top-level Input: fed from outside
  bool top_level = true;        // false inside a nested graph
  std::size_t size = 0;         // output width (0 until inferred)
  std::size_t in_size = 0;      // required input width (0: takes what arrives)
  std::map<std::string, std::vector<double>> parameters;  // broadcast to `size` for neurons
  std::vector<std::size_t> weight_dims;                   // affine/linear: [out, in]
  std::vector<std::size_t> sources;                       // nodes whose outputs are summed into it
};

struct NirGraph {
  std::string file;
  std::string version;
  std::vector<NirNode> nodes;
  [[nodiscard]] const NirNode& node(const std::string& name) const;  // InputError if unknown
};

// InputError "<file>: node '<name>': <problem>" for a missing parameter, an unknown or
// unsupported (convolution, pooling) node type, a dangling edge, or a shape mismatch.
// The file is read first in a child process within `limits` (core/contained_read.hpp): a file on
// which libhdf5 crashes, runs out of memory or hangs gives an InputError naming it.
NirGraph read_nir(const std::filesystem::path& file, const InterruptGuard* interrupt = nullptr,
                  const ContainmentLimits& limits = {});

}  // namespace tandem::io
