// `tandem bench conv`: the NIR paper's CNN (cnn_sinabs.nir: 2x34x34 event frames, three
// convolutions, two sum poolings, two Affine layers, IF neurons) on seeded sparse input, where a
// given percentage of the input pixels sends an event each tick. Per input activity it times, in
// one process: the graph lowered onto the event engine in event mode and in always-on mode (the
// same spikes, checked), and a dense reference computing every unit every tick as a framework
// without events does (bench/dense_nir_reference.hpp). Build time is not timed; times are CPU
// time, medians of interleaved repeats.
#include <algorithm>
#include <boost/program_options.hpp>
#include <ctime>
#include <cstdio>
#include <filesystem>

#include "bench/bench_options.hpp"
#include "bench/dense_nir_reference.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "io/nir_import.hpp"

#ifndef TANDEM_BENCH_NIR_DIR
#define TANDEM_BENCH_NIR_DIR ""
#endif

namespace tandem::bench {
namespace {

namespace po = boost::program_options;

constexpr const char* default_model = "cnn_sinabs.nir";
// The CNN's IF neurons use NIR's dt·R·x with R = 1: at dt 1 s an input event is one unit of v,
// as in the NIR paper's CNN reference runs.
constexpr double default_dt_ms = 1000.0;

std::filesystem::path model_path(const std::string& given) {
  if (!given.empty()) return given;
  return std::filesystem::path(TANDEM_BENCH_NIR_DIR) / default_model;
}

// One timed run: CPU seconds of this process (the engines are single-threaded), which the other
// jobs of a shared machine disturb far less than wall time.
struct Sample {
  double cpu_s = 0.0;
  std::uint64_t spikes = 0;          // of the Output nodes' populations
  std::uint64_t neuron_updates = 0;  // executed
  std::uint64_t synaptic_events = 0;
};

double cpu_seconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

Sample run_engine(const std::filesystem::path& model, double dt_ms, ExecutionMode mode, const std::vector<double>& input,
                  Tick ticks, std::uint64_t seed, const InterruptGuard& interrupt) {
  io::NirImportOptions options;
  options.dt_ms = dt_ms;
  io::NirRun run = io::import_nir(model, options, seed, mode, &interrupt);
  if (run.lowering.inputs.size() != 1) throw InputError(model.string() + ": tandem bench conv needs one top-level Input");
  run.set_input(run.lowering.inputs[0], input);
  run.simulation->build();
  Sample sample;
  const double start = cpu_seconds();
  run.simulation->run(ticks);
  sample.cpu_s = cpu_seconds() - start;
  for (const auto& counters : run.engine->counters()) {
    sample.neuron_updates += counters.executed[Op::neuron_update];
    for (const auto& [node, population] : run.lowering.outputs) {
      if (counters.node == population) sample.spikes += counters.executed[Op::spike];
    }
  }
  sample.synaptic_events = run.engine->delivered_synaptic_events();
  return sample;
}

Sample run_reference(DenseNirReference& reference, const std::vector<float>& input, Tick ticks) {
  const std::size_t width = reference.input_width();
  reference.reset();
  Sample sample;
  const double start = cpu_seconds();
  for (Tick t = 0; t < ticks; ++t) sample.neuron_updates += reference.step(input.data() + static_cast<std::size_t>(t) * width);
  sample.cpu_s = cpu_seconds() - start;
  sample.spikes = reference.spike_count();
  return sample;
}

}  // namespace

int run_conv_benchmark(const std::vector<std::string>& args, const InterruptGuard& interrupt) {
  po::options_description options("tandem bench conv options");
  options.add_options()("help,h", "show this help")
      ("model", po::value<std::string>()->default_value(""), "NIR file (default: the NIR paper's CNN, tests/data/nir/cnn_sinabs.nir)")
      ("active-percent", po::value<std::string>()->default_value("1,10"), "input pixels with an event per tick, in %")
      ("ticks", po::value<Tick>()->default_value(300), "ticks per run")
      ("dt-ms", po::value<double>()->default_value(default_dt_ms), "tick length the graph is imported with")
      ("repeats", po::value<int>()->default_value(3), "runs per mode; the median is reported")
      ("seed", po::value<std::uint64_t>()->default_value(1), "input and run seed")
      ("json", po::bool_switch(), "one JSON object per row");
  po::variables_map values;
  if (!parse_bench_options("conv", args, options, "tandem bench conv [options]",
                           "A NIR CNN on sparse input events: event engine (event, always-on) vs a dense reference.", values)) {
    return exit_ok;
  }
  const auto model = model_path(values["model"].as<std::string>());
  const auto ticks = values["ticks"].as<Tick>();
  const auto dt_ms = values["dt-ms"].as<double>();
  const int repeats = values["repeats"].as<int>();
  const auto seed = values["seed"].as<std::uint64_t>();
  const bool json = values["json"].as<bool>();
  if (ticks < 1 || ticks > 1'000'000) throw InputError("tandem bench conv: --ticks must be in [1, 1e6]");
  if (repeats < 1 || repeats > 100) throw InputError("tandem bench conv: --repeats must be in [1, 100]");
  if (!(dt_ms > 0.0)) throw InputError("tandem bench conv: --dt-ms must be > 0");
  const auto fractions = parse_percentages("conv", "active-percent", values["active-percent"].as<std::string>());

  const io::NirGraph graph = io::read_nir(model, &interrupt);
  DenseNirReference reference(graph, dt_ms);
  const std::size_t width = reference.input_width();
  if (!json) {
    std::printf("conv: %s, input %zu units, %lld ticks of %g ms, median CPU time per tick of %d interleaved runs\n", model.filename().c_str(), width,
                static_cast<long long>(ticks), dt_ms, repeats);
    std::printf("%7s %12s %12s %12s %9s %9s %11s %11s %9s\n", "input", "event_cpu_us", "always_cpu_us", "dense_cpu_us", "ao/event",
                "dense/ev", "spikes", "dense_spk", "updates%");
  }
  for (const double fraction : fractions) {
    // Seeded events: each input unit, each tick, with probability `fraction`.
    RandomStream random = RandomStream::derived(seed, "bench conv input");
    std::vector<double> input(static_cast<std::size_t>(ticks) * width, 0.0);
    for (double& value : input) value = random.uniform() < fraction ? 1.0 : 0.0;

    const std::vector<float> input_float(input.begin(), input.end());
    // The three are interleaved, repeat by repeat, so that a change in the machine's load
    // falls on all of them alike.
    std::vector<double> event_s;
    std::vector<double> always_s;
    std::vector<double> dense_s;
    Sample event;
    Sample always;
    Sample dense;
    for (int r = 0; r < repeats; ++r) {
      event = run_engine(model, dt_ms, ExecutionMode::event, input, ticks, seed, interrupt);
      always = run_engine(model, dt_ms, ExecutionMode::always_on, input, ticks, seed, interrupt);
      dense = run_reference(reference, input_float, ticks);
      if (event.spikes != always.spikes || event.synaptic_events != always.synaptic_events) {
        throw RunError("tandem bench conv: event and always-on disagree (" + std::to_string(event.spikes) + " vs " +
                       std::to_string(always.spikes) + " output spikes)");
      }
      event_s.push_back(event.cpu_s);
      always_s.push_back(always.cpu_s);
      dense_s.push_back(dense.cpu_s);
    }
    event.cpu_s = median(event_s);
    always.cpu_s = median(always_s);
    dense.cpu_s = median(dense_s);
    const double per_tick = 1e6 / static_cast<double>(ticks);
    const double updates = static_cast<double>(event.neuron_updates) / static_cast<double>(dense.neuron_updates);
    if (json) {
      std::printf("{\"benchmark\": \"conv\", \"model\": \"%s\", \"input_active\": %g, \"ticks\": %lld, \"dt_ms\": %g, "
                  "\"event_cpu_us_per_tick\": %.3f, \"always_on_cpu_us_per_tick\": %.3f, \"dense_reference_cpu_us_per_tick\": %.3f, "
                  "\"always_on_over_event\": %.3f, \"dense_over_event\": %.3f, \"output_spikes\": %llu, "
                  "\"dense_output_spikes\": %llu, \"neuron_updates_event\": %llu, \"neuron_updates_always_on\": %llu, "
                  "\"synaptic_events\": %llu, \"repeats\": %d, \"seed\": %llu}\n",
                  model.filename().c_str(), fraction, static_cast<long long>(ticks), dt_ms, event.cpu_s * per_tick,
                  always.cpu_s * per_tick, dense.cpu_s * per_tick, always.cpu_s / event.cpu_s,
                  dense.cpu_s / event.cpu_s, static_cast<unsigned long long>(event.spikes),
                  static_cast<unsigned long long>(dense.spikes), static_cast<unsigned long long>(event.neuron_updates),
                  static_cast<unsigned long long>(dense.neuron_updates),
                  static_cast<unsigned long long>(event.synaptic_events), repeats, static_cast<unsigned long long>(seed));
    } else {
      std::printf("%6.1f%% %12.1f %12.1f %12.1f %9.2f %9.2f %11llu %11llu %8.1f%%\n", 100.0 * fraction,
                  event.cpu_s * per_tick, always.cpu_s * per_tick, dense.cpu_s * per_tick,
                  always.cpu_s / event.cpu_s, dense.cpu_s / event.cpu_s,
                  static_cast<unsigned long long>(event.spikes), static_cast<unsigned long long>(dense.spikes),
                  100.0 * updates);
    }
    std::fflush(stdout);
  }
  return exit_ok;
}

}  // namespace tandem::bench
