// A minimal Engine for tests of the Simulation itself: it re-emits every spike and frame it
// receives (stamped with the arrival tick) and can be told to emit spikes at given ticks.
#pragma once

#include <optional>
#include <vector>

#include "core/engine.hpp"

namespace tandem::testing {

class RelayEngine : public Engine {
 public:
  RelayEngine(std::string name, std::size_t width) : name_(std::move(name)) {
    ports_ = {PortSpec{"spikes_in", PortKind::spikes, PortDirection::in, width},
              PortSpec{"spikes_out", PortKind::spikes, PortDirection::out, width},
              PortSpec{"dense_in", PortKind::dense, PortDirection::in, width},
              PortSpec{"dense_out", PortKind::dense, PortDirection::out, width}};
    counters_.push_back(NodeCounters{.node = name_});
  }

  // Spikes this engine emits by itself, as (tick, unit).
  std::vector<std::pair<Tick, std::uint32_t>> scheduled;
  // A frame this engine emits by itself in the epoch containing its tick.
  std::optional<DenseFrame> inject_frame;
  // Everything received, in arrival order.
  SpikeBatch received_spikes;
  std::vector<DenseFrame> received_frames;
  std::vector<Epoch> epochs;

  std::string_view name() const override { return name_; }
  std::span<const PortSpec> ports() const override { return ports_; }
  void reset(const RunContext&) override {
    received_spikes.clear();
    received_frames.clear();
    epochs.clear();
    counters_[0] = NodeCounters{.node = name_};
  }
  void advance(const Epoch& epoch, const Mailbox& inbox, Mailbox& outbox) override {
    epochs.push_back(epoch);
    const SpikeBatch& in = inbox.port(0).spikes;
    for (std::size_t i = 0; i < in.size(); ++i) {
      received_spikes.push(in.tick[i], in.index[i]);
      outbox.port(1).spikes.push(in.tick[i], in.index[i]);
    }
    for (const auto& [tick, unit] : scheduled) {
      if (epoch.contains(tick)) outbox.port(1).spikes.push(tick, unit);
    }
    if (inject_frame && epoch.contains(inject_frame->tick)) outbox.port(3).frames.push_back(*inject_frame);
    for (const DenseFrame& frame : inbox.port(2).frames) {
      received_frames.push_back(frame);
      outbox.port(3).frames.push_back(frame);
    }
    counters_[0].executed.add(Op::input_event, in.size());
    counters_[0].always_on.add(Op::neuron_update,
                               static_cast<std::uint64_t>(epoch.length()) * ports_[0].width);
  }
  std::span<const NodeCounters> counters() const override { return counters_; }
  bool enroll_probe(const Probe&, Recorder&) override { return false; }
  void record(Recorder&) override {}

 private:
  std::string name_;
  std::vector<PortSpec> ports_;
  std::vector<NodeCounters> counters_;
};

}  // namespace tandem::testing
