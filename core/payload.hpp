// What travels between engines: spike batches (structure of arrays: tick, source index)
// and dense frames (an Eigen vector stamped with a tick), grouped per port in a Mailbox.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

#include "core/time.hpp"

namespace tandem {

// Spikes as two parallel arrays; entry i is "unit index[i] spiked at tick[i]".
// In an inbox the tick is the arrival tick (emission tick + wire latency).
struct SpikeBatch {
  std::vector<Tick> tick;
  std::vector<std::uint32_t> index;

  [[nodiscard]] std::size_t size() const { return tick.size(); }
  [[nodiscard]] bool empty() const { return tick.empty(); }
  void push(Tick at, std::uint32_t unit) {
    tick.push_back(at);
    index.push_back(unit);
  }
  void clear() {
    tick.clear();
    index.clear();
  }
};

// One vector of values valid from `tick` on (in an inbox: the arrival tick).
struct DenseFrame {
  Tick tick = 0;
  Eigen::VectorXf values;
};

enum class PortKind { spikes, dense };
enum class PortDirection { in, out };

// A named connection point of an engine. `width` is the number of units (spike sources or
// targets) or the length of every dense frame on the port.
struct PortSpec {
  std::string name;
  PortKind kind = PortKind::spikes;
  PortDirection direction = PortDirection::in;
  std::size_t width = 0;
  std::string node;  // the node (population, layer …) this port reads or writes; for traffic
};

// The traffic of one port during one epoch.
struct PortTraffic {
  SpikeBatch spikes;
  std::vector<DenseFrame> frames;

  void clear() {
    spikes.clear();
    frames.clear();
  }
};

// Traffic for every port of one engine, indexed like the engine's ports() list
// (entries for ports of the other direction simply stay empty).
class Mailbox {
 public:
  Mailbox() = default;
  explicit Mailbox(std::size_t port_count) : ports_(port_count) {}

  [[nodiscard]] std::size_t port_count() const { return ports_.size(); }
  PortTraffic& port(std::size_t index) { return ports_.at(index); }
  [[nodiscard]] const PortTraffic& port(std::size_t index) const { return ports_.at(index); }
  void clear() {
    for (auto& traffic : ports_) traffic.clear();
  }

 private:
  std::vector<PortTraffic> ports_;
};

}  // namespace tandem
