#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sys/resource.h>
#include <unistd.h>

#include "core/error.hpp"
#include "core/hdf5_recorder.hpp"
#include "core/memory_recorder.hpp"
#include "core/trace_file.hpp"
#include "core/trace_output.hpp"
#include "tests/recording/temp_dir.hpp"

using namespace tandem;
using tandem::testing::TempDir;

namespace {

// The same blocks go to an HDF5 recorder and a MemoryRecorder: the file must hold exactly
// what the in-memory reference holds. Blocks are smaller and larger than one chunk so both
// the buffered path and the direct-write path are taken.
template <typename Sink>
void append_fixture(Sink& sink) {
  const StreamId state = sink.enroll({"/snn/exc/state/v", SampleType::float32, 3, {{"unit", "mV"}}});
  const StreamId energy = sink.enroll({"/energy/core0/mac_pj", SampleType::float64, 0, {}});
  const StreamId ticks = sink.enroll({"/snn/exc/spikes/tick", SampleType::int64, 0, {}});
  const StreamId index = sink.enroll({"/snn/exc/spikes/index", SampleType::uint32, 0, {}});
  for (int block = 0; block < 12; ++block) {
    const std::size_t rows = static_cast<std::size_t>(block % 4 == 3 ? 40 : block % 3);
    std::vector<float> v(rows * 3);
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(block) * 100.0f + static_cast<float>(i) * 0.5f;
    sink.append(state, std::span<const float>(v));
    std::vector<double> e(rows + 1, 1.0 / (block + 1));
    sink.append(energy, std::span<const double>(e));
    std::vector<std::int64_t> t(rows * 2);
    std::iota(t.begin(), t.end(), std::int64_t{block} * 1000 - 5);  // negative ticks too
    sink.append(ticks, std::span<const std::int64_t>(t));
    std::vector<std::uint32_t> u(rows * 2);
    std::iota(u.begin(), u.end(), 4'000'000'000u);  // beyond int32
    sink.append(index, std::span<const std::uint32_t>(u));
  }
  // A float block into the float64 stream is converted.
  const float extra[] = {0.25f, -3.5f};
  sink.append(energy, std::span<const float>(extra));
}

}  // namespace

TEST_CASE("hdf5 recorder: every value written comes back, for every type", "[recording][hdf5]") {
  TempDir dir;
  const std::string file = dir.path("roundtrip.h5");
  MemoryRecorder reference;
  append_fixture(reference);
  {
    Hdf5Recorder recorder(file, Hdf5RecorderOptions{.chunk_bytes = 64, .deflate_level = 4});
    append_fixture(recorder);
    recorder.close();
  }
  TraceFile trace(file);
  const auto datasets = trace.datasets();
  REQUIRE(datasets.size() == reference.streams().size());
  for (const auto& dataset : datasets) {
    INFO(dataset.path);
    const auto& expected = reference.stream(dataset.path);
    CHECK(trace.values(dataset.path) == expected.values);
    if (expected.spec.columns > 0) {
      CHECK(dataset.shape == std::vector<std::uint64_t>{expected.samples(), expected.spec.columns});
    } else {
      CHECK(dataset.shape == std::vector<std::uint64_t>{expected.samples()});
    }
  }
  CHECK(reference.stream("/energy/core0/mac_pj").values.back() == -3.5);
  CHECK(datasets[0].path == "/energy/core0/mac_pj");
  CHECK(datasets[0].type == "float64");
  CHECK(datasets[1].type == "uint32");
  CHECK(datasets[2].type == "int64");
  CHECK(datasets[3].type == "float32");
}

TEST_CASE("hdf5 recorder: attributes and /meta round trip", "[recording][hdf5]") {
  TempDir dir;
  const std::string file = dir.path("attributes.h5");
  {
    Hdf5Recorder recorder(file);
    recorder.enroll({"/snn/pop/state/v", SampleType::float32, 2,
                     {{"unit", "mV"}, {"dt_ms", "0.1"}, {"every_ticks", "5"}, {"units", "3,7"}}});
    recorder.write_metadata("seed", "17");
    recorder.write_metadata("config", "neurons: 12\n");
    recorder.write_metadata("seed", "18");  // replaces
    recorder.close();
    recorder.close();  // idempotent
    CHECK_FALSE(recorder.is_open());
  }
  TraceFile trace(file);
  const auto attributes = trace.datasets().at(0).attributes;
  CHECK(attributes.at("unit") == "mV");
  CHECK(attributes.at("dt_ms") == "0.1");
  CHECK(attributes.at("every_ticks") == "5");
  CHECK(attributes.at("units") == "3,7");
  const auto meta = trace.meta();
  CHECK(meta.at("seed") == "18");
  CHECK(meta.at("config") == "neurons: 12\n");
  CHECK(meta.at("status") == "complete");
  CHECK(meta.count("tandem_version") == 1);
}

TEST_CASE("hdf5 recorder: a recorder destroyed without close() marks the trace failed",
          "[recording][hdf5]") {
  TempDir dir;
  const std::string file = dir.path("dropped.h5");
  {
    Hdf5Recorder recorder(file);
    const StreamId s = recorder.enroll({"/env/cart/x", SampleType::float32, 0, {}});
    const float x[] = {1.0f, 2.0f};
    recorder.append(s, std::span<const float>(x));
  }
  TraceFile trace(file);
  CHECK(trace.meta().at("status") == "failed");
  CHECK(trace.values("/env/cart/x") == std::vector<double>{1.0, 2.0});
}

TEST_CASE("hdf5 recorder: bad enrolments and partial samples are errors", "[recording][hdf5]") {
  TempDir dir;
  Hdf5Recorder recorder(dir.path("errors.h5"));
  const StreamId state = recorder.enroll({"/ann/l1/activations", SampleType::float32, 4, {}});
  CHECK_THROWS_AS(recorder.enroll({"/ann/l1/activations", SampleType::float32, 4, {}}), InputError);
  CHECK_THROWS_AS(recorder.enroll({"/ann/l1/activations/x", SampleType::float32, 0, {}}), InputError);
  CHECK_THROWS_AS(recorder.enroll({"ann/relative", SampleType::float32, 0, {}}), InputError);
  CHECK_THROWS_AS(recorder.enroll({"/ann//double", SampleType::float32, 0, {}}), InputError);
  CHECK_THROWS_AS(recorder.enroll({"/meta/x", SampleType::float32, 0, {}}), InputError);
  const float five[] = {1, 2, 3, 4, 5};
  CHECK_THROWS_WITH(recorder.append(state, std::span<const float>(five)),
                    Catch::Contains("/ann/l1/activations") && Catch::Contains("whole number"));
  CHECK_THROWS_AS(recorder.append(StreamId{99}, std::span<const float>(five)), RunError);
  recorder.close();
  CHECK_THROWS_AS(recorder.append(state, std::span<const float>(five).first(4)), RunError);
}

TEST_CASE("trace output path: no silent overwrite, unwritable paths fail early",
          "[recording][output]") {
  TempDir dir;
  const std::string file = dir.path("out.h5");
  CHECK_NOTHROW(check_trace_output_path(file, false));
  CHECK_FALSE(std::filesystem::exists(file));  // the probe leaves nothing behind
  std::ofstream(file) << "earlier run";
  CHECK_THROWS_WITH(check_trace_output_path(file, false),
                    Catch::Contains(file) && Catch::Contains("--force"));
  CHECK_NOTHROW(check_trace_output_path(file, true));
  CHECK(std::filesystem::file_size(file) == 11);  // the check does not truncate
  CHECK_THROWS_WITH(check_trace_output_path(dir.path("missing/out.h5"), false),
                    Catch::Contains("does not exist"));
  CHECK_THROWS_AS(check_trace_output_path(dir.path(""), true), InputError);  // a directory
  CHECK_THROWS_AS(check_trace_output_path("", false), InputError);
  // /proc refuses new files even for root, so this holds in CI containers too.
  CHECK_THROWS_WITH(check_trace_output_path("/proc/tandem-trace.h5", false),
                    Catch::Contains("cannot be written"));
}

TEST_CASE("trace file: missing and non-HDF5 files are input errors naming the file",
          "[recording][trace_file]") {
  TempDir dir;
  CHECK_THROWS_WITH(TraceFile(dir.path("none.h5")), Catch::Contains("none.h5") && Catch::Contains("does not exist"));
  std::ofstream(dir.path("text.h5")) << "not hdf5 at all";
  CHECK_THROWS_WITH(TraceFile(dir.path("text.h5")), Catch::Contains("not an HDF5 file"));
  {
    Hdf5Recorder recorder(dir.path("ok.h5"));
    recorder.close();
  }
  TraceFile trace(dir.path("ok.h5"));
  CHECK_THROWS_WITH(trace.values("/snn/nothing"), Catch::Contains("/snn/nothing"));
}

TEST_CASE("hdf5 recorder: many queued blocks across streams keep their order per stream",
          "[recording][hdf5]") {
  // 16-byte chunks turn every few appends into a writer-thread job, so the queue passes its
  // 64-job bound and append() has to wait; flushes in between must not lose or reorder rows.
  TempDir dir;
  const std::string file = dir.path("queued.h5");
  const auto fill = [](auto& sink) {
    const StreamId a = sink.enroll({"/a/v", SampleType::float32, 2, {}});
    const StreamId b = sink.enroll({"/b/tick", SampleType::int64, 0, {}});
    const StreamId c = sink.enroll({"/c/x", SampleType::float64, 0, {}});
    for (int step = 0; step < 2000; ++step) {
      const float v[] = {static_cast<float>(step), -static_cast<float>(step) * 0.5f};
      sink.append(a, std::span<const float>(v));
      const std::int64_t t[] = {step, step + 1, step + 2};
      sink.append(b, std::span<const std::int64_t>(t, static_cast<std::size_t>(step % 4)));
      const double x = step * 0.25;
      sink.append(c, std::span<const double>(&x, 1));
      if (step % 500 == 499) sink.flush();
    }
  };
  MemoryRecorder reference;
  fill(reference);
  {
    Hdf5Recorder recorder(file, Hdf5RecorderOptions{.chunk_bytes = 16, .deflate_level = 1});
    fill(recorder);
    recorder.close();
    CHECK_FALSE(recorder.is_open());
  }
  TraceFile trace(file);
  CHECK(trace.meta().at("status") == trace_status_complete);
  for (const auto& path : {"/a/v", "/b/tick", "/c/x"}) {
    INFO(path);
    CHECK(trace.values(path) == reference.stream(path).values);
  }
  CHECK(reference.stream("/a/v").values.size() == 4000);  // 2000 samples of 2: no rows dropped
}

TEST_CASE("hdf5 recorder: a write that fails on the writer thread is a RunError for the caller",
          "[recording][hdf5]") {
  // A 256 KiB file-size limit (RLIMIT_FSIZE, SIGXFSZ ignored so write() returns EFBIG) makes
  // the writer thread's HDF5 writes fail part-way through 2 MB of uncompressed data; with at
  // most 64 blocks queued, a later append() must rethrow it as a RunError naming the trace
  // and dataset. With the limit lifted again (the disk "has room" again), close() reports the
  // failure once more and leaves a readable file whose status is "failed".
  TempDir dir;
  const std::string file = dir.path("full.h5");
  rlimit original{};
  REQUIRE(getrlimit(RLIMIT_FSIZE, &original) == 0);
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  std::string append_error;
  std::string close_error;
  {
    Hdf5Recorder recorder(file, Hdf5RecorderOptions{.chunk_bytes = 4096, .deflate_level = 0});
    const StreamId s = recorder.enroll({"/snn/exc/state/v", SampleType::float32, 256, {}});
    rlimit small = original;
    small.rlim_cur = 256 * 1024;
    REQUIRE(setrlimit(RLIMIT_FSIZE, &small) == 0);
    std::vector<float> row(256);
    try {
      for (int step = 0; step < 2000; ++step) {
        std::iota(row.begin(), row.end(), static_cast<float>(step));
        recorder.append(s, std::span<const float>(row));
      }
    } catch (const RunError& error) {
      append_error = error.what();
    }
    setrlimit(RLIMIT_FSIZE, &original);
    try {
      recorder.close();
    } catch (const RunError& error) {
      close_error = error.what();
    }
    CHECK_FALSE(recorder.is_open());
  }
  std::signal(SIGXFSZ, old_handler);
  INFO(append_error);
  CHECK(append_error.find(file) != std::string::npos);
  CHECK(append_error.find("/snn/exc/state/v") != std::string::npos);
  CHECK(close_error == append_error);
  CHECK(TraceFile(file).meta().at("status") == trace_status_failed);
}
