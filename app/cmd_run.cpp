// `tandem run NETWORK`: a network file (YAML, docs/network-format.md) is read with its --set
// overrides, lowered onto the engines (io/network_builder.hpp) and run; the energy table is
// printed and the trace (--record) holds the resolved YAML in /meta.
#include <cmath>
#include <iostream>

#include "app/cli_options.hpp"
#include "app/progress.hpp"
#include "app/run_session.hpp"
#include "core/error.hpp"
#include "io/network_builder.hpp"
#include "io/network_file.hpp"

namespace tandem::app {

namespace {

// Run length: --ticks, else --duration-ms, else the file's simulation.ticks/duration_ms.
Tick run_ticks(const po::variables_map& values, const io::NetworkDescription& network) {
  if (values.count("ticks") && values.count("duration-ms")) throw InputError("run: give --ticks or --duration-ms, not both");
  if (values.count("ticks")) {
    const auto ticks = values["ticks"].as<std::int64_t>();
    if (ticks < 1) throw InputError("run: --ticks must be at least 1, got " + std::to_string(ticks));
    return ticks;
  }
  if (values.count("duration-ms")) {
    const double ms = values["duration-ms"].as<double>();
    const double ticks = ms / network.simulation.dt_ms;
    if (!std::isfinite(ms) || ms <= 0.0 || std::abs(ticks - std::round(ticks)) > 1e-9 * std::max(1.0, ticks)) {
      throw InputError("run: --duration-ms " + std::to_string(ms) + " must be a positive whole number of ticks (dt " +
                       std::to_string(network.simulation.dt_ms) + " ms)");
    }
    return static_cast<Tick>(std::llround(ticks));
  }
  if (network.simulation.ticks) return *network.simulation.ticks;
  throw InputError("run: " + network.source + " sets no duration; give --ticks N or --duration-ms T");
}

}  // namespace

int run_run_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  add_common_options(options);
  RunOutputOptions defaults;
  add_run_output_options(options, defaults);
  options.add_options()
    ("network", po::value<std::string>(), "network file (.yaml)")
    ("ticks", po::value<std::int64_t>(), "run length in ticks (overrides the file)")
    ("duration-ms", po::value<double>(), "run length in ms (overrides the file)")
    ("mode", po::value<std::string>(), "event | always-on (overrides the file)")
    ("seed", po::value<std::uint64_t>(), "random seed (overrides the file)")
    ("set", po::value<std::vector<std::string>>()->composing(), "override a value of the file: path.to.key=value");
  po::positional_options_description positional;
  positional.add("network", 1);
  po::variables_map values;
  const CommandHelp help{"tandem run NETWORK.yaml [options]",
                         "Read a network file (docs/network-format.md), apply --set overrides, build "
                         "the engines and run it; print the energy table, write the trace (--record) "
                         "and the energy report (--energy-report).",
                         "  tandem run examples/networks/hybrid_demo.yaml\n"
                         "  tandem run net.yaml --ticks 1000 --record run.h5 --set populations.exc.parameters.tau_m_ms=15\n"};
  if (!parse_command_line("run", args, options, positional, help, values)) return 0;
  if (!values.count("network")) throw InputError("run: give the network file, e.g. 'tandem run net.yaml'");

  std::vector<io::Override> overrides;
  if (values.count("set")) {
    for (const auto& text : values["set"].as<std::vector<std::string>>()) overrides.push_back(io::parse_override(text));
  }
  const auto network = io::load_network(values["network"].as<std::string>(), overrides);
  io::BuildOptions build_options;
  if (values.count("seed")) build_options.seed = values["seed"].as<std::uint64_t>();
  if (values.count("mode")) build_options.mode = parse_execution_mode(values["mode"].as<std::string>());
  const Tick ticks = run_ticks(values, network);
  auto built = io::build_network(network, build_options);

  RunOutputOptions output = run_output_options_from(values);
  if (values["chip"].defaulted() && !network.simulation.chip.empty()) output.chip = network.simulation.chip;
  // The file's probes go into the trace; without --record they have nowhere to go.
  if (!output.record_path.empty()) output.probes.insert(output.probes.begin(), built.probes.begin(), built.probes.end());
  RunSession session(*built.simulation, output, network.source, network.resolved_yaml);
  std::unique_ptr<ProgressReporter> progress;
  if (progress_wanted(output.quiet)) {
    progress = std::make_unique<ProgressReporter>(0, ticks, network.simulation.dt_ms, std::cerr);
    built.simulation->add_epoch_observer(progress->observer());
  }
  const int code = session.run_to_exit_code(ticks);
  if (progress) progress->finish();
  return code;
}

}  // namespace tandem::app
