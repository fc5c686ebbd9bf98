// The HDF5 implementation of Recorder: every stream becomes a chunked, compressed, extendible
// dataset; small appends are buffered up to one chunk and written in bulk by a writer thread
// (compression off the caller's thread). The only code that includes the HDF5 headers for
// writing (they stay in the .cpp). Layout: docs/traces.md.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "core/recorder.hpp"

namespace tandem {

// /meta `status` values: "running" from open until the run ends one way or the other.
inline constexpr const char* trace_status_running = "running";
inline constexpr const char* trace_status_complete = "complete";
inline constexpr const char* trace_status_interrupted = "interrupted";
inline constexpr const char* trace_status_failed = "failed";

struct Hdf5RecorderOptions {
  // Target bytes per chunk; also the size of the in-memory block a stream buffers before it
  // writes, so memory per stream stays bounded whatever the run length. 64 KiB keeps deflate
  // efficient while a few hundred streams still fit in a few tens of MB.
  std::size_t chunk_bytes = std::size_t{64} * 1024;
  // gzip level 4: most of level 9's ratio on float traces at a fraction of the CPU time.
  unsigned deflate_level = 4;
};

class Hdf5Recorder final : public Recorder {
 public:
  // Creates (truncates) `file_path` and writes /meta with tandem_version and status "running".
  // Check the path first with check_trace_output_path (core/trace_output.hpp): this
  // constructor overwrites. InputError when the file cannot be created.
  explicit Hdf5Recorder(const std::string& file_path, Hdf5RecorderOptions options = {});
  // Flushes and closes. If nobody set a final status, it becomes "failed" (the recorder was
  // destroyed before close(), e.g. while an exception unwound). Never throws.
  ~Hdf5Recorder() override;
  Hdf5Recorder(const Hdf5Recorder&) = delete;
  Hdf5Recorder& operator=(const Hdf5Recorder&) = delete;

  // Creates intermediate groups and the dataset; writes the spec's attributes (numbers that
  // parse completely are stored numeric, except `unit` and `units`, which stay strings).
  // InputError for a path enrolled twice, a relative or malformed path, or one under /meta.
  StreamId enroll(const StreamSpec& spec) override;
  // Values are converted to the stream's type. RunError when the block is not a whole number
  // of samples, or the recorder is closed.
  void append(StreamId stream, std::span<const float> values) override;
  void append(StreamId stream, std::span<const double> values) override;
  void append(StreamId stream, std::span<const std::int64_t> values) override;
  void append(StreamId stream, std::span<const std::uint32_t> values) override;
  // A /meta attribute; `status`, `stop_reason`, `config`, `mode`, `chip` and versions are
  // always strings, other values are numeric when they parse completely as a number.
  void write_metadata(const std::string& key, const std::string& value) override;
  // Writes every buffered block, waits for the writer thread, and flushes the file, so it is
  // readable as it stands. A failed write on the writer thread is rethrown as RunError (naming
  // trace and dataset) by the next append, flush or close.
  void flush() override;
  // Flushes, sets status "complete" if it is still "running", and closes. Idempotent.
  void close();

  [[nodiscard]] const std::string& file_path() const;
  [[nodiscard]] bool is_open() const;

 private:
  struct Impl;
  template <typename T>
  void append_values(StreamId stream, std::span<const T> values);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tandem
