// A recorder that keeps nothing: the processes of an MPI run other than rank 0 enroll the run's
// probes in it, so that they take part in every collective step of recording (state gathered to
// rank 0), while rank 0 alone writes the trace (docs/mpi.md).
#pragma once

#include <string>

#include "core/recorder.hpp"

namespace tandem::app {

class DiscardingRecorder final : public Recorder {
 public:
  StreamId enroll(const StreamSpec& /*spec*/) override { return next_++; }
  void append(StreamId /*stream*/, std::span<const float> /*values*/) override {}
  void append(StreamId /*stream*/, std::span<const double> /*values*/) override {}
  void append(StreamId /*stream*/, std::span<const std::int64_t> /*values*/) override {}
  void append(StreamId /*stream*/, std::span<const std::uint32_t> /*values*/) override {}
  void write_metadata(const std::string& /*key*/, const std::string& /*value*/) override {}
  void flush() override {}

 private:
  StreamId next_ = 0;
};

}  // namespace tandem::app
