// A process per chip (core/chip_blocks.hpp, docs/mpi.md): the blocks cut from a mapping against a
// straightforward re-computation from the cores the mapping lists (CoreLoad, what the energy
// report shows), over many sizes, boards and placements; input slices, pinned cores and the
// refused cases by hand.
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/chip_blocks.hpp"
#include "core/error.hpp"
#include "tests/energy/mapping_test_nodes.hpp"

using namespace tandem;
using testing::chip;
using testing::node;

namespace {

// Per spiking node, the units on each chip summed over the cores holding it, in the order the
// cores were taken; a population's cores must visit the chips in ascending order, so its block
// on chip c starts after its units on chips 0..c-1. Without input slices (each unit on one core).
PopulationBlocks recomputed(const CoreMapping& mapping, const std::vector<NodeCounters>& nodes, std::size_t cores_per_chip) {
  const std::size_t chips = mapping.board().chips_x * mapping.board().chips_y;
  PopulationBlocks blocks;
  for (const NodeCounters& n : nodes) {
    if (n.kind != NodeKind::spiking) continue;
    std::vector<std::size_t> units(chips, 0);
    std::size_t last_chip = 0;
    for (const CoreLoad& load : mapping.cores()) {
      for (std::size_t k = 0; k < load.nodes.size(); ++k) {
        if (load.nodes[k] != n.node) continue;
        const std::size_t on_chip = load.core / cores_per_chip;
        CHECK(on_chip == load.chip_y * mapping.board().chips_x + load.chip_x);
        CHECK(on_chip >= last_chip);  // the cores of a population visit the chips in order
        last_chip = on_chip;
        units[on_chip] += load.node_units[k];
      }
    }
    std::size_t first = 0;
    for (const std::size_t count : units) {
      blocks[n.node].push_back({first, first + count});
      first += count;
    }
    CHECK(first == n.units);
  }
  return blocks;
}

// `got` holds `expected`, block by block: (begin, end) per chip.
void check_blocks(const std::vector<OwnedBlock>& got, const std::vector<std::pair<std::size_t, std::size_t>>& expected) {
  REQUIRE(got.size() == expected.size());
  for (std::size_t c = 0; c < expected.size(); ++c) {
    INFO("chip " << c);
    CHECK(got[c].begin == expected[c].first);
    CHECK(got[c].end == expected[c].second);
  }
}

void check_same(const PopulationBlocks& got, const PopulationBlocks& expected) {
  REQUIRE(got.size() == expected.size());
  for (const auto& [name, blocks] : expected) {
    INFO("population " << name);
    REQUIRE(got.contains(name));
    REQUIRE(got.at(name).size() == blocks.size());
    for (std::size_t c = 0; c < blocks.size(); ++c) {
      INFO("chip " << c);
      CHECK(got.at(name)[c].begin == blocks[c].begin);
      CHECK(got.at(name)[c].end == blocks[c].end);
    }
  }
}

}  // namespace

TEST_CASE("chip blocks: fill and balance placements equal the units each chip's cores hold", "[energy][mapping][mpi]") {
  std::size_t boards_spanned = 0;
  std::size_t empty_blocks = 0;
  for (const Placement placement : {Placement::fill, Placement::balance}) {
    for (const std::size_t per_core : {1U, 3U, 4U}) {
      for (const std::size_t chips_x : {1U, 2U, 3U}) {
        for (const std::size_t chips_y : {1U, 2U}) {
          for (const std::size_t size : {1U, 5U, 13U}) {
            // Spike sources and a dense node share the cores but own no blocks.
            const std::vector<NodeCounters> nodes{node("in", NodeKind::input, 3), node("a", NodeKind::spiking, size),
                                                  node("dense", NodeKind::dense, 2), node("b", NodeKind::spiking, 7),
                                                  node("c", NodeKind::spiking, 2 * size + 1)};
            const ChipModel model = chip(2, 2, per_core);
            INFO("placement " << static_cast<int>(placement) << ", " << per_core << " per core, board " << chips_x
                              << "x" << chips_y << ", size " << size);
            std::optional<CoreMapping> mapping;
            try {
              mapping.emplace(nodes, std::vector<TrafficEdge>{}, model, BoardLayout{chips_x, chips_y}, placement);
            } catch (const InputError&) {
              continue;  // does not fit this board
            }
            const PopulationBlocks blocks = chip_blocks(*mapping, nodes);
            check_same(blocks, recomputed(*mapping, nodes, model.cores()));
            if (mapping->cores().back().core / model.cores() > 0) ++boards_spanned;
            for (const auto& [name, chips] : blocks) {
              for (const OwnedBlock& block : chips) empty_blocks += block.begin == block.end ? 1 : 0;
            }
          }
        }
      }
    }
  }
  CHECK(boards_spanned > 20);  // the sweep really puts populations on several chips
  CHECK(empty_blocks > 20);    // and leaves some chips without some population
}

