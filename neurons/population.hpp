// Populations: N neurons of one model as SoA state behind a small virtual interface (one
// virtual call per population per tick). Every population owns the ring buffers of input
// pending for its neurons: per receptor, `slots` rows of N floats; row t % slots is tick t's.
// Active sets (event mode): whoever writes an input row names the neurons it wrote to
// (note_input), and the population keeps the neurons that are not at rest, with their state,
// in compact arrays of their own from tick to tick (active_states.hpp), so a quiet tick costs
// O(active neurons + inputs written), not O(N).
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <memory>
#include <span>
#include <type_traits>
#include <string>
#include <utility>
#include <vector>

#include "core/op_counts.hpp"
#include "core/precision.hpp"
#include "core/random.hpp"
#include "core/time.hpp"
#include "core/worker_pool.hpp"
#include "neurons/active_states.hpp"
#include "neurons/model.hpp"
#include "neurons/neuron_set.hpp"
#include "neurons/quantisation.hpp"

namespace tandem::neurons {

// Runs `loop` (a neuron loop, inlined) compiled for AVX2 — 8 float lanes — when the CPU has it,
// else for the baseline target (SSE2 on x86-64: 4 lanes). Chosen at run time, so no -march flag
// is needed. Both perform the same IEEE operations lane by lane (AVX2 does not enable FMA), so
// the results are bit-identical on every machine. Both are flattened (every call inside them
// inlined): a model's step() left out of line — GCC's inliner decides by the number of call
// sites and the unit's size — makes the loop scalar and a call per neuron.
template <typename Loop>
[[gnu::target("avx2"), gnu::flatten]] void run_avx2(const Loop& loop) {
  loop();
}
template <typename Loop>
[[gnu::flatten]] void run_baseline(const Loop& loop) {
  loop();
}
bool cpu_has_avx2();
template <typename Loop>
void run_vectorised(const Loop& loop) {
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__AVX2__)
  if (cpu_has_avx2()) {
    run_avx2(loop);
    return;
  }
#endif
  run_baseline(loop);
}

// Threads split a population into contiguous blocks of whole 64-neuron words (NeuronSet: one
// writer per word) of at least population_block_min neurons: a smaller block's work (~1 µs) is
// not worth waking a worker for. The same blocks serve neuron updates, the targets of synaptic
// delivery and dense Poisson draws (docs/threads.md).
inline constexpr std::size_t population_block_align = NeuronSet::word_bits;
inline constexpr std::size_t population_block_min = 1024;
// A tick's neuron updates are one parallel pass per population and tick, whose hand-over between
// threads costs a few µs (more in a VM): a population is stepped in blocks only when each holds at
// least this many neurons (~5 µs of updates), else by the calling thread. Delivery and Poisson
// draws, done once per sub-epoch for all its ticks, split at population_block_min.
inline constexpr std::size_t population_step_block_min = 8192;
inline std::vector<std::size_t> population_blocks(std::size_t neurons, const WorkerPool& workers) {
  return split_into_blocks(neurons, workers.threads(), workers.min_block(population_block_min), population_block_align);
}

