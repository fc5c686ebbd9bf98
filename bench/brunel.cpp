// `tandem bench brunel`: Brunel (2000) model A as NEST's brunel_delta example — sparse
// excitatory/inhibitory LIF network with delta synapses and Poisson drive (docs/performance.md).
#include <cmath>

#include "bench/spiking_bench.hpp"
#include "core/error.hpp"
#include "core/interrupt_guard.hpp"
#include "neurons/lif.hpp"

namespace tandem::bench {

namespace {
// Brunel (2000), NEST brunel_delta: NE = 4·NI, C_E = 0.1·NE, C_I = 0.1·NI, g = 5, eta = 2.
constexpr double n_exc = 10000.0;
constexpr double n_inh = 2500.0;
constexpr double in_degree_exc = 1000.0;
constexpr double in_degree_inh = 250.0;
constexpr double j_mv = 0.1;
constexpr double g_ratio = 5.0;
constexpr double eta = 2.0;
constexpr double tau_m_ms = 20.0;
constexpr double theta_mv = 20.0;
constexpr double delay_ms = 1.5;

struct BrunelScale {
  double neurons = 1.0;    // --scale: multiplies NE and NI
  double in_degree = 1.0;  // --in-degree-scale: multiplies C_E and C_I, divides J (J·C and the drive stay)
};

std::unique_ptr<neurons::EventEngine> build_brunel(const TimeBase& time, const BrunelScale& scale) {
  using namespace neurons;
  const auto ne = static_cast<std::size_t>(std::llround(n_exc * scale.neurons));
  const auto ni = static_cast<std::size_t>(std::llround(n_inh * scale.neurons));
  const auto ce = static_cast<std::size_t>(std::llround(in_degree_exc * scale.in_degree));
  const auto ci = static_cast<std::size_t>(std::llround(in_degree_inh * scale.in_degree));
  if (ne < 1 || ni < 1 || ce < 1 || ci < 1) throw InputError("tandem bench brunel: --scale/--in-degree-scale too small");
  const double j = j_mv / scale.in_degree;
  const double nu_th_hz = theta_mv / (j * static_cast<double>(ce) * tau_m_ms) * 1e3;
  const double external_rate_hz = eta * nu_th_hz * static_cast<double>(ce);  // 20 kHz at scale 1
  auto engine = std::make_unique<EventEngine>("brunel", time);
  Lif::Parameters p;
  p.tau_m_ms = tau_m_ms;
  p.v_leak_mv = 0.0;
  p.v_threshold_mv = theta_mv;
  p.v_reset_mv = 0.0;
  p.refractory_ms = 2.0;
  for (const auto& [name, size] : {std::pair{"exc", ne}, std::pair{"inh", ni}}) {
    engine->add_population<Lif>(name, size, p).set_initial_uniform("v", 0.0, theta_mv);
    engine->add_poisson_input({.name = std::string(name) + "_drive", .target = name, .receptor = "v",
                               .rate_hz = external_rate_hz, .weight = static_cast<float>(j)});
  }
  for (const char* source : {"exc", "inh"}) {
    for (const char* target : {"exc", "inh"}) {
      const bool excitatory = std::string(source) == "exc";
      engine->connect({.name = std::string(source) + "_" + target, .source = source, .target = target,
                       .receptor = "v", .rule = Rule::fixed_in_degree, .in_degree = excitatory ? ce : ci,
                       .weight = static_cast<float>(excitatory ? j : -g_ratio * j), .delay_ms = delay_ms});
    }
  }
  return engine;
}
}  // namespace

int run_brunel_benchmark(const std::vector<std::string>& args, const InterruptGuard& interrupt) {
  namespace po = boost::program_options;
  SpikingBenchOptions options;
  BrunelScale scale;
  po::options_description description("tandem bench brunel options");
  add_spiking_bench_options(description, options);
  description.add_options()("scale", po::value<double>(&scale.neurons)->default_value(1.0),
                            "multiply the neuron counts (12500 at 1), keeping in-degrees")(
      "in-degree-scale", po::value<double>(&scale.in_degree)->default_value(1.0),
      "multiply the in-degrees (1000 + 250 at 1) and divide J, keeping J·C and the drive");
  po::variables_map values;
  if (!parse_spiking_bench_options(
          "brunel", args, description,
          "tandem bench brunel [--json] [--mode event|always-on] [--duration-ms 1000] [--dt-ms 0.1] [--seed 1]\n"
          "                           [--scale F] [--in-degree-scale G]\n\n"
          "Brunel 2000 model A: 10000 exc + 2500 inh LIF neurons with delta synapses, 1250 synapses per neuron.\n"
          "1 M neurons and 100 M synapses for 100 ms:\n"
          "  tandem bench brunel --scale 80 --in-degree-scale 0.08 --duration-ms 100",
          values, options)) {
    return 0;
  }
  if (!(scale.neurons > 0.0) || !(scale.in_degree > 0.0) || !std::isfinite(scale.neurons) ||
      !std::isfinite(scale.in_degree)) {
    throw InputError("tandem bench brunel: --scale and --in-degree-scale must be finite and > 0");
  }
  return run_spiking_bench("brunel", options, [&](const TimeBase& time) { return build_brunel(time, scale); }, interrupt);
}

}  // namespace tandem::bench
