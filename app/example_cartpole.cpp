// `tandem example cartpole`: the hybrid controller (delta encoder -> afferents -> LIF neurons ->
// delta decoder -> dense policy layer) balancing the
// cart-pole for N seeded episodes, with the energy report (event vs always-on) and an optional
// HDF5 trace; `--train` regenerates the shipped weights first. See examples/cartpole/README.md.
#include <iostream>
#include <sstream>

#include "app/cli_options.hpp"
#include "app/example_report.hpp"
#include "app/network_run.hpp"
#include "app/run_session.hpp"
#include "core/error.hpp"
#include "core/execution_mode.hpp"
#include "core/interrupt_guard.hpp"
#include "core/precision.hpp"
#include "examples/cartpole/cartpole_controller.hpp"

namespace tandem::app {
namespace {


struct CartPoleOptions {
  std::size_t episodes = 100;
  std::uint64_t seed = 1;
  bool pushes = true;
  bool continuous = false;
  ExecutionMode mode = ExecutionMode::event;
  std::size_t threads = 1;
  std::string precision = "float32";  // or native: the chip's
  bool train = false;
  std::string weights;
  examples::CartPoleTrainingSettings training;
};

CartPoleOptions cartpole_options_from(const po::variables_map& values) {
  CartPoleOptions options;
  const auto episodes = values["episodes"].as<long long>();
  if (episodes < 1 || episodes > 1000000) {
    throw InputError("tandem example cartpole: --episodes must be between 1 and 1000000, got " +
                     std::to_string(episodes));
  }
  options.episodes = static_cast<std::size_t>(episodes);
  options.seed = values["seed"].as<std::uint64_t>();
  if (values["pushes"].as<bool>() && values["no-pushes"].as<bool>()) {
    throw InputError("tandem example cartpole: --pushes and --no-pushes contradict each other");
  }
  options.pushes = !values["no-pushes"].as<bool>();
  options.continuous = values["continuous"].as<bool>();
  options.mode = parse_execution_mode(values["mode"].as<std::string>());
  options.threads = given_threads(values, "example cartpole").value_or(1);
  options.precision = values["precision"].as<std::string>();
  options.train = values["train"].as<bool>();
  options.weights = values.count("weights") != 0U ? values["weights"].as<std::string>()
                                                   : examples::shipped_cartpole_weights_path();
  const auto iterations = values["train-iterations"].as<long long>();
  const auto per_iteration = values["train-episodes"].as<long long>();
  if (iterations < 1 || per_iteration < 1) {
    throw InputError("tandem example cartpole: --train-iterations and --train-episodes must be >= 1");
  }
  options.training.seed = options.seed;
  options.training.iterations = static_cast<std::size_t>(iterations);
  options.training.episodes_per_iteration = static_cast<std::size_t>(per_iteration);
  return options;
}

void train_weights(const CartPoleOptions& options, const examples::HybridControllerConfig& config,
                   const environments::CartPoleParams& params) {
  const auto result =
      examples::train_hybrid_controller(config, params, options.training, start_training_report(options.seed, "balanced"));
  std::ostringstream note;
  note << "tandem example cartpole --train --seed " << options.seed << " --train-iterations "
       << options.training.iterations << " --train-episodes " << options.training.episodes_per_iteration
       << (params.continuous ? " --continuous" : "");
  save_trained_weights(options.weights, result.weights, note.str(), "examples/cartpole/README.md");
}

}  // namespace

int run_cartpole_example(const std::vector<std::string>& args, const InterruptGuard& interrupt) {
  po::options_description options("tandem example cartpole options");
  add_common_options(options);
  options.add_options()
    ("episodes", po::value<long long>()->default_value(100), "seeded episodes to run (500 steps each at most)")
    ("seed", po::value<std::uint64_t>()->default_value(1), "run seed: episode k starts from episode_seed(seed, k)")
    ("pushes", po::bool_switch(), "random pushes of ±20 N, p = 0.02 per step (the default)")
    ("no-pushes", po::bool_switch(), "no push disturbances")
    ("mode", po::value<std::string>()->default_value("event"), "event | always-on")
    ("precision", po::value<std::string>()->default_value("float32"),
     "float32 | fixed | tianjic | loihi | native (the chip's own): the controller's arithmetic (docs/precision.md)")
    ("continuous", po::bool_switch(), "apply the policy output as a force (clamped to ±10 N) instead of its sign")
    ("train", po::bool_switch(), "regenerate the policy weights first (DAgger on the LQR teacher), then run")
    ("weights", po::value<std::string>(), "weights file to use (and to write with --train); default: the shipped examples/cartpole/weights.h5")
    ("train-iterations", po::value<long long>()->default_value(6), "--train: DAgger iterations")
    ("train-episodes", po::value<long long>()->default_value(20), "--train: episodes collected per iteration");
  add_threads_option(options, " (default 1)");
  RunOutputOptions output_defaults;
  add_run_output_options(options, output_defaults);
  po::variables_map values;
  const CommandHelp help{
      "tandem example cartpole [options]",
      "Balances the cart-pole with a hybrid network: the bridge's delta encoder sends an on/off spike "
      "each time a value of the observation moves by a threshold (1/32 of its range), input afferents "
      "relay the spikes through synapses to LIF neurons, the bridge's delta decoder integrates them back "
      "into values and a dense policy layer turns those into the force (its sign: ±10 N; --continuous: "
      "the force itself). Only changes cost spikes: with --continuous the chip is nearly idle while "
      "the pole is balanced and bursts at a push. Prints per-episode steps, `balanced N/M episodes` and the energy of the run "
      "(event-driven beside always-on).",
      "tandem example cartpole\n"
      "tandem example cartpole --no-pushes --episodes 20\n"
      "tandem example cartpole --record out/cartpole.h5 --energy-report out/cartpole-energy.json --force\n"
      "tandem example cartpole --train --weights /tmp/weights.h5"};
  if (!parse_command_line("example cartpole", args, options, {}, help, values)) return exit_ok;
  CartPoleOptions run = cartpole_options_from(values);
  run.training.interrupt = &interrupt;
  RunOutputOptions output = run_output_options_from(values);

  environments::CartPoleParams params;
  params.continuous = run.continuous;
  if (run.pushes) params = params.with_pushes();
  examples::HybridControllerConfig config = examples::cartpole_controller_config();
  config.precision = precision_option(run.precision, output.chip, "tandem example cartpole");
  if (run.train) train_weights(run, config, params);
  const auto weights = load_example_weights("cartpole", run.weights, config);

  Simulation simulation(
      {.time = TimeBase{config.dt_ms}, .seed = run.seed, .mode = run.mode, .threads = run.threads, .interrupt = &interrupt});
  auto& environment = examples::add_cartpole_hybrid(simulation, params, config, weights);
  std::ostringstream resolved;
  resolved << "example: cartpole\nepisodes: " << run.episodes << "\nseed: " << run.seed
           << "\npushes: " << (run.pushes ? "true" : "false") << "\ncontinuous: " << (run.continuous ? "true" : "false")
           << "\nweights: " << run.weights << "\nprecision: " << to_string(config.precision) << "\n";
  output.step_ticks = config.ticks_per_step;
  output.step_name = "control step";
  RunSession session(simulation, output, "example cartpole", resolved.str());
  if (session.recorder() != nullptr) examples::add_cartpole_trace_probes(simulation, config);

  const EpisodesRun result =
      run_example_episodes(session, environment, run.episodes, config.ticks_per_step, simulation.now());
  const std::vector<EnergyReport>& reports = session.finish();
  std::cout << "balanced " << result.successes << "/" << run.episodes << " episodes (pushes "
            << (run.pushes ? "on" : "off") << ", " << (run.continuous ? "continuous" : "±10 N") << " actions, mode "
            << to_string(run.mode) << ", precision " << to_string(config.precision) << ", seed " << run.seed << ")\n";
  for (const EnergyReport& report : reports) print_energy_per_step(report, result.control_steps, run.episodes);
  return exit_ok;
}

}  // namespace tandem::app