class PopulationBase {
 public:
  PopulationBase(std::string name, std::size_t size) : name_(std::move(name)), size_(size) {}
  virtual ~PopulationBase() = default;
  PopulationBase(const PopulationBase&) = delete;
  PopulationBase& operator=(const PopulationBase&) = delete;

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] virtual std::string_view model_name() const = 0;
  // spiking (a neuron model) or input (a spike source: Poisson group, spike generator).
  [[nodiscard]] virtual NodeKind kind() const { return NodeKind::spiking; }
  [[nodiscard]] virtual std::span<const Receptor> receptors() const = 0;
  [[nodiscard]] virtual std::span<const Variable> variables() const = 0;
  // Bytes a neuron update writes: its state variables and its refractory counter (0: a source).
  [[nodiscard]] virtual std::size_t state_bytes_per_update() const { return 0; }
  // Index of a receptor / variable by name; InputError naming the population otherwise.
  [[nodiscard]] std::size_t receptor_index(std::string_view receptor) const;
  [[nodiscard]] std::size_t variable_index(std::string_view variable) const;

  // Initial values applied after the model's resting state at every reset (in call order).
  void set_initial(std::string_view variable, std::vector<float> values);
  // Uniform in [low, high) per neuron, drawn from RandomStream::derived(seed, "<pop>.initial.<var>").
  void set_initial_uniform(std::string_view variable, double low, double high);

  // Ring buffers: `slots` must exceed the longest delay onto this population.
  void configure_slots(std::size_t slots);
  [[nodiscard]] std::size_t slots() const { return slots_; }
  // Tick `tick`'s row of pending input to `receptor` (N floats). Current receptors only ever
  // receive input for the present tick, so they keep a single row.
  float* input_row(std::size_t receptor, Tick tick) {
    const auto rows = static_cast<Tick>(ring_[receptor].size() / (size_ == 0 ? 1 : size_));
    return ring_[receptor].data() + static_cast<std::size_t>(rows <= 1 ? 0 : tick % rows) * size_;
  }
  // Every write into an input row must be announced, with the tick of that row: event mode
  // steps and clears only announced neurons (besides those still off rest). A neuron may be
  // named several times; `note_every_input` stands for all N (a current into every neuron).
  void note_input(Tick tick, std::uint32_t neuron) {
    if (noting_) noted_[slot_of(tick)].insert(neuron);
  }
  void note_inputs(Tick tick, const std::uint32_t* first, const std::uint32_t* last) {
    if (!noting_) return;
    NeuronSet& set = noted_[slot_of(tick)];
    for (; first != last; ++first) set.insert(*first);
  }
  void note_every_input(Tick tick) { noted_all_[slot_of(tick)] = 1; }

  // Back to the initial state (rest, then initial values), empty ring buffers.
  void reset(std::uint64_t seed);
  // The threads step() may spread its neuron loop over (nullptr: the calling thread alone).
  void use_workers(WorkerPool* workers) { workers_ = workers; }
  // Several processes (docs/mpi.md): this process steps neurons [begin, end) alone, and only they
  // receive input here. A model population can (step() then takes its full loop over the block:
  // no active set, whose members would be those of the whole population); spike sources cannot and
  // run whole on every process. Set before reset(); [0, size) is the default.
  [[nodiscard]] virtual bool can_own_block() const { return false; }
  void own_block(std::size_t begin, std::size_t end) {
    owned_begin_ = begin;
    owned_end_ = end;
  }
  [[nodiscard]] std::size_t owned_begin() const { return owned_begin_; }
  [[nodiscard]] std::size_t owned_end() const { return owned_end_ == owned_all ? size_ : owned_end_; }
  [[nodiscard]] bool owns_part() const { return owned_begin_ != 0 || owned_end() != size_; }
  // Advances every neuron (always-on) or only active ones (event) through tick `tick`, reading
  // and then clearing tick's input row. Spiking neuron indices are appended in ascending order.
  // Counts neuron_update, neuron_update_skipped and spike into `executed`.
  virtual void step(Tick tick, bool event_mode, std::vector<std::uint32_t>& spikes, OpCounts& executed) = 0;
  // Current values of a state variable (N floats; an integer precision's state dequantised
  // into the variable's unit).
  [[nodiscard]] virtual std::span<const float> values(std::size_t variable) const = 0;

  // Graded output (docs/neurons.md#graded-outputs): instead of spikes the population sends the
  // value of one state variable, as an event carrying that value, for every neuron where it is
  // not 0 — Loihi 2's graded spikes. NIR's LI, I and CubaLI nodes pass v on this way; projections
  // from the population add weight × value.
  void set_graded_output(std::string_view variable) { graded_variable_ = variable_index(variable); }
  [[nodiscard]] virtual bool graded() const { return graded_variable_ != no_graded_variable; }
  // This tick's graded events (after step()), ascending indices with their values.
  virtual void graded_events(Tick tick, std::vector<std::uint32_t>& indices, std::vector<float>& values) const;

  // The arithmetic of the neuron updates (core/precision.hpp). Integer precisions (tianjic, loihi)
  // receive integer weights: the engine picks the population's scale (integer units per unit of
  // spike input) from its largest incoming weight, rounds every weight with it and calls
  // set_input_scale, which re-derives the integer parameters and says how each was represented.
  [[nodiscard]] virtual Precision precision() const { return Precision::float32; }
  [[nodiscard]] virtual std::int32_t weight_limit() const { return 0; }  // largest |integer weight|; 0: float
  [[nodiscard]] virtual double fallback_scale() const { return 1.0; }     // the scale without any weight
  virtual std::vector<QuantisedParameter> set_input_scale(double scale);  // InputError for float32

 protected:
  virtual void reset_state() = 0;
  virtual std::span<float> mutable_values(std::size_t variable) = 0;
  virtual void reset_sources(std::uint64_t /*seed*/) {}
  [[nodiscard]] std::size_t slot_of(Tick tick) const { return static_cast<std::size_t>(tick % static_cast<Tick>(slots_)); }
  // The neurons announced for `tick`, and whether every neuron was.
  [[nodiscard]] NeuronSet& noted(Tick tick) { return noted_[slot_of(tick)]; }
  [[nodiscard]] bool noted_every(Tick tick) const { return noted_all_[slot_of(tick)] != 0; }
  // Forgets tick's announcements once its rows are clear (the slot is reused `slots` ticks later);
  // touches only the announced words.
  void forget_noted(Tick tick) {
    noted_[slot_of(tick)].clear();
    noted_all_[slot_of(tick)] = 0;
  }
  // A population that steps every neuron anyway (always-on, or mostly active) need not be told
  // who receives input: stop_noting() marks every slot as "everyone" (so ticks whose rows were
  // written meanwhile take the full loop) until resume_noting().
  void stop_noting() {
    noting_ = false;
    std::fill(noted_all_.begin(), noted_all_.end(), std::uint8_t{1});
  }
  void resume_noting() { noting_ = true; }
  // Called at the end of reset(), once the initial values are in place.
  virtual void after_reset() {}
  // Writes the indices i < n with flags[i] != 0 to `fired` in ascending order; returns how many.
  // Skips 8 zero flags at a time: spikes are rare.
  static std::size_t append_flagged(const std::uint32_t* flags, std::size_t n, std::uint32_t* fired);
  [[nodiscard]] WorkerPool* workers() const { return workers_; }

 private:
  struct Initializer {
    std::size_t variable;
    std::vector<float> values;  // empty: uniform
    double low = 0.0, high = 0.0;
  };
  std::string name_;
  std::size_t size_;
  std::size_t slots_ = 0;
  std::vector<std::vector<float>> ring_;  // per receptor, slots × N
  std::vector<NeuronSet> noted_;                   // per slot, neurons whose rows were written
  std::vector<std::uint8_t> noted_all_;            // per slot, 1: every neuron's rows were
  bool noting_ = true;
  std::vector<Initializer> initializers_;
  static constexpr std::size_t no_graded_variable = static_cast<std::size_t>(-1);
  std::size_t graded_variable_ = no_graded_variable;
  WorkerPool* workers_ = nullptr;
  static constexpr std::size_t owned_all = static_cast<std::size_t>(-1);
  std::size_t owned_begin_ = 0;
  std::size_t owned_end_ = owned_all;
};

