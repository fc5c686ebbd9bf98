// Probes of the event engine: spikes and state variables of a population, buffered per epoch
// and appended as whole blocks. Stream layout: /snn/<pop>/spikes/{tick,index}, /snn/<pop>/state/<var>.
#include <algorithm>
#include <map>
#include <sstream>

#include "core/error.hpp"
#include "neurons/event_engine.hpp"
#include "neurons/event_engine_parts.hpp"

namespace tandem::neurons {

namespace {
std::string dt_text(double dt_ms) {
  std::ostringstream text;
  text.precision(17);
  text << dt_ms;
  return text.str();
}
}  // namespace

bool EventEngine::enroll_probe(const Probe& probe, Recorder& recorder) {
  std::size_t target = populations_.size();
  for (std::size_t p = 0; p < populations_.size(); ++p) {
    if (populations_[p]->population->name() == probe.node) target = p;
  }
  if (target == populations_.size()) return false;
  const PopulationBase& pop = *populations_[target]->population;
  const std::string where = "probe " + probe.node + "." + probe.variable;
  if (probe.every_ticks < 1) throw InputError(where + ": every_ticks must be >= 1");
  ProbeEntry entry;
  entry.target = target;
  entry.every = probe.every_ticks;
  entry.units = probe.units;
  std::string units_text = entry.units.empty() ? "all" : "";
  for (const std::uint32_t unit : entry.units) {
    if (unit >= pop.size()) {
      throw InputError(where + ": unit " + std::to_string(unit) + " is out of range (population '" + pop.name() +
                       "' has " + std::to_string(pop.size()) + " neurons)");
    }
    units_text += (units_text.empty() ? "" : ",") + std::to_string(unit);
  }
  std::map<std::string, std::string> attributes = {{"dt_ms", dt_text(time_.dt_ms())},
                                                {"every_ticks", std::to_string(entry.every)},
                                                {"first_tick", "0"},
                                                {"units", units_text}};
  const std::string base = "/snn/" + pop.name();
  if (probe.variable == "spikes") {
    entry.spikes = true;
    if (!entry.units.empty()) {
      entry.mask.assign(pop.size(), 0);
      for (const std::uint32_t unit : entry.units) entry.mask[unit] = 1;
    }
    attributes["unit"] = "tick";
    entry.tick_stream = recorder.enroll({base + "/spikes/tick", SampleType::int64, 0, attributes});
    attributes["unit"] = "1";
    entry.index_stream = recorder.enroll({base + "/spikes/index", SampleType::uint32, 0, attributes});
  } else {
    std::size_t variable = 0;
    try {
      variable = pop.variable_index(probe.variable);
    } catch (const InputError& error) {
      throw InputError(where + ": " + error.what());
    }
    entry.variable = variable;
    attributes["unit"] = std::string(pop.variables()[variable].unit);
    const std::size_t columns = entry.units.empty() ? pop.size() : entry.units.size();
    entry.state_stream = recorder.enroll({base + "/state/" + probe.variable, SampleType::float32, columns, attributes});
  }
  probes_.push_back(std::move(entry));
  return true;
}

void EventEngine::sample_probes(Tick tick, Sampled which) {
  for (ProbeEntry& probe : probes_) {
    const PopulationEntry& entry = *populations_[probe.target];
    if (probe.spikes != (which != Sampled::state) && which != Sampled::all) continue;
    if (probe.spikes) {
      for (const std::uint32_t i : entry.spikes) {
        if (!probe.mask.empty() && probe.mask[i] == 0) continue;
        probe.ticks.push_back(tick);
        probe.indices.push_back(i);
      }
      continue;
    }
    if (tick % probe.every != 0) continue;
    const auto values = entry.population->values(probe.variable);
    if (probe.units.empty()) {
      probe.samples.insert(probe.samples.end(), values.begin(), values.end());
    } else {
      for (const std::uint32_t unit : probe.units) probe.samples.push_back(values[unit]);
    }
  }
}

void EventEngine::record(Recorder& recorder) {
  for (ProbeEntry& probe : probes_) {
    if (probe.spikes) {
      if (!probe.ticks.empty()) {
        recorder.append(probe.tick_stream, std::span<const std::int64_t>(probe.ticks));
        recorder.append(probe.index_stream, std::span<const std::uint32_t>(probe.indices));
      }
    } else if (!probe.samples.empty()) {
      if (processes_ != nullptr && populations_[probe.target]->split) gather_state_samples(probe);
      recorder.append(probe.state_stream, std::span<const float>(probe.samples));
    }
    probe.ticks.clear();
    probe.indices.clear();
    probe.samples.clear();
  }
}

}  // namespace tandem::neurons
