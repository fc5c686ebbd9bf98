// The event-driven spiking engine: populations (SoA state), CSR projections with delays through
// per-population ring buffers, Poisson/current inputs, ports, counters and probes.
// Both execution modes add exactly the same values in the same order, so spikes and state are
// bit-identical; only the work done (and counted) differs. See docs/neurons.md.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/engine.hpp"
#include "core/process_group.hpp"
#include "core/worker_pool.hpp"
#include "neurons/poisson_sampler.hpp"
#include "neurons/population.hpp"
#include "neurons/projection.hpp"

namespace tandem::neurons {

// NEST/Brian2 PoissonInput: every tick every neuron of `target` receives a Poisson count with
// mean rate_hz·dt of events, each adding `weight` to `receptor` (count·weight added once).
struct PoissonInputSpec {
  std::string name;
  std::string target;
  std::string receptor;
  double rate_hz = 0.0;
  float weight = 0.0F;
};

// A piecewise-constant current: amplitudes[k] from start_ms[k] (ascending) until the next
// start; 0 before the first. Added every tick to `receptor` (normally "i_ext") of `units` (empty: all).
struct CurrentSpec {
  std::string name;
  std::string target;
  std::string receptor = "i_ext";
  std::vector<std::uint32_t> units;
  std::vector<double> start_ms = {0.0};
  std::vector<float> amplitudes;
};

class EventEngine final : public Engine {
 public:
  // dt is fixed at construction (model constants depend on it); reset() refuses another dt.
  EventEngine(std::string name, TimeBase time);
  ~EventEngine() override;

  // Adds a population of `Model`; also adds its output port "<pop>.spikes".
  template <typename Model>
  Population<Model>& add_population(const std::string& name, std::size_t size,
                                    const typename Model::Parameters& parameters = {}) {
    auto population = std::make_unique<Population<Model>>(name, size, parameters, time_);
    auto& ref = *population;
    add_population(std::move(population));
    return ref;
  }
  PopulationBase& add_population(std::unique_ptr<PopulationBase> population);
  PopulationBase& add_poisson_group(const std::string& name, std::size_t size, double rate_hz);
  PopulationBase& add_spike_generator(const std::string& name, std::size_t size,
                                      std::vector<std::pair<Tick, std::uint32_t>> spikes);
  // Spike times in ms per unit (unit = index in `times_ms`), rounded to the nearest tick.
  PopulationBase& add_spike_generator_ms(const std::string& name, const std::vector<std::vector<double>>& times_ms);
  // Checked now (names, receptor; a same-tick projection's target added after its source);
  // synapses are built at reset() from the run seed
  // (RandomStream::derived(seed, projection name)) and rebuilt only when the seed changes.
  void connect(ProjectionSpec spec);
  void add_poisson_input(const PoissonInputSpec& spec);
  void add_current(const CurrentSpec& spec);
  // Input ports. Spikes: a spike on unit i at tick t adds `weight` to `receptor` of neuron i at t.
  // Dense: a frame (width N) arriving at tick t is held from t on and added every tick to `receptor`.
  void add_spike_input_port(const std::string& port, const std::string& population, const std::string& receptor,
                            float weight);
  void add_dense_input_port(const std::string& port, const std::string& population, const std::string& receptor);

  // A source replaying a table of values [ticks x size] as graded events (neurons/spike_sources.hpp);
  // the table is given with set_values (before or between runs).
  PopulationBase& add_value_table(const std::string& name, std::size_t size);
  void set_values(std::string_view source, std::vector<float> rows);
  // The population sends `variable`'s value instead of spikes (PopulationBase::set_graded_output).
  void set_graded_output(std::string_view population, std::string_view variable);
  // An integer-precision population's scale (integer weight units per unit of input), instead of
  // the default that maps its largest incoming weight to the largest integer weight.
  void set_quantisation_scale(std::string_view population, double scale);

