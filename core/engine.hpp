// The one interface every engine implements — the event engine, the dense engine, the bridge,
// closed-loop environments. The Simulation only ever talks to engines through it.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "core/execution_mode.hpp"
#include "core/op_counts.hpp"
#include "core/payload.hpp"
#include "core/recorder.hpp"
#include "core/time.hpp"

namespace tandem {

class WorkerPool;
class ProcessGroup;

// Everything an engine needs to start a run from its initial state.
struct RunContext {
  TimeBase time;
  std::uint64_t seed = 1;
  ExecutionMode mode = ExecutionMode::event;
  // Threads an engine may spread its loops over (core/worker_pool.hpp), owned by the Simulation;
  // nullptr: the calling thread alone. It changes no result (docs/threads.md).
  WorkerPool* workers = nullptr;
  // The processes sharing this run (core/process_group.hpp, docs/mpi.md), owned by the program;
  // nullptr: one process. An engine that does not split its work runs replicated on each.
  ProcessGroup* processes = nullptr;
};

class Engine {
 public:
  virtual ~Engine() = default;

  [[nodiscard]] virtual std::string_view name() const = 0;
  // Fixed once the engine is constructed; Mailbox indices follow this list.
  [[nodiscard]] virtual std::span<const PortSpec> ports() const = 0;
  // Returns to the initial state for a run with this context (seeded, deterministic).
  virtual void reset(const RunContext& context) = 0;
  // Advances through [epoch.begin, epoch.end). `inbox` holds what arrives on input ports
  // during the epoch, sorted by tick; outputs go to `outbox` stamped with emission ticks.
  // Kernels count into counters(); they never log, do I/O or compute joules.
  virtual void advance(const Epoch& epoch, const Mailbox& inbox, Mailbox& outbox) = 0;
  // Per-node counters since the last reset.
  [[nodiscard]] virtual std::span<const NodeCounters> counters() const = 0;
  // Asks the engine to record a probe. Returns false when `probe.node` is not one of this
  // engine's nodes; throws InputError when the node is its own but the variable or units
  // are not. Streams are enrolled on `recorder` here.
  virtual bool enroll_probe(const Probe& probe, Recorder& recorder) = 0;
  // Appends what was buffered for enrolled probes during the last epoch, as whole blocks.
  virtual void record(Recorder& recorder) = 0;
};

}  // namespace tandem
