// A Recorder that keeps every stream in memory, for tests and for reading traces back
// without a file. Values are stored as double whatever their sample type.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/recorder.hpp"

namespace tandem {

class MemoryRecorder : public Recorder {
 public:
  struct Stream {
    StreamSpec spec;
    std::vector<double> values;  // row-major [samples x max(columns, 1)]
    std::size_t appends = 0;     // how many blocks were appended
    [[nodiscard]] std::size_t samples() const;
  };

  StreamId enroll(const StreamSpec& spec) override;
  void append(StreamId stream, std::span<const float> values) override;
  void append(StreamId stream, std::span<const double> values) override;
  void append(StreamId stream, std::span<const std::int64_t> values) override;
  void append(StreamId stream, std::span<const std::uint32_t> values) override;
  void write_metadata(const std::string& key, const std::string& value) override;
  void flush() override { ++flushes_; }

  [[nodiscard]] bool has(const std::string& path) const;
  // The stream enrolled at `path`; InputError when there is none.
  [[nodiscard]] const Stream& stream(const std::string& path) const;
  [[nodiscard]] const std::vector<Stream>& streams() const { return streams_; }
  [[nodiscard]] const std::map<std::string, std::string>& metadata() const { return metadata_; }
  [[nodiscard]] std::size_t flushes() const { return flushes_; }

 private:
  template <typename T>
  void append_values(StreamId stream, std::span<const T> values);

  std::vector<Stream> streams_;
  std::map<std::string, std::string> metadata_;
  std::size_t flushes_ = 0;
};

}  // namespace tandem
