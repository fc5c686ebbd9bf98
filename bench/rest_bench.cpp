// `tandem bench rest`: what the snap to rest costs in accuracy, per model. Each model's
// population (default parameters) is driven by sparse Poisson kicks onto v — large enough that
// two close kicks cross the threshold, sparse enough that neurons come to rest between them —
// and run twice in lockstep from the same seed: with the default rest tolerances and with all
// of them 0 (no snap, the reference). Reported: the largest |Δv| seen at any tick, the spikes of
// each run, how many spikes differ and how many neuron updates the snap saved
// (docs/neurons.md#rest).
#include <boost/program_options.hpp>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <set>

#include "bench/bench_options.hpp"
#include "core/error.hpp"
#include "core/interrupt_guard.hpp"
#include "neurons/event_engine.hpp"
#include "neurons/model_list.hpp"
#include "neurons/registry.hpp"

namespace tandem::bench {
namespace {

namespace po = boost::program_options;

struct RestFigures {
  std::string model;
  double max_dv_mv = 0.0;
  std::uint64_t spikes_snap = 0;
  std::uint64_t spikes_reference = 0;
  std::uint64_t spikes_differing = 0;  // (tick, neuron) pairs in one run but not the other
  std::uint64_t updates_snap = 0;
  std::uint64_t updates_reference = 0;
};

// Threshold distance of the model's default parameters (1 for models without a threshold).
template <typename Model>
double threshold_gap_mv(double rest_v) {
  const typename Model::Parameters p{};
  if constexpr (std::is_same_v<Model, neurons::Izhikevich>) return -50.0 - rest_v;  // unstable fixed point
  if constexpr (requires { p.v_threshold_mv; }) return p.v_threshold_mv - rest_v;
  return 1.0;
}

template <typename Model>
std::unique_ptr<neurons::EventEngine> kicked_population(std::size_t neurons, double rate_hz, bool snap, double dt_ms) {
  neurons::ParameterValues values;
  if (!snap) {
    for (const auto& info : neurons::models()) {
      if (info.name != Model::name) continue;
      for (const auto name : info.parameters) {
        if (name.starts_with("rest_tolerance")) values.emplace(name, "0");
      }
    }
  }
  auto engine = std::make_unique<neurons::EventEngine>("rest", TimeBase{dt_ms});
  auto& population = engine->add_population(neurons::make_population(Model::name, "cells", neurons, values, TimeBase{dt_ms}));
  population.reset(1);
  const double rest_v = population.values(0)[0];
  const auto weight = static_cast<float>(0.6 * threshold_gap_mv<Model>(rest_v));
  engine->add_poisson_input({.name = "kicks", .target = "cells", .receptor = "v", .rate_hz = rate_hz, .weight = weight});
  return engine;
}

template <typename Model>
RestFigures compare(std::size_t neurons, double rate_hz, Tick ticks, double dt_ms, const InterruptGuard& interrupt) {
  auto with_snap = kicked_population<Model>(neurons, rate_hz, true, dt_ms);
  auto reference = kicked_population<Model>(neurons, rate_hz, false, dt_ms);
  const RunContext context{TimeBase{dt_ms}, 1, ExecutionMode::event};
  with_snap->reset(context);
  reference->reset(context);
  RestFigures figures;
  figures.model = std::string(Model::name);
  std::set<std::pair<Tick, std::uint32_t>> snap_spikes;
  std::set<std::pair<Tick, std::uint32_t>> reference_spikes;
  for (Tick t = 0; t < ticks; ++t) {
    Mailbox in_a(with_snap->ports().size()), out_a(with_snap->ports().size());
    Mailbox in_b(reference->ports().size()), out_b(reference->ports().size());
    with_snap->advance(Epoch{t, t + 1}, in_a, out_a);
    reference->advance(Epoch{t, t + 1}, in_b, out_b);
    for (std::size_t p = 0; p < out_a.port_count(); ++p) {
      const auto& a = out_a.port(p).spikes;
      for (std::size_t k = 0; k < a.size(); ++k) snap_spikes.emplace(a.tick[k], a.index[k]);
      const auto& b = out_b.port(p).spikes;
      for (std::size_t k = 0; k < b.size(); ++k) reference_spikes.emplace(b.tick[k], b.index[k]);
    }
    const auto va = with_snap->population("cells").values(0);
    const auto vb = reference->population("cells").values(0);
    for (std::size_t i = 0; i < va.size(); ++i) {
      figures.max_dv_mv = std::max(figures.max_dv_mv, std::abs(static_cast<double>(va[i]) - static_cast<double>(vb[i])));
    }
    if (t % 1000 == 0) interrupt.check(t);
  }
  figures.spikes_snap = snap_spikes.size();
  figures.spikes_reference = reference_spikes.size();
  for (const auto& spike : snap_spikes) figures.spikes_differing += reference_spikes.count(spike) == 0 ? 1 : 0;
  for (const auto& spike : reference_spikes) figures.spikes_differing += snap_spikes.count(spike) == 0 ? 1 : 0;
  figures.updates_snap = with_snap->counters()[0].executed[Op::neuron_update];
  figures.updates_reference = reference->counters()[0].executed[Op::neuron_update];
  return figures;
}

}  // namespace

int run_rest_benchmark(const std::vector<std::string>& args, const InterruptGuard& interrupt) {
  po::options_description options("tandem bench rest options");
  options.add_options()("help,h", "show this help")
      ("neurons", po::value<std::size_t>()->default_value(1000), "neurons per model")
      ("rate-hz", po::value<double>()->default_value(10.0), "Poisson kicks per neuron per second (0.6 of the threshold gap each)")
      ("duration-ms", po::value<double>()->default_value(10000.0), "simulated time per model")
      ("dt-ms", po::value<double>()->default_value(0.1), "tick length");
  po::variables_map values;
  if (!parse_bench_options("rest", args, options, "tandem bench rest [options]", "Per model: the snap to rest (default tolerances) against no snap, same seed, lockstep.", values)) return exit_ok;
  const auto neurons = values["neurons"].as<std::size_t>();
  const double rate_hz = values["rate-hz"].as<double>();
  const double dt_ms = values["dt-ms"].as<double>();
  if (neurons < 1 || !(rate_hz > 0.0) || !(dt_ms > 0.0)) {
    throw InputError("tandem bench rest: --neurons, --rate-hz and --dt-ms must be positive");
  }
  const Tick ticks = TimeBase{dt_ms}.ticks_from_ms(values["duration-ms"].as<double>(), "--duration-ms");
  std::printf("rest: %zu neurons per model, Poisson kicks %.3g Hz of 0.6 x the threshold gap onto v, %lld ticks of %g ms\n",
              neurons, rate_hz, static_cast<long long>(ticks), dt_ms);
  std::printf("%-11s %12s %12s %12s %10s %14s\n", "model", "max_dv_mv", "spikes_snap", "spikes_ref", "differing",
              "updates_saved");
  [&]<typename... Models>(std::tuple<Models...>*) {
    (
        [&] {
          const RestFigures f = compare<Models>(neurons, rate_hz, ticks, dt_ms, interrupt);
          const double saved = f.updates_reference == 0 ? 0.0
                                                        : 1.0 - static_cast<double>(f.updates_snap) /
                                                                    static_cast<double>(f.updates_reference);
          std::printf("%-11s %12.3g %12llu %12llu %10llu %13.1f%%\n", f.model.c_str(), f.max_dv_mv,
                      static_cast<unsigned long long>(f.spikes_snap), static_cast<unsigned long long>(f.spikes_reference),
                      static_cast<unsigned long long>(f.spikes_differing), 100.0 * saved);
          std::fflush(stdout);
        }(),
        ...);
  }(static_cast<neurons::ModelList*>(nullptr));
  return exit_ok;
}

}  // namespace tandem::bench