// N neurons of `Model` (see model_list.hpp for the static interface a model provides).
template <typename Model>
class Population final : public PopulationBase {
 public:
  Population(std::string name, std::size_t size, const typename Model::Parameters& parameters, const TimeBase& time)
      : PopulationBase(std::move(name), size), parameters_(parameters), time_(time), constants_(derive(parameters, time)) {
    state_.resize(size);
    active_.resize(size);
    scratch_.resize(size + 1);
    spiked_.resize(size);
  }

  [[nodiscard]] std::string_view model_name() const override { return Model::name; }
  [[nodiscard]] bool can_own_block() const override { return true; }
  [[nodiscard]] std::span<const Receptor> receptors() const override { return Model::receptors; }
  [[nodiscard]] std::span<const Variable> variables() const override { return Model::variables; }
  [[nodiscard]] std::size_t state_bytes_per_update() const override {
    return Model::variables.size() * sizeof(Value) + sizeof(std::uint32_t);
  }
  [[nodiscard]] std::span<const float> values(std::size_t variable) const override {
    publish_active();
    if constexpr (integer_state) {
      return dequantised(variable);
    } else {
      return state_.var.at(variable);
    }
  }
  [[nodiscard]] Precision precision() const override {
    if constexpr (integer_model) {
      return Model::precision;
    } else {
      return Precision::float32;
    }
  }
  [[nodiscard]] std::int32_t weight_limit() const override {
    if constexpr (integer_model) {
      return Model::weight_limit;
    } else {
      return 0;
    }
  }
  [[nodiscard]] double fallback_scale() const override {
    if constexpr (integer_model) {
      return Model::fallback_scale(parameters_);
    } else {
      return 1.0;
    }
  }
  std::vector<QuantisedParameter> set_input_scale(double scale) override {
    if constexpr (integer_model) {
      constants_ = Model::derive(parameters_, time_, scale);
      return Model::represented(parameters_, constants_, time_);
    } else {
      return PopulationBase::set_input_scale(scale);
    }
  }
  [[nodiscard]] const typename Model::State& state() const {
    publish_active();
    return state_;
  }
  [[nodiscard]] const typename Model::Constants& constants() const { return constants_; }
  [[nodiscard]] const typename Model::Parameters& parameters() const { return parameters_; }

