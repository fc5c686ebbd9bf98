// A test program that records a PatternEngine run to an HDF5 trace the way `tandem run`
// will: output-path check, InterruptGuard, run_recorded, close. The interruption and memory
// tests start it as a child process; CTest uses it to make fixture traces.
//   trace_writer FILE TICKS [--units N] [--every K] [--epoch-ticks E] [--flush-s S] [--extras]
// Prints "recording" after the first durable flush, then "status=... ticks=... peak_rss_kb=...".
// Exit: 0 complete, 3 interrupted, 1 failed, 2 bad arguments.
#include <sys/resource.h>

#include <cmath>
#include <iostream>
#include <memory>
#include <string>

#include "core/hdf5_recorder.hpp"
#include "core/recorded_run.hpp"
#include "core/trace_output.hpp"
#include "tests/recording/pattern_engine.hpp"

using namespace tandem;

namespace {

long peak_rss_kb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;  // kilobytes on Linux
}

struct Arguments {
  std::string file;
  Tick ticks = 0;
  std::uint32_t units = 8;
  Tick every = 1;
  Tick epoch_ticks = 10;
  double flush_s = 0.2;
  bool extras = false;  // also /energy and /env streams, for `tandem info` and the plot script
};

Arguments parse(int argc, char** argv) {
  if (argc < 3) throw InputError("usage: trace_writer FILE TICKS [--units N] [--every K] ...");
  Arguments args;
  args.file = argv[1];
  args.ticks = std::stoll(argv[2]);
  for (int i = 3; i < argc; ++i) {
    const std::string flag = argv[i];
    const auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw InputError(flag + " needs a value");
      return argv[++i];
    };
    if (flag == "--units") args.units = static_cast<std::uint32_t>(std::stoul(next()));
    else if (flag == "--every") args.every = std::stoll(next());
    else if (flag == "--epoch-ticks") args.epoch_ticks = std::stoll(next());
    else if (flag == "--flush-s") args.flush_s = std::stod(next());
    else if (flag == "--extras") args.extras = true;
    else throw InputError("unknown argument '" + flag + "'");
  }
  return args;
}

}  // namespace

int main(int argc, char** argv) {
  Arguments args;
  try {
    args = parse(argc, argv);
    check_trace_output_path(args.file, /*force=*/true);
  } catch (const std::exception& error) {
    std::cerr << "trace_writer: " << error.what() << "\n";
    return exit_bad_input;
  }
  InterruptGuard guard;
  Hdf5Recorder recorder(args.file);
  SimulationSettings settings;
  settings.time = TimeBase(0.5);
  settings.seed = 42;
  settings.max_epoch_ticks = args.epoch_ticks;
  settings.interrupt = &guard;
  Simulation sim(settings);
  auto& engine = sim.add_engine(std::make_unique<testing::PatternEngine>(args.units, settings.time.dt_ms()));
  sim.set_recorder(&recorder);
  sim.add_probe(Probe{"pop", "spikes", {}, 1});
  sim.add_probe(Probe{"pop", "v", {}, args.every});
  write_run_metadata(recorder, settings, "test-chip", "network: pattern\nunits: " + std::to_string(args.units));
  if (args.extras) {
    // Per-epoch energy (2.5 pJ per spike) and an environment signal, as other parts will write.
    const StreamId energy = recorder.enroll({"/energy/pop/spikes_pj", SampleType::float64, 0,
                                             {{"unit", "pJ"}, {"window_ticks", std::to_string(args.epoch_ticks)}}});
    const StreamId window = recorder.enroll({"/energy/pop/window_end_tick", SampleType::int64, 0, {{"unit", "tick"}}});
    const StreamId signal = recorder.enroll({"/env/cart/x", SampleType::float32, 0,
                                             {{"unit", "m"}, {"every_ticks", std::to_string(args.epoch_ticks)}}});
    sim.add_epoch_observer([&, energy, window, signal](const Epoch& epoch) {
      const double pj[] = {2.5 * static_cast<double>(engine.epoch_spikes())};
      const std::int64_t end[] = {epoch.end};
      const float x[] = {static_cast<float>(std::sin(0.01 * static_cast<double>(epoch.begin)))};
      recorder.append(energy, std::span<const double>(pj));
      recorder.append(window, std::span<const std::int64_t>(end));
      recorder.append(signal, std::span<const float>(x));
    });
  }
  RecordedRunOptions options;
  options.flush_interval_s = args.flush_s;
  bool announced = false;
  options.on_flush = [&](Tick) {
    if (announced) return;
    announced = true;
    std::cout << "recording" << std::endl;
  };
  int code = exit_ok;
  std::string status = "complete";
  try {
    run_recorded(sim, args.ticks, recorder, options);
  } catch (const RunInterrupted&) {
    code = 3;
    status = "interrupted";
  } catch (const std::exception& error) {
    std::cerr << "trace_writer: " << error.what() << "\n";
    code = exit_run_failed;
    status = "failed";
  }
  recorder.close();
  std::cout << "status=" << status << " ticks=" << sim.now() << " peak_rss_kb=" << peak_rss_kb()
            << std::endl;
  return code;
}
