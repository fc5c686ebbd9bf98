// `tandem run NETWORK` as an API, shared by the command line (app/cmd_run.cpp) and the Python
// module (python/module.cpp): a network file (YAML) or NIR file with the run's settings becomes a
// built Simulation, its run length and the output options to run it through a RunSession.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/run_session.hpp"
#include "core/external_engine.hpp"
#include "core/precision.hpp"
#include "io/network_description.hpp"
#include "io/nir_dense_readout.hpp"
#include "neurons/event_engine.hpp"
#include "io/overrides.hpp"

namespace tandem::app {

// What `tandem run` takes besides the output options. Unset values: the file's own (network
// files) or the defaults of docs/cli.md. Errors name options as the command line spells them.
struct NetworkRunRequest {
  std::string file;                     // .yaml network file or .nir file
  std::vector<io::Override> overrides;  // --set (network files only)
  std::optional<std::int64_t> ticks;
  std::optional<double> duration_ms;
  std::optional<std::string> mode;       // event | always-on
  std::optional<std::string> precision;  // a precision's name or "native" (the chip's own)
  std::optional<std::uint64_t> seed;
  std::optional<std::size_t> threads;  // checked (core/worker_pool.hpp checked_thread_count)
  std::optional<double> dt_ms;        // NIR only (default 0.1)
  std::optional<std::string> reset;   // NIR only: zero | subtract
  // NIR only: an Input node's table, from a file (--input NODE=FILE) or given as values.
  std::vector<std::pair<std::string, std::string>> input_files;
  std::vector<std::pair<std::string, std::vector<double>>> input_tables;
  bool chip_given = false;  // the output options' chip was asked for (else the file's simulation.chip)
  const InterruptGuard* interrupt = nullptr;
  // A network a program described instead of a file (the Python module's tandem.Network), parsed
  // already; `file` then only labels it. Network files are read from `file` at every prepare.
  std::shared_ptr<const io::NetworkDescription> network;
  // The run is stepped by a program that reads the network's `outputs` (io::BuildOptions).
  bool external_outputs = false;
  // Several processes share the run (mpirun, docs/mpi.md); nullptr: one.
  ProcessGroup* processes = nullptr;
};

struct PreparedRun {
  std::unique_ptr<Simulation> simulation;
  neurons::EventEngine* nir_engine = nullptr;  // NIR files: the engine, for the Output nodes' summary
  ExternalEngine* external = nullptr;          // external inputs and outputs (io::BuiltNetwork::external)
  // NIR files: each Output node and the population whose events it gives.
  std::vector<std::pair<std::string, std::string>> nir_outputs;
  // NIR files: Output nodes computed by dense layers, by NIR name.
  std::map<std::string, io::NirReadoutPort> nir_readouts;
  RunOutputOptions output;              // the caller's, completed (chip, probes, pinned cores, build time)
  std::string label;                    // the file, as given
  std::string resolved;                 // the resolved configuration for /meta
  Tick ticks = 0;
};

// Reads, validates and builds the network; InputError "<file>: …" for every problem of the input.
PreparedRun prepare_network_run(const NetworkRunRequest& request, RunOutputOptions output);

// Reads and validates a network or NIR file without building a run (the Python module's load()).
void check_network_file(const NetworkRunRequest& request);

// Run length: `ticks`, else `duration_ms` (a whole number of the network's ticks), else the
// file's simulation.ticks; InputError naming the option otherwise.
Tick run_length_ticks(std::optional<std::int64_t> ticks, std::optional<double> duration_ms,
                      const io::NetworkDescription& network);

// A precision's name, or "native" for the chip's own (its preset's native_precision); an unknown
// name is an InputError "<command>: --precision: unknown precision …" listing the choices.
Precision precision_option(const std::string& text, const std::string& chip, const std::string& command = "run");

// --record without any probe: every population's spikes, unless the run is so large (neurons ×
// ticks above default_spike_record_limit) that even a modest rate would write gigabytes; what
// was and was not recorded is logged and noted for /meta "recorded".
constexpr double default_spike_record_limit = 1e9;  // neuron-ticks: at 1 % per tick, 1e7 spikes, 120 MB
void add_default_spike_probes(const io::NetworkDescription& network, Tick ticks, RunOutputOptions& output);

}  // namespace tandem::app
