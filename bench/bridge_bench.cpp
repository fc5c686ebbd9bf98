// `tandem bench bridge`: a sensor-like workload through the bridge — dense inputs that change
// on a fraction of channels every few ticks, converted by rate, Poisson and delta encoders and
// read back by a count decoder — in event and always-on mode: wall time, spikes, conversions.
#include <boost/program_options.hpp>
#include <chrono>
#include <ctime>
#include <iostream>

#include "bench/bench_options.hpp"
#include "bench/peak_rss.hpp"
#include "bridge/bridge_engine.hpp"
#include "bridge/delta_coding.hpp"
#include "bridge/poisson_encoder.hpp"
#include "bridge/window_decoders.hpp"
#include "bridge/window_encoders.hpp"
#include "core/error.hpp"
#include "core/interrupt_guard.hpp"
#include "core/random.hpp"
#include "core/simulation.hpp"

namespace tandem::bench {
namespace {

namespace po = boost::program_options;

// Emits a frame every `period` ticks in which a random 10 % of the channels take new values.
class SensorSource final : public Engine {
 public:
  SensorSource(std::size_t width, Tick period) : period_(period) {
    ports_ = {PortSpec{"out", PortKind::dense, PortDirection::out, width, "sensor"}};
  }
  std::string_view name() const override { return "sensor"; }
  std::span<const PortSpec> ports() const override { return ports_; }
  void reset(const RunContext& context) override {
    random_ = RandomStream::derived(context.seed, "sensor");
    values_ = Eigen::VectorXf::Zero(static_cast<Eigen::Index>(ports_[0].width));
  }
  void advance(const Epoch& epoch, const Mailbox&, Mailbox& outbox) override {
    for (Tick t = epoch.begin; t < epoch.end; ++t) {
      if (t % period_ != 0) continue;
      for (Eigen::Index c = 0; c < values_.size(); ++c) {
        if (random_.bernoulli(0.1)) values_[c] = random_.uniform_float();
      }
      outbox.port(0).frames.push_back(DenseFrame{t, values_});
    }
  }
  std::span<const NodeCounters> counters() const override { return {}; }
  bool enroll_probe(const Probe&, Recorder&) override { return false; }
  void record(Recorder&) override {}

 private:
  Tick period_;
  std::vector<PortSpec> ports_;
  RandomStream random_;
  Eigen::VectorXf values_;
};

struct Figures {
  double seconds = 0.0;
  double cpu_seconds = 0.0;  // this process's CPU time: the wall time is noisy on a shared machine
  OpCounts executed;
  OpCounts always_on;
};

Figures run_once(std::size_t channels, Tick ticks, Tick window, Tick period, ExecutionMode mode,
                 const InterruptGuard& interrupt) {
  Simulation sim(SimulationSettings{
      .time = TimeBase{1.0}, .seed = 1, .mode = mode, .max_epoch_ticks = 100, .interrupt = &interrupt});
  sim.add(std::make_unique<SensorSource>(channels, period));
  std::vector<std::unique_ptr<bridge::Unit>> units;
  units.push_back(bridge::make_rate_encoder({.name = "rate", .channels = channels, .window = {window, 1}}));
  units.push_back(bridge::make_poisson_encoder({.name = "poisson", .channels = channels, .max_rate_hz = 200.0}));
  units.push_back(bridge::make_delta_encoder({.name = "delta", .channels = channels, .threshold = 0.05}));
  units.push_back(bridge::make_count_decoder({.name = "count", .channels = channels, .window = {window, 2}}));
  sim.add(std::make_unique<bridge::BridgeEngine>("bridge", std::move(units)));
  for (const char* unit : {"rate", "poisson", "delta"}) {
    sim.connect(Wire{{"sensor", "out"}, {"bridge", std::string(unit) + ".in"}, 1});
  }
  sim.connect(Wire{{"bridge", "rate.out"}, {"bridge", "count.in"}, 1});
  sim.build();
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  sim.run(ticks);
  Figures f;
  f.cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  f.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const NodeCounters& c : sim.counters()) {
    f.executed += c.executed;
    f.always_on += c.always_on;
  }
  return f;
}

}  // namespace

int run_bridge_bench(const std::vector<std::string>& args, const InterruptGuard& interrupt) {
  po::options_description options("tandem bench bridge options");
  options.add_options()("help,h", "show this help")
      ("channels", po::value<std::size_t>()->default_value(1000), "channels per unit")
      ("ticks", po::value<Tick>()->default_value(10000), "ticks to run")
      ("window", po::value<Tick>()->default_value(20), "rate/count window in ticks")
      ("period", po::value<Tick>()->default_value(10), "ticks between sensor frames");
  po::variables_map values;
  if (!parse_bench_options("bridge", args, options, "tandem bench bridge [options]", "", values)) return exit_ok;
  const auto channels = values["channels"].as<std::size_t>();
  const auto ticks = values["ticks"].as<Tick>();
  const auto window = values["window"].as<Tick>();
  const auto period = values["period"].as<Tick>();
  if (channels == 0 || ticks < 1 || window < 1 || period < 1) {
    throw InputError("tandem bench bridge: --channels, --ticks, --window and --period must be >= 1");
  }
  std::cout << "bridge: " << channels << " channels x 4 units, " << ticks << " ticks, window " << window
            << ", sensor frame every " << period << " ticks (10 % of channels change)\n";
  for (const ExecutionMode mode : {ExecutionMode::event, ExecutionMode::always_on}) {
    const Figures f = run_once(channels, ticks, window, period, mode, interrupt);
    const auto conversions = f.executed[Op::encoder_conversion] + f.executed[Op::decoder_conversion];
    const auto baseline = f.always_on[Op::encoder_conversion] + f.always_on[Op::decoder_conversion];
    std::cout << "  " << to_string(mode) << ": " << f.seconds << " s wall, " << f.cpu_seconds << " s cpu, "
              << static_cast<double>(ticks) / f.cpu_seconds << " ticks/cpu-s, spikes+events " << f.executed[Op::spike]
              << ", conversions " << conversions << " (always-on " << baseline << ", ratio "
              << static_cast<double>(conversions) / static_cast<double>(baseline) << ")\n";
  }
  std::cout << "  peak RSS " << static_cast<double>(peak_rss_bytes()) / 1048576.0 << " MiB\n";
  return exit_ok;
}

}  // namespace tandem::bench
