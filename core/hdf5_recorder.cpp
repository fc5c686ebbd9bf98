#include "core/hdf5_recorder.hpp"

#include <H5Cpp.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <limits>
#include <mutex>
#include <set>
#include <thread>
#include <type_traits>
#include <vector>

#include "core/error.hpp"
#include "core/version.hpp"

namespace tandem {

namespace {

// H5S_UNLIMITED spelled without the header's C-style cast.
constexpr hsize_t unlimited = std::numeric_limits<hsize_t>::max();

// Bound on blocks handed to the writer thread but not yet written: append() waits beyond it,
// so memory stays bounded when compression is slower than the simulation. 16 MiB is 256
// default chunks, enough to ride out a slow second; 64 jobs bounds the queue for tiny chunks.
constexpr std::size_t max_pending_bytes = std::size_t{16} * 1024 * 1024;
constexpr std::size_t max_pending_jobs = 64;
// Written buffers kept for reuse, so a steady run does not allocate a block per chunk.
constexpr std::size_t max_spare_buffers = 8;

const H5::PredType& file_type(SampleType type) {
  switch (type) {
    case SampleType::float32: return H5::PredType::NATIVE_FLOAT;
    case SampleType::float64: return H5::PredType::NATIVE_DOUBLE;
    case SampleType::int64: return H5::PredType::NATIVE_INT64;
    case SampleType::uint32: return H5::PredType::NATIVE_UINT32;
  }
  throw RunError("unknown sample type");
}

std::size_t type_bytes(SampleType type) {
  switch (type) {
    case SampleType::float32: return sizeof(float);
    case SampleType::float64: return sizeof(double);
    case SampleType::int64: return sizeof(std::int64_t);
    case SampleType::uint32: return sizeof(std::uint32_t);
  }
  throw RunError("unknown sample type");
}

// Keys whose values are text even when they look like a number ("units" may be "3").
bool always_string(const std::string& key) {
  static const std::set<std::string> keys = {"unit",   "units", "status",         "stop_reason",
                                             "config", "mode",  "chip",           "tandem_version",
                                             "version", "network"};
  return keys.count(key) != 0;
}

// Writes `value` as attribute `key` of `object`, replacing an existing one.
void write_attribute(H5::H5Object& object, const std::string& key, const std::string& value) {
  if (object.attrExists(key)) object.removeAttr(key);
  const H5::DataSpace scalar(H5S_SCALAR);
  if (!always_string(key) && !value.empty()) {
    const char* first = value.data();
    const char* last = value.data() + value.size();
    std::int64_t integer = 0;
    auto [int_end, int_error] = std::from_chars(first, last, integer);
    if (int_error == std::errc() && int_end == last) {
      object.createAttribute(key, H5::PredType::NATIVE_INT64, scalar)
          .write(H5::PredType::NATIVE_INT64, &integer);
      return;
    }
    double real = 0.0;
    auto [real_end, real_error] = std::from_chars(first, last, real);
    if (real_error == std::errc() && real_end == last && std::isfinite(real)) {
      object.createAttribute(key, H5::PredType::NATIVE_DOUBLE, scalar)
          .write(H5::PredType::NATIVE_DOUBLE, &real);
      return;
    }
  }
  // Variable-length UTF-8: h5py reads it back as a Python str.
  H5::StrType text(H5::PredType::C_S1, H5T_VARIABLE);
  text.setCset(H5T_CSET_UTF8);
  object.createAttribute(key, text, scalar).write(text, value);
}

// "/snn/exc/spikes/tick": absolute, no empty or dot components, not under /meta.
void check_stream_path(const std::string& path) {
  const auto bad = [&](const std::string& why) {
    throw InputError("stream path '" + path + "': " + why);
  };
  if (path.size() < 2 || path.front() != '/') bad("must be an absolute path such as /snn/pop/spikes/tick");
  if (path.back() == '/') bad("must not end with '/'");
  std::size_t start = 1;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    const std::string part = path.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") bad("has an empty, '.' or '..' component");
    start = end + 1;
  }
  if (path == "/meta" || path.rfind("/meta/", 0) == 0) bad("/meta is reserved for run metadata");
}

std::string hdf5_message(const H5::Exception& error) {
  return error.getFuncName() + ": " + error.getDetailMsg();
}

}  // namespace

