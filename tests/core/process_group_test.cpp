// ProcessGroup::block_of (core/process_group.hpp): equal blocks by default, the blocks set per
// population (a process per chip) once given, and a bug — blocks that leave a population out or
// do not tile it in rank order — caught instead of silently mis-splitting the network.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "core/process_group.hpp"

using namespace tandem;

namespace {

// Rank `rank` of `ranks`, with no collective operation: block_of needs none.
class Ranks final : public ProcessGroup {
 public:
  Ranks(std::size_t rank, std::size_t ranks) : rank_(rank), ranks_(ranks) {}
  [[nodiscard]] std::size_t rank() const override { return rank_; }
  [[nodiscard]] std::size_t size() const override { return ranks_; }
  void all_gather(std::span<const std::uint32_t>, std::vector<std::uint32_t>&, std::vector<std::size_t>&) override {
    throw std::logic_error("not collective here");
  }
  void sum(std::span<std::uint64_t>) override { throw std::logic_error("not collective here"); }
  void max(std::span<std::uint64_t>) override { throw std::logic_error("not collective here"); }
  void or_to_first(std::span<std::uint32_t>) override { throw std::logic_error("not collective here"); }

 private:
  std::size_t rank_;
  std::size_t ranks_;
};

}  // namespace

TEST_CASE("process group: equal blocks until blocks are set, then each rank's own", "[core][mpi]") {
  Ranks group(1, 3);
  CHECK_FALSE(group.has_blocks());
  CHECK(group.block_of("exc", 10).begin == 3);
  CHECK(group.block_of("exc", 10).end == 6);
  group.set_blocks({{"exc", {{0, 10}, {10, 10}, {10, 10}}}, {"inh", {{0, 0}, {0, 4}, {4, 5}}}});
  CHECK(group.has_blocks());
  CHECK(group.block_of("exc", 10).begin == 10);
  CHECK(group.block_of("exc", 10).end == 10);  // empty: exc is all on chip 0
  CHECK(group.block_of("inh", 5).begin == 0);
  CHECK(group.block_of("inh", 5).end == 4);
  CHECK(group.block_of("inh", 5, 2).begin == 4);
  CHECK(group.block_of("inh", 5, 2).end == 5);
  CHECK_THROWS_AS(group.block_of("other", 5), std::logic_error);
  CHECK_THROWS_AS(group.block_of("inh", 6), std::logic_error);  // does not reach the end
  group.set_blocks({{"gap", {{0, 2}, {3, 4}, {4, 5}}}});
  CHECK_THROWS_AS(group.block_of("gap", 5), std::logic_error);
  group.set_blocks({{"short", {{0, 5}, {5, 5}}}});  // two blocks for three processes
  CHECK_THROWS_AS(group.block_of("short", 5), std::logic_error);
  group.set_blocks({});
  CHECK(group.block_of("exc", 10).begin == 3);
}