  void step(Tick tick, bool event_mode, std::vector<std::uint32_t>& spikes, OpCounts& executed) override {
    // The neurons this process steps: all, or its block [owned, owned + n) (docs/mpi.md).
    const std::size_t owned = owned_begin();
    const std::size_t n = owned_end() - owned;
    const bool block_only = owns_part();
    InputRows rows{};
    for (std::size_t r = 0; r < receptor_count; ++r) rows[r] = input_row(r, tick);
    // Local copies: the compiler can keep constants and pointers in registers across the
    // float stores of the loops, and spikes go to a preallocated buffer (no call in the loop).
    const typename Model::Constants c = constants_;
    const typename Model::State::View view = state_.view();
    std::uint32_t* fired = scratch_.data();
    std::size_t fired_count = 0;
    std::size_t updated = n;
    // Event mode: a neuron is active if input arrived (any bit set in its input rows) or it is
    // not at rest (not at_rest, which the models' snap to rest makes reachable). Active neurons
    // are the members of the active set (off rest after the last tick) plus those announced by
    // the writers of this tick's rows; inactive neurons are left alone, which changes no result because stepping them is
    // an exact no-op (at_rest's definition; tested per model). A mostly active population takes
    // the vectorised loop over all neurons instead (when the previous tick was mostly active, or
    // most neurons are off rest, or a writer drove them all): the result is the same, only
    // the speed differs, and the counters count only the active neurons either way.
    const bool dense = block_only || !event_mode || dense_hint_ || noted_every(tick) || 4 * off_rest_count_ >= 3 * n;
    if (!dense) {
      const auto [active_count, spike_count] = step_active(tick, c, view, rows, fired);
      updated = active_count;
      fired_count = spike_count;
    }
    if (dense) {
      // The SoA arrays hold every neuron's state again (the active set's copies go back).
      active_.release(view);
      const bool counted = !event_mode;  // always-on: all n; event: count the active ones as we go
      std::uint32_t* flags = spiked_.data();
      // Neurons [begin, end): stepped, their input rows cleared; returns how many were active.
      // Threads take whole blocks (population_blocks); each neuron's step is the same whichever
      // thread runs it.
      const auto dense_block = [&](const std::size_t begin, const std::size_t end) -> std::uint64_t {
        std::uint64_t active_in_block = end - begin;
        // always_inline: compiled inside run_avx2 the loops get AVX2; a lambda left out of line
        // (GCC's inliner may decide so as the models grow) would be compiled for the baseline.
        const auto dense_loop = [&]<bool Snap>() __attribute__((always_inline)) {
          const std::size_t first = begin;  // locals, not captures: kept in registers across the stores
          const std::size_t last = end;
          if (counted) {
#pragma GCC ivdep
            for (std::size_t i = first; i < last; ++i) flags[i] = step_neuron<Snap>(c, view, i, inputs_at(rows, i).data()) ? 1 : 0;
            return;
          }
          // One pass: whether the neuron is active is read from its state before the step.
          std::uint32_t active_count = 0;  // populations have < 2^32 neurons (EventEngine checks)
#pragma GCC ivdep
          for (std::size_t i = first; i < last; ++i) {
            const auto input = inputs_at(rows, i);
            active_count += is_active(c, view, input.data(), i) ? 1U : 0U;
            flags[i] = step_neuron<Snap>(c, view, i, input.data()) ? 1 : 0;
          }
          active_in_block = active_count;
        };
        run_vectorised([&]() __attribute__((always_inline)) {
          if (model_rests(c)) {
            dense_loop.template operator()<true>();
          } else {
            dense_loop.template operator()<false>();
          }
        });
        for (std::size_t r = 0; r < receptor_count; ++r) std::fill(rows[r] + begin, rows[r] + end, 0.0F);
        return active_in_block;
      };
      updated = static_cast<std::size_t>(sum_over_blocks(
          workers(), n, population_step_block_min, population_block_align,
          [&](std::size_t begin, std::size_t end) { return dense_block(owned + begin, owned + end); }));
      fired_count = append_flagged(flags + owned, n, fired);
      for (std::size_t k = 0; k < fired_count && owned > 0; ++k) fired[k] += static_cast<std::uint32_t>(owned);
      // Leaving the dense regime: the next tick needs the neurons still off rest.
      if (event_mode && !block_only && 4 * updated < 3 * n) collect_off_rest();
    }
    forget_noted(tick);
    dense_hint_ = event_mode && 4 * updated >= 3 * n;
    if (!event_mode || dense_hint_ || block_only) {
      stop_noting();
    } else {
      resume_noting();
    }
    spikes.insert(spikes.end(), fired, fired + fired_count);
    executed.add(Op::neuron_update, updated);
    executed.add(Op::neuron_update_skipped, n - updated);
    executed.add(Op::memory_byte_written, updated * state_bytes_per_update());
    executed.add(Op::spike, fired_count);
  }