// Threads: append() converts into the stream's buffer on the calling thread; a full block
// becomes a Job in one FIFO queue and the writer thread performs the HDF5 write (extend +
// hyperslab write, where HDF5 runs shuffle+deflate), so compression uses another core. The
// serial HDF5 library is not thread-safe: every HDF5 call on either thread, including the
// destruction of HDF5 handles, holds `hdf5_mutex`.
struct Hdf5Recorder::Impl {
  struct Stream {
    StreamSpec spec;
    H5::DataSet dataset;
    std::size_t width = 1;       // values per sample
    std::size_t value_bytes = 0;
    hsize_t rows_written = 0;    // touched only under hdf5_mutex (writer thread or close)
    std::size_t block_rows = 1;  // rows per chunk = rows buffered before a write
    std::vector<unsigned char> buffer;  // whole rows in the stream's type (calling thread only)
    [[nodiscard]] std::size_t buffered_rows() const { return buffer.size() / (width * value_bytes); }
  };
  struct Job {
    std::size_t stream = 0;
    std::vector<unsigned char> bytes;
    std::size_t rows = 0;
  };

  std::string path;
  Hdf5RecorderOptions options;
  H5::H5File file;
  H5::Group meta;
  std::vector<Stream> streams;  // grows only in enroll(), under hdf5_mutex
  std::string status = trace_status_running;
  bool open = false;

  std::mutex hdf5_mutex;
  // Queue state, guarded by queue_mutex.
  std::mutex queue_mutex;
  std::condition_variable job_ready;      // writer waits: a job or stop
  std::condition_variable job_finished;   // callers wait: room in the queue or idle
  std::deque<Job> jobs;
  std::vector<std::vector<unsigned char>> spare_buffers;
  std::size_t pending_bytes = 0;  // queued plus the job being written
  bool writer_busy = false;
  bool stop_requested = false;
  std::string writer_error;           // first failure on the writer thread
  std::atomic<bool> writer_failed{false};  // cheap check for append()
  std::thread writer;

  ~Impl() { stop_writer(); }

  // One write of `rows` whole rows at the end of the dataset (extends it first). The caller
  // holds hdf5_mutex.
  void write_rows(Stream& stream, const void* data, std::size_t rows) {
    if (rows == 0) return;
    const hsize_t new_rows = stream.rows_written + rows;
    const bool two_d = stream.spec.columns > 0;
    const int rank = two_d ? 2 : 1;
    const hsize_t size[2] = {new_rows, stream.width};
    stream.dataset.extend(size);
    H5::DataSpace file_space = stream.dataset.getSpace();
    const hsize_t start[2] = {stream.rows_written, 0};
    const hsize_t count[2] = {rows, stream.width};
    file_space.selectHyperslab(H5S_SELECT_SET, count, start);
    const H5::DataSpace memory_space(rank, count);
    stream.dataset.write(data, file_type(stream.spec.type), memory_space, file_space);
    stream.rows_written = new_rows;
  }

  void start_writer() { writer = std::thread([this] { writer_loop(); }); }

  void writer_loop() {
    {
      // Error printing is per thread in a thread-safe HDF5 build: errors become exceptions
      // with messages here too, not stderr dumps.
      std::lock_guard hdf5_lock(hdf5_mutex);
      H5::Exception::dontPrint();
    }
    std::unique_lock lock(queue_mutex);
    for (;;) {
      job_ready.wait(lock, [&] { return stop_requested || !jobs.empty(); });
      if (jobs.empty()) return;  // stop requested and every job written
      Job job = std::move(jobs.front());
      jobs.pop_front();
      writer_busy = true;
      const bool skip = writer_failed.load();  // after a failure, later blocks are dropped
      lock.unlock();
      std::string failure;
      if (!skip) failure = write_job(job);
      const std::size_t job_bytes = job.bytes.size();
      lock.lock();
      pending_bytes -= job_bytes;
      writer_busy = false;
      if (!failure.empty() && writer_error.empty()) {
        writer_error = failure;
        writer_failed = true;
      }
      if (spare_buffers.size() < max_spare_buffers) {
        job.bytes.clear();
        spare_buffers.push_back(std::move(job.bytes));
      }
      job_finished.notify_all();
    }
  }

