#include "core/simulation.hpp"

#include <algorithm>
#include <numeric>

#include "core/error.hpp"
#include "core/interrupt_guard.hpp"
#include "core/process_group.hpp"
#include "core/topological_order.hpp"

namespace tandem {

// Ordering rules of one epoch [t0, t1) — the only place they are written down:
//
//  1. Every message sent at tick t over a wire of latency L arrives at tick t + L. Because an
//     epoch is never longer than the shortest non-zero wire latency, whatever is sent over such
//     a wire during [t0, t1) arrives at t1 or later: no engine can affect another through it
//     inside the epoch. Same-tick wires (latency 0) are the one exception, and they must not
//     form a loop: engines advance one after the other in an order where every same-tick
//     wire's source comes before its target (among engines not joined by one, the order they
//     were added). With that, the order cannot change any result.
//  2. Before an engine advances, its inbox receives every pending message whose arrival tick
//     lies in [t0, t1), then what same-tick wires carry from engines already advanced in this
//     epoch; spikes sorted by arrival tick (stable: equal ticks keep the order they were sent
//     in, by wire order then emission order) and frames likewise.
//  3. Inside an engine, a tick runs: inputs arriving at tick t are applied, then the state is
//     advanced from t to t + 1, then outputs are emitted stamped with tick t. Each engine
//     documents the details of its own tick against this rule.
//  4. After all engines advanced: outboxes are routed onto wires (into pending), engines
//     record their buffered probe data, then epoch observers (energy ledger, progress) run.
//  5. Only then is a pending Ctrl-C/SIGTERM acted on (settings.interrupt): a run stops between
//     epochs, never inside one, so whatever a stopped run recorded is whole.
struct Simulation::ResolvedWire {
  std::size_t from_engine;
  std::size_t from_port;
  std::size_t to_engine;
  std::size_t to_port;
  Tick latency_ticks;
  PortKind kind;
  // No later wire of latency >= 1 starts at the same output port (same-tick wires read the
  // outbox before the end-of-epoch routing and always copy).
  bool last_reader_of_port = true;
};

namespace {

std::string describe(const Wire& wire) {
  return "wire " + wire.from.engine + "." + wire.from.port + " -> " + wire.to.engine + "." +
         wire.to.port;
}

std::string_view kind_name(PortKind kind) { return kind == PortKind::spikes ? "spikes" : "dense"; }

// Puts spikes (frames) in tick order, stable: equal ticks keep the order they were sent in.
// They are almost always in order already (one wire, or wires of equal latency), so the sort
// runs only when several wires interleave.
void sort_by_tick(SpikeBatch& spikes) {
  if (std::is_sorted(spikes.tick.begin(), spikes.tick.end())) return;
  std::vector<std::size_t> order(spikes.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return spikes.tick[a] < spikes.tick[b]; });
  SpikeBatch sorted;
  sorted.tick.reserve(order.size());
  sorted.index.reserve(order.size());
  for (const std::size_t i : order) sorted.push(spikes.tick[i], spikes.index[i]);
  spikes = std::move(sorted);
}
void sort_by_tick(std::vector<DenseFrame>& frames) {
  const auto by_tick = [](const DenseFrame& a, const DenseFrame& b) { return a.tick < b.tick; };
  if (!std::is_sorted(frames.begin(), frames.end(), by_tick)) std::stable_sort(frames.begin(), frames.end(), by_tick);
}

// Moves entries of `pending` with arrival tick < end into `inbox`, keeping the rest.
void deliver_spikes(SpikeBatch& pending, SpikeBatch& inbox, Tick end) {
  if (pending.empty()) return;
  sort_by_tick(pending);
  const auto split = static_cast<std::size_t>(
      std::lower_bound(pending.tick.begin(), pending.tick.end(), end) - pending.tick.begin());
  if (split == 0) return;
  const auto tick_split = pending.tick.begin() + static_cast<std::ptrdiff_t>(split);
  const auto index_split = pending.index.begin() + static_cast<std::ptrdiff_t>(split);
  inbox.tick.insert(inbox.tick.end(), pending.tick.begin(), tick_split);
  inbox.index.insert(inbox.index.end(), pending.index.begin(), index_split);
  pending.tick.erase(pending.tick.begin(), tick_split);
  pending.index.erase(pending.index.begin(), index_split);
}

void deliver_frames(std::vector<DenseFrame>& pending, std::vector<DenseFrame>& inbox, Tick end) {
  if (pending.empty()) return;
  sort_by_tick(pending);
  const auto split = std::find_if(pending.begin(), pending.end(),
                                  [end](const DenseFrame& f) { return f.tick >= end; });
  std::move(pending.begin(), split, std::back_inserter(inbox));
  pending.erase(pending.begin(), split);
}

// Appends what a same-tick wire carries (emission ticks are arrival ticks) to `inbox`, keeping
// it in tick order (what arrived earlier in the inbox stays first among equal ticks).
void deliver_same_tick(const PortTraffic& sent, PortTraffic& inbox) {
  inbox.spikes.tick.insert(inbox.spikes.tick.end(), sent.spikes.tick.begin(), sent.spikes.tick.end());
  inbox.spikes.index.insert(inbox.spikes.index.end(), sent.spikes.index.begin(), sent.spikes.index.end());
  sort_by_tick(inbox.spikes);
  inbox.frames.insert(inbox.frames.end(), sent.frames.begin(), sent.frames.end());
  sort_by_tick(inbox.frames);
}

}  // namespace

