// Helpers for the dense-engine tests: random layers and inputs, and driving a DenseEngine
// directly through advance() with one input frame per tick.
#pragma once

#include <vector>

#include "ann/dense_engine.hpp"
#include "core/random.hpp"

namespace tandem::testing {

inline ann::DenseLayerSpec random_layer(const std::string& name, std::vector<std::string> sources, std::size_t outputs,
                                        std::size_t inputs, RandomStream& random,
                                        ann::ActivationKind activation = ann::ActivationKind::relu) {
  ann::DenseLayerSpec layer;
  layer.name = name;
  layer.sources = std::move(sources);
  layer.weight.resize(static_cast<Eigen::Index>(outputs), static_cast<Eigen::Index>(inputs));
  for (Eigen::Index j = 0; j < layer.weight.cols(); ++j) {
    for (Eigen::Index i = 0; i < layer.weight.rows(); ++i) {
      layer.weight(i, j) = static_cast<float>(random.uniform(-1.0, 1.0) / std::sqrt(static_cast<double>(inputs)));
    }
  }
  layer.bias.resize(static_cast<Eigen::Index>(outputs));
  for (Eigen::Index i = 0; i < layer.bias.size(); ++i) layer.bias[i] = static_cast<float>(random.uniform(-0.1, 0.1));
  layer.activation.kind = activation;
  return layer;
}

// A vector whose entries are non-zero with probability `activity`, uniform in [-1, 1].
inline Eigen::VectorXf random_input(std::size_t width, double activity, RandomStream& random) {
  Eigen::VectorXf values = Eigen::VectorXf::Zero(static_cast<Eigen::Index>(width));
  for (Eigen::Index j = 0; j < values.size(); ++j) {
    if (random.bernoulli(activity)) values[j] = static_cast<float>(random.uniform(-1.0, 1.0));
  }
  return values;
}

// `previous` with each entry replaced by a fresh random value with probability `change`.
inline Eigen::VectorXf perturb(const Eigen::VectorXf& previous, double change, RandomStream& random) {
  Eigen::VectorXf values = previous;
  for (Eigen::Index j = 0; j < values.size(); ++j) {
    if (random.bernoulli(change)) values[j] = random.bernoulli(0.3) ? 0.0f : static_cast<float>(random.uniform(-1.0, 1.0));
  }
  return values;
}

// Runs ticks 0 … inputs.size()-1, frame k arriving at tick k on input port `port` (one epoch
// per tick); returns the frames emitted on output port `output_port`.
inline std::vector<DenseFrame> drive(Engine& engine, const std::vector<Eigen::VectorXf>& inputs, std::size_t port,
                                     std::size_t output_port) {
  std::vector<DenseFrame> emitted;
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    Mailbox inbox(engine.ports().size());
    Mailbox outbox(engine.ports().size());
    inbox.port(port).frames.push_back(DenseFrame{static_cast<Tick>(k), inputs[k]});
    engine.advance(Epoch{static_cast<Tick>(k), static_cast<Tick>(k + 1)}, inbox, outbox);
    for (auto& frame : outbox.port(output_port).frames) emitted.push_back(frame);
  }
  return emitted;
}

inline RunContext context(ExecutionMode mode) { return RunContext{.time = TimeBase(1.0), .seed = 1, .mode = mode}; }

}  // namespace tandem::testing
