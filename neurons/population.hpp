// Populations: N neurons of one model as SoA state behind a small virtual interface (one
// virtual call per population per tick). Every population owns the ring buffers of input
// pending for its neurons: per receptor, `slots` rows of N floats; row t % slots is tick t's.
#pragma once

#include <array>
#include <bit>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/op_counts.hpp"
#include "core/random.hpp"
#include "core/time.hpp"
#include "neurons/model.hpp"

namespace tandem::neurons {

// Runs `loop` (a neuron loop, inlined) compiled for AVX2 — 8 float lanes — when the CPU has it,
// else for the baseline target (SSE2 on x86-64: 4 lanes). Chosen at run time, so no -march flag
// is needed. Both perform the same IEEE operations lane by lane (AVX2 does not enable FMA), so
// the results are bit-identical on every machine.
template <typename Loop>
[[gnu::target("avx2")]] void run_avx2(const Loop& loop) {
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
  loop();
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

  // Back to the initial state (rest, then initial values), empty ring buffers.
  void reset(std::uint64_t seed);
  // Advances every neuron (always-on) or only active ones (event) through tick `tick`, reading
  // and then clearing tick's input row. Spiking neuron indices are appended in ascending order.
  // Counts neuron_update, neuron_update_skipped and spike into `executed`.
  virtual void step(Tick tick, bool event_mode, std::vector<std::uint32_t>& spikes, OpCounts& executed) = 0;
  // Current values of a state variable (N floats).
  [[nodiscard]] virtual std::span<const float> values(std::size_t variable) const = 0;

 protected:
  virtual void reset_state() = 0;
  virtual std::span<float> mutable_values(std::size_t variable) = 0;
  virtual void reset_sources(std::uint64_t /*seed*/) {}
  void clear_row(std::size_t receptor, Tick tick);
  // Writes the indices i < n with flags[i] != 0 to `fired` in ascending order; returns how many.
  // Skips 8 zero flags at a time: spikes are rare.
  static std::size_t append_flagged(const std::uint32_t* flags, std::size_t n, std::uint32_t* fired);

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
  std::vector<Initializer> initializers_;
};

// N neurons of `Model` (see model_list.hpp for the static interface a model provides).
template <typename Model>
class Population final : public PopulationBase {
 public:
  Population(std::string name, std::size_t size, const typename Model::Parameters& parameters, const TimeBase& time)
      : PopulationBase(std::move(name), size), parameters_(parameters), constants_(Model::derive(parameters, time)) {
    state_.resize(size);
    scratch_.resize(size + 1);
    active_.resize(size + 1);
    spiked_.resize(size);
  }

  [[nodiscard]] std::string_view model_name() const override { return Model::name; }
  [[nodiscard]] std::span<const Receptor> receptors() const override { return Model::receptors; }
  [[nodiscard]] std::span<const Variable> variables() const override { return Model::variables; }
  [[nodiscard]] std::span<const float> values(std::size_t variable) const override { return state_.var.at(variable); }
  [[nodiscard]] const typename Model::State& state() const { return state_; }
  [[nodiscard]] const typename Model::Constants& constants() const { return constants_; }
  [[nodiscard]] const typename Model::Parameters& parameters() const { return parameters_; }