  [[nodiscard]] PopulationBase& population(std::string_view name) const;
  [[nodiscard]] const Projection& projection(std::string_view name) const;  // after reset()
  [[nodiscard]] std::size_t synapse_count() const;  // after reset()
  [[nodiscard]] std::size_t synapse_memory_bytes() const;
  // Spikes delivered along synapses since reset (the same in both modes; always-on's
  // synaptic_op counter also counts the synapses read without a spike).
  [[nodiscard]] std::uint64_t delivered_synaptic_events() const {
    return processes_ != nullptr ? total_delivered_events_ : delivered_events_;
  }
  [[nodiscard]] const TimeBase& time() const { return time_; }
  // How each population in an integer precision was quantised (after reset(); docs/precision.md).
  [[nodiscard]] const std::vector<PopulationQuantisation>& quantisations() const { return quantisations_; }

  [[nodiscard]] std::string_view name() const override { return name_; }
  [[nodiscard]] std::span<const PortSpec> ports() const override { return ports_; }
  void reset(const RunContext& context) override;
  void advance(const Epoch& epoch, const Mailbox& inbox, Mailbox& outbox) override;
  // With several processes, the sums over all of them (identical on each; docs/mpi.md).
  [[nodiscard]] std::span<const NodeCounters> counters() const override {
    return processes_ != nullptr ? reduced_counters_ : counters_;
  }
  bool enroll_probe(const Probe& probe, Recorder& recorder) override;
  void record(Recorder& recorder) override;

 private:
  struct PopulationEntry;
  struct ProjectionEntry;
  struct PoissonInputEntry;
  struct CurrentEntry;
  struct InputPort;
  struct ProbeEntry;

  [[nodiscard]] std::size_t population_index(std::string_view name, std::string_view what) const;
  void build_synapses(std::uint64_t seed);
  void build_counters();
  // Integer-precision populations: picks each one's scale and rounds its incoming weights.
  void quantise_integer_populations();
  // Steps population p through `tick`: its spikes (a graded population: its events, with their
  // values in `payloads`) and the spike counters.
  void step_population(std::size_t p, Tick tick, std::vector<std::uint32_t>& spikes, std::vector<float>& payloads);
  // Port and current inputs of `tick` (Poisson inputs are drawn ahead: draw_poisson_inputs).
  void apply_inputs(Tick tick, const Mailbox& inbox, std::vector<std::size_t>& spike_cursor);
  // The population's events through its outgoing projections into rows tick + delay.
  void deliver(PopulationEntry& source, Tick tick);
  // advance() in sub-epochs of sub_epoch_ticks_ ticks (every network without same-tick
  // projections): each sub-epoch first draws its Poisson inputs, then steps every population tick
  // by tick holding the spikes, (several processes: exchanges them,) then delivers them all —
  // one parallel pass on several threads. The earliest row a spike of the sub-epoch reaches is
  // read after its end, and every row receives its terms in the order a tick-by-tick run adds
  // them (docs/threads.md), so the results are those of advance_ticks.
  void advance_sub_epochs(const Epoch& epoch, const Mailbox& inbox, Mailbox& outbox);
  // advance() tick by tick (a network with same-tick projections): each population's spikes are
  // delivered right after it steps, so that a same-tick target stepped later receives them.
  void advance_ticks(const Epoch& epoch, const Mailbox& inbox, Mailbox& outbox);
  // Event mode: every held spike of ticks [begin, begin + ticks) through every projection, thread
  // k taking part k of the projections delivered by parts (and thread 0 the others).
  void deliver_held(Tick begin, std::size_t ticks);
  // Every Poisson input's counts for ticks [begin, end) added to its target's rows.
  void draw_poisson_inputs(Tick begin, Tick end);
  // Samples the probes at the end of `tick`: spike probes, state probes, or both.
  enum class Sampled { all, spikes, state };
  void sample_probes(Tick tick, Sampled which = Sampled::all);
  // The always-on baseline of `ticks` ticks, in bulk: every neuron this process steps and every
  // synapse it stores, every tick.
  void add_always_on_baseline(Tick ticks);

