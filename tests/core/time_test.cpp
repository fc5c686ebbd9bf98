#include <catch2/catch.hpp>
#include <limits>

#include "core/error.hpp"
#include "core/execution_mode.hpp"
#include "core/time.hpp"

using namespace tandem;

TEST_CASE("time: milliseconds convert to whole ticks", "[core][time]") {
  const TimeBase time(0.1);
  CHECK(time.ticks_from_ms(1.5, "delay") == 15);
  CHECK(time.exact_ticks_from_ms(2.0, "refractory") == 20);
  CHECK(time.ms_from_ticks(15) == Approx(1.5));
  CHECK_THROWS_AS(time.exact_ticks_from_ms(0.05, "delay"), InputError);
  CHECK_THROWS_WITH(time.ticks_from_ms(-1.0, "delay"), Catch::Contains("delay"));
  CHECK_THROWS_AS(time.ticks_from_ms(std::numeric_limits<double>::quiet_NaN(), "x"), InputError);
}

TEST_CASE("time: dt must be positive and finite", "[core][time]") {
  CHECK_THROWS_AS(TimeBase(0.0), InputError);
  CHECK_THROWS_AS(TimeBase(-0.1), InputError);
  CHECK_THROWS_AS(TimeBase(std::numeric_limits<double>::infinity()), InputError);
}

TEST_CASE("time: execution modes parse and print", "[core][mode]") {
  CHECK(parse_execution_mode("event") == ExecutionMode::event);
  CHECK(parse_execution_mode("always-on") == ExecutionMode::always_on);
  CHECK(to_string(ExecutionMode::always_on) == "always-on");
  CHECK_THROWS_WITH(parse_execution_mode("sometimes"), Catch::Contains("sometimes"));
}
