#include <catch2/catch.hpp>

#include "core/op_counts.hpp"

using namespace tandem;

TEST_CASE("op counts: add, subtract and name every kind", "[core][counters]") {
  OpCounts a;
  a.add(Op::synaptic_op, 10);
  a.add(Op::spike, 2);
  OpCounts b;
  b.add(Op::synaptic_op, 4);
  const OpCounts sum = a + b;
  CHECK(sum[Op::synaptic_op] == 14);
  CHECK(sum[Op::spike] == 2);
  CHECK((sum - b) == a);
  for (std::size_t i = 0; i < op_kind_count; ++i) {
    Op parsed{};
    REQUIRE(op_from_name(op_name(static_cast<Op>(i)), parsed));
    CHECK(parsed == static_cast<Op>(i));
  }
  Op unused{};
  CHECK_FALSE(op_from_name("joules", unused));
}