  // Returns an error message, empty on success; never throws (it runs on the writer thread).
  std::string write_job(const Job& job) {
    std::lock_guard hdf5_lock(hdf5_mutex);
    Stream& stream = streams[job.stream];
    try {
      write_rows(stream, job.bytes.data(), job.rows);
      return {};
    } catch (const H5::Exception& error) {
      return "trace '" + path + "': cannot write '" + stream.spec.path + "': " + hdf5_message(error);
    } catch (const std::exception& error) {
      return "trace '" + path + "': cannot write '" + stream.spec.path + "': " + error.what();
    }
  }

  // Rethrows a writer-thread failure on the calling thread. The caller holds queue_mutex.
  void throw_if_failed_locked() const {
    if (!writer_error.empty()) throw RunError(writer_error);
  }
  void throw_if_failed() {
    if (!writer_failed.load()) return;
    std::lock_guard lock(queue_mutex);
    throw_if_failed_locked();
  }

  // Hands `rows` rows from `bytes` to the writer thread; waits while the queue is full.
  // `bytes` is left empty (a recycled buffer with capacity when one is spare).
  void enqueue(std::size_t stream_id, std::vector<unsigned char>& bytes, std::size_t rows) {
    if (rows == 0) return;
    std::unique_lock lock(queue_mutex);
    job_finished.wait(lock, [&] {
      return !writer_error.empty() || pending_bytes == 0 ||
             (pending_bytes + bytes.size() <= max_pending_bytes && jobs.size() < max_pending_jobs);
    });
    throw_if_failed_locked();
    if (stop_requested) throw RunError("trace '" + path + "': append while the file is closing");
    pending_bytes += bytes.size();
    jobs.push_back(Job{stream_id, std::move(bytes), rows});
    bytes = std::vector<unsigned char>();
    if (!spare_buffers.empty()) {
      bytes = std::move(spare_buffers.back());
      spare_buffers.pop_back();
    }
    job_ready.notify_one();
  }

  void drain(std::size_t stream_id) {
    Stream& stream = streams[stream_id];
    enqueue(stream_id, stream.buffer, stream.buffered_rows());
    stream.buffer.clear();
  }

  // Queues every partial buffer and waits until the writer has written them all.
  void drain_all_and_wait() {
    for (std::size_t id = 0; id < streams.size(); ++id) drain(id);
    std::unique_lock lock(queue_mutex);
    job_finished.wait(lock, [&] { return jobs.empty() && !writer_busy; });
    throw_if_failed_locked();
  }

  // Lets the writer finish the queue, then joins it. Idempotent; never throws.
  void stop_writer() noexcept {
    {
      std::lock_guard lock(queue_mutex);
      stop_requested = true;
    }
    job_ready.notify_all();
    if (writer.joinable()) {
      try {
        writer.join();
      } catch (...) {
        // join only fails for a thread that is not joinable, which was just checked
      }
    }
  }

  void require_open(const std::string& what) const {
    if (!open) throw RunError("trace '" + path + "': " + what + " after the file was closed");
  }
};

Hdf5Recorder::Hdf5Recorder(const std::string& file_path, Hdf5RecorderOptions options)
    : impl_(std::make_unique<Impl>()) {
  if (options.chunk_bytes == 0) throw InputError("trace '" + file_path + "': chunk_bytes must be > 0");
  if (options.deflate_level > 9) {
    throw InputError("trace '" + file_path + "': deflate level must be 0..9, got " +
                     std::to_string(options.deflate_level));
  }
  impl_->path = file_path;
  impl_->options = options;
  H5::Exception::dontPrint();  // errors become exceptions with messages, not stderr dumps
  try {
    impl_->file = H5::H5File(file_path, H5F_ACC_TRUNC);
    impl_->meta = impl_->file.createGroup("/meta");
    impl_->open = true;
    write_attribute(impl_->meta, "tandem_version", std::string(version()));
    write_attribute(impl_->meta, "status", trace_status_running);
    write_attribute(impl_->meta, "ticks_completed", "0");
    impl_->file.flush(H5F_SCOPE_GLOBAL);
  } catch (const H5::Exception& error) {
    throw InputError("cannot create trace file '" + file_path + "': " + hdf5_message(error));
  }
  impl_->start_writer();  // last: a throwing constructor never leaves a thread behind
}

Hdf5Recorder::~Hdf5Recorder() {
  if (!impl_ || !impl_->open) return;
  try {
    if (impl_->status == trace_status_running) {
      write_metadata("status", trace_status_failed);
      write_metadata("stop_reason", "the recorder was destroyed before the run finished");
    }
    close();
  } catch (...) {
    // A destructor must not throw; the file keeps whatever was flushed last.
  }
}

