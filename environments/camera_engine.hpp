// A camera as an engine: it turns each observation an environment emits into an image (dense
// frame of grey levels) with a deterministic renderer, in the tick the observation arrives. It
// stands for the scene in front of a sensor, not for the chip: it counts no operations (a node of kind environment).
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "core/engine.hpp"

namespace tandem::environments {

// Draws the image (`pixels` values) of one observation.
using Renderer = std::function<void(std::span<const float> observation, std::span<float> image)>;

// Ports: in "observation" (observation_width), out "image" (pixels). Every frame arriving at
// tick t is rendered and sent stamped t; nothing else is sent.
class CameraEngine : public Engine {
 public:
  CameraEngine(std::string name, std::size_t observation_width, std::size_t pixels, Renderer renderer);

  [[nodiscard]] std::string_view name() const override { return name_; }
  [[nodiscard]] std::span<const PortSpec> ports() const override { return ports_; }
  void reset(const RunContext&) override;
  void advance(const Epoch& epoch, const Mailbox& inbox, Mailbox& outbox) override;
  // Off the chip like the environment (NodeKind::environment): structure for reports, no operations.
  [[nodiscard]] std::span<const NodeCounters> counters() const override { return counters_; }
  bool enroll_probe(const Probe&, Recorder&) override { return false; }
  void record(Recorder&) override {}

 private:
  std::string name_;
  std::vector<PortSpec> ports_;
  std::vector<NodeCounters> counters_;
  Renderer renderer_;
};

}  // namespace tandem::environments
