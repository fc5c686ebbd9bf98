#include "core/energy_ledger.hpp"

#include <algorithm>
#include <limits>
#include <utility>

#include "core/error.hpp"
#include "core/simulation.hpp"

namespace tandem {
namespace {

// The share of a node's always-on work it executed in a window, by the op that is its unit of
// work: neuron updates of a population, synaptic ops of a projection, MACs of a dense layer,
// conversions of a bridge unit, events of an input. NaN when the always-on run does none.
double active_fraction(NodeKind kind, const OpCounts& executed, const OpCounts& always_on) {
  const auto share = [](std::uint64_t done, std::uint64_t all) {
    return all == 0 ? std::numeric_limits<double>::quiet_NaN() : static_cast<double>(done) / static_cast<double>(all);
  };
  switch (kind) {
    case NodeKind::spiking: return share(executed[Op::neuron_update], always_on[Op::neuron_update]);
    case NodeKind::projection: return share(executed[Op::synaptic_op], always_on[Op::synaptic_op]);
    case NodeKind::dense: return share(executed[Op::mac], always_on[Op::mac]);
    case NodeKind::bridge:
      return share(executed[Op::encoder_conversion] + executed[Op::decoder_conversion],
                   always_on[Op::encoder_conversion] + always_on[Op::decoder_conversion]);
    case NodeKind::input: return share(executed[Op::input_event] + executed[Op::spike], always_on[Op::input_event] + always_on[Op::spike]);
    case NodeKind::environment: break;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

// Adds the routed traffic of a node's output events to its op counts.
void add_route(OpCounts& ops, const RouteCounts& route) {
  ops.add(Op::packet, route.packets);
  ops.add(Op::hop, route.hops());
}

// At tick 0 the graph is built (engines reset) first, so that engines which set up their nodes
// in reset() report them to the mapping; run() does not build again.
Simulation& built_at_start(Simulation& simulation) {
  if (simulation.now() == 0) simulation.build();
  return simulation;
}

// A projection's source units × target units: the synapses an all-to-all projection would have.
// The source is the node that names the projection among its targets.
double possible_synapses(const std::vector<NodeCounters>& counters, const NodeCounters& projection) {
  std::size_t source_units = 0;
  std::size_t target_units = 0;
  for (const NodeCounters& node : counters) {
    if (std::find(node.targets.begin(), node.targets.end(), projection.node) != node.targets.end()) {
      source_units = node.units;
    }
    if (!projection.targets.empty() && node.node == projection.targets.front()) target_units = node.units;
  }
  return static_cast<double>(source_units) * static_cast<double>(target_units);
}

}  // namespace

Pacing parse_pacing(const std::string& text) {
  if (text == "real-time") return Pacing::real_time;
  if (text == "free-running") return Pacing::free_running;
  throw InputError("--pacing '" + text + "': expected real-time or free-running");
}

std::string_view to_string(Pacing pacing) {
  return pacing == Pacing::real_time ? "real-time" : "free-running";
}

double NodeEnergy::ratio() const {
  const double baseline = always_on_energy_j();
  const double event = energy_j();
  if (baseline == 0.0) return event == 0.0 ? 1.0 : std::numeric_limits<double>::infinity();
  return event / baseline;
}

double NodeEnergy::dynamic_ratio() const {
  if (always_on_dynamic_j == 0.0) return dynamic_j == 0.0 ? 1.0 : std::numeric_limits<double>::infinity();
  return dynamic_j / always_on_dynamic_j;
}

NodeEnergy& NodeEnergy::operator+=(const NodeEnergy& other) {
  units += other.units;
  cores += other.cores;
  weight_bytes += other.weight_bytes;
  state_bytes += other.state_bytes;
  possible_synapses += other.possible_synapses;
  executed += other.executed;
  always_on += other.always_on;
  executed_route += other.executed_route;
  always_on_route += other.always_on_route;
  dynamic_j += other.dynamic_j;
  static_j += other.static_j;
  always_on_dynamic_j += other.always_on_dynamic_j;
  always_on_static_j += other.always_on_static_j;
  return *this;
}

EnergyLedger::EnergyLedger(Simulation& simulation, const ChipModel& chip,
                           EnergyLedgerSettings settings, Recorder* recorder)
    : simulation_(built_at_start(simulation)),
      model_(chip),
      settings_(settings),
      recorder_(recorder),
      time_(simulation.settings().time),
      mode_(simulation.settings().mode),
      mapping_(simulation_.counters(), traffic_edges(simulation_), chip, settings.board, settings.placement,
               settings.pinned, settings.host_offload),
      clock_(chip, mapping_) {
  if (settings_.window_ticks < 1) throw InputError("energy ledger: window_ticks must be >= 1");
  if (settings_.pacing == Pacing::free_running && !chip.timing.modelled) {
    throw InputError("--pacing free-running: chip '" + chip.name +
                     "' has no timing model (a `timing` block, docs/energy.md \"Time\"), so its tick time is unknown");
  }
  const std::vector<NodeCounters> counters = simulation.counters();
  for (const NodeCounters& counter : counters) {
    if (counter.node == "total" || counter.node == "always_on") {
      throw InputError("energy ledger: a node may not be named '" + counter.node +
                       "' (reserved under /energy/)");
    }
    NodeEnergy node;
    node.node = counter.node;
    node.kind = counter.kind;
    node.units = counter.units;
    node.cores = mapping_.core_share(nodes_.size());
    node.on_host = mapping_.on_host(nodes_.size());
    node.weight_bytes = counter.synapse_memory_bytes;
    node.state_bytes = counter.state_bytes;
    node.precision = counter.precision;
    node.quantisation = counter.quantisation;
    if (counter.kind == NodeKind::projection) node.possible_synapses = possible_synapses(counters, counter);
    nodes_.push_back(node);
    // Counters since the engines' last reset; at tick 0 a later build() resets them to zero.
    last_executed_.push_back(simulation.now() == 0 ? OpCounts{} : counter.executed);
    last_always_on_.push_back(simulation.now() == 0 ? OpCounts{} : counter.always_on);
  }
  epoch_executed_.resize(nodes_.size());
  window_executed_.resize(nodes_.size());
  window_always_on_.resize(nodes_.size());
  epoch_always_on_.resize(nodes_.size());
  epoch_transfers_.resize(nodes_.size());
  epoch_always_on_transfers_.resize(nodes_.size());
  window_static_j_.assign(nodes_.size(), 0.0);
  window_always_on_static_j_.assign(nodes_.size(), 0.0);
  start_tick_ = checkpoint_tick_ = latest_tick_ = simulation.now();
  if (recorder_ != nullptr) enroll_streams();
  simulation.add_epoch_observer([this](const Epoch& epoch) { on_epoch(epoch); });
}

void EnergyLedger::enroll_streams() {
  auto enroll = [&](const std::string& path, const std::string& unit) {
    StreamSpec spec{path, SampleType::float64, 0, {{"unit", unit}}};
    spec.attributes["window_ticks"] = std::to_string(settings_.window_ticks);
    return recorder_->enroll(spec);
  };
  for (const NodeEnergy& node : nodes_) {
    std::vector<StreamId> streams;
    for (std::size_t i = 0; i < op_kind_count; ++i) {
      streams.push_back(enroll("/energy/" + node.node + "/" + std::string(op_name(static_cast<Op>(i))), "count"));
    }
    streams.push_back(enroll("/energy/" + node.node + "/energy_j", "J"));
    streams.push_back(enroll("/energy/always_on/" + node.node + "/energy_j", "J"));
    streams.push_back(enroll("/energy/" + node.node + "/active_fraction", "1"));
    node_streams_.push_back(std::move(streams));
  }
  total_streams_ = {enroll("/energy/total/energy_j", "J"), enroll("/energy/always_on/total/energy_j", "J"),
                    enroll("/energy/total/static_j", "J"), enroll("/energy/total/power_w", "W"),
                    enroll("/energy/total/link_j", "J")};
  time_streams_ = {enroll("/energy/time/chip_time_s", "s"), enroll("/energy/time/tick_max_s", "s"),
                   enroll("/energy/time/duration_s", "s"), enroll("/energy/time/link_time_s", "s")};
  window_end_stream_ = recorder_->enroll(StreamSpec{"/energy/window_end_tick", SampleType::int64, 0, {{"unit", "tick"}}});
  recorder_->write_metadata("energy_chip", model_.chip().name);
}

void EnergyLedger::on_epoch(const Epoch& epoch) {
  account_epoch(epoch.end - epoch.begin);
  latest_tick_ = epoch.end;
  if (epoch.end - checkpoint_tick_ >= settings_.window_ticks) checkpoint(epoch.end);
}

void EnergyLedger::account_epoch(Tick ticks) {
  std::size_t i = 0;
  for (const auto& engine : simulation_.engines()) {
    for (const NodeCounters& counter : engine->counters()) {
      if (i == nodes_.size()) throw RunError("energy ledger: the network's nodes changed during the run");
      epoch_executed_[i] = counter.executed - last_executed_[i];
      epoch_always_on_[i] = counter.always_on - last_always_on_[i];
      last_executed_[i] = counter.executed;
      last_always_on_[i] = counter.always_on;
      window_executed_[i] += epoch_executed_[i];
      window_always_on_[i] += epoch_always_on_[i];
      nodes_[i].approximation_error = counter.approximation_error;
      // Packets out are part of a core's work (their hops are the mesh's transit), transfers to or
      // from the host part of the host's.
      const RouteCounts executed_route = mapping_.route(i, epoch_executed_[i][Op::spike]);
      const RouteCounts always_on_route = mapping_.route(i, epoch_always_on_[i][Op::spike]);
      epoch_executed_[i].add(Op::packet, executed_route.packets);
      epoch_always_on_[i].add(Op::packet, always_on_route.packets);
      epoch_transfers_[i] = executed_route.host_transfers;
      epoch_always_on_transfers_[i] = always_on_route.host_transfers;
      ++i;
    }
  }
  if (i != nodes_.size()) throw RunError("energy ledger: the network's nodes changed during the run");
  account_static(clock_.add_epoch(epoch_executed_, epoch_transfers_, ticks), ticks, run_time_, window_time_, &NodeEnergy::static_j,
                 window_static_j_);
  account_static(clock_.add_epoch(epoch_always_on_, epoch_always_on_transfers_, ticks), ticks, always_on_run_time_, window_always_on_time_,
                 &NodeEnergy::always_on_static_j, window_always_on_static_j_);
}

void EnergyLedger::account_static(const EpochChipTime& epoch, Tick ticks, ChipRunTime& run, ChipRunTime& window,
                                  double NodeEnergy::*node_static, std::vector<double>& window_node_static) {
  const double dt_s = time_.ms_from_ticks(1) * 1e-3;
  const double tick_s = settings_.pacing == Pacing::free_running ? epoch.tick_s : std::max(dt_s, epoch.tick_s);
  const double seconds = tick_s * static_cast<double>(ticks);
  for (std::size_t core = 0; core < mapping_.cores_used(); ++core) {
    const double joules = model_.core_static_j(clock_.core_working(core), seconds);
    for (const auto& [node, share] : mapping_.core_nodes(core)) {
      nodes_[node].*node_static += joules * share;
      window_node_static[node] += joules * share;
    }
  }
  const double unused_j = model_.unused_cores_static_j(mapping_.cores_available() - mapping_.cores_used(), seconds);
  for (ChipRunTime* time : {&run, &window}) {
    time->chip_time_s += epoch.tick_s * static_cast<double>(ticks);
    time->link_time_s += epoch.link_s * static_cast<double>(ticks);
    time->tick_max_s = std::max(time->tick_max_s, epoch.tick_s);
    time->duration_s += seconds;
    time->core_ticks_working += epoch.cores_working * ticks;
    time->core_ticks_idle += (mapping_.cores_used() - epoch.cores_working) * ticks;
    time->unused_cores_static_j += unused_j;
  }
}

void EnergyLedger::finish() {
  if (latest_tick_ > checkpoint_tick_) checkpoint(latest_tick_);
}

void EnergyLedger::checkpoint(Tick at) {
  double total_j = window_time_.unused_cores_static_j;
  double total_always_on_j = window_always_on_time_.unused_cores_static_j;
  double total_static_j = window_time_.unused_cores_static_j;
  double total_link_j = 0.0;  // inter-chip link crossings, part of the dynamic energy
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    NodeEnergy& node = nodes_[i];
    OpCounts executed = std::exchange(window_executed_[i], OpCounts{});
    OpCounts always_on = std::exchange(window_always_on_[i], OpCounts{});
    const RouteCounts executed_route = mapping_.route(i, executed[Op::spike]);
    const RouteCounts always_on_route = mapping_.route(i, always_on[Op::spike]);
    add_route(executed, executed_route);
    add_route(always_on, always_on_route);
    const double dynamic_j = model_.dynamic_energy_j(executed, executed_route, node.on_host);
    const double always_on_dynamic_j = model_.dynamic_energy_j(always_on, always_on_route, node.on_host);
    const double static_j = std::exchange(window_static_j_[i], 0.0);
    const double always_on_static_j = std::exchange(window_always_on_static_j_[i], 0.0);
    node.executed += executed;
    node.always_on += always_on;
    node.executed_route += executed_route;
    node.always_on_route += always_on_route;
    node.dynamic_j += dynamic_j;
    node.always_on_dynamic_j += always_on_dynamic_j;
    total_j += dynamic_j + static_j;
    total_always_on_j += always_on_dynamic_j + always_on_static_j;
    total_static_j += static_j;
    total_link_j += model_.link_energy_j(executed_route);
    if (recorder_ != nullptr) {
      const auto& streams = node_streams_[i];
      for (std::size_t op = 0; op < op_kind_count; ++op) {
        const double value = static_cast<double>(executed.value[op]);
        recorder_->append(streams[op], std::span<const double>(&value, 1));
      }
      const double energy = dynamic_j + static_j;
      const double baseline = always_on_dynamic_j + always_on_static_j;
      recorder_->append(streams[op_kind_count], std::span<const double>(&energy, 1));
      recorder_->append(streams[op_kind_count + 1], std::span<const double>(&baseline, 1));
      const double active = active_fraction(node.kind, executed, always_on);
      recorder_->append(streams[op_kind_count + 2], std::span<const double>(&active, 1));
    }
  }
  if (recorder_ != nullptr) {
    recorder_->append(total_streams_[0], std::span<const double>(&total_j, 1));
    recorder_->append(total_streams_[1], std::span<const double>(&total_always_on_j, 1));
    recorder_->append(total_streams_[2], std::span<const double>(&total_static_j, 1));
    const double power_w = window_time_.duration_s > 0.0 ? total_j / window_time_.duration_s : 0.0;
    recorder_->append(total_streams_[3], std::span<const double>(&power_w, 1));
    recorder_->append(total_streams_[4], std::span<const double>(&total_link_j, 1));
    for (const auto& [stream, value] : {std::pair{time_streams_[0], window_time_.chip_time_s},
                                        std::pair{time_streams_[1], window_time_.tick_max_s},
                                        std::pair{time_streams_[2], window_time_.duration_s},
                                        std::pair{time_streams_[3], window_time_.link_time_s}}) {
      recorder_->append(stream, std::span<const double>(&value, 1));
    }
    const std::int64_t end = at;
    recorder_->append(*window_end_stream_, std::span<const std::int64_t>(&end, 1));
  }
  window_time_ = {};
  window_always_on_time_ = {};
  checkpoint_tick_ = at;
  ++windows_;
}

NodeEnergy EnergyLedger::total() const {
  NodeEnergy sum;
  sum.node = "total";
  for (const NodeEnergy& node : nodes_) sum += node;
  sum.static_j += run_time_.unused_cores_static_j;
  sum.always_on_static_j += always_on_run_time_.unused_cores_static_j;
  return sum;
}

}  // namespace tandem
