#include "io/nir_graph.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/contained_read.hpp"
#include "core/error.hpp"
#include "core/hdf5_reader.hpp"
#include "io/yaml_reader.hpp"

namespace tandem::io {

bool is_convolution(NirKind kind) {
  return kind == NirKind::conv1d || kind == NirKind::conv2d || kind == NirKind::sum_pool || kind == NirKind::avg_pool;
}

namespace {

struct KindInfo {
  const char* type;
  NirKind kind;
  std::vector<std::string> required;
};

const std::vector<KindInfo>& kinds() {
  static const std::vector<KindInfo> all = {
      {"Input", NirKind::input, {"shape"}},
      {"Output", NirKind::output, {}},
      {"Affine", NirKind::affine, {"weight", "bias"}},
      {"Linear", NirKind::linear, {"weight"}},
      {"Scale", NirKind::scale, {"scale"}},
      {"Threshold", NirKind::threshold, {"threshold"}},
      {"Flatten", NirKind::flatten, {}},
      {"IF", NirKind::if_neuron, {"r", "v_threshold"}},
      {"LI", NirKind::li, {"tau", "r", "v_leak"}},
      {"LIF", NirKind::lif, {"tau", "r", "v_leak", "v_threshold"}},
      {"CubaLI", NirKind::cuba_li, {"tau_syn", "tau_mem", "r", "v_leak"}},
      {"CubaLIF", NirKind::cuba_lif, {"tau_syn", "tau_mem", "r", "v_leak", "v_threshold"}},
      {"I", NirKind::integrator, {"r"}},
      {"Delay", NirKind::delay, {"delay"}},
      {"Conv1d", NirKind::conv1d, {"weight"}},
      {"Conv2d", NirKind::conv2d, {"weight"}},
      {"SumPool2d", NirKind::sum_pool, {"kernel_size"}},
      {"AvgPool2d", NirKind::avg_pool, {"kernel_size"}},
  };
  return all;
}

// Neuron-like nodes: every array parameter has one value or one per unit.
bool is_elementwise(NirKind kind) {
  return kind != NirKind::input && kind != NirKind::output && kind != NirKind::affine && kind != NirKind::linear &&
         kind != NirKind::flatten && !is_convolution(kind);
}

// Units a node may have: the network-file limit (io/yaml_reader.hpp), so a huge declared shape
// is refused before anything of that size is allocated.
constexpr double max_nir_size = static_cast<double>(max_size);

// Elements a dataset may declare before it is read: 2^28 doubles (2 GiB) is far beyond any
// chip-sized model and refuses a forged header before its allocation.
constexpr std::size_t max_nir_values = std::size_t{1} << 28;

class Reader {
 public:
  Reader(const std::filesystem::path& file, const InterruptGuard* interrupt)
      : file_(file.string()), h5_(file.string()), interrupt_(interrupt) {}

  NirGraph read() {
    NirGraph graph;
    graph.file = file_;
    if (h5_.is_dataset("/version")) graph.version = h5_.read_string("/version");
    if (!h5_.is_group("/node")) fail("/node", "missing: not a NIR file");
    const std::string type = h5_.is_dataset("/node/type") ? h5_.read_string("/node/type") : "";
    if (type != "NIRGraph") fail("/node", "top-level type is '" + type + "', not NIRGraph");
    read_graph("/node", "", true);
    if (nodes_.empty()) fail("/node", "the graph has no nodes");
    infer_sizes();
    check_shapes();
    graph.nodes = std::move(nodes_);
    return graph;
  }

 private:
  [[noreturn]] void fail(const std::string& where, const std::string& problem) const {
    throw InputError(file_ + ": " + where + ": " + problem);
  }
  [[noreturn]] void fail_node(const std::string& node, const std::string& problem) const {
    fail("node '" + node + "'", problem);
  }

