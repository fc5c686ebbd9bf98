// The event engine's active set with its state: the neurons of a population that need an update,
// each with its state moved out of the population's SoA arrays into compact SoA arrays of its
// own (position j holds member j; positions are in no particular order).
//
// Why a copy and not indices into the population's arrays: active neurons are scattered over
// memory, so stepping them in place costs a cache miss per state array per neuron, the traffic
// of a whole cache line for one float (docs/performance.md#activity). Held compactly they are
// stepped by one vectorised loop over arrays that stay in cache from tick to tick; only
// neurons that join (input while at rest) or leave touch the population's arrays. While a
// neuron is a member, this copy is its state and the population's entry is stale until
// write_back().
//
// A member that comes back to rest stays a member until compact() (it costs the loop a no-op
// step: stepping a neuron at rest without input leaves its state unchanged), so that leaving
// is paid in batches and positions stay put between compactions.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <vector>

#include "neurons/model.hpp"

namespace tandem::neurons {

template <typename State, std::size_t Receptors>
class ActiveStates {
 public:
  using View = typename State::View;
  using InputRows = std::array<float*, Receptors>;
  static constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();

  // For a population of `neurons`; empties the set.
  void resize(std::size_t neurons) {
    position_.assign(neurons, none);
    size_ = 0;
  }
  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] const std::uint32_t* members() const { return members_.data(); }
  // Member position of `neuron`, or `none`.
  [[nodiscard]] std::uint32_t position(std::uint32_t neuron) const { return position_[neuron]; }
  [[nodiscard]] const std::uint32_t* position_data() const { return position_.data(); }
  // Pointers into the member arrays: valid until the next join() or compact().
  [[nodiscard]] View view() { return state_.view(); }
  // Per receptor, this tick's input of each member. All zero between ticks: the caller sets the
  // entries of members that received input and zeroes them after the step.
  [[nodiscard]] InputRows input_rows() {
    InputRows rows{};
    for (std::size_t r = 0; r < Receptors; ++r) rows[r] = inputs_[r].data();
    return rows;
  }
  [[nodiscard]] float& input(std::size_t receptor, std::size_t j) { return inputs_[receptor][j]; }
  // One flag per position for the stepping loop.
  [[nodiscard]] std::uint32_t* flags() { return flags_.data(); }

  // Makes `neuron` (not a member) a member, its state taken from `population`; returns its position.
  std::uint32_t join(const View& population, std::uint32_t neuron) {
    if (size_ == members_.size()) grow(size_ + 1);
    const auto j = static_cast<std::uint32_t>(size_++);
    copy_neuron(population, neuron, state_.view(), j);
    members_[j] = neuron;
    position_[neuron] = j;
    return j;
  }

  // The population's arrays <- the state of every member (they stay members).
  void write_back(const View& population) {
    const View here = state_.view();
    for (std::size_t j = 0; j < size_; ++j) copy_neuron(here, j, population, members_[j]);
  }
  // Writes every member back and empties the set.
  void release(const View& population) {
    write_back(population);
    for (std::size_t j = 0; j < size_; ++j) position_[members_[j]] = none;
    size_ = 0;
  }
  // Members j with leaves(view(), j) leave: their state goes back to `population`. The last
  // members fill the holes, so only the members that move change position.
  template <typename Leaves>
  void compact(const View& population, Leaves&& leaves) {
    const View here = state_.view();
    // The leaving neurons' lines in the population's arrays are requested first: they are
    // scattered and long out of cache.
    for (std::size_t j = 0; j < size_; ++j) {
      if (leaves(here, j)) prefetch_neuron(population, members_[j]);
    }
    std::size_t j = 0;
    while (j < size_) {
      if (!leaves(here, j)) {
        ++j;
        continue;
      }
      copy_neuron(here, j, population, members_[j]);
      position_[members_[j]] = none;
      const std::size_t last = --size_;
      if (j == last) break;
      // The last member moves into the hole (and is tested there on the next iteration).
      copy_neuron(here, last, here, j);
      members_[j] = members_[last];
      position_[members_[j]] = static_cast<std::uint32_t>(j);
    }
  }

 private:
  // Geometric growth, so a set that grows by a few neurons per tick reallocates rarely.
  void grow(std::size_t need) {
    const std::size_t capacity = std::max(need, members_.size() + members_.size() / 2 + 64);
    State bigger;
    bigger.resize(capacity);
    const View from = state_.view();
    const View to = bigger.view();
    for (std::size_t j = 0; j < size_; ++j) copy_neuron(from, j, to, j);
    state_ = std::move(bigger);
    members_.resize(capacity);
    for (auto& row : inputs_) row.resize(capacity, 0.0F);  // new entries zero, like the rest
    flags_.resize(capacity);
  }

  std::vector<std::uint32_t> members_;   // neuron of each position; its size is the capacity
  std::vector<std::uint32_t> position_;  // per neuron of the population: its position or `none`
  State state_;
  std::size_t size_ = 0;
  std::array<std::vector<float>, Receptors> inputs_;
  std::vector<std::uint32_t> flags_;
};

}  // namespace tandem::neurons
