// A dense, always-compute evaluation of a feed-forward NIR graph: what a framework without events
// (PyTorch, a numpy loop) computes per tick. `tandem bench conv` times it beside the event engine
// as the speed reference. It is written independently of the lowering (io/nir_lowering.hpp):
// convolutions as im2col and a matrix product (as PyTorch computes them), Affine/Linear are Eigen matrix-vector
// products, neurons follow NIR's forward-Euler equations with the same constants — so its output
// spikes should agree with the engine's up to float rounding (products of folded linear nodes are
// rounded once in the engine, node by node here); the bench reports the agreement, it does not
// require it.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <string>
#include <vector>

#include "io/nir_graph.hpp"

namespace tandem::bench {

class DenseNirReference {
 public:
  // InputError naming the node for a loop, more than one top-level Input or Output, or a node
  // kind the reference does not evaluate (CubaLIF, LI, Delay, Threshold: not in CNN graphs).
  DenseNirReference(const io::NirGraph& graph, double dt_ms);

  [[nodiscard]] std::size_t input_width() const;
  [[nodiscard]] std::size_t output_width() const;
  // Every state back to 0.
  void reset();
  // One tick with `input` (input_width() values); adds the Output node's spikes (or, for a graded
  // output, nothing) to spike_count() and returns the neuron updates it did (all neurons).
  std::uint64_t step(const float* input);
  [[nodiscard]] std::uint64_t spike_count() const { return spikes_; }

 private:
  struct Node {
    io::NirKind kind;
    std::vector<std::size_t> sources;  // indices into nodes_
    Eigen::VectorXf value;             // this tick's output
    Eigen::VectorXf v;                 // neurons: membrane state
    Eigen::MatrixXf weight;            // affine, linear: [out x in]
    Eigen::VectorXf bias;              // affine; conv: one per output channel
    std::vector<float> kernel;         // conv: [O, C/groups, kh, kw] row-major
    ConvolutionShape shape;            // conv, pooling
    Eigen::MatrixXf patches;           // conv: im2col scratch [C/groups·kh·kw x H'·W']
    float tap = 1.0F;                  // pooling: 1 (sum) or 1/(kh·kw) (average)
    Eigen::VectorXf scale;             // scale
    float gain = 1.0F;                 // neurons: jump on v per unit of input
    float decay = 1.0F;                // lif: 1 − dt/τ
    float leak_term = 0.0F;            // lif: dt/τ · v_leak
    float threshold = 0.0F;
    float reset = 0.0F;
    bool spiking = false;
  };
  static void convolve(Node& node, const Eigen::VectorXf& in);
  static void pool(Node& node, const Eigen::VectorXf& in);

  std::vector<Node> nodes_;  // in evaluation order
  std::size_t input_ = 0;
  std::size_t output_ = 0;
  std::uint64_t spikes_ = 0;
};

}  // namespace tandem::bench