  // Reads graph `group` whose nodes get `prefix`; returns name → flat index of its members
  // (a nested graph maps to its Input (as target) and Output (as source) through the maps below).
  void read_graph(const std::string& group, const std::string& prefix, bool top, int depth = 0) {
    // HDF5 hard links can make a group its own descendant; real models nest a few levels.
    constexpr int max_depth = 32;
    if (depth > max_depth) fail(group, "graphs nested more than " + std::to_string(max_depth) + " deep (a link cycle?)");
    const std::string nodes_group = group + "/nodes";
    if (!h5_.is_group(nodes_group)) fail(group, "a NIRGraph without nodes");
    for (const auto& member : h5_.members(nodes_group)) {
      // Linked-back groups could otherwise multiply the work at every level of nesting.
      constexpr std::size_t max_members = 100'000;
      if (++members_seen_ > max_members) fail(group, "more than " + std::to_string(max_members) + " nodes");
      const std::string path = nodes_group + "/" + member;
      const std::string name = prefix + member;
      if (interrupt_ != nullptr) interrupt_->check("reading " + file_ + " (node '" + name + "')");
      if (!h5_.is_dataset(path + "/type")) fail_node(name, "has no 'type'");
      const std::string type = h5_.read_string(path + "/type");
      if (type == "NIRGraph") {
        read_graph(path, name + ".", false, depth + 1);
        continue;
      }
      const auto info = std::find_if(kinds().begin(), kinds().end(), [&](const KindInfo& k) { return type == k.type; });
      if (info == kinds().end()) fail_node(name, "unknown NIR node type " + type);
      NirNode node;
      node.name = name;
      node.type = type;
      node.kind = info->kind;
      node.external_input = top && info->kind == NirKind::input;
      node.top_level = top;
      for (const auto& parameter : h5_.members(path)) {
        if (parameter == "type" || !h5_.is_dataset(path + "/" + parameter)) continue;
        NumericDataset data;
        std::size_t declared = 1;
        for (const auto d : h5_.dims(path + "/" + parameter)) {
          declared = d > max_nir_values / std::max<std::size_t>(declared, 1) ? max_nir_values + 1 : declared * d;
        }
        if (declared > max_nir_values) {
          fail_node(name, "parameter '" + parameter + "' declares more than " + std::to_string(max_nir_values) +
                              " values, which would exhaust memory");
        }
        try {
          data = h5_.read_numeric(path + "/" + parameter);
        } catch (const InputError&) {
          const bool needed = std::find(info->required.begin(), info->required.end(), parameter) != info->required.end();
          if (needed) fail_node(name, "parameter '" + parameter + "' of " + type + " is not numeric");
          continue;  // strings (e.g. input_type metadata) carry nothing the run needs
        }
        for (const double v : data.values) {
          if (!std::isfinite(v)) fail_node(name, "parameter '" + parameter + "' holds a value that is not finite");
        }
        if (parameter == "weight") node.weight_dims = data.dims;
        // A neuron node's shape is that of its parameter arrays (IF r of shape [16, 16, 16]).
        if (is_elementwise(info->kind) && data.values.size() > 1 && data.values.size() > shape_product(node.dims)) node.dims = data.dims;
        node.parameters[parameter] = std::move(data.values);
      }
      for (const auto& required : info->required) {
        if (node.parameters.count(required) == 0) fail_node(name, "missing parameter '" + required + "' of " + type);
      }
      if (info->kind == NirKind::delay) {
        for (const double d : node.parameters.at("delay")) {
          if (d < 0.0) fail_node(name, "delay " + std::to_string(d) + " s is negative");
        }
      }
      index_[name] = nodes_.size();
      nodes_.push_back(std::move(node));
    }
    // Edges, resolved after all members (and nested graphs) exist.
    const std::string edges_path = group + "/edges";
    std::vector<std::string> flat;
    if (h5_.is_dataset(edges_path) && !h5_.dims(edges_path).empty() && h5_.dims(edges_path)[0] > 0) {
      const auto dims = h5_.dims(edges_path);
      if (dims.size() != 2 || dims[1] != 2) fail(edges_path, "must be an (E, 2) array of [source, target]");
      if (dims[0] > max_nir_values) fail(edges_path, "declares " + std::to_string(dims[0]) + " edges, which would exhaust memory");
      flat = h5_.read_strings(edges_path);
    }
    if (flat.size() % 2 != 0) fail(edges_path, "must be an (E, 2) array of [source, target]");
    const std::string graph_name = prefix.empty() ? "top-level graph" : "graph '" + prefix.substr(0, prefix.size() - 1) + "'";
    for (std::size_t e = 0; e < flat.size(); e += 2) {
      const std::string where = graph_name + ": edge [" + flat[e] + " -> " + flat[e + 1] + "]";
      const std::size_t source = resolve(prefix + flat[e], false, where);
      const std::size_t target = resolve(prefix + flat[e + 1], true, where);
      nodes_[target].sources.push_back(source);
    }
  }