  void step(Tick tick, bool event_mode, std::vector<std::uint32_t>& spikes, OpCounts& executed) override {
    constexpr std::size_t receptor_count = Model::receptors.size();
    std::array<float*, receptor_count> rows{};
    std::array<const float*, receptor_count> in{};
    for (std::size_t r = 0; r < receptor_count; ++r) in[r] = rows[r] = input_row(r, tick);
    const std::size_t n = size();
    // Local copies: the compiler can keep constants and pointers in registers across the
    // float stores of the loop, and spikes go to a preallocated buffer (no call in the loop).
    const typename Model::Constants c = constants_;
    const typename Model::State::View view = state_.view();
    std::uint32_t* fired = scratch_.data();
    std::size_t fired_count = 0;
    std::size_t updated = n;
    // Event mode: a neuron is active if input arrived (any bit set in its input rows) or it is
    // not at its exact fixed point. Mostly active populations take the vectorised loop over all
    // neurons instead of the gather over active ones; which loop runs changes only the speed,
    // because stepping an inactive neuron is an exact no-op (at_rest's definition; tested per
    // model), and the counters count only the active ones either way. The choice follows the
    // previous tick (dense_hint_): a population that stays mostly active then needs no separate
    // activity pass, as the dense loop counts the active neurons as it goes.
    bool dense = true;
    bool counted = !event_mode;
    if (event_mode && !dense_hint_) {
      std::uint32_t* active = active_.data();
      std::size_t active_count = 0;
      for (std::size_t i = 0; i < n; ++i) {
        active[active_count] = static_cast<std::uint32_t>(i);
        active_count += is_active(c, view, in, i) ? 1 : 0;
      }
      updated = active_count;
      counted = true;
      dense = 4 * active_count >= 3 * n;
      if (!dense) {
        for (std::size_t k = 0; k < active_count; ++k) {
          const std::uint32_t i = active[k];
          fired[fired_count] = i;
          fired_count += Model::step(c, view, i, in.data()) ? 1 : 0;
        }
      }
    }
    if (dense) {
      std::uint32_t* flags = spiked_.data();
      run_vectorised([&] {
        if (!counted) {
          std::uint32_t active_count = 0;  // populations have < 2^32 neurons (EventEngine checks)
          for (std::size_t i = 0; i < n; ++i) active_count += is_active(c, view, in, i) ? 1U : 0U;
          updated = active_count;
        }
#pragma GCC ivdep
        for (std::size_t i = 0; i < n; ++i) flags[i] = Model::step(c, view, i, in.data()) ? 1 : 0;
      });
      fired_count = append_flagged(flags, n, fired);
    }
    if (event_mode) dense_hint_ = 4 * updated >= 3 * n;
    spikes.insert(spikes.end(), fired, fired + fired_count);
    for (std::size_t r = 0; r < receptor_count; ++r) std::fill(rows[r], rows[r] + n, 0.0F);
    executed.add(Op::neuron_update, updated);
    executed.add(Op::neuron_update_skipped, n - updated);
    executed.add(Op::spike, fired_count);
  }

 protected:
  void reset_state() override {
    for (std::size_t i = 0; i < size(); ++i) Model::rest(constants_, state_, i);
    std::fill(state_.refractory_left.begin(), state_.refractory_left.end(), std::uint32_t{0});
    dense_hint_ = false;
  }
  std::span<float> mutable_values(std::size_t variable) override { return state_.var.at(variable); }

 private:
  typename Model::Parameters parameters_;
  typename Model::Constants constants_;
  typename Model::State state_;
  std::vector<std::uint32_t> scratch_;  // this tick's spikes, filled without a call per spike
  std::vector<std::uint32_t> active_;   // event mode: active neuron indices
  std::vector<std::uint32_t> spiked_;   // dense loop: 1 where the neuron spiked (32 bits like the state)
  bool dense_hint_ = false;             // event mode: the previous tick was mostly active

  // Input arrived (any bit set in the neuron's input rows) or the neuron is off its fixed point;
  // bitwise operators, not && / ||, so that the loops calling it stay free of branches.
  static bool is_active(const typename Model::Constants& c, const typename Model::State::View& view,
                        const std::array<const float*, Model::receptors.size()>& in, std::size_t i) {
    const std::uint32_t input_bits = [&]<std::size_t... R>(std::index_sequence<R...>) {
      return (std::bit_cast<std::uint32_t>(in[R][i]) | ...);  // unrolled: no inner loop
    }(std::make_index_sequence<Model::receptors.size()>{});
    return static_cast<bool>(static_cast<int>(input_bits != 0) | static_cast<int>(!Model::at_rest(c, view, i)));
  }
};

}  // namespace tandem::neurons
