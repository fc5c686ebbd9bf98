// Reading a Neuromorphic Intermediate Representation file (HDF5: /node = NIRGraph with nodes/,
// edges (E, 2) [source, target]) into one flat, checked graph: nested graphs are inlined with
// names "<graph>.<node>", shapes are inferred and checked, parameters are plain arrays.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/contained_read.hpp"
#include "core/convolution_shape.hpp"
#include "core/interrupt_guard.hpp"

namespace tandem::io {

enum class NirKind { input, output, affine, linear, scale, threshold, flatten, if_neuron, li, lif, cuba_li, cuba_lif,
                     integrator, delay, conv1d, conv2d, sum_pool, avg_pool };

struct NirNode {
  std::string name;  // NIR name; nested: "<graph>.<node>"
  std::string type;  // as in the file ("LIF", "Affine" …)
  NirKind kind = NirKind::input;
  bool external_input = false;  // a top-level Input: fed from outside
  bool top_level = true;        // false inside a nested graph
  std::size_t size = 0;         // output width (0 until inferred)
  std::size_t in_size = 0;      // required input width (0: takes what arrives)
  std::map<std::string, std::vector<double>> parameters;  // broadcast to `size` for neurons
  std::vector<std::size_t> weight_dims;                   // affine/linear: [out, in]; conv: [O, C/groups, (kh,) kw]
  // The output's shape where known ([C, H, W] of an Input, a convolution or a neuron node whose
  // parameters have that shape); pooling reads its input's from here.
  std::vector<std::size_t> dims;
  std::optional<ConvolutionShape> convolution;  // Conv1d/Conv2d, and pooling as a depthwise convolution
  std::vector<std::size_t> sources;                       // nodes whose outputs are summed into it
};

// Conv1d, Conv2d, SumPool2d, AvgPool2d.
bool is_convolution(NirKind kind);

struct NirGraph {
  std::string file;
  std::string version;
  std::vector<NirNode> nodes;
  [[nodiscard]] const NirNode& node(const std::string& name) const;  // InputError if unknown
};

// InputError "<file>: node '<name>': <problem>" for a missing parameter, an unknown node type, a
// dangling edge, a shape mismatch, or a convolution or pooling whose geometry does not fit.
// The file is read first in a child process within `limits` (core/contained_read.hpp): a file on
// which libhdf5 crashes, runs out of memory or hangs gives an InputError naming it.
NirGraph read_nir(const std::filesystem::path& file, const InterruptGuard* interrupt = nullptr,
                  const ContainmentLimits& limits = {});

}  // namespace tandem::io