  // A node, or a nested graph's single Input (as a target) / Output (as a source).
  std::size_t resolve(const std::string& name, bool as_target, const std::string& where) const {
    const auto it = index_.find(name);
    if (it != index_.end()) return it->second;
    const NirKind wanted = as_target ? NirKind::input : NirKind::output;
    std::vector<std::size_t> ends;
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      const std::string& n = nodes_[i].name;
      if (n.rfind(name + ".", 0) == 0 && n.find('.', name.size() + 1) == std::string::npos && nodes_[i].kind == wanted) {
        ends.push_back(i);
      }
    }
    if (ends.size() == 1) return ends.front();
    if (ends.empty()) fail(where, "no node named '" + name + "'");
    fail(where, "graph '" + name + "' has several " + (as_target ? "Input" : "Output") + " nodes; name one");
  }

  static std::size_t shape_product(const std::vector<std::size_t>& dims) {
    return dims.empty() ? 0 : std::accumulate(dims.begin(), dims.end(), std::size_t{1}, std::multiplies<>());
  }

  // The number of units of a `shape` parameter: positive whole numbers whose product is at most
  // max_nir_size (checked before multiplying, so nothing overflows).
  std::size_t shape_size(const NirNode& node) const {
    const auto& shape = node.parameters.at("shape");
    if (shape.empty()) fail_node(node.name, "parameter 'shape' is empty");
    double n = 1.0;
    for (const double d : shape) {
      if (!(d >= 1.0) || d != std::floor(d)) {
        fail_node(node.name, "parameter 'shape' must hold positive whole numbers, got " + std::to_string(d));
      }
      n *= d;
      if (n > max_nir_size) {
        fail_node(node.name, "parameter 'shape' gives more than " + std::to_string(max_size) +
                                 " units, which would exhaust memory");
      }
    }
    return static_cast<std::size_t>(n);
  }

  // A parameter of whole non-negative numbers (convolution geometry).
  std::vector<std::size_t> whole_numbers(const NirNode& node, const std::string& key) const {
    std::vector<std::size_t> out;
    const auto found = node.parameters.find(key);
    if (found == node.parameters.end()) return out;
    for (const double d : found->second) {
      if (!(d >= 0.0) || d != std::floor(d) || d > max_nir_size) {
        fail_node(node.name, "parameter '" + key + "' must hold whole numbers >= 0, got " + std::to_string(d));
      }
      out.push_back(static_cast<std::size_t>(d));
    }
    return out;
  }

