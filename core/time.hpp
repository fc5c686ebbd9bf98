// Simulated time: integer ticks everywhere, milliseconds only at the edges.
// An Epoch is a half-open tick interval [begin, end) that every engine advances through
// without hearing from any other engine (see Simulation for why that is safe).
#pragma once

#include <cstdint>
#include <string_view>

namespace tandem {

using Tick = std::int64_t;

struct Epoch {
  Tick begin = 0;
  Tick end = 0;  // exclusive
  [[nodiscard]] Tick length() const { return end - begin; }
  [[nodiscard]] bool contains(Tick tick) const { return tick >= begin && tick < end; }
};

// The run's tick length. Converts parameters given in milliseconds into ticks, refusing
// values that are not a whole number of ticks where a whole number is required.
class TimeBase {
 public:
  explicit TimeBase(double dt_ms = 1.0);

  [[nodiscard]] double dt_ms() const { return dt_ms_; }
  [[nodiscard]] double ms_from_ticks(Tick ticks) const { return static_cast<double>(ticks) * dt_ms_; }
  // Rounds to the nearest tick; `what` names the parameter in the error when the result
  // is negative or the value is not finite.
  [[nodiscard]] Tick ticks_from_ms(double ms, std::string_view what) const;
  // Like ticks_from_ms, but the value must be a whole number of ticks (within 1e-6 tick).
  [[nodiscard]] Tick exact_ticks_from_ms(double ms, std::string_view what) const;

 private:
  double dt_ms_;
};

}  // namespace tandem