 protected:
  void reset_state() override {
    for (std::size_t i = 0; i < size(); ++i) Model::rest(constants_, state_, i);
    std::fill(state_.refractory_left.begin(), state_.refractory_left.end(), std::uint32_t{0});
    active_.resize(size());
    off_rest_count_ = 0;
    dense_hint_ = false;
  }
  void after_reset() override {
    if constexpr (integer_state) {
      // Initial values were written in the variable's unit: quantise them into the state.
      for (std::size_t k = 0; k < Model::variables.size(); ++k) {
        if (!initial_written_[k]) continue;
        for (std::size_t i = 0; i < size(); ++i) state_.var[k][i] = Model::from_float(constants_, k, mirror_[k][i]);
        initial_written_[k] = false;
      }
    }
    collect_off_rest();
  }
  std::span<float> mutable_values(std::size_t variable) override {
    if constexpr (integer_state) {
      (void)dequantised(variable);
      initial_written_.at(variable) = true;
      return mirror_[variable];
    } else {
      return state_.var.at(variable);
    }
  }

 private:
  static constexpr std::size_t receptor_count = Model::receptors.size();
  using Value = typename Model::State::value_type;
  static constexpr bool integer_state = !std::is_same_v<Value, float>;
  static constexpr bool integer_model = requires { Model::precision; };
  // Models whose every sub-threshold state is a fixed point (IF) say so: their neurons receiving
  // input at rest are stepped in place instead of joining the active set (step_active).
  static constexpr bool rests_after_input = requires { requires Model::rests_after_input; };
  static typename Model::Constants derive(const typename Model::Parameters& parameters, const TimeBase& time) {
    if constexpr (integer_model) {
      return Model::derive(parameters, time, Model::fallback_scale(parameters));
    } else {
      return Model::derive(parameters, time);
    }
  }
  // The state of an integer model in the variable's unit, refreshed on each call.
  std::span<const float> dequantised(std::size_t variable) const {
    std::vector<float>& out = mirror_.at(variable);
    const auto& in = state_.var.at(variable);
    out.resize(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) out[i] = Model::to_float(constants_, variable, in[i]);
    return out;
  }
  using InputRows = std::array<float*, receptor_count>;  // this tick's row of each receptor

  typename Model::Parameters parameters_;
  TimeBase time_;
  typename Model::Constants constants_;
  // Every neuron's state, but for the members of active_, whose state is the copy in active_
  // (publish_active() writes it back for readers; hence mutable).
  mutable typename Model::State state_;
  // Integer models: the state in the variables' units, for recording and initial values.
  mutable std::array<std::vector<float>, Model::variables.size()> mirror_;
  std::array<bool, Model::variables.size()> initial_written_{};
  std::vector<std::uint32_t> scratch_;    // this tick's spikes, filled without a call per spike
  // Event mode, sparse regime: the neurons off rest after the last tick, with their state.
  using ActiveSet = ActiveStates<typename Model::State, receptor_count>;
  mutable ActiveSet active_;
  std::size_t off_rest_count_ = 0;     // event mode: neurons off rest after the last tick
  std::vector<std::uint32_t> announced_;  // this tick's announced neurons
  std::vector<std::uint32_t> fed_;        // positions in active_ given input this tick
  std::vector<std::uint32_t> in_place_fired_;  // rests_after_input: spikes of neurons stepped in place
  std::vector<std::uint32_t> late_joiners_;    // rests_after_input: stepped in place, still off rest
  std::vector<std::uint32_t> spiked_;     // dense loop: 1 where the neuron spiked (32 bits like the state)
  bool dense_hint_ = false;               // event mode: the previous tick was mostly active