  // Conv1d/Conv2d from their own fields (NIR stores the input's spatial shape; the channels are
  // the weight's); output dims [O, H', W'] ([O, L'] for Conv1d).
  void infer_convolution(NirNode& node) const {
    NirConvolutionFields fields;
    fields.input_shape = whole_numbers(node, "input_shape");
    fields.weight_shape = node.weight_dims;
    fields.stride = whole_numbers(node, "stride");
    fields.padding = whole_numbers(node, "padding");
    fields.dilation = whole_numbers(node, "dilation");
    const auto groups = whole_numbers(node, "groups");
    fields.groups = groups.empty() ? 1 : groups.front();
    if (fields.input_shape.empty()) fail_node(node.name, "missing parameter 'input_shape' of " + node.type);
    if ((node.kind == NirKind::conv1d) != (fields.weight_shape.size() == 3)) {
      fail_node(node.name, node.type + " weight must have " + (node.kind == NirKind::conv1d ? "3" : "4") + " dimensions");
    }
    node.convolution = convolution_shape_from_nir(fields, file_ + ": node '" + node.name + "'");
    const ConvolutionShape& c = *node.convolution;
    const auto bias = node.parameters.find("bias");
    if (bias != node.parameters.end() && bias->second.size() != c.out_channels) {
      fail_node(node.name, "bias has " + std::to_string(bias->second.size()) + " values for " +
                               std::to_string(c.out_channels) + " output channels");
    }
    node.size = c.outputs();
    node.in_size = c.inputs();
    node.dims = node.kind == NirKind::conv1d ? std::vector<std::size_t>{c.out_channels, c.out_width()}
                                             : std::vector<std::size_t>{c.out_channels, c.out_height(), c.out_width()};
  }

  // SumPool2d/AvgPool2d over their input's [C, H, W] (known once the source's dims are).
  void infer_pooling(NirNode& node, const NirNode& source) const {
    if (source.dims.size() != 3) {
      fail_node(node.name, node.type + " needs a [C, H, W] input; '" + source.name + "' gives " +
                               std::to_string(source.size) + " values without that shape");
    }
    const auto pick = [&](const std::vector<std::size_t>& values, std::size_t axis, std::size_t fallback, const char* key) {
      if (values.empty()) return fallback;
      if (values.size() != 1 && values.size() != 2) fail_node(node.name, std::string("parameter '") + key + "' needs 1 or 2 entries");
      return values.size() == 1 ? values[0] : values[axis];
    };
    const auto kernel = whole_numbers(node, "kernel_size");
    const auto stride = whole_numbers(node, "stride");
    const auto padding = whole_numbers(node, "padding");
    const std::size_t kh = pick(kernel, 0, 1, "kernel_size"), kw = pick(kernel, 1, 1, "kernel_size");
    node.convolution = pooling_shape(source.dims[0], source.dims[1], source.dims[2], kh, kw, pick(stride, 0, kh, "stride"),
                                     pick(stride, 1, kw, "stride"), pick(padding, 0, 0, "padding"),
                                     pick(padding, 1, 0, "padding"), file_ + ": node '" + node.name + "'");
    const ConvolutionShape& c = *node.convolution;
    node.size = c.outputs();
    node.in_size = c.inputs();
    node.dims = {c.out_channels, c.out_height(), c.out_width()};
  }

