// The LIF soma's noise LFSR: first states worked by hand for positive, negative and zero seeds,
// agreement with an independent bit-array implementation over long runs, the masking, and
// (release builds only) the maximal period 2^32 - 1 that the specification claims.
#include <catch2/catch.hpp>

#include <climits>
#include <cstdint>

#include "reference_model.hpp"
#include "tianjic/noise_lfsr.hpp"

using namespace tandem::tianjic;

TEST_CASE("tianjic lfsr: first states by hand", "[tianjic][lfsr]") {
  SECTION("seed 1: the parity of taps 0,1,2,3,5,7 is 1, then 0 while the bit travels down") {
    NoiseLfsr lfsr(1);
    CHECK(lfsr.advance() == INT32_MIN);  // 0x80000000
    CHECK(lfsr.advance() == 0x40000000);
    CHECK(lfsr.advance() == 0x20000000);
  }
  SECTION("seed 0x12345678: taps of 0x78 = 0,0,0,1,1,0 give 0; then taps of 0x3c give 1") {
    NoiseLfsr lfsr(0x12345678);
    CHECK(lfsr.advance() == 0x091a2b3c);
    CHECK(static_cast<std::uint32_t>(lfsr.advance()) == 0x848d159eU);
  }
  SECTION("seed -1 is 0xffffffff: six ones give parity 0") {
    NoiseLfsr lfsr(-1);
    CHECK(lfsr.state() == 0xffffffffU);
    CHECK(lfsr.advance() == 0x7fffffff);
    CHECK(lfsr.advance() == 0x3fffffff);
    CHECK(lfsr.advance() == 0x1fffffff);
  }
  SECTION("seed -2 is 0xfffffffe: taps 0,1,1,1,1,1 give 1") {
    NoiseLfsr lfsr(-2);
    CHECK(lfsr.advance() == -1);  // 0xffffffff
    CHECK(lfsr.advance() == 0x7fffffff);
  }
  SECTION("seed 0 never leaves 0") {
    NoiseLfsr lfsr(0);
    for (int k = 0; k < 1000; ++k) REQUIRE(lfsr.advance() == 0);
  }
}

TEST_CASE("tianjic lfsr: agrees with a bit-array LFSR over long runs", "[tianjic][lfsr]") {
  for (const std::int32_t seed : {1, 7, 0x12345678, -1, -2, -123456789, INT32_MIN, INT32_MAX, 0}) {
    CAPTURE(seed);
    NoiseLfsr lfsr(seed);
    tianjic_reference::BitLfsr reference(seed);
    for (int k = 0; k < 100000; ++k) REQUIRE(lfsr.advance() == reference.advance());
  }
}

TEST_CASE("tianjic lfsr: the mask keeps the sign of l, the noise is its low 28 bits", "[tianjic][lfsr]") {
  // l >= 0: l & VM.
  CHECK(noise_mask(0x7fffffff, 0x0000ffff) == 0xffff);
  CHECK(noise_mask(0x40000000, 0x0fffffff) == 0);
  // l < 0: -((~l) & VM). l = 0x80000000 -> ~l = 0x7fffffff.
  CHECK(noise_mask(INT32_MIN, 0x0fffffff) == -0x0fffffff);
  CHECK(noise_mask(INT32_MIN, -1) == -0x7fffffff);
  CHECK(noise_mask(-1, -1) == 0);  // ~(-1) = 0
  // -0x0fffffff is 0xf0000001: its low 28 bits are 1.
  CHECK(threshold_noise(-0x0fffffff) == 1);
  CHECK(threshold_noise(0xffff) == 0xffff);
  CHECK(threshold_noise(0x0fffffff) == -1);        // bit 27 set: negative
  CHECK(threshold_noise(0x08000000) == -(1 << 27));
  CHECK(threshold_noise(0x07ffffff) == (1 << 27) - 1);
}

TEST_CASE("tianjic lfsr: maximal length, period 2^32 - 1", "[tianjic][lfsr][slow]") {
  NoiseLfsr lfsr(1);
  std::uint64_t steps = 0;
  do {
    lfsr.advance();
    ++steps;
  } while (lfsr.state() != 1U && steps <= (std::uint64_t{1} << 32));
  CHECK(steps == (std::uint64_t{1} << 32) - 1);
}
