// Every bridge unit kind (bridge/unit_kinds.hpp), built with its defaults and driven with the
// same deterministic input: it describes ports that fit its input, event and always-on give the
// same outputs, a second run after reset repeats the first, and it counts its conversions.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "bridge/unit_kinds.hpp"
#include "core/error.hpp"
#include "unit_driver.hpp"

using namespace tandem;
using namespace tandem::bridge;
using namespace tandem::bridge::testing;

namespace {

class Defaults final : public UnitSettings {
 public:
  double number(const std::string& /*key*/, double fallback) override { return fallback; }
  std::vector<double> numbers(const std::string& /*key*/) override { return {}; }
  [[noreturn]] void reject_input(const std::string& problem) override { throw InputError(problem); }
};

constexpr std::size_t width = 16;  // a multiple of every group size the kinds use by default (8, 2)
constexpr Tick ticks = 60;

// Values sweeping [0, 1] per channel, or spikes on a deterministic pattern, per the input kind.
PortTraffic input_for(PortKind kind) {
  PortTraffic in;
  for (Tick t = 0; t < ticks; ++t) {
    if (kind == PortKind::dense) {
      DenseFrame f{t, Eigen::VectorXf(static_cast<Eigen::Index>(width))};
      for (std::size_t c = 0; c < width; ++c) {
        f.values[static_cast<Eigen::Index>(c)] = static_cast<float>(0.5 + 0.5 * std::sin(0.2 * static_cast<double>(t) + static_cast<double>(c)));
      }
      in.frames.push_back(std::move(f));
    } else {
      for (std::uint32_t c = 0; c < width; ++c) {
        if ((t * 7 + c * 3) % 5 == 0) in.spikes.push(t, c);
      }
    }
  }
  return in;
}

}  // namespace

TEST_CASE("bridge kinds: every listed kind builds, is deterministic, and event equals always-on", "[bridge][conformance]") {
  REQUIRE(unit_kinds().size() >= 15);
  for (const UnitKind& kind : unit_kinds()) {
    CAPTURE(std::string(kind.name));
    REQUIRE(find_unit_kind(kind.name) == &kind);
    Defaults defaults;
    const auto unit = kind.make({std::string(kind.name) + "_unit", width, 4}, defaults);
    const UnitDescription& d = unit->description();
    CHECK(d.input_width == width);
    CHECK(d.output_width >= 1);
    const PortTraffic in = input_for(d.input_kind);
    const UnitRun event = run_unit(*unit, in, ticks, ExecutionMode::event);
    const UnitRun again = run_unit(*unit, in, ticks, ExecutionMode::event);
    const UnitRun always_on = run_unit(*unit, in, ticks, ExecutionMode::always_on);
    CHECK(event.spikes.tick == again.spikes.tick);
    CHECK(event.spikes.index == again.spikes.index);
    CHECK(same_frames(event.frames, again.frames));
    CHECK(event.spikes.tick == always_on.spikes.tick);
    CHECK(event.spikes.index == always_on.spikes.index);
    CHECK(same_frames(event.frames, always_on.frames));
    CHECK(event.spikes.size() + event.frames.size() > 0);  // the input drives an output
    const Op conversion = d.encoder ? Op::encoder_conversion : Op::decoder_conversion;
    // (Not <= always-on in general: the Poisson encoder redraws a channel's next spike on every
    // rate change, so an input that changes every channel every tick costs more event-driven.)
    CHECK(event.executed[conversion] > 0);
    CHECK(event.always_on[conversion] > 0);
  }
  CHECK(find_unit_kind("no_such_kind") == nullptr);
}