TEST_CASE("chip blocks: by hand, a population across two chips, one on a single chip, an empty third chip", "[energy][mapping][mpi]") {
  // Chips of 2 cores × 4 units; fill: in (3) on core 0; a (10) does not fit the rest of core 0,
  // so 4 units on core 1 (chip 0), 4 on core 2 and 2 on core 3 (chip 1); b (2) shares core 3.
  const std::vector<NodeCounters> nodes{node("in", NodeKind::input, 3), node("a", NodeKind::spiking, 10),
                                        node("b", NodeKind::spiking, 2)};
  const CoreMapping mapping(nodes, {}, chip(2, 1, 4), BoardLayout{3, 1});
  const PopulationBlocks blocks = chip_blocks(mapping, nodes);
  REQUIRE(blocks.size() == 2);
  check_blocks(blocks.at("a"), {{0, 4}, {4, 10}, {10, 10}});
  check_blocks(blocks.at("b"), {{0, 0}, {0, 2}, {2, 2}});
}

TEST_CASE("chip blocks: a unit split into input slices lives on its first slice's chip", "[energy][mapping][mpi]") {
  // Fan-in 20 on 8-axon cores: three slices per piece. 6 units at 4 per core on chips of 2 cores:
  // units 0-3 as slices on cores 0, 1 (chip 0) and 2 (chip 1); units 4-5 on cores 3 (chip 1), 4, 5.
  const std::vector<NodeCounters> nodes{node("wide", NodeKind::spiking, 6, 20)};
  const CoreMapping mapping(nodes, {}, chip(2, 1, 4), BoardLayout{3, 1});
  REQUIRE(mapping.cores_used() == 6);
  const PopulationBlocks blocks = chip_blocks(mapping, nodes);
  check_blocks(blocks.at("wide"), {{0, 4}, {4, 6}, {6, 6}});
}

TEST_CASE("chip blocks: pinned cores in chip order are cut, out of order or back again are refused by name",
          "[energy][mapping][mpi]") {
  const std::vector<NodeCounters> nodes{node("pop", NodeKind::spiking, 8)};
  const ChipModel model = chip(2, 1, 4);  // chips of 2 cores: cores 0-1 chip 0, 2-3 chip 1, 4-5 chip 2
  const auto pinned = [&](std::vector<std::size_t> cores) {
    return CoreMapping(nodes, {}, model, BoardLayout{3, 1}, Placement::fill, PinnedCores{{"pop", std::move(cores)}});
  };
  // 8 units over cores 1, 2, 3: 3, 3, 2; chip 0 holds 3, chip 1 holds 5, chip 2 none.
  const PopulationBlocks in_order = chip_blocks(pinned({1, 2, 3}), nodes);
  check_blocks(in_order.at("pop"), {{0, 3}, {3, 8}, {8, 8}});
  CHECK_THROWS_WITH(chip_blocks(pinned({4, 0}), nodes),
                    Catch::Contains("population 'pop' is placed on chips 2, 0") && Catch::Contains("out of order"));
  CHECK_THROWS_WITH(chip_blocks(pinned({0, 2, 1}), nodes),
                    Catch::Contains("chips 0, 1, 0") && Catch::Contains("chip 0's neurons are not one contiguous range"));
}