Simulation::Simulation(SimulationSettings settings) : settings_(settings) {
  if (settings_.max_epoch_ticks < 1) throw InputError("max_epoch_ticks must be >= 1");
  checked_thread_count(static_cast<long long>(std::min<std::size_t>(settings_.threads, WorkerPool::max_threads + 1)), "threads");
  if (settings_.threads > 1) workers_ = std::make_unique<WorkerPool>(settings_.threads, settings_.split_small_work);
}

Simulation::~Simulation() = default;

Engine& Simulation::add(std::unique_ptr<Engine> engine) {
  if (!engine) throw InputError("cannot add a null engine");
  for (const auto& existing : engines_) {
    if (existing->name() == engine->name()) {
      throw InputError("two engines are named '" + std::string(engine->name()) + "'");
    }
  }
  engines_.push_back(std::move(engine));
  built_ = false;
  return *engines_.back();
}

void Simulation::connect(Wire wire) {
  wires_.push_back(std::move(wire));
  built_ = false;
}

void Simulation::set_recorder(Recorder* recorder) { recorder_ = recorder; }

void Simulation::add_probe(const Probe& probe) {
  if (recorder_ == nullptr) throw InputError("add_probe needs a recorder (set_recorder first)");
  if (probe.every_ticks < 1) {
    throw InputError("probe " + probe.node + "." + probe.variable + ": every_ticks must be >= 1");
  }
  for (const auto& engine : engines_) {
    if (engine->enroll_probe(probe, *recorder_)) return;
  }
  throw InputError("probe " + probe.node + "." + probe.variable + ": no node named '" + probe.node +
                   "'");
}

void Simulation::add_epoch_observer(EpochObserver observer) { observers_.push_back(std::move(observer)); }

Engine& Simulation::engine(std::string_view name) const {
  for (const auto& engine : engines_) {
    if (engine->name() == name) return *engine;
  }
  throw InputError("no engine named '" + std::string(name) + "'");
}

