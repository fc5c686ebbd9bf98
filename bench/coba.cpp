// `tandem bench coba`: the Vogels–Abbott (2005) COBA network as in the Brian2 benchmark
// (bench/ peer scripts use exactly these equations; see docs/performance.md).
#include "bench/coba.hpp"
#include "bench/spiking_bench.hpp"
#include "core/interrupt_guard.hpp"
#include "neurons/lif_coba.hpp"

namespace tandem::bench {

namespace {
// Network constants (Vogels & Abbott 2005; Brian2's COBA example).
constexpr std::size_t n_exc = 3200;
constexpr std::size_t n_inh = 800;
constexpr double connection_probability = 0.02;
constexpr float w_exc = 0.6F;  // added to g_exc, in units of the leak conductance
constexpr float w_inh = 6.7F;  // added to g_inh

}  // namespace

std::unique_ptr<neurons::EventEngine> build_coba(const TimeBase& time) {
  using namespace neurons;
  auto engine = std::make_unique<EventEngine>("coba", time);
  LifCoba::Parameters p;
  p.tau_m_ms = 20.0;
  p.tau_exc_ms = 5.0;
  p.tau_inh_ms = 10.0;
  p.v_rest_mv = -60.0;
  p.v_drive_mv = 20.0;
  p.e_exc_mv = 0.0;
  p.e_inh_mv = -80.0;
  p.v_threshold_mv = -50.0;
  p.v_reset_mv = -60.0;
  p.refractory_ms = 5.0;
  for (const auto& [name, size] : {std::pair{"exc", n_exc}, std::pair{"inh", n_inh}}) {
    engine->add_population<LifCoba>(name, size, p).set_initial_uniform("v", -60.0, -50.0);
  }
  const double delay_ms = time.dt_ms();  // one tick
  for (const char* source : {"exc", "inh"}) {
    for (const char* target : {"exc", "inh"}) {
      const bool excitatory = std::string(source) == "exc";
      engine->connect({.name = std::string(source) + "_" + target, .source = source, .target = target,
                       .receptor = excitatory ? "g_exc" : "g_inh", .rule = Rule::fixed_probability,
                       .probability = connection_probability, .weight = excitatory ? w_exc : w_inh,
                       .delay_ms = delay_ms});
    }
  }
  return engine;
}

int run_coba_benchmark(const std::vector<std::string>& args, const InterruptGuard& interrupt) {
  namespace po = boost::program_options;
  SpikingBenchOptions options;
  po::options_description description("tandem bench coba options");
  add_spiking_bench_options(description, options);
  po::variables_map values;
  if (!parse_spiking_bench_options("coba", args, description,
                                   "tandem bench coba [--json] [--mode event|always-on] [--duration-ms 1000] "
                                   "[--dt-ms 0.1] [--seed 1]\n\nVogels-Abbott COBA: 3200 exc + 800 inh LIF neurons, "
                                   "conductance synapses, p = 0.02, delay 1 tick.",
                                   values, options)) {
    return 0;
  }
  return run_spiking_bench("coba", options, build_coba, interrupt);
}

}  // namespace tandem::bench