  // Whether neurons of these parameters can come to rest at all (a model that can tell says so
  // with rests(c)); when not, the dense loop runs the model's step_snapping<false>, the same
  // equations as step() for such parameters, compiled without the snap.
  static bool model_rests(const typename Model::Constants& c) {
    if constexpr (requires { Model::rests(c); }) {
      return Model::rests(c);
    } else {
      return true;
    }
  }
  template <bool Snap>
  static bool step_neuron(const typename Model::Constants& c, const typename Model::State::View& view, std::size_t i,
                          const float* input) {
    if constexpr (requires { Model::template step_snapping<Snap>(c, view, i, input); }) {
      return Model::template step_snapping<Snap>(c, view, i, input);
    } else {
      return Model::step(c, view, i, input);
    }
  }

  // The neuron's inputs of this tick, one per receptor (unrolled: no inner loop).
  static std::array<float, receptor_count> inputs_at(const InputRows& in, std::size_t i) {
    return [&]<std::size_t... R>(std::index_sequence<R...>) {
      return std::array<float, receptor_count>{in[R][i]...};
    }(std::make_index_sequence<receptor_count>{});
  }

  // Input arrived (any bit set in the neuron's inputs) or the neuron is off its fixed point;
  // bitwise operators, not && / ||, so that the loops calling it stay free of branches.
  static bool is_active(const typename Model::Constants& c, const typename Model::State::View& view,
                        const float* input, std::size_t i) {
    const std::uint32_t input_bits = [&]<std::size_t... R>(std::index_sequence<R...>) {
      return (std::bit_cast<std::uint32_t>(input[R]) | ...);  // unrolled: no inner loop
    }(std::make_index_sequence<receptor_count>{});
    return static_cast<bool>(static_cast<int>(input_bits != 0) | static_cast<int>(!Model::at_rest(c, view, i)));
  }

