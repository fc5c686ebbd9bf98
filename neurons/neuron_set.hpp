// A set of neuron indices of one population, for the event engine's active sets: one bit per
// neuron plus one summary bit per 64-neuron word. Inserting is O(1) and idempotent (a neuron
// that receives many spikes is one member), members come out in ascending order — so the
// neurons are visited in memory order — and visiting or clearing costs O(members + N/4096),
// not O(N).
#pragma once

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
    summary_[w / word_bits] |= Word{1} << (w % word_bits);
  }
  [[nodiscard]] bool contains(std::uint32_t neuron) const {
    return ((words_[neuron / word_bits] >> (neuron % word_bits)) & 1U) != 0;
  }
  [[nodiscard]] std::size_t word_count() const { return words_.size(); }
  [[nodiscard]] Word word(std::size_t w) const { return words_[w]; }
  [[nodiscard]] Word summary(std::size_t s) const { return summary_[s]; }
  [[nodiscard]] std::size_t summary_count() const { return summary_.size(); }
  // Replaces word w (its summary bit follows).
  void set_word(std::size_t w, Word bits) {
    words_[w] = bits;
    const Word mark = Word{1} << (w % word_bits);
    summary_[w / word_bits] = bits != 0 ? (summary_[w / word_bits] | mark) : (summary_[w / word_bits] & ~mark);
  }
  // Empties the set, touching only the words that hold members.
  void clear() {
    for (std::size_t s = 0; s < summary_.size(); ++s) {
      for (Word marks = summary_[s]; marks != 0; marks &= marks - 1) {
        words_[s * word_bits + static_cast<std::size_t>(std::countr_zero(marks))] = 0;
      }
      summary_[s] = 0;
    }
  }
  // visit(w) for every word index w holding a member of `a` or of `b`, ascending.
  template <typename Visit>
  static void for_each_word(const NeuronSet& a, const NeuronSet& b, Visit&& visit) {
    for (std::size_t s = 0; s < a.summary_.size(); ++s) {
      for (Word marks = a.summary_[s] | b.summary_[s]; marks != 0; marks &= marks - 1) {
        visit(s * word_bits + static_cast<std::size_t>(std::countr_zero(marks)));
      }
    }
  }
  // visit(neuron) for every member, ascending.
  template <typename Visit>
  void for_each(Visit&& visit) const {
    for_each_word(*this, *this, [&](std::size_t w) {
      for (Word bits = words_[w]; bits != 0; bits &= bits - 1) {
        visit(static_cast<std::uint32_t>(w * word_bits + static_cast<std::size_t>(std::countr_zero(bits))));
      }
    });
  }

 private:
  std::vector<Word> words_;
  std::vector<Word> summary_;
};

}  // namespace tandem::neurons
