// The Simulation owns the engines, the wires between their ports and the recorder, and
// advances them together in epochs. The ordering rules of a tick are written once, in
// simulation.cpp.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/engine.hpp"
#include "core/interrupt_guard.hpp"
#include "core/worker_pool.hpp"

namespace tandem {

struct PortRef {
  std::string engine;
  std::string port;
};

// Joins an output port to an input port. Whatever leaves `from` at tick t arrives at `to`
// at tick t + latency_ticks. A latency >= 1 is what lets engines advance an epoch
// independently; latency 0 (a same-tick wire, e.g. a readout computed in the tick its inputs
// spike, as NIR's reference does) orders its two engines instead, and such wires must not
// form a loop (rule 1 in simulation.cpp).
struct Wire {
  PortRef from;
  PortRef to;
  Tick latency_ticks = 1;
};

struct SimulationSettings {
  TimeBase time{1.0};
  std::uint64_t seed = 1;
  ExecutionMode mode = ExecutionMode::event;
  // Upper bound on an epoch even when wire latencies would allow longer ones: it bounds the
  // per-epoch buffers (and so memory while recording) and the spacing of checkpoints.
  Tick max_epoch_ticks = 100;
  // Threads the engines spread their loops over (1: none started). Results are the same for
  // any count (docs/threads.md); InputError outside [1, WorkerPool::max_threads].
  std::size_t threads = 1;
  // The pool splits even the smallest loops (WorkerPool's split_small_work): for tests of the
  // partition on small networks; runs leave it off.
  bool split_small_work = false;
  // Checked after every engine reset in build() and after every epoch in run() (once the
  // epoch is recorded and observed): a pending signal throws RunInterrupted there, so the
  // simulation always stops on an epoch boundary. nullptr: the run cannot be interrupted.
  const InterruptGuard* interrupt = nullptr;
  // Several processes running this simulation together (docs/mpi.md), owned by the program;
  // nullptr: one. The decision to stop after an epoch is then taken together, so that every
  // process stops after the same epoch.
  ProcessGroup* processes = nullptr;
};

// Called after every epoch, once all engines have advanced and recorded it.
using EpochObserver = std::function<void(const Epoch&)>;

class Simulation {
 public:
  explicit Simulation(SimulationSettings settings);
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  // Adds an engine; names must be unique. Returns a reference that stays valid.
  Engine& add(std::unique_ptr<Engine> engine);
  template <typename EngineType>
  EngineType& add_engine(std::unique_ptr<EngineType> engine) {
    EngineType& ref = *engine;
    add(std::move(engine));
    return ref;
  }
  void connect(Wire wire);
  // Routes probes to the engine that owns the node; InputError when none does.
  void set_recorder(Recorder* recorder);
  void add_probe(const Probe& probe);
  void add_epoch_observer(EpochObserver observer);

  // Checks every wire (engines and ports exist, direction, kind and width agree, latency >= 0,
  // no loop of same-tick wires)
  // and resets all engines. Called by run() if needed; call it to check a graph early.
  void build();
  // Advances by `ticks` from the current time (runs can be continued).
  void run(Tick ticks);
  // Back to tick 0, engines reset, pending messages dropped.
  void reset();

  [[nodiscard]] Tick now() const { return now_; }
  [[nodiscard]] Tick epoch_ticks() const { return epoch_ticks_; }
  [[nodiscard]] const SimulationSettings& settings() const { return settings_; }
  // Replaces settings().interrupt: a program that runs the simulation in steps installs a guard
  // for each step only (the Python module), so Ctrl-C between steps stays its own.
  void set_interrupt(const InterruptGuard* interrupt) { settings_.interrupt = interrupt; }
  [[nodiscard]] const std::vector<std::unique_ptr<Engine>>& engines() const { return engines_; }
  [[nodiscard]] const std::vector<Wire>& wires() const { return wires_; }
  [[nodiscard]] Engine& engine(std::string_view name) const;
  // Counters of every node of every engine, in engine order.
  [[nodiscard]] std::vector<NodeCounters> counters() const;

 private:
  struct ResolvedWire;
  void advance_epoch(const Epoch& epoch);
  // After an epoch: throws RunInterrupted when a signal arrived (on any process).
  void check_interrupt() const;
  // order_: the engines in the order they advance (same-tick wires' sources first).
  void order_engines();

  SimulationSettings settings_;
  std::unique_ptr<WorkerPool> workers_;  // threads > 1
  std::vector<std::unique_ptr<Engine>> engines_;
  std::vector<Wire> wires_;
  std::vector<ResolvedWire> resolved_;
  std::vector<std::size_t> order_;
  std::vector<Mailbox> inboxes_;   // per engine, what arrives in the current epoch
  std::vector<Mailbox> outboxes_;  // per engine, what was emitted in the current epoch
  std::vector<Mailbox> pending_;   // per engine, what has been sent but not yet arrived
  std::vector<EpochObserver> observers_;
  Recorder* recorder_ = nullptr;
  Tick epoch_ticks_ = 1;
  Tick now_ = 0;
  bool built_ = false;
};

}  // namespace tandem
