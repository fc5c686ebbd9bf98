// Test support: an engine that emits prepared dense frames on one output port "out".
#pragma once

#include <string>
#include <vector>

#include "core/engine.hpp"

namespace tandem::bridge::testing {

class FrameSource : public Engine {
 public:
  FrameSource(std::string name, std::size_t width, std::vector<DenseFrame> frames)
      : name_(std::move(name)), frames_(std::move(frames)) {
    ports_ = {PortSpec{"out", PortKind::dense, PortDirection::out, width, name_}};
  }
  std::string_view name() const override { return name_; }
  std::span<const PortSpec> ports() const override { return ports_; }
  void reset(const RunContext&) override {}
  void advance(const Epoch& epoch, const Mailbox&, Mailbox& outbox) override {
    for (const DenseFrame& f : frames_) {
      if (epoch.contains(f.tick)) outbox.port(0).frames.push_back(f);
    }
  }
  std::span<const NodeCounters> counters() const override { return {}; }
  bool enroll_probe(const Probe&, Recorder&) override { return false; }
  void record(Recorder&) override {}

 private:
  std::string name_;
  std::vector<PortSpec> ports_;
  std::vector<DenseFrame> frames_;
};

}  // namespace tandem::bridge::testing
