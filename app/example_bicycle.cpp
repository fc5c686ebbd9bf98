// `tandem example bicycle`: the hybrid controller (delta encoder -> afferents -> LIF neurons ->
// delta decoder -> dense policy layer; spiking and dense cores joined by the bridge, as on the Tianjic
// bicycle) keeping the Randløv-Alstrøm bicycle upright for N seeded episodes, with the energy
// report (event vs always-on) and an optional HDF5 trace; `--train` regenerates the shipped
// weights first. See examples/bicycle/README.md.
#include <iostream>
#include <sstream>

#include "app/cli_options.hpp"
#include "app/example_report.hpp"
#include "app/run_session.hpp"
#include "core/error.hpp"
#include "core/execution_mode.hpp"
#include "core/interrupt_guard.hpp"
#include "examples/bicycle/bicycle_controller.hpp"

namespace tandem::app {
namespace {

struct BicycleOptions {
  std::size_t episodes = 100;
  std::uint64_t seed = 1;
  std::int64_t steps = 10000;
  ExecutionMode mode = ExecutionMode::event;
  std::size_t threads = 1;
  bool train = false;
  std::string weights;
  examples::TrainingSettings training;
};

long long in_range(const po::variables_map& values, const char* option, long long low, long long high) {
  const auto value = values[option].as<long long>();
  if (value < low || value > high) {
    throw InputError("tandem example bicycle: --" + std::string(option) + " must be between " +
                     std::to_string(low) + " and " + std::to_string(high) + ", got " + std::to_string(value));
  }
  return value;
}

BicycleOptions bicycle_options_from(const po::variables_map& values) {
  BicycleOptions options;
  options.episodes = static_cast<std::size_t>(in_range(values, "episodes", 1, 1000000));
  options.steps = in_range(values, "steps", 1, 100000000);
  options.seed = values["seed"].as<std::uint64_t>();
  options.mode = parse_execution_mode(values["mode"].as<std::string>());
  options.threads = given_threads(values, "example bicycle").value_or(1);
  options.train = values["train"].as<bool>();
  options.weights = values.count("weights") != 0U ? values["weights"].as<std::string>()
                                                   : examples::shipped_bicycle_weights_path();
  options.training.seed = options.seed;
  options.training.iterations = static_cast<std::size_t>(in_range(values, "train-iterations", 1, 1000));
  options.training.episodes_per_iteration = static_cast<std::size_t>(in_range(values, "train-episodes", 1, 100000));
  options.training.max_steps = in_range(values, "train-steps", 1, 100000000);
  return options;
}

void train_weights(const BicycleOptions& options, const examples::HybridControllerConfig& config,
                   const environments::BicycleParams& params) {
  const auto result =
      examples::train_bicycle_controller(config, params, options.training, start_training_report(options.seed, "upright"));
  std::ostringstream note;
  note << "tandem example bicycle --train --seed " << options.seed << " --train-iterations "
       << options.training.iterations << " --train-episodes " << options.training.episodes_per_iteration
       << " --train-steps " << options.training.max_steps;
  save_trained_weights(options.weights, result.weights, note.str(), "examples/bicycle/README.md");
}

}  // namespace

int run_bicycle_example(const std::vector<std::string>& args, const InterruptGuard& interrupt) {
  po::options_description options("tandem example bicycle options");
  add_common_options(options);
  options.add_options()
    ("episodes", po::value<long long>()->default_value(100), "seeded episodes to run")
    ("steps", po::value<long long>()->default_value(10000), "steps of 10 ms an episode must stay upright to succeed")
    ("seed", po::value<std::uint64_t>()->default_value(1), "run seed: episode k starts from episode_seed(seed, k)")
    ("mode", po::value<std::string>()->default_value("event"), "event | always-on")
    ("train", po::bool_switch(), "regenerate the policy weights first (DAgger on the LQR teacher), then run")
    ("weights", po::value<std::string>(), "weights file to use (and to write with --train); default: the shipped examples/bicycle/weights.h5")
    ("train-iterations", po::value<long long>()->default_value(6), "--train: DAgger iterations")
    ("train-episodes", po::value<long long>()->default_value(10), "--train: episodes collected per iteration")
    ("train-steps", po::value<long long>()->default_value(1000), "--train: episode cap while collecting");
  add_threads_option(options, " (default 1)");
  RunOutputOptions output_defaults;
  add_run_output_options(options, output_defaults);
  po::variables_map values;
  const CommandHelp help{
      "tandem example bicycle [options]",
      "Keeps the Randløv-Alstrøm bicycle (10 km/h, displacement noise ±2 cm) upright with a hybrid "
      "network: the bridge's delta encoder sends on/off spikes only when lean or steering angle or "
      "their rates change by a threshold, input afferents relay them through synapses to LIF neurons, "
      "the bridge's delta decoder integrates those spikes back into values and a dense policy layer "
      "turns them into handlebar torque and rider displacement. Prints per-episode steps, `upright N/M episodes (S steps)` and the energy of the "
      "run (event-driven beside always-on).",
      "tandem example bicycle\n"
      "tandem example bicycle --episodes 10 --steps 2000\n"
      "tandem example bicycle --episodes 2 --record out/bicycle.h5 --energy-report out/bicycle-energy.json --force\n"
      "tandem example bicycle --train --weights /tmp/bicycle_weights.h5"};
  if (!parse_command_line("example bicycle", args, options, {}, help, values)) return exit_ok;
  BicycleOptions run = bicycle_options_from(values);
  run.training.interrupt = &interrupt;
  RunOutputOptions output = run_output_options_from(values);

  environments::BicycleParams params;
  params.max_steps = run.steps;
  const examples::HybridControllerConfig config = examples::bicycle_controller_config();
  if (run.train) train_weights(run, config, params);
  const auto weights = load_example_weights("bicycle", run.weights, config);

  Simulation simulation(
      {.time = TimeBase{config.dt_ms}, .seed = run.seed, .mode = run.mode, .threads = run.threads, .interrupt = &interrupt});
  auto& environment = examples::add_bicycle_hybrid(simulation, params, config, weights);
  std::ostringstream resolved;
  resolved << "example: bicycle\nepisodes: " << run.episodes << "\nsteps: " << run.steps << "\nseed: " << run.seed
           << "\nweights: " << run.weights << "\n";
  output.step_ticks = config.ticks_per_step;
  output.step_name = "control step";
  RunSession session(simulation, output, "example bicycle", resolved.str());
  if (session.recorder() != nullptr) examples::add_bicycle_trace_probes(simulation, config);

  const EpisodesRun result =
      run_example_episodes(session, environment, run.episodes, config.ticks_per_step, simulation.now());
  const std::vector<EnergyReport>& reports = session.finish();
  std::cout << "upright " << result.successes << "/" << run.episodes << " episodes (" << run.steps << " steps), mode "
            << to_string(run.mode) << ", seed " << run.seed << "\n";
  for (const EnergyReport& report : reports) print_energy_per_step(report, result.control_steps, run.episodes);
  return exit_ok;
}

}  // namespace tandem::app