  // The sparse event-mode tick. Neurons announced for this tick that are not members of active_
  // (at rest, so their state in the SoA arrays is current) join it if their input is really
  // there (an announced write may have summed to +0.0); every member's input is moved from the
  // rows into active_, and the rows are cleared. Then one vectorised loop steps every member in
  // active_'s compact arrays and counts the active ones (input, or off rest before the step:
  // members back at rest without input are stepped too, an exact no-op, and not counted).
  // Members back at rest leave in batches. Returns (active neurons, spikes); spikes come out
  // ascending, as from the dense loop (downstream sums depend on the order).
  std::pair<std::size_t, std::size_t> step_active(Tick tick, const typename Model::Constants& c,
                                                  const typename Model::State::View& view, const InputRows& rows,
                                                  std::uint32_t* fired) {
    announced_.clear();
    noted(tick).for_each([&](std::uint32_t neuron) { announced_.push_back(neuron); });
    // Announced neurons are scattered: request all their lines before the first is needed (the
    // state in the SoA arrays is read when the neuron joins, as most announced neurons do when
    // activity is sparse).
    const std::uint32_t* position_of = active_.position_data();
    for (const std::uint32_t neuron : announced_) {
      __builtin_prefetch(position_of + neuron);
      for (std::size_t r = 0; r < receptor_count; ++r) __builtin_prefetch(rows[r] + neuron, 1);
      prefetch_neuron(view, neuron);
    }
    fed_.clear();
    in_place_fired_.clear();
    late_joiners_.clear();
    std::size_t in_place_count = 0;
    const bool snap = model_rests(c);
    for (const std::uint32_t neuron : announced_) {
      const std::array<float, receptor_count> input = inputs_at(rows, neuron);
      for (std::size_t r = 0; r < receptor_count; ++r) rows[r][neuron] = 0.0F;
      std::uint32_t j = active_.position(neuron);
      if (j == ActiveSet::none) {
        if (!is_active(c, view, input.data(), neuron)) continue;
        if constexpr (rests_after_input) {
          // Stepped where it lies: such a neuron is almost always back at rest after its step,
          // so joining the set would cost two copies for one step. One still off rest joins
          // after the members' loop (which must not step it a second time this tick).
          ++in_place_count;
          const bool spiked = snap ? step_neuron<true>(c, view, neuron, input.data())
                                   : step_neuron<false>(c, view, neuron, input.data());
          if (spiked) in_place_fired_.push_back(neuron);
          if (!Model::at_rest(c, view, neuron)) late_joiners_.push_back(neuron);
          continue;
        }
        j = active_.join(view, neuron);
      }
      for (std::size_t r = 0; r < receptor_count; ++r) active_.input(r, j) = input[r];
      fed_.push_back(j);
    }

    const std::size_t members = active_.size();
    const InputRows member_inputs = active_.input_rows();
    const typename Model::State::View here = active_.view();
    std::uint32_t* flags = active_.flags();
    // Members [begin, end) stepped; returns (active << 32) | spikes — each below 2^32
    // (populations have < 2^32 neurons, EventEngine checks), so block sums do not mix them.
    // Threads take whole blocks of positions; each member's step is the same whichever runs it.
    const auto member_block = [&](const std::size_t begin, const std::size_t end) -> std::uint64_t {
      std::uint64_t counts = 0;
      run_vectorised([&]() __attribute__((always_inline)) {
        const auto member_loop = [&]<bool Snap>() __attribute__((always_inline)) {
          // Counters, bounds and constants local to the loop: as captures (references) the compiler
          // must assume that the stores into the state arrays may change them, and leaves the loop scalar.
          const typename Model::Constants k = c;
          const std::size_t first = begin;
          const std::size_t last = end;
          std::uint32_t active = 0;
          std::uint32_t spiked = 0;
#pragma GCC ivdep
          for (std::size_t j = first; j < last; ++j) {
            const auto input = inputs_at(member_inputs, j);
            active += is_active(k, here, input.data(), j) ? 1U : 0U;
            const std::uint32_t flag = step_neuron<Snap>(k, here, j, input.data()) ? 1U : 0U;
            flags[j] = flag;
            spiked += flag;
          }
          counts = (std::uint64_t{active} << 32) | spiked;
        };
        if (model_rests(c)) {
          member_loop.template operator()<true>();
        } else {
          member_loop.template operator()<false>();
        }
      });
      return counts;
    };
    const std::uint64_t counts = sum_over_blocks(workers(), members, population_step_block_min, population_block_align, member_block);
    const auto active_count = static_cast<std::uint32_t>(counts >> 32);
    const auto spike_count = static_cast<std::uint32_t>(counts & 0xFFFFFFFFU);
    for (const std::uint32_t j : fed_) {
      for (std::size_t r = 0; r < receptor_count; ++r) member_inputs[r][j] = 0.0F;
    }
    // Spikes: positions to neurons, ascending (positions are in no particular order).
    std::size_t fired_count = spike_count == 0 ? 0 : append_flagged(flags, members, fired);
    const std::uint32_t* member = active_.members();
    for (std::size_t k = 0; k < fired_count; ++k) fired[k] = member[fired[k]];
    for (const std::uint32_t neuron : in_place_fired_) fired[fired_count++] = neuron;
    std::sort(fired, fired + fired_count);

    // Members that were at rest before the step and got no input are still at rest: the resting
    // members as the loop's count sees them, one tick late (those that came to rest in this step
    // show up next tick). That is enough for the two uses, neither of which changes a result:
    // the dense-regime estimate, and when to compact. Leaving costs a write to the SoA arrays
    // per neuron: it is done once resting members are a quarter of the set, so that the loop's
    // wasted steps stay below a third of its work.
    const std::size_t idle = members - active_count;
    off_rest_count_ = active_count + late_joiners_.size();
    if (4 * idle > members) {
      active_.compact(view, [&c](const typename Model::State::View& s, std::size_t j) { return Model::at_rest(c, s, j); });
    }
    for (const std::uint32_t neuron : late_joiners_) active_.join(view, neuron);
    return {active_count + in_place_count, fired_count};
  }

  // active_ <- every neuron not at rest (a scan of all N: at reset and when leaving the dense regime).
  void collect_off_rest() {
    const typename Model::State::View view = state_.view();
    active_.release(view);
    for (std::size_t i = 0; i < size(); ++i) {
      if (!Model::at_rest(constants_, view, i)) active_.join(view, static_cast<std::uint32_t>(i));
    }
    off_rest_count_ = active_.size();
  }

  // The SoA arrays <- the members' state, for readers (the members keep their copies).
  void publish_active() const { active_.write_back(state_.view()); }
};

}  // namespace tandem::neurons
