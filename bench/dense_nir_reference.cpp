#include "bench/dense_nir_reference.hpp"

#include "core/error.hpp"
#include "io/nir_order.hpp"
#include "io/nir_units.hpp"

namespace tandem::bench {

namespace {

using io::NirKind;

// A neuron node's parameter, one value for all units (the CNN graphs store uniform ones).
float uniform(const io::NirNode& node, const std::string& key, double fallback, const std::string& file) {
  const auto found = node.parameters.find(key);
  if (found == node.parameters.end() || found->second.empty()) return static_cast<float>(fallback);
  for (const double value : found->second) {
    if (value != found->second.front()) {
      throw InputError(file + ": node '" + node.name + "': the dense reference takes one '" + key + "' per node");
    }
  }
  return static_cast<float>(found->second.front());
}

Eigen::VectorXf to_vector(const std::vector<double>& values) {
  Eigen::VectorXf v(static_cast<Eigen::Index>(values.size()));
  for (std::size_t i = 0; i < values.size(); ++i) v[static_cast<Eigen::Index>(i)] = static_cast<float>(values[i]);
  return v;
}

}  // namespace

DenseNirReference::DenseNirReference(const io::NirGraph& graph, double dt_ms) {
  const io::NirOrder order = io::nir_order(graph.nodes);
  std::vector<std::size_t> slot(graph.nodes.size(), 0);
  bool has_input = false;
  bool has_output = false;
  for (const std::size_t i : order.order) {
    const io::NirNode& nir = graph.nodes[i];
    const std::string where = graph.file + ": node '" + nir.name + "' (" + nir.type + ")";
    Node node{.kind = nir.kind};
    for (const std::size_t s : nir.sources) {
      if (order.reads_late(s, i)) throw InputError(where + ": the dense reference evaluates feed-forward graphs only");
      node.sources.push_back(slot[s]);
    }
    node.value = Eigen::VectorXf::Zero(static_cast<Eigen::Index>(nir.size));
    switch (nir.kind) {
      case NirKind::input:
        if (nir.external_input) {
          if (has_input) throw InputError(where + ": the dense reference takes one top-level Input");
          has_input = true;
          input_ = nodes_.size();
        }
        break;
      case NirKind::output:
        if (nir.top_level) {
          if (has_output) throw InputError(where + ": the dense reference takes one top-level Output");
          has_output = true;
          output_ = nodes_.size();
        }
        break;
      case NirKind::flatten: break;
      case NirKind::affine:
      case NirKind::linear: {
        const auto& w = nir.parameters.at("weight");
        node.weight.resize(static_cast<Eigen::Index>(nir.size), static_cast<Eigen::Index>(nir.in_size));
        for (std::size_t r = 0; r < nir.size; ++r) {
          for (std::size_t c = 0; c < nir.in_size; ++c) {
            node.weight(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = static_cast<float>(w[r * nir.in_size + c]);
          }
        }
        node.bias = nir.kind == NirKind::affine ? to_vector(nir.parameters.at("bias")) : Eigen::VectorXf::Zero(node.weight.rows());
        break;
      }
      case NirKind::scale: node.scale = to_vector(nir.parameters.at("scale")); break;
      case NirKind::conv1d:
      case NirKind::conv2d: {
        node.shape = *nir.convolution;
        for (const double w : nir.parameters.at("weight")) node.kernel.push_back(static_cast<float>(w));
        const auto bias = nir.parameters.find("bias");
        node.bias = bias != nir.parameters.end() ? to_vector(bias->second)
                                                 : Eigen::VectorXf::Zero(static_cast<Eigen::Index>(node.shape.out_channels));
        break;
      }
      case NirKind::sum_pool:
      case NirKind::avg_pool:
        node.shape = *nir.convolution;
        node.tap = nir.kind == NirKind::avg_pool
                       ? 1.0F / static_cast<float>(node.shape.kernel_height * node.shape.kernel_width)
                       : 1.0F;
        break;
      case NirKind::if_neuron:
        node.spiking = true;
        node.gain = static_cast<float>(io::nir_integrator_gain(uniform(nir, "r", 1.0, graph.file), dt_ms));
        node.threshold = uniform(nir, "v_threshold", 1.0, graph.file);
        node.reset = uniform(nir, "v_reset", 0.0, graph.file);
        break;
      case NirKind::lif: {
        node.spiking = true;
        const double tau = uniform(nir, "tau", 1.0, graph.file);
        const double step = dt_ms / io::nir_ms(tau);  // dt/τ
        node.gain = static_cast<float>(io::nir_membrane_gain(uniform(nir, "r", 1.0, graph.file), tau, dt_ms));
        node.decay = static_cast<float>(1.0 - step);
        node.leak_term = static_cast<float>(step * uniform(nir, "v_leak", 0.0, graph.file));
        node.threshold = uniform(nir, "v_threshold", 1.0, graph.file);
        node.reset = uniform(nir, "v_reset", 0.0, graph.file);
        break;
      }
      default:
        throw InputError(where + ": the dense reference evaluates Input, Output, Flatten, Affine, Linear, Scale, "
                                 "Conv1d/2d, Sum/AvgPool2d, IF and LIF nodes");
    }
    if (node.spiking) node.v = Eigen::VectorXf::Zero(static_cast<Eigen::Index>(nir.size));
    slot[i] = nodes_.size();
    nodes_.push_back(std::move(node));
  }
  if (!has_input || !has_output) throw InputError(graph.file + ": the dense reference needs one top-level Input and Output");
}

std::size_t DenseNirReference::input_width() const { return static_cast<std::size_t>(nodes_[input_].value.size()); }
std::size_t DenseNirReference::output_width() const { return static_cast<std::size_t>(nodes_[output_].value.size()); }

void DenseNirReference::reset() {
  for (Node& node : nodes_) {
    node.value.setZero();
    if (node.spiking) node.v.setZero();
  }
  spikes_ = 0;
}

// As frameworks compute a convolution: per group, the input patches every output position sees
// as the columns of a matrix (im2col), multiplied by the kernel [O/groups x C/groups·kh·kw].
void DenseNirReference::convolve(Node& node, const Eigen::VectorXf& in) {
  using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const ConvolutionShape& s = node.shape;
  const std::size_t out_h = s.out_height();
  const std::size_t out_w = s.out_width();
  const auto positions = static_cast<Eigen::Index>(out_h * out_w);
  const auto columns = static_cast<Eigen::Index>(s.kernel_columns());
  const auto per_group_out = static_cast<Eigen::Index>(s.out_per_group());
  node.patches.resize(columns, positions);
  for (std::size_t g = 0; g < s.groups; ++g) {
    for (std::size_t i = 0; i < s.in_per_group(); ++i) {
      const std::size_t channel = g * s.in_per_group() + i;
      for (std::size_t u = 0; u < s.kernel_height; ++u) {
        for (std::size_t v = 0; v < s.kernel_width; ++v) {
          const auto patch_row = static_cast<Eigen::Index>((i * s.kernel_height + u) * s.kernel_width + v);
          for (std::size_t r = 0; r < out_h; ++r) {
            const auto row = static_cast<std::ptrdiff_t>(r * s.stride_height + u * s.dilation_height) -
                             static_cast<std::ptrdiff_t>(s.padding_height);
            for (std::size_t c = 0; c < out_w; ++c) {
              const auto col = static_cast<std::ptrdiff_t>(c * s.stride_width + v * s.dilation_width) -
                               static_cast<std::ptrdiff_t>(s.padding_width);
              const bool inside = row >= 0 && row < static_cast<std::ptrdiff_t>(s.in_height) && col >= 0 &&
                                  col < static_cast<std::ptrdiff_t>(s.in_width);
              node.patches(patch_row, static_cast<Eigen::Index>(r * out_w + c)) =
                  inside ? in[static_cast<Eigen::Index>((channel * s.in_height + static_cast<std::size_t>(row)) * s.in_width +
                                                        static_cast<std::size_t>(col))]
                         : 0.0F;
            }
          }
        }
      }
    }
    const Eigen::Map<const RowMajor> kernel(node.kernel.data() + static_cast<Eigen::Index>(g) * per_group_out * columns,
                                            per_group_out, columns);
    Eigen::Map<RowMajor> out(node.value.data() + static_cast<Eigen::Index>(g) * per_group_out * positions, per_group_out,
                             positions);
    out.noalias() = kernel * node.patches;
    for (Eigen::Index o = 0; o < per_group_out; ++o) out.row(o).array() += node.bias[static_cast<Eigen::Index>(g) * per_group_out + o];
  }
}

void DenseNirReference::pool(Node& node, const Eigen::VectorXf& in) {
  const ConvolutionShape& s = node.shape;
  const std::size_t out_h = s.out_height();
  const std::size_t out_w = s.out_width();
  for (std::size_t ch = 0; ch < s.out_channels; ++ch) {
    for (std::size_t r = 0; r < out_h; ++r) {
      for (std::size_t c = 0; c < out_w; ++c) {
        float sum = 0.0F;
        for (std::size_t u = 0; u < s.kernel_height; ++u) {
          const auto row = static_cast<std::ptrdiff_t>(r * s.stride_height + u) - static_cast<std::ptrdiff_t>(s.padding_height);
          if (row < 0 || row >= static_cast<std::ptrdiff_t>(s.in_height)) continue;
          for (std::size_t v = 0; v < s.kernel_width; ++v) {
            const auto col = static_cast<std::ptrdiff_t>(c * s.stride_width + v) - static_cast<std::ptrdiff_t>(s.padding_width);
            if (col < 0 || col >= static_cast<std::ptrdiff_t>(s.in_width)) continue;
            sum += in[static_cast<Eigen::Index>((ch * s.in_height + static_cast<std::size_t>(row)) * s.in_width +
                                                static_cast<std::size_t>(col))];
          }
        }
        node.value[static_cast<Eigen::Index>((ch * out_h + r) * out_w + c)] = sum * node.tap;
      }
    }
  }
}

std::uint64_t DenseNirReference::step(const float* input) {
  std::uint64_t updates = 0;
  Eigen::VectorXf in;
  for (std::size_t n = 0; n < nodes_.size(); ++n) {
    Node& node = nodes_[n];
    if (n == input_) {
      node.value = Eigen::Map<const Eigen::VectorXf>(input, node.value.size());
      continue;
    }
    if (node.sources.empty()) continue;
    in = nodes_[node.sources[0]].value;
    for (std::size_t k = 1; k < node.sources.size(); ++k) in += nodes_[node.sources[k]].value;
    switch (node.kind) {
      case NirKind::affine:
      case NirKind::linear: node.value.noalias() = node.weight * in + node.bias; break;
      case NirKind::scale: node.value = node.scale.cwiseProduct(in); break;
      case NirKind::conv1d:
      case NirKind::conv2d: convolve(node, in); break;
      case NirKind::sum_pool:
      case NirKind::avg_pool: pool(node, in); break;
      case NirKind::if_neuron:
      case NirKind::lif: {
        updates += static_cast<std::uint64_t>(node.v.size());
        for (Eigen::Index i = 0; i < node.v.size(); ++i) {
          float v = node.decay * node.v[i] + node.leak_term + node.gain * in[i];
          const bool spike = v > node.threshold;
          if (spike) v = node.reset;
          node.v[i] = v;
          node.value[i] = spike ? 1.0F : 0.0F;
        }
        break;
      }
      default: node.value = in; break;  // flatten, output, nested input
    }
  }
  spikes_ += static_cast<std::uint64_t>(nodes_[output_].value.sum());
  return updates;
}

}  // namespace tandem::bench
