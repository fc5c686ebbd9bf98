#include "bridge/bridge_engine.hpp"

#include <set>

#include "core/error.hpp"
#include "core/worker_pool.hpp"

namespace tandem::bridge {

namespace {

// Below this many channel conversions in an epoch (all units together), the units run on the
// calling thread: a conversion costs some ns, waking a worker µs (docs/threads.md).
constexpr std::uint64_t parallel_unit_conversions = 16384;

}  // namespace

BridgeEngine::BridgeEngine(std::string name, std::vector<std::unique_ptr<Unit>> units)
    : name_(std::move(name)), units_(std::move(units)) {
  if (name_.empty()) throw InputError("bridge engine: the name is empty");
  std::set<std::string> seen;
  for (const auto& unit : units_) {
    if (!unit) throw InputError("bridge engine '" + name_ + "': a unit is missing (null)");
    const UnitDescription& d = unit->description();
    if (!seen.insert(d.name).second) {
      throw InputError("bridge engine '" + name_ + "': two units are named '" + d.name + "'");
    }
    ports_.push_back(PortSpec{d.name + ".in", d.input_kind, PortDirection::in, d.input_width, d.name});
    ports_.push_back(PortSpec{d.name + ".out", d.output_kind, PortDirection::out, d.output_width, d.name});
    probes_.emplace_back(d);
  }
  reset_counters();
}

void BridgeEngine::reset_counters() {
  counters_.clear();
  for (const auto& unit : units_) {
    const UnitDescription& d = unit->description();
    NodeCounters c;
    c.node = d.name;
    c.kind = NodeKind::bridge;
    c.units = d.channels;
    c.fan_in = d.fan_in;
    counters_.push_back(std::move(c));
  }
}

void BridgeEngine::reset(const RunContext& context) {
  mode_ = context.mode;
  workers_ = context.workers;
  for (const auto& unit : units_) unit->reset(context);
  for (auto& probes : probes_) probes.reset();
  reset_counters();
}

void BridgeEngine::advance(const Epoch& epoch, const Mailbox& inbox, Mailbox& outbox) {
  // Units are independent (each reads its own input port, writes its own output port, counters and
  // probes, draws from its own streams), so several threads may take one unit each: what a unit
  // computes does not depend on who runs it. Worth it only for an epoch with enough conversions.
  const auto advance_unit = [&](std::size_t u) {
    const PortTraffic& in = inbox.port(2 * u);
    PortTraffic& out = outbox.port(2 * u + 1);
    OpCounts done;
    units_[u]->advance(epoch, in, out, mode_, done);
    counters_[u].executed += done;
    counters_[u].always_on += units_[u]->always_on(epoch.length(), done);
    probes_[u].capture(epoch, in, out);
  };
  std::uint64_t conversions = 0;
  for (const auto& unit : units_) conversions += unit->description().channels * static_cast<std::uint64_t>(epoch.length());
  if (workers_ != nullptr && units_.size() > 1 && conversions >= workers_->min_block(parallel_unit_conversions)) {
    workers_->run(units_.size(), advance_unit);
  } else {
    for (std::size_t u = 0; u < units_.size(); ++u) advance_unit(u);
  }
}

bool BridgeEngine::enroll_probe(const Probe& probe, Recorder& recorder) {
  for (std::size_t u = 0; u < units_.size(); ++u) {
    if (units_[u]->description().name == probe.node) {
      probes_[u].enroll(probe, recorder);
      return true;
    }
  }
  return false;
}

void BridgeEngine::record(Recorder& recorder) {
  for (auto& probes : probes_) probes.record(recorder);
}

std::vector<UnitDescription> BridgeEngine::descriptions() const {
  std::vector<UnitDescription> all;
  for (const auto& unit : units_) all.push_back(unit->description());
  return all;
}

}  // namespace tandem::bridge
