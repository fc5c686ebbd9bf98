// The narrow recording interface every trace goes through: enroll a stream, append whole
// blocks, flush, write metadata. Implementations: MemoryRecorder (tests) and Hdf5Recorder
// (the only code that includes HDF5 headers). Layout of stream paths: docs/traces.md.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "core/time.hpp"

namespace tandem {

enum class SampleType { float32, float64, int64, uint32 };

// One growing dataset. columns == 0 means a 1-D dataset (one value per sample);
// columns >= 1 means a 2-D dataset [samples x columns] that grows along samples.
struct StreamSpec {
  std::string path;                               // "/snn/exc/spikes/tick"
  SampleType type = SampleType::float32;
  std::size_t columns = 0;
  std::map<std::string, std::string> attributes;  // "unit" -> "mV", "dt_ms" -> "0.1" …
};

using StreamId = std::size_t;

class Recorder {
 public:
  virtual ~Recorder() = default;
  // Declares a stream; enrolling the same path twice is an InputError.
  virtual StreamId enroll(const StreamSpec& spec) = 0;
  // Appends a block of whole samples (values.size() must be a multiple of max(columns, 1)).
  virtual void append(StreamId stream, std::span<const float> values) = 0;
  virtual void append(StreamId stream, std::span<const double> values) = 0;
  virtual void append(StreamId stream, std::span<const std::int64_t> values) = 0;
  virtual void append(StreamId stream, std::span<const std::uint32_t> values) = 0;
  // Run-level metadata (/meta attributes); writing a key again replaces its value.
  virtual void write_metadata(const std::string& key, const std::string& value) = 0;
  // Makes everything appended so far durable.
  virtual void flush() = 0;
};

// What a user asks to record: variable `variable` of node `node` (a population, layer,
// bridge unit, environment …), for the listed units (empty: all), every `every_ticks` ticks.
struct Probe {
  std::string node;
  std::string variable;
  std::vector<std::uint32_t> units;
  Tick every_ticks = 1;
};

}  // namespace tandem
