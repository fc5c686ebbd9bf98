// Connectivity rules: counts, self-connections, determinism, delays, memory per synapse.
#include <catch2/catch.hpp>
#include <set>

#include "core/error.hpp"
#include "neurons/projection.hpp"

using namespace tandem;
using namespace tandem::neurons;

namespace {
Projection build(const ProjectionSpec& spec, std::size_t n_source, std::size_t n_target, bool same,
                 std::uint64_t seed = 5) {
  return Projection(spec, n_source, n_target, same, 0, TimeBase(0.1), seed);
}
}  // namespace

TEST_CASE("projection: all-to-all and one-to-one", "[neurons][projection]") {
  const auto all = build({.name = "p", .rule = Rule::all_to_all, .weight = 1.0F}, 4, 4, true);
  CHECK(all.synapse_count() == 12);  // no autapses
  const auto with_self = build({.name = "p", .rule = Rule::all_to_all, .allow_autapses = true, .weight = 1.0F}, 4, 4, true);
  CHECK(with_self.synapse_count() == 16);
  const auto diagonal = build({.name = "p", .rule = Rule::one_to_one, .weight = 1.0F}, 5, 5, false);
  CHECK(diagonal.synapse_count() == 5);
  for (std::uint32_t s = 0; s < 5; ++s) CHECK(diagonal.target_of(diagonal.row_begin(s)) == s);
  CHECK_THROWS_AS(build({.name = "p", .rule = Rule::one_to_one}, 5, 4, false), InputError);
}

TEST_CASE("projection: fixed in-degree gives every target exactly k sources, never itself", "[neurons][projection]") {
  const auto p = build({.name = "ee", .rule = Rule::fixed_in_degree, .in_degree = 50, .weight = 0.1F, .delay_ms = 1.5},
                       200, 200, true);
  CHECK(p.synapse_count() == 200 * 50);
  for (const auto degree : p.in_degrees(200)) CHECK(degree == 50);
  for (std::uint32_t s = 0; s < 200; ++s) {
    for (std::uint64_t k = p.row_begin(s); k < p.row_begin(s) + p.row_length(s); ++k) CHECK(p.target_of(k) != s);
  }
  CHECK(p.delay_of(0) == 15);
  CHECK(p.bytes_per_synapse() == 4);  // uniform weight and delay: only the target index
}

TEST_CASE("projection: fixed probability matches p within sampling error and is seeded", "[neurons][projection]") {
  const ProjectionSpec spec{.name = "ee", .rule = Rule::fixed_probability, .probability = 0.02, .weight = 0.6F};
  const auto a = build(spec, 1000, 1000, true, 1);
  const auto b = build(spec, 1000, 1000, true, 1);
  const auto c = build(spec, 1000, 1000, true, 2);
  // Mean 0.02·999000 = 19980, sd ≈ 140: a 5-sd window.
  CHECK(a.synapse_count() > 19280);
  CHECK(a.synapse_count() < 20680);
  CHECK(a.synapse_count() == b.synapse_count());
  bool same = a.synapse_count() == c.synapse_count();
  for (std::size_t k = 0; same && k < a.synapse_count(); ++k) same = a.target_of(k) == c.target_of(k);
  CHECK_FALSE(same);
  // Targets within a row are distinct and ascending (no multapses with this rule).
  for (std::uint32_t s = 0; s < 1000; ++s) {
    for (std::uint64_t k = a.row_begin(s) + 1; k < a.row_begin(s) + a.row_length(s); ++k) {
      CHECK(a.target_of(k - 1) < a.target_of(k));
    }
  }
  CHECK_THROWS_AS(build({.name = "bad", .rule = Rule::fixed_probability, .probability = 1.5}, 3, 3, false), InputError);
}

TEST_CASE("projection: explicit lists keep weights and per-synapse delays", "[neurons][projection]") {
  const auto p = build({.name = "x", .rule = Rule::explicit_list,
                        .synapses = {{2, 0, 0.5F, 0.3}, {0, 1, -1.0F, 0.1}, {2, 1, 2.0F, 1.0}}},
                       3, 2, false);
  REQUIRE(p.synapse_count() == 3);
  CHECK(p.row_length(0) == 1);
  CHECK(p.row_length(1) == 0);
  CHECK(p.row_length(2) == 2);
  CHECK(p.weight_of(0) == -1.0F);
  CHECK(p.delay_of(1) == 3);
  CHECK(p.delay_of(2) == 10);
  CHECK(p.max_delay_ticks() == 10);
  CHECK(p.bytes_per_synapse() == 9);
  CHECK_THROWS_AS(build({.name = "x", .rule = Rule::explicit_list, .synapses = {{0, 5, 1.0F, 0.1}}}, 3, 2, false),
                  InputError);
  CHECK_THROWS_AS(build({.name = "x", .rule = Rule::explicit_list, .synapses = {{0, 0, 1.0F, 0.05}}}, 3, 2, false),
                  InputError);
}
