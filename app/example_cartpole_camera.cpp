// `tandem example cartpole-camera`: the cart-pole balanced from an event camera — renderer ->
// DVS encoder -> spiking convolution and pooling -> readout -> delta decoder -> dense policy —
// for N seeded episodes, with the energy and latency per control step on each chip (event vs
// always-on), an optional JSON summary and HDF5 trace; `--train` regenerates the policy first.
// See docs/cartpole-camera.md.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/cli_options.hpp"
#include "app/example_report.hpp"
#include "app/run_session.hpp"
#include "core/error.hpp"
#include "core/execution_mode.hpp"
#include "core/interrupt_guard.hpp"
#include "examples/cartpole_camera/camera_controller.hpp"

namespace tandem::app {
namespace {

constexpr const char* command = "tandem example cartpole-camera";

struct CameraOptions {
  std::size_t episodes = 100;
  std::uint64_t seed = 1;
  bool pushes = true;
  bool continuous = true;
  ExecutionMode mode = ExecutionMode::event;
  bool train = false;
  std::string weights;
  std::string json_path;
  examples::CartPoleTrainingSettings training;
};

std::size_t count_option(const po::variables_map& values, const char* name, long long most) {
  const auto value = values[name].as<long long>();
  if (value < 1 || value > most) {
    throw InputError(std::string(command) + ": --" + name + " must be between 1 and " + std::to_string(most) +
                     ", got " + std::to_string(value));
  }
  return static_cast<std::size_t>(value);
}

double non_negative_option(const po::variables_map& values, const char* name, bool positive) {
  const double value = values[name].as<double>();
  if (!std::isfinite(value) || value < 0.0 || (positive && value == 0.0)) {
    throw InputError(std::string(command) + ": --" + name + " must be finite and " + (positive ? "> 0" : ">= 0") +
                     ", got " + format_number(value));
  }
  return value;
}

CameraOptions camera_options_from(const po::variables_map& values, examples::CameraControllerConfig& config) {
  CameraOptions options;
  options.episodes = count_option(values, "episodes", 1000000);
  options.seed = values["seed"].as<std::uint64_t>();
  if (values["pushes"].as<bool>() && values["no-pushes"].as<bool>()) {
    throw InputError(std::string(command) + ": --pushes and --no-pushes contradict each other");
  }
  options.pushes = !values["no-pushes"].as<bool>();
  options.continuous = !values["bang-bang"].as<bool>();
  options.mode = parse_execution_mode(values["mode"].as<std::string>());
  options.train = values["train"].as<bool>();
  options.weights = values.count("weights") != 0U ? values["weights"].as<std::string>()
                                                   : examples::shipped_camera_weights_path();
  options.json_path = values["json"].as<std::string>();
  options.training.seed = options.seed;
  options.training.iterations = count_option(values, "train-iterations", 100);
  options.training.episodes_per_iteration = count_option(values, "train-episodes", 10000);
  config.dvs_threshold = non_negative_option(values, "dvs-threshold", true);
  config.dvs_noise_rate_hz = non_negative_option(values, "dvs-noise-hz", false);
  config.dvs_epsilon = non_negative_option(values, "dvs-epsilon", true);
  const auto refractory = values["dvs-refractory-ticks"].as<long long>();
  if (refractory < 0 || refractory > 1000) {
    throw InputError(std::string(command) + ": --dvs-refractory-ticks must be between 0 and 1000, got " +
                     std::to_string(refractory));
  }
  config.dvs_refractory_ticks = static_cast<Tick>(refractory);
  return options;
}

std::string json_escape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// The run's headline figures: balanced episodes and, per chip, energy and latency per control
// step, event beside always-on (the full per-node report is --energy-report's).
void write_summary(const std::string& path, const CameraOptions& run, const EpisodesRun& result,
                   const std::vector<EnergyReport>& reports) {
  std::ofstream out(path);
  if (!out) throw InputError(std::string(command) + ": --json: cannot write '" + path + "'");
  out.precision(6);
  out << "{\n  \"example\": \"cartpole-camera\",\n  \"episodes\": " << run.episodes << ",\n  \"seed\": " << run.seed
      << ",\n  \"pushes\": " << (run.pushes ? "true" : "false") << ",\n  \"continuous\": "
      << (run.continuous ? "true" : "false") << ",\n  \"mode\": \"" << to_string(run.mode)
      << "\",\n  \"balanced\": " << result.successes << ",\n  \"control_steps\": " << result.control_steps
      << ",\n  \"chips\": [";
  for (std::size_t i = 0; i < reports.size(); ++i) {
    const EnergyReport& report = reports[i];
    const NodeEnergy& total = report.total;
    const double steps = result.control_steps;
    out << (i == 0 ? "\n" : ",\n") << "    {\"chip\": \"" << json_escape(report.chip) << "\", \"dynamic_j_per_step\": "
        << total.dynamic_j / steps << ", \"always_on_dynamic_j_per_step\": " << total.always_on_dynamic_j / steps
        << ", \"static_j_per_step\": " << total.static_j / steps << ", \"dynamic_ratio\": " << total.dynamic_ratio();
    if (report.time.modelled && report.step_ticks > 0) {
      const auto step = static_cast<double>(report.step_ticks);
      out << ", \"latency_s_per_step\": " << report.tick_mean_s(report.time.executed) * step
          << ", \"always_on_latency_s_per_step\": " << report.tick_mean_s(report.time.always_on) * step;
    }
    out << "}";
  }
  out << "\n  ]\n}\n";
  if (!out) throw RunError(std::string(command) + ": --json: writing '" + path + "' failed");
}

}  // namespace

int run_cartpole_camera_example(const std::vector<std::string>& args, const InterruptGuard& interrupt) {
  po::options_description options("tandem example cartpole-camera options");
  add_common_options(options);
  const examples::CameraControllerConfig defaults;
  options.add_options()
    ("episodes", po::value<long long>()->default_value(100), "seeded episodes to run (500 steps each at most)")
    ("seed", po::value<std::uint64_t>()->default_value(1), "run seed: episode k starts from episode_seed(seed, k)")
    ("pushes", po::bool_switch(), "random pushes of ±20 N, p = 0.02 per step (the default)")
    ("no-pushes", po::bool_switch(), "no push disturbances")
    ("bang-bang", po::bool_switch(),
     "apply the sign of the policy output (±10 N) instead of the output itself as a force (clamped to ±10 N, the default)")
    ("mode", po::value<std::string>()->default_value("event"), "event | always-on")
    ("dvs-threshold", po::value<double>()->default_value(defaults.dvs_threshold), "DVS contrast threshold (ln intensity)")
    ("dvs-refractory-ticks", po::value<long long>()->default_value(defaults.dvs_refractory_ticks), "DVS refractory period, ticks")
    ("dvs-epsilon", po::value<double>()->default_value(defaults.dvs_epsilon), "DVS log offset: ln(I + epsilon), I in [0, 1]")
    ("dvs-noise-hz", po::value<double>()->default_value(defaults.dvs_noise_rate_hz), "DVS background events per pixel per second")
    ("train", po::bool_switch(), "regenerate the policy weights first (DAgger on the LQR teacher), then run")
    ("weights", po::value<std::string>(),
     "weights file to use (and to write with --train); default: the shipped examples/cartpole_camera/weights.h5")
    ("train-iterations", po::value<long long>()->default_value(10), "--train: DAgger iterations")
    ("train-episodes", po::value<long long>()->default_value(20), "--train: episodes collected per iteration")
    ("json", po::value<std::string>()->default_value(""), "write the headline figures (balanced, energy and latency per step per chip) as JSON");
  RunOutputOptions output_defaults;
  output_defaults.chip = "tianjic,loihi2,spinnaker2";
  add_run_output_options(options, output_defaults);
  po::variables_map values;
  const CommandHelp help{
      "tandem example cartpole-camera [options]",
      "Balances the cart-pole from pixels: a fixed camera draws the cart and pole as 64 x 32 grey levels "
      "each control step, the bridge's event-camera (DVS) encoder sends an ON or OFF spike where a pixel's log "
      "intensity moved by the contrast threshold, a spiking 3x3 convolution (stride 2) and a 2x2 sum pooling of "
      "integrate-and-fire neurons reduce the events to 8 x 16 cells per polarity, the delta decoder integrates "
      "them into a picture, and a dense policy layer reads it now and one step ago. While the pole is balanced "
      "few pixels change and the chip idles; a push brings a burst of events. Prints per-episode steps, "
      "`balanced N/M episodes` and the energy and latency per control step on each chip (event-driven beside "
      "always-on).",
      "tandem example cartpole-camera\n"
      "tandem example cartpole-camera --no-pushes --episodes 20\n"
      "tandem example cartpole-camera --episodes 3 --json out/camera.json --record out/camera.h5 --force\n"
      "tandem example cartpole-camera --train --weights /tmp/camera.h5"};
  if (!parse_command_line("example cartpole-camera", args, options, {}, help, values)) return exit_ok;
  examples::CameraControllerConfig config;
  CameraOptions run = camera_options_from(values, config);
  run.training.interrupt = &interrupt;
  RunOutputOptions output = run_output_options_from(values);
  if (!run.json_path.empty() && std::filesystem::exists(run.json_path) && !output.force) {
    throw InputError(std::string(command) + ": --json: '" + run.json_path + "' exists (use --force to overwrite)");
  }

  environments::CartPoleParams params;
  params.continuous = run.continuous;
  if (run.pushes) params = params.with_pushes();
  if (run.train) {
    const auto result = examples::train_camera_controller(config, params, run.training,
                                                          start_training_report(run.seed, "balanced"));
    std::ostringstream note;
    note << command << " --train --seed " << run.seed << " --train-iterations " << run.training.iterations
         << " --train-episodes " << run.training.episodes_per_iteration << (run.continuous ? "" : " --bang-bang");
    save_trained_weights(run.weights, result.weights, note.str(), "docs/cartpole-camera.md");
  }
  if (!std::filesystem::exists(run.weights)) {
    throw InputError(std::string(command) + ": weights file '" + run.weights +
                     "' does not exist (regenerate it with --train)");
  }
  const auto weights = examples::load_camera_weights(run.weights, config);

  Simulation simulation({.time = TimeBase{config.dt_ms}, .seed = run.seed, .mode = run.mode, .interrupt = &interrupt});
  auto& environment = examples::add_camera_controller(simulation, params, config, weights);
  std::ostringstream resolved;
  resolved << "example: cartpole-camera\nepisodes: " << run.episodes << "\nseed: " << run.seed
           << "\npushes: " << (run.pushes ? "true" : "false") << "\ncontinuous: " << (run.continuous ? "true" : "false")
           << "\nweights: " << run.weights << "\ndvs_threshold: " << config.dvs_threshold
           << "\ndvs_epsilon: " << config.dvs_epsilon << "\ndvs_refractory_ticks: " << config.dvs_refractory_ticks << "\ndvs_noise_rate_hz: " << config.dvs_noise_rate_hz
           << "\n";
  output.step_ticks = config.ticks_per_step;
  output.step_name = "control step";
  RunSession session(simulation, output, "example cartpole-camera", resolved.str());
  if (session.recorder() != nullptr) examples::add_camera_trace_probes(simulation, config);

  const EpisodesRun result =
      run_example_episodes(session, environment, run.episodes, config.ticks_per_step, simulation.now());
  const std::vector<EnergyReport>& reports = session.finish();
  std::cout << "balanced " << result.successes << "/" << run.episodes << " episodes (pushes "
            << (run.pushes ? "on" : "off") << ", " << (run.continuous ? "continuous" : "±10 N") << " actions, mode "
            << to_string(run.mode) << ", seed " << run.seed << ")\n";
  for (const EnergyReport& report : reports) print_energy_per_step(report, result.control_steps, run.episodes);
  if (!run.json_path.empty()) write_summary(run.json_path, run, result, reports);
  return exit_ok;
}

}  // namespace tandem::app