void Simulation::build() {
  auto find_engine = [&](const Wire& wire, const std::string& name) -> std::size_t {
    for (std::size_t i = 0; i < engines_.size(); ++i) {
      if (engines_[i]->name() == name) return i;
    }
    throw InputError(describe(wire) + ": no engine named '" + name + "'");
  };
  auto find_port = [&](const Wire& wire, std::size_t engine_index, const std::string& port,
                       PortDirection direction) -> std::size_t {
    const auto ports = engines_[engine_index]->ports();
    for (std::size_t i = 0; i < ports.size(); ++i) {
      if (ports[i].name != port) continue;
      if (ports[i].direction != direction) {
        throw InputError(describe(wire) + ": port '" + port + "' of '" +
                         std::string(engines_[engine_index]->name()) + "' is an " +
                         (direction == PortDirection::in ? "output" : "input") + " port");
      }
      return i;
    }
    throw InputError(describe(wire) + ": engine '" + std::string(engines_[engine_index]->name()) +
                     "' has no port '" + port + "'");
  };

  resolved_.clear();
  epoch_ticks_ = settings_.max_epoch_ticks;
  for (const auto& wire : wires_) {
    if (wire.latency_ticks < 0) {
      throw InputError(describe(wire) + ": latency must be 0 (same tick) or more ticks, got " +
                       std::to_string(wire.latency_ticks));
    }
    ResolvedWire r{};
    r.from_engine = find_engine(wire, wire.from.engine);
    r.to_engine = find_engine(wire, wire.to.engine);
    r.from_port = find_port(wire, r.from_engine, wire.from.port, PortDirection::out);
    r.to_port = find_port(wire, r.to_engine, wire.to.port, PortDirection::in);
    const PortSpec& from = engines_[r.from_engine]->ports()[r.from_port];
    const PortSpec& to = engines_[r.to_engine]->ports()[r.to_port];
    if (from.kind != to.kind) {
      throw InputError(describe(wire) + ": joins a " + std::string(kind_name(from.kind)) +
                       " port to a " + std::string(kind_name(to.kind)) + " port");
    }
    if (from.width != to.width) {
      throw InputError(describe(wire) + ": width mismatch, " + std::to_string(from.width) +
                       " units out vs " + std::to_string(to.width) + " units in");
    }
    r.latency_ticks = wire.latency_ticks;
    r.kind = from.kind;
    if (wire.latency_ticks > 0) {
      epoch_ticks_ = std::min(epoch_ticks_, wire.latency_ticks);
      for (ResolvedWire& earlier : resolved_) {
        if (earlier.latency_ticks > 0 && earlier.from_engine == r.from_engine && earlier.from_port == r.from_port) {
          earlier.last_reader_of_port = false;
        }
      }
    } else if (r.from_engine == r.to_engine) {
      throw InputError(describe(wire) + ": a same-tick wire (latency 0) cannot lead back to its own engine");
    }
    resolved_.push_back(r);
  }
  order_engines();
  inboxes_.clear();
  outboxes_.clear();
  pending_.clear();
  for (const auto& engine : engines_) {
    const std::size_t n = engine->ports().size();
    inboxes_.emplace_back(n);
    outboxes_.emplace_back(n);
    pending_.emplace_back(n);
  }
  const RunContext context{settings_.time, settings_.seed, settings_.mode, workers_.get(), settings_.processes};
  now_ = 0;
  for (const auto& engine : engines_) {
    engine->reset(context);
    if (settings_.interrupt != nullptr) settings_.interrupt->check("building " + std::string(engine->name()));
  }
  built_ = true;
}

void Simulation::order_engines() {
  std::vector<std::pair<std::size_t, std::size_t>> same_tick;
  for (const ResolvedWire& wire : resolved_) {
    if (wire.latency_ticks == 0) same_tick.emplace_back(wire.from_engine, wire.to_engine);
  }
  // Engines no same-tick wire joins keep the order they were added in.
  TopologicalOrder ordered = stable_topological_order(engines_.size(), same_tick);
  if (!ordered.complete()) {
    std::string loop;
    for (const auto& [from, to] : same_tick) {
      if (!ordered.placed[from] && !ordered.placed[to]) {
        loop += (loop.empty() ? "" : ", ") + std::string(engines_[from]->name()) + " -> " + std::string(engines_[to]->name());
      }
    }
    throw InputError("same-tick wires (latency 0) form a loop (" + loop +
                     "): an engine would need its own output of this tick; give one of them a latency of 1");
  }
  order_ = std::move(ordered.order);
}