  // Several processes (event_engine_processes.cpp, docs/mpi.md). Takes the run's process group
  // (none for one process), refuses what cannot be split, gives each model population its block;
  // returns whether the blocks changed since the synapses were built.
  bool use_processes(ProcessGroup* processes);
  // Replaces the held spike lists of the split populations by everyone's (ascending).
  void exchange_spikes(std::size_t ticks);
  // reduced_counters_ from every process's counters_: node descriptions at reset, counts after
  // each epoch.
  void reduce_node_descriptions();
  void reduce_counts();
  // State probes of split populations: each process's columns gathered into rank 0's samples.
  void gather_state_samples(ProbeEntry& probe);
  // Threads (event_engine_threads.cpp): the pool for this run (nullptr: one thread), handed to
  // the populations; the projections' parts per target block are (re)built for its size.
  void use_workers(WorkerPool* workers);
  // Synapses this tick's delivery along `entry` reads: those of the spiking sources (event
  // mode; a convolution: at most every tap of its kernel per spike), every synapse (always-on).
  [[nodiscard]] std::uint64_t synapses_to_deliver(const ProjectionEntry& entry, const std::vector<std::uint32_t>& spikes) const;
  // Whether every outgoing projection of `source` is split and this tick's delivery, all of them
  // together, is worth a parallel pass.
  [[nodiscard]] bool split_all_outgoing(const PopulationEntry& source) const;
  // Adds the Poisson counts of ticks [begin, end) to the target's input rows (on the pool);
  // returns the events drawn.
  std::uint64_t draw_poisson_input(PoissonInputEntry& input, Tick begin, Tick end);

  std::string name_;
  TimeBase time_;
  ExecutionMode mode_ = ExecutionMode::event;
  std::vector<PortSpec> ports_;
  std::vector<std::unique_ptr<PopulationEntry>> populations_;
  std::vector<std::unique_ptr<ProjectionEntry>> projections_;
  std::vector<PoissonInputEntry> poisson_inputs_;
  std::vector<CurrentEntry> currents_;
  std::vector<InputPort> input_ports_;
  std::vector<ProbeEntry> probes_;
  std::vector<NodeCounters> counters_;
  std::vector<PopulationQuantisation> quantisations_;
  bool built_ = false;
  std::uint64_t built_seed_ = 0;
  std::uint64_t read_checksum_ = 0;
  std::uint64_t delivered_events_ = 0;  // always-on synapse reads feed this so they are not optimised away
  WorkerPool* workers_ = nullptr;
  std::size_t parts_key_ = 0;  // the threads and grain the projections' parts were built for (0: none yet)
  // Synapses each thread delivered, per projection (deliver_held) or per outgoing projection of the
  // delivering source (deliver): thread k's at [k·part_stride_, (k + 1)·part_stride_), a whole
  // number of cache lines apart.
  std::vector<std::uint64_t> part_delivered_;
  std::size_t part_stride_ = 0;
  std::vector<std::uint64_t> outgoing_results_;  // per outgoing projection of the delivering source
  std::vector<std::uint64_t> row_work_;  // deliver_held: synapses to add per destination row number

  ProcessGroup* processes_ = nullptr;       // several processes share the run (nullptr: one)
  std::size_t built_for_ranks_ = 1;          // the process count the synapses were built for
  // Ticks per sub-epoch (advance_sub_epochs): the shortest delay of any projection; 0 when a
  // same-tick projection makes the engine advance tick by tick.
  Tick sub_epoch_ticks_ = 1;
  std::vector<NodeCounters> reduced_counters_;
  std::uint64_t total_delivered_events_ = 0;  // delivered_events_ summed over the processes
  // Per sub-epoch tick and population ([tick · populations + p]): its spikes, this process's until
  // the exchange, everyone's after it.
  std::vector<std::vector<std::uint32_t>> held_spikes_;
  std::vector<std::vector<float>> held_payloads_;  // graded populations: the values of held_spikes_
  std::vector<std::uint32_t> exchange_out_, exchange_in_;
  std::vector<std::size_t> exchange_counts_;
};

}  // namespace tandem::neurons
