// `tandem run NETWORK`: a network file (YAML, docs/network-format.md) is read with its --set
// overrides, lowered onto the engines (io/network_builder.hpp) and run; the energy table is
// printed and the trace (--record) holds the resolved YAML in /meta.
#include <algorithm>
#include <iostream>
#include <optional>

#include "ann/dense_engine.hpp"
#include "app/cli_options.hpp"
#include "app/network_run.hpp"
#include "app/process_partition.hpp"
#include "app/process_report.hpp"
#include "app/run_session.hpp"
#include "core/error.hpp"
#include "core/interrupt_guard.hpp"
#include "io/overrides.hpp"

namespace tandem::app {

namespace {

// Runs the prepared network through a RunSession with progress on a terminal; for a NIR file,
// a summary of its Output nodes.
int run_prepared(PreparedRun& run, ProcessGroup* processes) {
  RunSession session(*run.simulation, run.output, run.label, run.resolved);
  if (processes != nullptr) {
    session.start();  // builds the engines in neuron blocks and maps the network onto the chips
    share_neurons_by_chip(*processes, *run.simulation, session.mapping());
    describe_processes(*processes, *run.simulation, session.mapping().board());
  }
  session.show_progress(run.ticks);
  session.run(run.ticks);
  session.finish();
  if (run.nir_engine == nullptr || run.output.quiet) return exit_ok;
  for (const auto& [node, population] : run.nir_outputs) {
    std::uint64_t events = 0;
    for (const auto& counters : run.nir_engine->counters()) {
      if (counters.node == population) events = counters.executed[Op::spike];
    }
    const auto& pop = run.nir_engine->population(population);
    std::cout << "output " << node << (node == population ? "" : " (population " + population + ")") << ": " << events
              << (pop.graded() ? " non-zero values" : " spikes") << " in " << run.ticks << " ticks";
    if (pop.graded()) {
      const auto last = pop.values(0);
      std::cout << "; last v [";
      for (std::size_t i = 0; i < std::min<std::size_t>(last.size(), 10); ++i) std::cout << (i ? " " : "") << last[i];
      std::cout << (last.size() > 10 ? " ...]" : "]");
    }
    std::cout << "\n";
  }
  for (const auto& [node, readout] : run.nir_readouts) {
    const auto& dense = dynamic_cast<const ann::DenseEngine&>(run.simulation->engine(readout.engine));
    const Eigen::VectorXf& last = dense.output(readout.layer);
    std::cout << "output " << node << " (dense layer " << readout.layer << ", " << readout.width << " values per tick): last [";
    for (Eigen::Index i = 0; i < std::min<Eigen::Index>(last.size(), 10); ++i) std::cout << (i ? " " : "") << last[i];
    std::cout << (last.size() > 10 ? " ...]" : "]") << "\n";
  }
  return exit_ok;
}

template <typename T>
std::optional<T> given(const po::variables_map& values, const char* name) {
  if (values.count(name) == 0U || values[name].defaulted()) return std::nullopt;
  return values[name].as<T>();
}

// `tandem run` in one process (processes == nullptr) or as one of several (docs/mpi.md).
int run_network_command(const std::vector<std::string>& args, const InterruptGuard& interrupt, ProcessGroup* processes) {
  po::options_description options("options");
  add_common_options(options);
  RunOutputOptions defaults;
  add_run_output_options(options, defaults);
  options.add_options()
    ("network", po::value<std::string>(), "network file (.yaml)")
    ("ticks", po::value<std::int64_t>(), "run length in ticks (overrides the file)")
    ("duration-ms", po::value<double>(), "run length in ms (overrides the file)")
    ("mode", po::value<std::string>(), "event | always-on (overrides the file)")
    ("precision", po::value<std::string>(),
     "float32 | fixed | tianjic | loihi | native (the chip's own): the network's default precision, for "
     "every node that names none (overrides simulation.precision; docs/precision.md)")
    ("seed", po::value<std::uint64_t>(), "random seed (overrides the file)")
    ("set", po::value<std::vector<std::string>>()->composing(), "override a value of the file: path.to.key=value")
    ("dt-ms", po::value<double>()->default_value(0.1), "NIR only: tick length in ms (NIR stores no dt)")
    ("reset", po::value<std::string>()->default_value("zero"), "NIR only: zero (v <- v_reset) | subtract (v <- v - v_th)")
    ("input", po::value<std::vector<std::string>>()->composing(), "NIR only: NODE=FILE.csv or NODE=FILE.h5:/dataset [ticks x units]");
  po::positional_options_description positional;
  add_threads_option(options, " (overrides simulation.threads; default 1)");
  positional.add("network", 1);
  po::variables_map values;
  const CommandHelp help{"tandem run NETWORK.yaml|MODEL.nir [options]",
                         "Read a network file (docs/network-format.md), apply --set overrides, build "
                         "the engines and run it; or import a NIR graph onto the event engine "
                         "(docs/nir.md: --dt-ms, --reset, --input). Print the energy table, write the "
                         "trace (--record) and the energy report (--energy-report).",
                         "  tandem run examples/networks/hybrid_demo.yaml\n"
                         "  tandem run net.yaml --ticks 1000 --record run.h5 --set populations.exc.parameters.tau_m_ms=15\n"
                         "  tandem run lif.nir --dt-ms 0.1 --input input=current.csv --record run.h5\n"
                         "  mpirun -np 2 tandem run net.yaml --record run.h5   # several processes, same result (docs/mpi.md)\n"};
  if (!parse_command_line("run", args, options, positional, help, values)) return 0;
  if (!values.count("network")) throw InputError("run: give the network file, e.g. 'tandem run net.yaml'");
  NetworkRunRequest request;
  request.file = values["network"].as<std::string>();
  if (values.count("set")) {
    for (const auto& text : values["set"].as<std::vector<std::string>>()) request.overrides.push_back(io::parse_override(text));
  }
  request.ticks = given<std::int64_t>(values, "ticks");
  request.duration_ms = given<double>(values, "duration-ms");
  request.mode = given<std::string>(values, "mode");
  request.precision = given<std::string>(values, "precision");
  request.seed = given<std::uint64_t>(values, "seed");
  request.threads = given_threads(values, "run");
  request.dt_ms = given<double>(values, "dt-ms");
  request.reset = given<std::string>(values, "reset");
  if (values.count("input")) {
    for (const auto& text : values["input"].as<std::vector<std::string>>()) {
      const auto eq = text.find('=');
      if (eq == std::string::npos || eq == 0) throw InputError("run: --input '" + text + "' must be NODE=FILE");
      request.input_files.emplace_back(text.substr(0, eq), text.substr(eq + 1));
    }
  }
  request.chip_given = !values["chip"].defaulted();
  request.interrupt = &interrupt;
  request.processes = processes;
  auto run = prepare_network_run(request, run_output_options_from(values));
  const int code = run_prepared(run, processes);
  if (processes != nullptr) report_peak_memory(*processes);
  return code;
}

}  // namespace

int run_run_command(const std::vector<std::string>& args, const InterruptGuard& interrupt) {
  return run_network_command(args, interrupt, nullptr);
}

int run_run_command_on_processes(const std::vector<std::string>& args, const InterruptGuard& interrupt,
                                 ProcessGroup& processes) {
  return run_network_command(args, interrupt, &processes);
}

}  // namespace tandem::app