  // Fixed sizes from parameters, then the rest from what arrives (repeated until stable).
  void infer_sizes() {
    for (auto& node : nodes_) {
      if (node.kind == NirKind::input || (node.kind == NirKind::output && node.parameters.count("shape"))) {
        node.size = shape_size(node);
        node.in_size = node.kind == NirKind::output || !node.external_input ? node.size : 0;
        node.dims = whole_numbers(node, "shape");
      } else if (node.kind == NirKind::conv1d || node.kind == NirKind::conv2d) {
        infer_convolution(node);
      } else if (node.kind == NirKind::affine || node.kind == NirKind::linear) {
        const auto& dims = node.weight_dims;
        if (dims.size() != 2) fail_node(node.name, "weight must be a matrix [out, in]");
        if (dims[0] == 0 || dims[1] == 0) fail_node(node.name, "weight has an empty dimension");
        node.size = dims[0];
        node.in_size = dims[1];
        node.dims = {node.size};
        if (node.kind == NirKind::affine && node.parameters.at("bias").size() != node.size) {
          fail_node(node.name, "bias has " + std::to_string(node.parameters.at("bias").size()) + " values, weight has " +
                                   std::to_string(node.size) + " rows");
        }
      } else if (is_elementwise(node.kind)) {
        std::size_t n = 1;
        for (const auto& [key, values] : node.parameters) n = std::max(n, values.size());
        for (const auto& [key, values] : node.parameters) {
          if (values.size() != 1 && values.size() != n) {
            fail_node(node.name, "parameter '" + key + "' has " + std::to_string(values.size()) + " values, others " +
                                     std::to_string(n));
          }
        }
        if (n > 1) node.size = node.in_size = n;
      }
    }
    for (bool changed = true; changed;) {
      changed = false;
      for (auto& node : nodes_) {
        if (node.sources.empty()) continue;
        const NirNode& source = nodes_[node.sources.front()];
        if (node.kind == NirKind::sum_pool || node.kind == NirKind::avg_pool) {
          if (node.size == 0 && !source.dims.empty()) {
            infer_pooling(node, source);
            changed = true;
          }
          continue;
        }
        if (node.size == 0) {
          // Edges into a node are summed, so any sized source gives the width.
          for (const auto s : node.sources) {
            if (nodes_[s].size != 0) {
              node.size = nodes_[s].size;
              changed = true;
              break;
            }
          }
        }
        // Shapes pass through nodes that keep the layout (neurons with scalar parameters, Scale,
        // Delay, Output); Flatten makes its input one-dimensional.
        if (node.dims.empty() && node.size != 0 && source.size == node.size && !source.dims.empty()) {
          node.dims = node.kind == NirKind::flatten ? std::vector<std::size_t>{node.size} : source.dims;
          changed = true;
        }
      }
    }
    for (auto& node : nodes_) {
      if ((node.kind == NirKind::sum_pool || node.kind == NirKind::avg_pool) && node.size == 0 && !node.sources.empty() &&
          nodes_[node.sources.front()].size != 0) {
        infer_pooling(node, nodes_[node.sources.front()]);  // fails naming the missing [C, H, W]
      }
      if (node.size == 0) fail_node(node.name, "its size cannot be inferred (no shape and no sized input)");
      if (is_elementwise(node.kind)) {
        for (auto& [key, values] : node.parameters) {
          if (values.size() == 1) values.assign(node.size, values.front());
        }
        node.in_size = node.size;
      }
    }
  }

  void check_shapes() const {
    for (const auto& node : nodes_) {
      if (node.external_input) {
        if (!node.sources.empty()) fail_node(node.name, "a top-level Input cannot receive edges");
        continue;
      }
      if (node.sources.empty()) fail_node(node.name, "receives no edge");
      // Edges into a node are summed: every source must give exactly the node's input width.
      const std::size_t wanted = node.in_size != 0 ? node.in_size : node.size;
      for (const auto s : node.sources) {
        if (nodes_[s].size != wanted) {
          fail_node(node.name, "shape mismatch: " + node.type + " takes " + std::to_string(wanted) + " inputs, '" +
                                   nodes_[s].name + "' gives " + std::to_string(nodes_[s].size));
        }
      }
    }
  }

  std::string file_;
  Hdf5Reader h5_;
  std::vector<NirNode> nodes_;
  std::map<std::string, std::size_t> index_;
  std::size_t members_seen_ = 0;  // nodes and nested graphs read so far
  const InterruptGuard* interrupt_;
};

}  // namespace

const NirNode& NirGraph::node(const std::string& name) const {
  for (const auto& n : nodes) {
    if (n.name == name) return n;
  }
  throw InputError(file + ": no NIR node named '" + name + "'");
}

NirGraph read_nir(const std::filesystem::path& file, const InterruptGuard* interrupt, const ContainmentLimits& limits) {
  // A NIR file is untrusted input read through libhdf5: first in a child process.
  return read_contained(file.string(), [&] { return Reader(file, interrupt).read(); }, limits);
}

}  // namespace tandem::io
