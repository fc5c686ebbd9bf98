// NeuronSet, the bitmap behind the event engine's announced inputs, against a std::set reference.
#include <catch2/catch.hpp>
#include <set>
#include <vector>

#include "core/random.hpp"
#include "neurons/neuron_set.hpp"

using namespace tandem;
using tandem::neurons::NeuronSet;

TEST_CASE("neuron set: members come out ascending, once, as in a std::set", "[neurons][active]") {
  for (const std::size_t n : {1UL, 63UL, 64UL, 65UL, 4096UL, 4097UL, 100000UL}) {
    NeuronSet set;
    set.resize(n);
    std::set<std::uint32_t> reference;
    RandomStream random(n);
    for (int k = 0; k < 500; ++k) {
      const auto neuron = static_cast<std::uint32_t>(random.below(n));
      set.insert(neuron);
      set.insert(neuron);  // twice: still one member
      reference.insert(neuron);
    }
    std::vector<std::uint32_t> members;
    set.for_each([&](std::uint32_t neuron) { members.push_back(neuron); });
    INFO("n = " << n);
    CHECK(members == std::vector<std::uint32_t>(reference.begin(), reference.end()));
    for (const std::uint32_t neuron : reference) CHECK(set.contains(neuron));
    set.clear();
    members.clear();
    set.for_each([&](std::uint32_t neuron) { members.push_back(neuron); });
    CHECK(members.empty());
    for (std::size_t w = 0; w < set.word_count(); ++w) CHECK(set.word(w) == 0);
  }
}