StreamId Hdf5Recorder::enroll(const StreamSpec& spec) {
  impl_->require_open("enroll '" + spec.path + "'");
  check_stream_path(spec.path);
  for (const auto& existing : impl_->streams) {
    if (existing.spec.path == spec.path) throw InputError("stream '" + spec.path + "' is enrolled twice");
    // A dataset cannot also be a group: "/a/b" and "/a/b/c" cannot both be streams.
    const auto nested = [](const std::string& outer, const std::string& inner) {
      return inner.rfind(outer + "/", 0) == 0;
    };
    if (nested(existing.spec.path, spec.path) || nested(spec.path, existing.spec.path)) {
      throw InputError("stream '" + spec.path + "' overlaps stream '" + existing.spec.path +
                       "' (one would have to be both a dataset and a group)");
    }
  }
  // Held to the end: the moved-from local's dataset handle is released on return.
  std::lock_guard hdf5_lock(impl_->hdf5_mutex);
  Impl::Stream stream;
  stream.spec = spec;
  stream.width = std::max<std::size_t>(spec.columns, 1);
  stream.value_bytes = type_bytes(spec.type);
  const std::size_t row_bytes = stream.width * stream.value_bytes;
  stream.block_rows = std::max<std::size_t>(1, impl_->options.chunk_bytes / row_bytes);
  try {
    const bool two_d = spec.columns > 0;
    const int rank = two_d ? 2 : 1;
    const hsize_t initial[2] = {0, stream.width};
    const hsize_t maximum[2] = {unlimited, stream.width};
    const H5::DataSpace space(rank, initial, maximum);
    H5::DSetCreatPropList create;
    const hsize_t chunk[2] = {stream.block_rows, stream.width};
    create.setChunk(rank, chunk);
    if (impl_->options.deflate_level > 0) {
      create.setShuffle();  // byte shuffle before deflate: much better ratios on numbers
      create.setDeflate(static_cast<int>(impl_->options.deflate_level));
    }
    H5::LinkCreatPropList links;
    H5Pset_create_intermediate_group(links.getId(), 1);
    // Chunk cache of exactly one chunk: HDF5 compresses a cached chunk when it is evicted
    // (by the next write, on the writer thread) or flushed, so the simulation thread's flush
    // compresses at most one chunk per stream; the default 1 MiB cache would leave 16 of them
    // to it. One chunk still completes a chunk left partial by a flush (later blocks then
    // straddle two chunks) before it is compressed, so each chunk is compressed once.
    H5::DSetAccPropList access;
    access.setChunkCache(std::numeric_limits<std::size_t>::max(),  // default slot count
                         stream.block_rows * row_bytes, -1.0);     // -1.0: default w0
    stream.dataset = impl_->file.createDataSet(spec.path, file_type(spec.type), space, create,
                                               access, links);
    for (const auto& [key, value] : spec.attributes) write_attribute(stream.dataset, key, value);
  } catch (const H5::Exception& error) {
    throw InputError("trace '" + impl_->path + "': cannot create dataset '" + spec.path +
                     "': " + hdf5_message(error));
  }
  stream.buffer.reserve(stream.block_rows * row_bytes);
  impl_->streams.push_back(std::move(stream));
  return impl_->streams.size() - 1;
}

template <typename T>
void Hdf5Recorder::append_values(StreamId stream_id, std::span<const T> values) {
  impl_->require_open("append");
  impl_->throw_if_failed();
  if (stream_id >= impl_->streams.size()) {
    throw RunError("trace '" + impl_->path + "': no stream with id " + std::to_string(stream_id));
  }
  Impl::Stream& stream = impl_->streams[stream_id];
  if (values.size() % stream.width != 0) {
    throw RunError("stream '" + stream.spec.path + "': a block of " + std::to_string(values.size()) +
                   " values is not a whole number of samples of " + std::to_string(stream.width));
  }
  if (values.empty()) return;
  const std::size_t rows = values.size() / stream.width;
  // Converts into the stream's type, appending to `bytes`.
  const auto convert_into = [&](std::vector<unsigned char>& bytes) {
    const auto push = [&]<typename Target>(Target) {
      const std::size_t old_size = bytes.size();
      bytes.resize(old_size + values.size() * sizeof(Target));
      unsigned char* out = bytes.data() + old_size;
      if constexpr (std::is_same_v<Target, T>) {
        std::memcpy(out, values.data(), values.size() * sizeof(T));
      } else {
        for (std::size_t i = 0; i < values.size(); ++i) {
          const auto converted = static_cast<Target>(values[i]);
          std::memcpy(out + i * sizeof(Target), &converted, sizeof(Target));
        }
      }
    };
    switch (stream.spec.type) {
      case SampleType::float32: push(float{}); break;
      case SampleType::float64: push(double{}); break;
      case SampleType::int64: push(std::int64_t{}); break;
      case SampleType::uint32: push(std::uint32_t{}); break;
    }
  };
  if (stream.buffer.empty() && rows >= stream.block_rows) {
    // A block at least one chunk long becomes one job (one write) of its own.
    std::vector<unsigned char> block;
    convert_into(block);
    impl_->enqueue(stream_id, block, rows);
    return;
  }
  convert_into(stream.buffer);
  if (stream.buffered_rows() >= stream.block_rows) impl_->drain(stream_id);
}

