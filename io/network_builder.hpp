// Lowering a validated network description (docs/network-format.md) onto the engines: one
// event engine ("snn") for inputs and populations, one bridge engine ("bridge"), one dense
// engine per precision ("ann", "ann_fixed", "ann_tianjic"), the environment, and the wires between them.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/external_engine.hpp"
#include "core/simulation.hpp"
#include "io/network_description.hpp"

namespace tandem::io {

// Run settings given on the command line win over the file's `simulation` section.
struct BuildOptions {
  std::optional<std::uint64_t> seed;
  std::optional<ExecutionMode> mode;
  std::optional<std::size_t> threads;
  // Replaces the network's default precision (simulation.precision); nodes that name their own keep it.
  std::optional<Precision> precision;
  // Checked per population and projection while building and, through the Simulation's
  // settings, after every epoch of the run; nullptr: not stoppable.
  const InterruptGuard* interrupt = nullptr;
  // A program steps the network and reads its `outputs` (the Python module's Simulation): every
  // output is wired (1 tick) to the external engine, which is then built even without external
  // inputs. Off, only `kind: external` inputs make one (and send nothing).
  bool external_outputs = false;
  // Several processes share the run (docs/mpi.md); nullptr: one.
  ProcessGroup* processes = nullptr;
};

struct BuiltNetwork {
  std::unique_ptr<Simulation> simulation;
  std::vector<Probe> probes;         // the file's `probes`, for the recorder
  std::vector<std::string> outputs;  // the file's `outputs` as "node" or "node.port"
  // The engine "external" (owned by `simulation`): the `kind: external` inputs, and the outputs
  // with BuildOptions::external_outputs; nullptr when the network has neither.
  ExternalEngine* external = nullptr;
};

// Engine name of the external engine.
inline constexpr const char* external_engine_name = "external";

// Builds the engines and wires. Every problem is an InputError "<file>: <key.path>: <problem>".
// Connections between engines (a layer's inputs, a bridge unit's input/output) are wires of
// 1 tick (the Simulation needs latency >= 1); an explicit wire between the same nodes sets it.
BuiltNetwork build_network(const NetworkDescription& network, const BuildOptions& options = {});

}  // namespace tandem::io