void Simulation::reset() { build(); }

void Simulation::run(Tick ticks) {
  if (ticks < 0) throw InputError("cannot run for a negative number of ticks");
  if (!built_) build();
  const Tick stop = now_ + ticks;
  while (now_ < stop) {
    const Epoch epoch{now_, std::min(stop, now_ + epoch_ticks_)};
    advance_epoch(epoch);
    now_ = epoch.end;
    check_interrupt();
  }
}

void Simulation::advance_epoch(const Epoch& epoch) {
  for (const std::size_t e : order_) {
    Mailbox& inbox = inboxes_[e];
    Mailbox& pending = pending_[e];
    inbox.clear();
    for (std::size_t p = 0; p < pending.port_count(); ++p) {
      deliver_spikes(pending.port(p).spikes, inbox.port(p).spikes, epoch.end);
      deliver_frames(pending.port(p).frames, inbox.port(p).frames, epoch.end);
    }
    for (const ResolvedWire& wire : resolved_) {
      if (wire.latency_ticks == 0 && wire.to_engine == e) {
        deliver_same_tick(outboxes_[wire.from_engine].port(wire.from_port), inbox.port(wire.to_port));
      }
    }
    outboxes_[e].clear();
    engines_[e]->advance(epoch, inbox, outboxes_[e]);
  }
  for (const ResolvedWire& wire : resolved_) {
    if (wire.latency_ticks == 0) continue;  // delivered before its target advanced
    const PortTraffic& sent = outboxes_[wire.from_engine].port(wire.from_port);
    PortTraffic& target = pending_[wire.to_engine].port(wire.to_port);
    if (wire.kind == PortKind::spikes) {
      for (std::size_t i = 0; i < sent.spikes.size(); ++i) {
        target.spikes.push(sent.spikes.tick[i] + wire.latency_ticks, sent.spikes.index[i]);
      }
    } else if (wire.last_reader_of_port) {
      // No later wire reads this port in this epoch: the frames can be moved, not copied.
      for (DenseFrame& frame : outboxes_[wire.from_engine].port(wire.from_port).frames) {
        target.frames.push_back(DenseFrame{frame.tick + wire.latency_ticks, std::move(frame.values)});
      }
    } else {
      for (const DenseFrame& frame : sent.frames) {
        target.frames.push_back(DenseFrame{frame.tick + wire.latency_ticks, frame.values});
      }
    }
  }
  if (recorder_ != nullptr) {
    for (const auto& engine : engines_) engine->record(*recorder_);
  }
  for (const auto& observer : observers_) observer(epoch);
}

void Simulation::check_interrupt() const {
  if (settings_.processes == nullptr) {
    if (settings_.interrupt != nullptr) settings_.interrupt->check(now_);
    return;
  }
  // A signal reaches the processes at different moments: the largest pending signal number of
  // all of them decides, so every process stops after this same epoch (or none does).
  std::uint64_t signal_number = settings_.interrupt != nullptr ? static_cast<std::uint64_t>(settings_.interrupt->pending_signal()) : 0;
  settings_.processes->max(std::span<std::uint64_t>(&signal_number, 1));
  if (signal_number == 0) return;
  const int number = static_cast<int>(signal_number);
  throw RunInterrupted(number, "interrupted by " + signal_name(number) + " after " + std::to_string(now_) + " ticks");
}

std::vector<NodeCounters> Simulation::counters() const {
  std::vector<NodeCounters> all;
  for (const auto& engine : engines_) {
    const auto counters = engine->counters();
    all.insert(all.end(), counters.begin(), counters.end());
  }
  return all;
}

}  // namespace tandem