void Hdf5Recorder::append(StreamId stream, std::span<const float> values) { append_values(stream, values); }
void Hdf5Recorder::append(StreamId stream, std::span<const double> values) { append_values(stream, values); }
void Hdf5Recorder::append(StreamId stream, std::span<const std::int64_t> values) { append_values(stream, values); }
void Hdf5Recorder::append(StreamId stream, std::span<const std::uint32_t> values) { append_values(stream, values); }

void Hdf5Recorder::write_metadata(const std::string& key, const std::string& value) {
  impl_->require_open("write_metadata '" + key + "'");
  if (key.empty()) throw InputError("trace '" + impl_->path + "': a metadata key must not be empty");
  try {
    std::lock_guard hdf5_lock(impl_->hdf5_mutex);
    write_attribute(impl_->meta, key, value);
  } catch (const H5::Exception& error) {
    throw RunError("trace '" + impl_->path + "': cannot write /meta attribute '" + key +
                   "': " + hdf5_message(error));
  }
  if (key == "status") impl_->status = value;
}

void Hdf5Recorder::flush() {
  impl_->require_open("flush");
  impl_->drain_all_and_wait();
  try {
    std::lock_guard hdf5_lock(impl_->hdf5_mutex);
    impl_->file.flush(H5F_SCOPE_GLOBAL);
  } catch (const H5::Exception& error) {
    throw RunError("trace '" + impl_->path + "': flush failed: " + hdf5_message(error));
  }
}

void Hdf5Recorder::close() {
  if (!impl_->open) return;
  // Let the writer finish its queue and stop; then the calling thread writes the partial
  // buffers itself. A writer failure marks the file "failed" (unless a status was already
  // set) and is rethrown once the file is closed.
  impl_->stop_writer();
  std::string failure;
  {
    std::lock_guard lock(impl_->queue_mutex);
    failure = impl_->writer_error;
  }
  if (failure.empty()) {
    std::lock_guard hdf5_lock(impl_->hdf5_mutex);
    for (auto& stream : impl_->streams) {
      try {
        impl_->write_rows(stream, stream.buffer.data(), stream.buffered_rows());
        stream.buffer.clear();
      } catch (const H5::Exception& error) {
        failure = "trace '" + impl_->path + "': cannot write '" + stream.spec.path +
                  "': " + hdf5_message(error);
        break;
      }
    }
  }
  if (impl_->status == trace_status_running) {
    if (failure.empty()) {
      write_metadata("status", trace_status_complete);
    } else {
      try {  // best effort: the writer's failure is the error worth reporting
        write_metadata("status", trace_status_failed);
        write_metadata("stop_reason", failure);
      } catch (const RunError&) {
      }
    }
  }
  try {
    std::lock_guard hdf5_lock(impl_->hdf5_mutex);
    impl_->file.flush(H5F_SCOPE_GLOBAL);
    for (auto& stream : impl_->streams) stream.dataset.close();
    impl_->meta.close();
    impl_->file.close();
  } catch (const H5::Exception& error) {
    impl_->open = false;
    throw RunError("trace '" + impl_->path + "': close failed: " + hdf5_message(error));
  }
  impl_->open = false;
  if (!failure.empty()) throw RunError(failure);
}

const std::string& Hdf5Recorder::file_path() const { return impl_->path; }
bool Hdf5Recorder::is_open() const { return impl_->open; }

}  // namespace tandem
