// A set of neuron indices of one population, for the event engine's announced inputs: one bit per
// neuron plus one summary bit per 64-neuron word. Inserting is O(1) and idempotent (a neuron
// that receives many spikes is one member), members come out in ascending order — so the
// neurons are visited in memory order — and visiting or clearing costs O(members + N/4096),
// not O(N). Threads may insert concurrently when each writes its own 64-neuron words (blocks
// aligned to word_bits): the summary words, shared by 4096 neurons, are set atomically.
#pragma once

#include <atomic>
#include <bit>
#include <cstdint>
#include <vector>

namespace tandem::neurons {

class NeuronSet {
 public:
  using Word = std::uint64_t;
  static constexpr std::size_t word_bits = 64;

  void resize(std::size_t neurons) {
    words_.assign((neurons + word_bits - 1) / word_bits, 0);
    summary_.assign((words_.size() + word_bits - 1) / word_bits, 0);
  }
  void insert(std::uint32_t neuron) {
    const std::size_t w = neuron / word_bits;
    words_[w] |= Word{1} << (neuron % word_bits);
    // Set once per word and tick: later inserts only read it (a plain load on x86).
    std::atomic_ref<Word> summary(summary_[w / word_bits]);
    const Word mark = Word{1} << (w % word_bits);
    if ((summary.load(std::memory_order_relaxed) & mark) == 0) summary.fetch_or(mark, std::memory_order_relaxed);
  }
  [[nodiscard]] bool contains(std::uint32_t neuron) const {
    return ((words_[neuron / word_bits] >> (neuron % word_bits)) & 1U) != 0;
  }
  [[nodiscard]] std::size_t word_count() const { return words_.size(); }
  [[nodiscard]] Word word(std::size_t w) const { return words_[w]; }
  // Empties the set, touching only the words that hold members.
  void clear() {
    for (std::size_t s = 0; s < summary_.size(); ++s) {
      for (Word marks = summary_[s]; marks != 0; marks &= marks - 1) {
        words_[s * word_bits + static_cast<std::size_t>(std::countr_zero(marks))] = 0;
      }
      summary_[s] = 0;
    }
  }
  // visit(neuron) for every member, ascending.
  template <typename Visit>
  void for_each(Visit&& visit) const {
    for (std::size_t s = 0; s < summary_.size(); ++s) {
      for (Word marks = summary_[s]; marks != 0; marks &= marks - 1) {
        const std::size_t w = s * word_bits + static_cast<std::size_t>(std::countr_zero(marks));
        for (Word bits = words_[w]; bits != 0; bits &= bits - 1) {
          visit(static_cast<std::uint32_t>(w * word_bits + static_cast<std::size_t>(std::countr_zero(bits))));
        }
      }
    }
  }

 private:
  std::vector<Word> words_;
  std::vector<Word> summary_;
};

}  // namespace tandem::neurons
