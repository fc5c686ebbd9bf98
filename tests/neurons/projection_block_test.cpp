// A projection built for one process's block of targets (docs/mpi.md) holds exactly the whole
// projection's synapses onto the block: same targets, weights, delays, CSR order, for every rule.
#include <catch2/catch.hpp>

#include "neurons/projection.hpp"

using namespace tandem;
using namespace tandem::neurons;

namespace {

struct Synapse {
  std::uint32_t target;
  float weight;
  Tick delay;
  bool operator==(const Synapse&) const = default;
};

// Row `source` of `projection` as stored, keeping only targets in [begin, end).
std::vector<Synapse> row_onto(const Projection& projection, std::uint32_t source, std::size_t begin, std::size_t end) {
  std::vector<Synapse> row;
  for (std::uint64_t k = projection.row_begin(source); k < projection.row_begin(source) + projection.row_length(source); ++k) {
    if (projection.target_of(k) >= begin && projection.target_of(k) < end) {
      row.push_back({projection.target_of(k), projection.weight_of(k), projection.delay_of(k)});
    }
  }
  return row;
}

// Every row of `block` equals the corresponding row of `whole` restricted to [begin, end).
void check_block_matches_whole(const ProjectionSpec& spec, std::size_t n_source, std::size_t n_target, bool same,
                               std::size_t begin, std::size_t end) {
  const TimeBase time(0.1);
  const Projection whole(spec, n_source, n_target, same, 0, time, 11);
  const Projection block(spec, n_source, n_target, same, 0, time, 11, TargetBlock{begin, end});
  CHECK(block.min_delay_ticks() == whole.min_delay_ticks());
  std::size_t expected_synapses = 0;
  for (std::uint32_t s = 0; s < n_source; ++s) {
    const std::vector<Synapse> expected = row_onto(whole, s, begin, end);
    REQUIRE(row_onto(block, s, 0, n_target) == expected);
    expected_synapses += expected.size();
  }
  REQUIRE(block.synapse_count() == expected_synapses);
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

TEST_CASE("projection: rows grouped by target blocks keep each block's synapses in order", "[neurons][projection][threads]") {
  const TimeBase time(0.1);
  std::vector<float> weights(200 * 30);
  for (std::size_t k = 0; k < weights.size(); ++k) weights[k] = 0.01F * static_cast<float>(k % 89) - 0.2F;
  const std::vector<ProjectionSpec> specs = {
      {.name = "in", .rule = Rule::fixed_in_degree, .in_degree = 30, .weights = weights, .delay_ms = 0.1, .delay_max_ms = 1.5},
      {.name = "prob", .rule = Rule::fixed_probability, .probability = 0.2, .weight = 0.5F},
  };
  for (const auto& spec : specs) {
    const Projection original(spec, 200, 200, true, 0, time, 5);
    Projection grouped(spec, 200, 200, true, 0, time, 5);
    const std::vector<std::uint32_t> bounds = {0, 64, 128, 200};
    grouped.group_by_target_blocks(bounds);
    REQUIRE(grouped.part_count() == 3);
    for (std::uint32_t s = 0; s < 200; ++s) {
      INFO(spec.name << " source " << s);
      std::size_t in_parts = 0;
      for (std::size_t part = 0; part < 3; ++part) {
        // Part k is a slice of the grouped row holding the original row's synapses onto block k.
        const std::vector<Synapse> expected = row_onto(original, s, bounds[part], bounds[part + 1]);
        CHECK(grouped.part_row_length(s, part) == expected.size());
        std::uint64_t first = grouped.row_begin(s);
        for (std::size_t earlier = 0; earlier < part; ++earlier) first += grouped.part_row_length(s, earlier);
        std::vector<Synapse> slice;
        for (std::uint64_t k = first; k < first + grouped.part_row_length(s, part); ++k) {
          slice.push_back({grouped.target_of(k), grouped.weight_of(k), grouped.delay_of(k)});
        }
        CHECK(slice == expected);
        in_parts += expected.size();
      }
      CHECK(in_parts == original.row_length(s));
    }
    // Grouped again for two blocks: parts follow the new blocks, and one bound pair ungroups.
    grouped.group_by_target_blocks({0, 100, 200});
    CHECK(grouped.part_count() == 2);
    for (std::uint32_t s = 0; s < 200; ++s) CHECK(grouped.part_row_length(s, 0) == row_onto(original, s, 0, 100).size());
    grouped.group_by_target_blocks({0, 200});
    CHECK(grouped.part_count() == 0);
  }
}
