#include "core/memory_recorder.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace tandem {

std::size_t MemoryRecorder::Stream::samples() const {
  return values.size() / std::max<std::size_t>(spec.columns, 1);
}

StreamId MemoryRecorder::enroll(const StreamSpec& spec) {
  if (has(spec.path)) throw InputError("stream '" + spec.path + "' is enrolled twice");
  streams_.push_back(Stream{spec, {}, 0});
  return streams_.size() - 1;
}

template <typename T>
void MemoryRecorder::append_values(StreamId stream, std::span<const T> values) {
  Stream& target = streams_.at(stream);
  const std::size_t width = std::max<std::size_t>(target.spec.columns, 1);
  if (values.size() % width != 0) {
    throw RunError("stream '" + target.spec.path + "': a block of " + std::to_string(values.size()) +
                   " values is not a whole number of samples of " + std::to_string(width));
  }
  for (const T value : values) target.values.push_back(static_cast<double>(value));
  ++target.appends;
}

void MemoryRecorder::append(StreamId stream, std::span<const float> values) { append_values(stream, values); }
void MemoryRecorder::append(StreamId stream, std::span<const double> values) { append_values(stream, values); }
void MemoryRecorder::append(StreamId stream, std::span<const std::int64_t> values) { append_values(stream, values); }
void MemoryRecorder::append(StreamId stream, std::span<const std::uint32_t> values) { append_values(stream, values); }

void MemoryRecorder::write_metadata(const std::string& key, const std::string& value) {
  metadata_[key] = value;
}

bool MemoryRecorder::has(const std::string& path) const {
  return std::any_of(streams_.begin(), streams_.end(),
                     [&](const Stream& s) { return s.spec.path == path; });
}

const MemoryRecorder::Stream& MemoryRecorder::stream(const std::string& path) const {
  for (const Stream& s : streams_) {
    if (s.spec.path == path) return s;
  }
  throw InputError("no stream recorded at '" + path + "'");
}

}  // namespace tandem
