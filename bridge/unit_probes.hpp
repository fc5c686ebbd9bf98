// Probes of one bridge unit: "in" and "out" sampled every n ticks into
// /bridge/<unit>/{in,out} (float32 [samples x units], companion /bridge/<unit>/tick), and
// "spikes" — the unit's spike-side port as events in /bridge/<unit>/spikes/{tick,index}.
#pragma once

#include <optional>
#include <vector>

#include "bridge/unit.hpp"

namespace tandem::bridge {

class UnitProbes {
 public:
  explicit UnitProbes(const UnitDescription& description) : description_(&description) {}

  // Enrolls `probe` (its node is this unit); InputError for an unknown variable, a unit index
  // out of range, or "in"/"out" probes of one unit with different every_ticks.
  void enroll(const Probe& probe, Recorder& recorder);
  // Forgets buffered samples and the held dense values (streams stay enrolled).
  void reset();
  // Buffers the samples of one epoch from the unit's input arrivals and output emissions.
  void capture(const Epoch& epoch, const PortTraffic& in, const PortTraffic& out);
  void record(Recorder& recorder);

 private:
  struct Sampled {
    StreamId stream = 0;
    std::vector<std::int64_t> columns;  // per port channel: its column, or -1
    std::size_t width = 0;              // columns recorded
    std::vector<float> buffer;
    Eigen::VectorXf held;               // dense side: the value valid now
  };
  struct Events {
    StreamId tick_stream = 0;
    StreamId index_stream = 0;
    std::vector<bool> selected;
    std::vector<std::int64_t> ticks;
    std::vector<std::uint32_t> indices;
  };

  Sampled make_sampled(const Probe& probe, std::size_t port_width, PortKind kind) const;
  void capture_sampled(Sampled& sampled, const Epoch& epoch, const PortTraffic& traffic, PortKind kind);

  const UnitDescription* description_;
  std::optional<Sampled> in_;
  std::optional<Sampled> out_;
  std::optional<Events> spikes_;
  std::optional<StreamId> tick_stream_;
  Tick every_ticks_ = 1;
  std::vector<std::int64_t> tick_buffer_;
};

}  // namespace tandem::bridge
