#include "core/time.hpp"

#include <cmath>

#include "core/error.hpp"

namespace tandem {

TimeBase::TimeBase(double dt_ms) : dt_ms_(dt_ms) {
  if (!std::isfinite(dt_ms) || dt_ms <= 0.0) {
    throw InputError("dt_ms must be a positive number of milliseconds, got " + format_number(dt_ms));
  }
}

Tick TimeBase::ticks_from_ms(double ms, std::string_view what) const {
  if (!std::isfinite(ms) || ms < 0.0) {
    throw InputError(std::string(what) + " must be a non-negative number of milliseconds, got " +
                     format_number(ms));
  }
  return static_cast<Tick>(std::llround(ms / dt_ms_));
}

Tick TimeBase::exact_ticks_from_ms(double ms, std::string_view what) const {
  const Tick ticks = ticks_from_ms(ms, what);
  if (std::abs(static_cast<double>(ticks) - ms / dt_ms_) > 1e-6) {
    throw InputError(std::string(what) + " = " + format_number(ms) +
                     " ms is not a whole number of ticks of dt = " + format_number(dt_ms_) + " ms");
  }
  return ticks;
}

}  // namespace tandem
