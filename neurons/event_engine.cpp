#include "neurons/event_engine.hpp"
#include "neurons/event_engine_parts.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <chrono>
#include <cstdio>

#include "core/error.hpp"
#include "neurons/spike_sources.hpp"

namespace tandem::neurons {

// One tick t of the engine (rule 3 of the Simulation, in detail):
//  1. inputs for t are added to each population's input row t, in this fixed order: Poisson
//     inputs, spike ports, dense ports (held frames), currents — each in the order they were added.
//     Synaptic input for t was already added to row t when the sources spiked (t − delay).
//     Poisson counts depend on nothing but the seed, so a sub-epoch draws them all at its start.
//  2. populations step in the order they were added, reading and clearing row t; a neuron's
//     spikes are listed in ascending index order (a graded population lists its events).
//  3. right after it steps, a population's spikes go through its outgoing projections (in the
//     order connected) into rows t + delay of the targets: event mode walks only the rows of the
//     sources that spiked; always-on reads every row and adds only the spiking sources' rows,
//     so both add the same values in the same order. A same-tick projection (delay 0) reaches
//     a population stepped later in this tick; delay >= 1 rows are read in later ticks, so each
//     row still receives its inputs in population order.
//  4. spikes leave on "<pop>.spikes" stamped t; probes sample state at the end of t.
// Without same-tick projections, step 3 waits for the end of the sub-epoch (advance_sub_epochs):
// a spike is first read `delay` ticks later, and each row still receives its terms in this order.

EventEngine::EventEngine(std::string name, TimeBase time) : name_(std::move(name)), time_(time) {}
EventEngine::~EventEngine() = default;

std::size_t EventEngine::population_index(std::string_view name, std::string_view what) const {
  for (std::size_t p = 0; p < populations_.size(); ++p) {
    if (populations_[p]->population->name() == name) return p;
  }
  throw InputError("engine '" + name_ + "': " + std::string(what) + ": no population named '" + std::string(name) + "'");
}

PopulationBase& EventEngine::add_population(std::unique_ptr<PopulationBase> population) {
  if (!population) throw InputError("engine '" + name_ + "': null population");
  for (const auto& entry : populations_) {
    if (entry->population->name() == population->name()) {
      throw InputError("engine '" + name_ + "': population '" + population->name() + "' is defined twice");
    }
  }
  if (population->size() > 0xFFFFFFFFULL) throw InputError("population '" + population->name() + "' is too large");
  auto entry = std::make_unique<PopulationEntry>();
  entry->out_port = ports_.size();
  ports_.push_back(PortSpec{population->name() + ".spikes", PortKind::spikes, PortDirection::out, population->size(),
                            population->name()});
  entry->population = std::move(population);
  populations_.push_back(std::move(entry));
  built_ = false;
  return *populations_.back()->population;
}

PopulationBase& EventEngine::add_poisson_group(const std::string& name, std::size_t size, double rate_hz) {
  return add_population(std::make_unique<PoissonGroup>(name, size, rate_hz, time_));
}

PopulationBase& EventEngine::add_spike_generator(const std::string& name, std::size_t size,
                                                 std::vector<std::pair<Tick, std::uint32_t>> spikes) {
  return add_population(std::make_unique<SpikeGenerator>(name, size, std::move(spikes)));
}

PopulationBase& EventEngine::add_spike_generator_ms(const std::string& name,
                                                    const std::vector<std::vector<double>>& times_ms) {
  std::vector<std::pair<Tick, std::uint32_t>> spikes;
  for (std::size_t unit = 0; unit < times_ms.size(); ++unit) {
    for (const double t : times_ms[unit]) {
      spikes.emplace_back(time_.ticks_from_ms(t, "spike_generator '" + name + "' unit " + std::to_string(unit) + " time"),
                          static_cast<std::uint32_t>(unit));
    }
  }
  return add_spike_generator(name, times_ms.size(), std::move(spikes));
}

PopulationBase& EventEngine::add_value_table(const std::string& name, std::size_t size) {
  return add_population(std::make_unique<ValueTable>(name, size));
}

void EventEngine::set_values(std::string_view source, std::vector<float> rows) {
  auto* table = dynamic_cast<ValueTable*>(&population(source));
  if (table == nullptr) throw InputError("engine '" + name_ + "': '" + std::string(source) + "' is not a value table");
  table->set_values(std::move(rows));
}

void EventEngine::set_graded_output(std::string_view population_name, std::string_view variable) {
  try {
    population(population_name).set_graded_output(variable);
  } catch (const InputError& error) {
    throw InputError("graded output of population '" + std::string(population_name) + "': " + error.what());
  }
}

void EventEngine::set_quantisation_scale(std::string_view population_name, double scale) {
  if (!(scale > 0.0) || !std::isfinite(scale)) {
    throw InputError("population '" + std::string(population_name) + "': quantisation scale " + format_number(scale) +
                     " must be a positive number");
  }
  populations_[population_index(population_name, "quantisation scale")]->fixed_scale = scale;
  built_ = false;
}

void EventEngine::connect(ProjectionSpec spec) {
  for (const auto& entry : projections_) {
    if (entry->spec.name == spec.name) throw InputError("engine '" + name_ + "': projection '" + spec.name + "' is defined twice");
  }
  auto entry = std::make_unique<ProjectionEntry>();
  const std::string what = "projection '" + spec.name + "'";
  entry->source = population_index(spec.source, what + " source");
  entry->target = population_index(spec.target, what + " target");
  const auto& target = *populations_[entry->target]->population;
  try {
    entry->receptor = target.receptor_index(spec.receptor);
  } catch (const InputError& error) {
    throw InputError(what + ": " + error.what());
  }
  if (target.receptors()[entry->receptor].is_current) {
    throw InputError(what + ": receptor '" + spec.receptor + "' of '" + target.name() +
                     "' is a current input; spikes need a jump receptor");
  }
  if (spec.same_tick && entry->target <= entry->source) {
    throw InputError(what + " is same-tick (delay 0), so its target '" + target.name() +
                     "' must be added after its source '" + spec.source + "' (a feed-forward path)");
  }
  entry->spec = std::move(spec);
  populations_[entry->source]->outgoing.push_back(projections_.size());
  projections_.push_back(std::move(entry));
  built_ = false;
}

void EventEngine::add_poisson_input(const PoissonInputSpec& spec) {
  const std::size_t target = population_index(spec.target, "Poisson input '" + spec.name + "'");
  const std::size_t receptor = populations_[target]->population->receptor_index(spec.receptor);
  const double mean = spec.rate_hz * time_.dt_ms() * 1e-3;
  if (!std::isfinite(spec.rate_hz) || spec.rate_hz < 0.0 || !std::isfinite(spec.weight)) {
    throw InputError("Poisson input '" + spec.name + "': rate_hz = " + format_number(spec.rate_hz) + " and weight = " +
                     format_number(spec.weight) + " must be finite, rate >= 0");
  }
  poisson_inputs_.push_back({spec.name, target, receptor, spec.weight, spec.weight, PoissonSampler(mean), 0});
}

void EventEngine::add_current(const CurrentSpec& spec) {
  const std::string what = "current '" + spec.name + "'";
  const std::size_t target = population_index(spec.target, what);
  const auto& population = *populations_[target]->population;
  CurrentEntry entry{spec.name, target, population.receptor_index(spec.receptor), spec.units, {}, spec.amplitudes};
  if (spec.start_ms.size() != spec.amplitudes.size()) {
    throw InputError(what + ": " + std::to_string(spec.start_ms.size()) + " start times for " +
                     std::to_string(spec.amplitudes.size()) + " amplitudes");
  }
  for (std::size_t k = 0; k < spec.start_ms.size(); ++k) {
    entry.start.push_back(time_.exact_ticks_from_ms(spec.start_ms[k], what + " start_ms"));
    if (k > 0 && entry.start[k] <= entry.start[k - 1]) throw InputError(what + ": start_ms must be ascending");
    if (!std::isfinite(spec.amplitudes[k])) throw InputError(what + ": amplitude " + std::to_string(k) + " is not finite");
  }
  for (const std::uint32_t unit : spec.units) {
    if (unit >= population.size()) {
      throw InputError(what + ": unit " + std::to_string(unit) + " is out of range for '" + population.name() + "'");
    }
  }
  currents_.push_back(std::move(entry));
}

void EventEngine::add_spike_input_port(const std::string& port, const std::string& population,
                                       const std::string& receptor, float weight) {
  const std::size_t target = population_index(population, "input port '" + port + "'");
  const auto& pop = *populations_[target]->population;
  input_ports_.push_back({ports_.size(), target, pop.receptor_index(receptor), false, weight, weight, {}, {}, false});
  ports_.push_back(PortSpec{port, PortKind::spikes, PortDirection::in, pop.size(), pop.name()});
}

void EventEngine::add_dense_input_port(const std::string& port, const std::string& population,
                                       const std::string& receptor) {
  const std::size_t target = population_index(population, "input port '" + port + "'");
  const auto& pop = *populations_[target]->population;
  input_ports_.push_back({ports_.size(), target, pop.receptor_index(receptor), true, 1.0F, 1.0F, {}, {}, false});
  ports_.push_back(PortSpec{port, PortKind::dense, PortDirection::in, pop.size(), pop.name()});
}

PopulationBase& EventEngine::population(std::string_view name) const {
  return *populations_[population_index(name, "lookup")]->population;
}

const Projection& EventEngine::projection(std::string_view name) const {
  for (const auto& entry : projections_) {
    if (entry->spec.name == name && entry->built) return *entry->built;
  }
  throw InputError("engine '" + name_ + "': no built projection named '" + std::string(name) + "'");
}

std::size_t EventEngine::synapse_count() const {
  std::size_t total = 0;
  for (const auto& entry : projections_) total += entry->built ? entry->built->synapse_count() : 0;
  return total;
}

std::size_t EventEngine::synapse_memory_bytes() const {
  std::size_t total = 0;
  for (const auto& entry : projections_) total += entry->built ? entry->built->memory_bytes() : 0;
  return total;
}

void EventEngine::build_synapses(std::uint64_t seed) {
  std::vector<Tick> longest(populations_.size(), 0);
  for (auto& entry : projections_) {
    entry->built.reset();  // free the old synapses before building new ones
    const auto& source = *populations_[entry->source]->population;
    const auto& target = *populations_[entry->target]->population;
    // Several processes: only the synapses onto this process's block of the target are built.
    const TargetBlock block = populations_[entry->target]->split ? TargetBlock{target.owned_begin(), target.owned_end()}
                                                                 : TargetBlock{};
    entry->built = std::make_unique<Projection>(entry->spec, source.size(), target.size(),
                                                entry->source == entry->target, entry->receptor, time_, seed, block);
    longest[entry->target] = std::max(longest[entry->target], entry->built->max_delay_ticks());
    entry->rows.assign(static_cast<std::size_t>(entry->built->max_delay_ticks()) + 1, nullptr);
  }
  for (std::size_t p = 0; p < populations_.size(); ++p) {
    populations_[p]->population->configure_slots(static_cast<std::size_t>(longest[p]) + 1);
  }
  quantise_integer_populations();
  parts_key_ = 0;  // split again from the new synapses
  built_ = true;
  built_seed_ = seed;
}

void EventEngine::quantise_integer_populations() {
  quantisations_.clear();
  for (std::size_t p = 0; p < populations_.size(); ++p) {
    PopulationBase& pop = *populations_[p]->population;
    if (pop.precision() == Precision::float32) continue;
    const auto spike_receptor = [&](std::size_t receptor) { return !pop.receptors()[receptor].is_current; };
    const std::string where = "population '" + pop.name() + "' (" + std::string(pop.model_name()) + ", " +
                              std::string(to_string(pop.precision())) + " precision)";
    // The scale: the largest weight arriving on a spike receptor uses the whole weight range.
    double largest = 0.0;
    std::vector<std::uint64_t> fan_in(pop.size(), 0);  // integer inputs per neuron and tick, at most
    for (const auto& entry : projections_) {
      if (entry->target != p || !spike_receptor(entry->receptor)) continue;
      largest = std::max(largest, static_cast<double>(entry->built->largest_weight()));
      const auto degree = entry->built->in_degrees(pop.size());
      for (std::size_t i = 0; i < degree.size(); ++i) fan_in[i] += degree[i];
    }
    for (const auto& port : input_ports_) {
      if (port.target != p || !spike_receptor(port.receptor)) continue;
      if (port.dense) {
        throw InputError(where + ": a dense input port adds float values to receptor '" +
                         std::string(pop.receptors()[port.receptor].name) +
                         "', which takes integer weights; wire dense values to a current receptor (i_ext)");
      }
      largest = std::max(largest, static_cast<double>(std::abs(port.given_weight)));
      for (auto& count : fan_in) ++count;
    }
    for (const auto& input : poisson_inputs_) {
      if (input.target == p && spike_receptor(input.receptor)) {
        largest = std::max(largest, static_cast<double>(std::abs(input.given_weight)));
      }
    }
    PopulationQuantisation q{pop.name(), pop.precision()};
    q.weight_limit = pop.weight_limit();
    q.scale = populations_[p]->fixed_scale > 0.0 ? populations_[p]->fixed_scale
              : largest > 0.0                    ? q.weight_limit / largest
                                                 : pop.fallback_scale();
    q.parameters = pop.set_input_scale(q.scale);
    for (auto& entry : projections_) {
      if (entry->target == p && spike_receptor(entry->receptor)) entry->built->quantise_weights(q.scale, q.weight_limit, q.weights);
    }
    for (auto& port : input_ports_) {
      if (port.target == p && spike_receptor(port.receptor)) port.weight = quantise_weight(port.given_weight, q.scale, q.weight_limit, q.weights);
    }
    for (auto& input : poisson_inputs_) {
      if (input.target == p && spike_receptor(input.receptor)) input.weight = quantise_weight(input.given_weight, q.scale, q.weight_limit, q.weights);
    }
    // Integer weights are summed in the float input rows, exactly while every sum stays below
    // 2^24; the chip's int32 sums would not saturate below that either.
    const std::uint64_t most = fan_in.empty() ? 0 : *std::max_element(fan_in.begin(), fan_in.end());
    if (most * static_cast<std::uint64_t>(q.weight_limit) >= (std::uint64_t{1} << 24)) {
      throw InputError(where + ": up to " + std::to_string(most) + " integer weights of up to " +
                       std::to_string(q.weight_limit) + " reach one neuron in a tick; tandem sums them exactly only below 2^24");
    }
    quantisations_.push_back(std::move(q));
  }
}

void EventEngine::build_counters() {
  counters_.clear();
  for (const auto& entry : populations_) {
    const auto& pop = *entry->population;
    NodeCounters node{.node = pop.name(), .kind = pop.kind(), .units = pop.size()};
    node.state_bytes = pop.size() * pop.state_bytes_per_update();
    node.precision = std::string(to_string(pop.precision()));
    for (const auto& q : quantisations_) {
      if (q.population == pop.name()) node.quantisation = q.summary();
    }
    std::vector<std::uint32_t> fan_in(pop.size(), 0);
    for (const auto& projection : projections_) {
      if (projection->built && &*populations_[projection->target]->population == &pop) {
        const auto degree = projection->built->in_degrees(pop.size());
        for (std::size_t i = 0; i < degree.size(); ++i) fan_in[i] += degree[i];
      }
    }
    node.fan_in = fan_in.empty() ? 0 : *std::max_element(fan_in.begin(), fan_in.end());
    for (const std::size_t out : entry->outgoing) node.targets.push_back(projections_[out]->spec.name);
    counters_.push_back(std::move(node));
  }
  for (const auto& entry : projections_) {
    NodeCounters node{.node = entry->spec.name, .kind = NodeKind::projection};
    const auto& target = *populations_[entry->target]->population;
    node.units = entry->built->synapse_count();
    const auto degree = entry->built->in_degrees(target.size());
    node.fan_in = degree.empty() ? 0 : *std::max_element(degree.begin(), degree.end());
    node.synapse_memory_bytes = entry->built->memory_bytes();
    node.weight_block_units = entry->built->kernel_block_units();
    node.targets = {target.name()};
    counters_.push_back(std::move(node));
  }
}

void EventEngine::reset(const RunContext& context) {
  if (std::abs(context.time.dt_ms() - time_.dt_ms()) > 1e-12 * time_.dt_ms()) {
    throw InputError("engine '" + name_ + "' was built for dt_ms = " + format_number(time_.dt_ms()) +
                     ", the run uses dt_ms = " + format_number(context.time.dt_ms()));
  }
  mode_ = context.mode;
  const bool blocks_changed = use_processes(context.processes);
  if (!built_ || built_seed_ != context.seed || blocks_changed) build_synapses(context.seed);
  build_counters();
  // The shortest delay bounds the sub-epoch: a spike sent at t is first needed at t + that delay.
  // A same-tick projection (delay 0) makes the engine advance tick by tick.
  sub_epoch_ticks_ = std::numeric_limits<Tick>::max();
  for (const auto& entry : projections_) sub_epoch_ticks_ = std::min(sub_epoch_ticks_, entry->built->min_delay_ticks());
  reduce_node_descriptions();
  for (auto& entry : populations_) {
    entry->population->reset(context.seed);
    entry->spikes.clear();
    entry->payloads.clear();
    entry->fired.assign(entry->population->size(), 0);
    entry->payload_of.assign(entry->population->graded() ? entry->population->size() : 0, 0.0F);
  }
  delivered_events_ = 0;
  for (auto& input : poisson_inputs_) input.key = RandomStream::derived(context.seed, input.name).next_u64();
  use_workers(context.workers);
  for (auto& port : input_ports_) {
    port.held.clear();
    port.held_nonzero.clear();
    port.holding = false;
  }
  for (auto& probe : probes_) {
    probe.ticks.clear();
    probe.indices.clear();
    probe.samples.clear();
  }
}

void EventEngine::apply_inputs(Tick tick, const Mailbox& inbox, std::vector<std::size_t>& spike_cursor) {
  for (std::size_t k = 0; k < input_ports_.size(); ++k) {
    InputPort& port = input_ports_[k];
    PopulationBase& pop = *populations_[port.target]->population;
    float* row = pop.input_row(port.receptor, tick);
    const PortTraffic& traffic = inbox.port(port.port);
    const std::size_t owned_begin = pop.owned_begin();
    const std::size_t owned_end = pop.owned_end();
    if (!port.dense) {
      const SpikeBatch& spikes = traffic.spikes;
      std::size_t& i = spike_cursor[k];
      std::uint64_t received = 0;  // by the neurons this process steps (several processes: its block)
      while (i < spikes.size() && spikes.tick[i] <= tick) {
        const std::uint32_t unit = spikes.index[i];
        if (spikes.tick[i] == tick) {
          if (unit >= pop.size()) {
            throw InputError("engine '" + name_ + "': spike on unit " + std::to_string(unit) + " of port '" +
                             ports_[port.port].name + "' (width " + std::to_string(pop.size()) + ")");
          }
          if (unit >= owned_begin && unit < owned_end) {
            row[unit] += port.weight;
            pop.note_input(tick, unit);
          }
        }
        received += unit >= owned_begin && unit < owned_end ? 1 : 0;
        ++i;
      }
      counters_[port.target].executed.add(Op::input_event, received);
      counters_[port.target].always_on.add(Op::input_event, received);
      continue;
    }
    for (const DenseFrame& frame : traffic.frames) {
      if (frame.tick != tick) continue;
      if (static_cast<std::size_t>(frame.values.size()) != pop.size()) {
        throw InputError("engine '" + name_ + "': frame of width " + std::to_string(frame.values.size()) +
                         " on port '" + ports_[port.port].name + "' (width " + std::to_string(pop.size()) + ")");
      }
      port.held.assign(frame.values.data(), frame.values.data() + frame.values.size());
      // Only non-zero values are added (adding +0.0 is a no-op but for the sign of a −0.0 sum):
      // a held frame then keeps active only the neurons it really drives.
      port.held_nonzero.clear();
      for (std::size_t i = owned_begin; i < owned_end; ++i) {
        if (port.held[i] != 0.0F) port.held_nonzero.push_back(static_cast<std::uint32_t>(i));
      }
      port.holding = true;
      counters_[port.target].executed.add(Op::input_event, owned_end - owned_begin);
      counters_[port.target].always_on.add(Op::input_event, owned_end - owned_begin);
    }
    if (port.holding) {
      for (const std::uint32_t i : port.held_nonzero) row[i] += port.held[i];
      pop.note_inputs(tick, port.held_nonzero.data(), port.held_nonzero.data() + port.held_nonzero.size());
    }
  }
  for (const CurrentEntry& current : currents_) {
    const auto after = std::upper_bound(current.start.begin(), current.start.end(), tick);
    if (after == current.start.begin()) continue;
    const float amplitude = current.amplitudes[static_cast<std::size_t>(after - current.start.begin()) - 1];
    if (amplitude == 0.0F) continue;  // a current switched off drives nothing
    PopulationBase& pop = *populations_[current.target]->population;
    float* row = pop.input_row(current.receptor, tick);
    const std::size_t owned_begin = pop.owned_begin();
    const std::size_t owned_end = pop.owned_end();
    if (current.units.empty()) {
      for (std::size_t i = owned_begin; i < owned_end; ++i) row[i] += amplitude;
      pop.note_every_input(tick);
    } else {
      for (const std::uint32_t i : current.units) {
        if (i >= owned_begin && i < owned_end) row[i] += amplitude;
      }
      pop.note_inputs(tick, current.units.data(), current.units.data() + current.units.size());
    }
  }
}

void EventEngine::deliver(PopulationEntry& source, Tick tick) {
  const bool event_mode = mode_ == ExecutionMode::event;
  if (event_mode && source.spikes.empty()) return;
  if (source.outgoing.empty()) return;
  const bool graded = source.population->graded();
  if (!event_mode) {
    for (std::size_t k = 0; k < source.spikes.size(); ++k) {
      source.fired[source.spikes[k]] = 1;
      if (graded) source.payload_of[source.spikes[k]] = source.payloads[k];
    }
  }
  const std::vector<std::size_t>& outgoing = source.outgoing;
  for (const std::size_t projection_index : outgoing) {
    ProjectionEntry& entry = *projections_[projection_index];
    PopulationBase& target = *populations_[entry.target]->population;
    for (std::size_t d = 0; d <= static_cast<std::size_t>(entry.built->max_delay_ticks()); ++d) {
      entry.rows[d] = target.input_row(entry.receptor, tick + static_cast<Tick>(d));
    }
  }
  const float* payloads = graded ? source.payloads.data() : nullptr;
  const float* payload_of = graded ? source.payload_of.data() : nullptr;
  // What the projection adds through `part`: the whole projection, or its synapses onto one
  // block of the target. The parts add exactly what the whole adds, each target's terms in the
  // same order, so which runs changes no result, only how many threads share the work.
  const auto deliver_through = [&](std::size_t projection_index, std::size_t part) -> std::uint64_t {
    ProjectionEntry& entry = *projections_[projection_index];
    PopulationBase& target = *populations_[entry.target]->population;
    const auto row_for = [&entry](Tick delay) { return entry.rows[static_cast<std::size_t>(delay)]; };
    const auto note = [&target, tick](Tick delay, const std::uint32_t* first, const std::uint32_t* last) {
      target.note_inputs(tick + delay, first, last);
    };
    const Projection& projection = *entry.built;
    return event_mode ? projection.deliver(source.spikes, payloads, row_for, note, part)
                      : projection.scan_all(source.fired, payload_of, row_for, note, part);
  };
  outgoing_results_.assign(outgoing.size(), 0);
  if (split_all_outgoing(source)) {
    // One parallel pass: thread k delivers part k of every projection, in the order connected —
    // parts k of projections onto the same population cover the same block, so each target
    // still receives projection after projection.
    const std::size_t stride = part_stride_;
    workers_->run(workers_->threads(), [&](std::size_t k) {
      for (std::size_t j = 0; j < outgoing.size(); ++j) {
        const std::size_t parts = projections_[outgoing[j]]->built->part_count();
        part_delivered_[k * stride + j] = k < parts ? deliver_through(outgoing[j], k) : 0;
      }
    });
    for (std::size_t k = 0; k < workers_->threads(); ++k) {
      for (std::size_t j = 0; j < outgoing.size(); ++j) outgoing_results_[j] += part_delivered_[k * stride + j];
    }
  } else {
    for (std::size_t j = 0; j < outgoing.size(); ++j) {
      const ProjectionEntry& entry = *projections_[outgoing[j]];
      const std::size_t parts = entry.built->part_count();
      if (workers_ != nullptr && parts > 0 &&
          synapses_to_deliver(entry, source.spikes) >= workers_->min_block(parallel_delivery_synapses)) {
        workers_->run(parts, [&](std::size_t k) { part_delivered_[k * part_stride_] = deliver_through(outgoing[j], k); });
        for (std::size_t k = 0; k < parts; ++k) outgoing_results_[j] += part_delivered_[k * part_stride_];
      } else {
        outgoing_results_[j] = deliver_through(outgoing[j], Projection::kWhole);
      }
    }
  }
  const std::size_t population_nodes = populations_.size();
  for (std::size_t j = 0; j < outgoing.size(); ++j) {
    const Projection& projection = *projections_[outgoing[j]]->built;
    OpCounts& executed = counters_[population_nodes + outgoing[j]].executed;
    const std::uint64_t result = outgoing_results_[j];
    if (event_mode) {
      delivered_events_ += result;
      executed.add(Op::synaptic_op, result);
      executed.add(Op::memory_byte_read, result * projection.bytes_per_synapse());
    } else {
      for (const std::uint32_t s : source.spikes) delivered_events_ += projection.row_length(s);
      read_checksum_ += result;
      executed.add(Op::synaptic_op, projection.synapse_count());
      executed.add(Op::memory_byte_read, projection.synapse_count() * projection.bytes_per_synapse());
    }
  }
  if (!event_mode) {
    for (const std::uint32_t i : source.spikes) source.fired[i] = 0;
  }
}

void EventEngine::advance(const Epoch& epoch, const Mailbox& inbox, Mailbox& outbox) {
  if (!built_) throw RunError("engine '" + name_ + "': advance() before reset()");
  if (sub_epoch_ticks_ > 0) {
    advance_sub_epochs(epoch, inbox, outbox);
  } else {
    advance_ticks(epoch, inbox, outbox);
  }
  add_always_on_baseline(epoch.length());
  if (processes_ != nullptr) reduce_counts();
}

void EventEngine::step_population(std::size_t p, Tick tick, std::vector<std::uint32_t>& spikes, std::vector<float>& payloads) {
  PopulationBase& population = *populations_[p]->population;
  spikes.clear();
  population.step(tick, mode_ == ExecutionMode::event, spikes, counters_[p].executed);
  if (population.graded()) {
    population.graded_events(tick, spikes, payloads);
    counters_[p].executed.add(Op::spike, spikes.size());
  }
  counters_[p].always_on.add(Op::spike, spikes.size());
}

void EventEngine::advance_ticks(const Epoch& epoch, const Mailbox& inbox, Mailbox& outbox) {
  std::vector<std::size_t> spike_cursor(input_ports_.size(), 0);
  for (Tick tick = epoch.begin; tick < epoch.end; ++tick) {
    draw_poisson_inputs(tick, tick + 1);
    apply_inputs(tick, inbox, spike_cursor);
    for (std::size_t p = 0; p < populations_.size(); ++p) {
      PopulationEntry& entry = *populations_[p];
      step_population(p, tick, entry.spikes, entry.payloads);
      SpikeBatch& out = outbox.port(entry.out_port).spikes;
      for (const std::uint32_t i : entry.spikes) out.push(tick, i);
      deliver(entry, tick);
    }
    if (!probes_.empty()) sample_probes(tick);
  }
}

void EventEngine::advance_sub_epochs(const Epoch& epoch, const Mailbox& inbox, Mailbox& outbox) {
  const bool event_mode = mode_ == ExecutionMode::event;
  const std::size_t population_count = populations_.size();
  std::vector<std::size_t> spike_cursor(input_ports_.size(), 0);
  for (Tick begin = epoch.begin; begin < epoch.end;) {
    const Tick end = epoch.end - begin > sub_epoch_ticks_ ? begin + sub_epoch_ticks_ : epoch.end;
    const auto ticks = static_cast<std::size_t>(end - begin);
    held_spikes_.resize(std::max(held_spikes_.size(), ticks * population_count));
    held_payloads_.resize(held_spikes_.size());
    // 1. The neurons (several processes: this process's) through the sub-epoch. Nothing is
    //    delivered yet: the earliest row a spike of the sub-epoch reaches is read after its end.
    draw_poisson_inputs(begin, end);
    for (Tick tick = begin; tick < end; ++tick) {
      apply_inputs(tick, inbox, spike_cursor);
      for (std::size_t p = 0; p < population_count; ++p) {
        const std::size_t held = static_cast<std::size_t>(tick - begin) * population_count + p;
        step_population(p, tick, held_spikes_[held], held_payloads_[held]);
      }
      if (!probes_.empty()) sample_probes(tick, Sampled::state);
    }
    // 2. Several processes: everyone's spikes.
    if (processes_ != nullptr) exchange_spikes(ticks);
    // 3. Delivery: each target row receives its terms by source tick, then population and
    //    projection order, then source index, as in a tick-by-tick run.
    if (event_mode) deliver_held(begin, ticks);
    for (Tick tick = begin; tick < end; ++tick) {
      for (std::size_t p = 0; p < population_count; ++p) {
        PopulationEntry& entry = *populations_[p];
        const std::size_t held = static_cast<std::size_t>(tick - begin) * population_count + p;
        entry.spikes.swap(held_spikes_[held]);
        entry.payloads.swap(held_payloads_[held]);
        SpikeBatch& out = outbox.port(entry.out_port).spikes;
        for (const std::uint32_t i : entry.spikes) out.push(tick, i);
        if (!event_mode) deliver(entry, tick);  // always-on reads every synapse tick by tick
      }
      if (!probes_.empty()) sample_probes(tick, Sampled::spikes);
    }
    begin = end;
  }
}

void EventEngine::deliver_held(Tick begin, std::size_t ticks) {
  const std::size_t population_count = populations_.size();
  std::uint64_t synapses = 0;
  for (auto& entry : projections_) {
    const std::size_t span = static_cast<std::size_t>(entry->built->max_delay_ticks()) + 1;
    PopulationBase& target = *populations_[entry->target]->population;
    if (entry->rows.size() < ticks * span) entry->rows.resize(ticks * span);
    for (std::size_t t = 0; t < ticks; ++t) {
      for (std::size_t d = 0; d < span; ++d) {
        entry->rows[t * span + d] = target.input_row(entry->receptor, begin + static_cast<Tick>(t + d));
      }
    }
  }
  const std::size_t threads = workers_ == nullptr ? 1 : workers_->threads();
  // Work per destination row number (rows delivered whole, below): first_row is the earliest row
  // a spike of the sub-epoch reaches.
  Tick first_row = std::numeric_limits<Tick>::max();
  Tick last_row = 0;
  for (const auto& entry : projections_) {
    first_row = std::min(first_row, begin + entry->built->min_delay_ticks());
    last_row = std::max(last_row, begin + static_cast<Tick>(ticks) - 1 + entry->built->max_delay_ticks());
  }
  row_work_.assign(workers_ == nullptr || projections_.empty() ? 0 : static_cast<std::size_t>(last_row - first_row + 1), 0);
  if (workers_ != nullptr) {
    for (const auto& entry : projections_) {
      for (std::size_t t = 0; t < ticks; ++t) {
        const std::uint64_t work = synapses_to_deliver(*entry, held_spikes_[t * population_count + entry->source]);
        synapses += work;
        if (entry->deliver_by_rows) row_work_[static_cast<std::size_t>(begin + static_cast<Tick>(t) + entry->built->max_delay_ticks() - first_row)] += work;
      }
    }
  }
  const std::size_t stride = part_stride_;
  // Each target row is written by one thread, which adds its terms tick after tick, population
  // after population, projection after projection, source after source — the order of one thread.
  // The rows of a target whose projections each have a single delay are shared out whole: thread k
  // takes the row numbers [row_cut[k], row_cut[k + 1]), contiguous ranges of about equal work, so
  // every spiking source's synapses are read by one thread alone (done when the sub-epoch has at
  // least 2N ticks, enough rows to share). Other targets are shared out by blocks: thread k
  // delivers part k, the synapses onto its block, of every row. A target that has a projection
  // not split into parts (too small to split) is delivered whole by thread 0.
  // Too little to share: one thread delivers whole rows, which adds the same terms in the same order.
  const bool parallel = workers_ != nullptr && synapses >= workers_->min_block(parallel_delivery_synapses);
  const bool by_rows = parallel && ticks >= 2 * threads;
  std::vector<Tick> row_cut(threads + 1, first_row);
  if (by_rows) {
    const std::uint64_t total = std::accumulate(row_work_.begin(), row_work_.end(), std::uint64_t{0});
    std::uint64_t so_far = 0;
    std::size_t k = 1;
    for (std::size_t r = 0; r < row_work_.size() && k < threads; ++r) {
      so_far += row_work_[r];
      // Row r closes range k − 1 once that range holds its share of the work.
      while (k < threads && so_far * threads >= total * k) row_cut[k++] = first_row + static_cast<Tick>(r + 1);
    }
    for (; k <= threads; ++k) row_cut[k] = first_row + static_cast<Tick>(row_work_.size());
  }
  const auto deliver_share = [&](std::size_t k) {
    // Counted here, stored once: threads writing their counts as they go would share lines.
    std::vector<std::uint64_t> delivered(projections_.size(), 0);
    for (std::size_t t = 0; t < ticks; ++t) {
      const Tick tick = begin + static_cast<Tick>(t);
      for (std::size_t p = 0; p < population_count; ++p) {
        const std::vector<std::uint32_t>& spikes = held_spikes_[t * population_count + p];
        if (spikes.empty()) continue;
        const float* payloads = populations_[p]->population->graded() ? held_payloads_[t * population_count + p].data() : nullptr;
        for (const std::size_t projection_index : populations_[p]->outgoing) {
          const ProjectionEntry& entry = *projections_[projection_index];
          std::size_t part = Projection::kWhole;
          if (by_rows && entry.deliver_by_rows) {
            const Tick row = tick + entry.built->max_delay_ticks();
            if (row < row_cut[k] || row >= row_cut[k + 1]) continue;
          } else if (parallel && entry.deliver_by_parts) {
            if (k >= entry.built->part_count()) continue;
            part = k;
          } else if (k != 0) {
            continue;
          }
          PopulationBase& target = *populations_[entry.target]->population;
          float* const* rows = entry.rows.data() + t * (static_cast<std::size_t>(entry.built->max_delay_ticks()) + 1);
          const auto row_for = [rows](Tick delay) { return rows[static_cast<std::size_t>(delay)]; };
          const auto note = [&target, tick](Tick delay, const std::uint32_t* first, const std::uint32_t* last) {
            target.note_inputs(tick + delay, first, last);
          };
          delivered[projection_index] += entry.built->deliver(spikes, payloads, row_for, note, part);
        }
      }
    }
    std::copy(delivered.begin(), delivered.end(), part_delivered_.begin() + static_cast<std::ptrdiff_t>(k * stride));
  };
  if (parallel) {
    workers_->run(threads, deliver_share);
  } else {
    std::fill(part_delivered_.begin(), part_delivered_.end(), 0);
    deliver_share(0);
  }
  const std::size_t population_nodes = populations_.size();
  for (std::size_t j = 0; j < projections_.size(); ++j) {
    std::uint64_t result = 0;
    for (std::size_t k = 0; k < threads; ++k) result += part_delivered_[k * stride + j];
    const Projection& projection = *projections_[j]->built;
    OpCounts& executed = counters_[population_nodes + j].executed;
    delivered_events_ += result;
    executed.add(Op::synaptic_op, result);
    executed.add(Op::memory_byte_read, result * projection.bytes_per_synapse());
  }
}

void EventEngine::add_always_on_baseline(Tick epoch_ticks) {
  const auto ticks = static_cast<std::uint64_t>(epoch_ticks);
  for (std::size_t p = 0; p < populations_.size(); ++p) {
    if (populations_[p]->population->kind() == NodeKind::spiking) {
      const PopulationBase& population = *populations_[p]->population;
      const std::uint64_t neurons = population.owned_end() - population.owned_begin();
      counters_[p].always_on.add(Op::neuron_update, ticks * neurons);
      counters_[p].always_on.add(Op::memory_byte_written, ticks * neurons * population.state_bytes_per_update());
    }
  }
  for (std::size_t k = 0; k < projections_.size(); ++k) {
    const Projection& projection = *projections_[k]->built;
    OpCounts& always_on = counters_[populations_.size() + k].always_on;
    always_on.add(Op::synaptic_op, ticks * projection.synapse_count());
    always_on.add(Op::memory_byte_read, ticks * projection.synapse_count() * projection.bytes_per_synapse());
  }
}

}  // namespace tandem::neurons
