// A projection built for one process's block of targets (docs/mpi.md) holds exactly the whole
// projection's synapses onto the block: same targets, weights, delays, CSR order, for every rule.
#include <catch2/catch.hpp>

#include "neurons/projection.hpp"

using namespace tandem;
using namespace tandem::neurons;

namespace {

// Every synapse of `block` equals the corresponding one of `whole` restricted to [begin, end).
void check_block_matches_whole(const ProjectionSpec& spec, std::size_t n_source, std::size_t n_target, bool same,
                               std::size_t begin, std::size_t end) {
  const TimeBase time(0.1);
  const Projection whole(spec, n_source, n_target, same, 0, time, 11);
  const Projection block(spec, n_source, n_target, same, 0, time, 11, TargetBlock{begin, end});
  const auto expected = whole.part_onto(static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end));
  REQUIRE(block.synapse_count() == expected->synapse_count());
  CHECK(block.min_delay_ticks() == whole.min_delay_ticks());
  for (std::uint32_t s = 0; s < n_source; ++s) REQUIRE(block.row_begin(s) == expected->row_begin(s));
  for (std::size_t k = 0; k < block.synapse_count(); ++k) {
    REQUIRE(block.target_of(k) == expected->target_of(k));
    REQUIRE(block.weight_of(k) == expected->weight_of(k));
    REQUIRE(block.delay_of(k) == expected->delay_of(k));
  }
}

}  // namespace

TEST_CASE("projection: a block of targets holds the whole projection's synapses onto it", "[neurons][projection][mpi]") {
  std::vector<float> weights(300 * 40);
  for (std::size_t k = 0; k < weights.size(); ++k) weights[k] = 0.01F * static_cast<float>(k % 97) - 0.3F;
  std::vector<ExplicitSynapse> listed;
  for (std::uint32_t k = 0; k < 500; ++k) listed.push_back({k % 37, (k * 7) % 300, 0.1F * static_cast<float>(k % 5), 0.1 * (1 + k % 4)});
  const std::vector<ProjectionSpec> specs = {
      {.name = "all", .rule = Rule::all_to_all, .weight = 0.5F, .delay_ms = 0.1, .delay_max_ms = 1.2},
      {.name = "one", .rule = Rule::one_to_one, .weight = 0.5F},
      {.name = "prob", .rule = Rule::fixed_probability, .probability = 0.1, .weight = 0.5F, .delay_ms = 0.2, .delay_max_ms = 0.9},
      {.name = "in", .rule = Rule::fixed_in_degree, .in_degree = 40, .weights = weights, .delay_ms = 0.1, .delay_max_ms = 1.5},
      {.name = "in_uniform", .rule = Rule::fixed_in_degree, .in_degree = 40, .weight = 0.2F, .delay_ms = 1.5},
      {.name = "list", .rule = Rule::explicit_list, .synapses = listed},
  };
  for (const auto& spec : specs) {
    for (const auto& [begin, end] : {std::pair<std::size_t, std::size_t>{0, 100}, {100, 201}, {201, 300}, {5, 5}}) {
      INFO(spec.name << " [" << begin << ", " << end << ")");
      check_block_matches_whole(spec, 300, 300, true, begin, end);
    }
  }
}
