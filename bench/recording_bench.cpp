// `tandem bench recording`: what recording costs on the COBA network — unrecorded, every spike
// of both populations recorded to HDF5, and v of N excitatory neurons every tick — run
// alternately in one invocation (median of --repeats runs each), printed as overheads.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <numeric>
#include <unistd.h>

#include "bench/coba.hpp"
#include "bench/spiking_bench.hpp"
#include "core/error.hpp"
#include "core/hdf5_recorder.hpp"
#include "core/interrupt_guard.hpp"
#include "core/simulation.hpp"
#include "core/trace_output.hpp"

namespace tandem::bench {

namespace {

enum class Variant { unrecorded, spikes, state };

struct RecordingOptions {
  std::string path;              // HDF5 file the recorded variants write (overwritten per run)
  std::size_t state_units = 100;  // exc neurons whose v is recorded every tick
  std::size_t repeats = 3;
  Hdf5RecorderOptions hdf5;       // --deflate-level shows what compression costs
};

// Builds COBA, enrolls the variant's probes, runs; times the loop and the final flush/close
// (what recording really costs), not the network build.
double run_variant(Variant variant, const SpikingBenchOptions& options, const RecordingOptions& recording,
                   const InterruptGuard& interrupt) {
  using Clock = std::chrono::steady_clock;
  const TimeBase time(options.dt_ms);
  const Tick ticks = time.ticks_from_ms(options.duration_ms, "--duration-ms");
  Simulation simulation(
      {.time = time, .seed = options.seed, .mode = options.mode, .max_epoch_ticks = 100, .interrupt = &interrupt});
  simulation.add_engine(build_coba(time));
  std::unique_ptr<Hdf5Recorder> recorder;
  if (variant != Variant::unrecorded) {
    recorder = std::make_unique<Hdf5Recorder>(recording.path, recording.hdf5);
    simulation.set_recorder(recorder.get());
    if (variant == Variant::spikes) {
      simulation.add_probe({"exc", "spikes", {}, 1});
      simulation.add_probe({"inh", "spikes", {}, 1});
    } else {
      std::vector<std::uint32_t> units(recording.state_units);
      std::iota(units.begin(), units.end(), 0U);
      simulation.add_probe({"exc", "v", std::move(units), 1});
    }
  }
  simulation.build();
  const auto start = Clock::now();
  simulation.run(ticks);
  if (recorder) recorder->close();
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

}  // namespace

int run_recording_benchmark(const std::vector<std::string>& args, const InterruptGuard& interrupt) {
  namespace po = boost::program_options;
  SpikingBenchOptions options;
  RecordingOptions recording;
  bool force = false;
  po::options_description description("tandem bench recording options");
  add_spiking_bench_options(description, options);
  description.add_options()("record", po::value<std::string>(&recording.path),
                            "HDF5 file the recorded runs write (default: a temporary file, removed)")(
      "force", po::bool_switch(&force), "overwrite --record if it exists")(
      "record-state", po::value<std::size_t>(&recording.state_units)->default_value(100),
      "excitatory neurons whose v is recorded every tick")(
      "repeats", po::value<std::size_t>(&recording.repeats)->default_value(3), "runs per variant (median)")(
      "deflate-level", po::value<unsigned>(&recording.hdf5.deflate_level)->default_value(recording.hdf5.deflate_level),
      "gzip level of the trace datasets (0: uncompressed)");
  po::variables_map values;
  if (!parse_spiking_bench_options(
          "recording", args, description,
          "usage: tandem bench recording [--json] [--duration-ms 1000] [--dt-ms 0.1] [--record FILE.h5] "
          "[--record-state 100] [--repeats 3] [--deflate-level 4]\n\nCOBA (3200 exc + 800 inh) unrecorded, with every spike recorded, "
          "and with v of N neurons every tick, alternating; prints median wall times and overheads.",
          values, options)) {
    return 0;
  }
  if (recording.state_units < 1 || recording.state_units > 3200) {
    throw InputError("tandem bench recording: --record-state must be in [1, 3200] (exc neurons), got " +
                     std::to_string(recording.state_units));
  }
  if (recording.repeats < 1) throw InputError("tandem bench recording: --repeats must be >= 1");
  const bool temporary = recording.path.empty();
  if (temporary) {
    recording.path = (std::filesystem::temp_directory_path() /
                      ("tandem_bench_recording_" + std::to_string(::getpid()) + ".h5"))
                         .string();
  } else {
    check_trace_output_path(recording.path, force);
  }

  std::vector<double> unrecorded;
  std::vector<double> spikes;
  std::vector<double> state;
  std::uintmax_t spike_file_bytes = 0;
  std::uintmax_t state_file_bytes = 0;
  for (std::size_t r = 0; r < recording.repeats; ++r) {
    unrecorded.push_back(run_variant(Variant::unrecorded, options, recording, interrupt));
    spikes.push_back(run_variant(Variant::spikes, options, recording, interrupt));
    spike_file_bytes = std::filesystem::file_size(recording.path);
    state.push_back(run_variant(Variant::state, options, recording, interrupt));
    state_file_bytes = std::filesystem::file_size(recording.path);
  }
  if (temporary) std::filesystem::remove(recording.path);

  const double base_s = median(unrecorded);
  const double spikes_s = median(spikes);
  const double state_s = median(state);
  const double spikes_overhead = spikes_s / base_s - 1.0;
  const double state_overhead = state_s / base_s - 1.0;
  if (options.json) {
    std::printf("{\"benchmark\": \"recording\", \"mode\": \"%s\", \"simulated_ms\": %.3f, \"dt_ms\": %g, "
                "\"repeats\": %zu, \"unrecorded_s\": %.6f, \"spikes_s\": %.6f, \"state_s\": %.6f, "
                "\"spikes_overhead\": %.4f, \"state_overhead\": %.4f, \"state_units\": %zu, "
                "\"spikes_file_bytes\": %ju, \"state_file_bytes\": %ju}\n",
                std::string(to_string(options.mode)).c_str(), options.duration_ms, options.dt_ms, recording.repeats,
                base_s, spikes_s, state_s, spikes_overhead, state_overhead, recording.state_units, spike_file_bytes,
                state_file_bytes);
  } else {
    std::printf("COBA %.0f ms (dt %g ms), median of %zu alternating runs\n", options.duration_ms, options.dt_ms,
                recording.repeats);
    std::printf("%-26s %10s %10s %12s\n", "variant", "wall_s", "overhead", "file");
    std::printf("%-26s %10.3f %10s %12s\n", "unrecorded", base_s, "-", "-");
    std::printf("%-26s %10.3f %+9.1f%% %9.1f MB\n", "all spikes", spikes_s, 100.0 * spikes_overhead,
                static_cast<double>(spike_file_bytes) / 1e6);
    const std::string state_label = "v of " + std::to_string(recording.state_units) + " every tick";
    std::printf("%-26s %10.3f %+9.1f%% %9.1f MB\n", state_label.c_str(), state_s, 100.0 * state_overhead,
                static_cast<double>(state_file_bytes) / 1e6);
  }
  return exit_ok;
}

}  // namespace tandem::bench
