#include "neurons/model.hpp"

#include <limits>

namespace tandem::neurons {

namespace {
[[noreturn]] void fail(std::string_view model, std::string_view parameter, double value,
                       std::string_view problem) {
  throw InputError(std::string(model) + ": parameter " + std::string(parameter) + " = " +
                   format_number(value) + " " + std::string(problem));
}
}  // namespace

ResetMode parse_reset_mode(std::string_view text) {
  if (text == "to_value" || text == "to-value" || text == "zero") return ResetMode::to_value;
  if (text == "subtract") return ResetMode::subtract;
  throw InputError("reset_mode '" + std::string(text) + "' is not one of to_value, subtract");
}

void require_finite(std::string_view model, std::string_view parameter, double value) {
  if (!std::isfinite(value)) fail(model, parameter, value, "is not a finite number");
}

void require_positive(std::string_view model, std::string_view parameter, double value) {
  require_finite(model, parameter, value);
  if (!(value > 0.0)) fail(model, parameter, value, "must be > 0");
}

void require_non_negative(std::string_view model, std::string_view parameter, double value) {
  require_finite(model, parameter, value);
  if (value < 0.0) fail(model, parameter, value, "must be >= 0");
}

float rest_tolerance(std::string_view model, std::string_view parameter, double value) {
  require_non_negative(model, parameter, value);
  return static_cast<float>(value);
}

void require_greater(std::string_view model, std::string_view parameter, double value,
                     std::string_view other, double other_value) {
  require_finite(model, parameter, value);
  if (!(value > other_value)) {
    fail(model, parameter, value, "must be > " + std::string(other) + " (" + format_number(other_value) + ")");
  }
}

std::uint16_t refractory_ticks(std::string_view model, double refractory_ms, const TimeBase& time) {
  require_non_negative(model, "refractory_ms", refractory_ms);
  const double ticks = refractory_ms / time.dt_ms();
  const double whole = std::round(ticks);
  if (std::abs(ticks - whole) > 1e-6) {
    fail(model, "refractory_ms", refractory_ms,
         "is not a whole number of ticks (dt_ms = " + format_number(time.dt_ms()) + ")");
  }
  if (whole > std::numeric_limits<std::uint16_t>::max()) fail(model, "refractory_ms", refractory_ms, "is too long");
  return static_cast<std::uint16_t>(whole);
}

float decay_factor(double dt_ms, double tau_ms) { return static_cast<float>(std::exp(-dt_ms / tau_ms)); }

Integration parse_integration(std::string_view text) {
  if (text == "exact") return Integration::exact;
  if (text == "euler") return Integration::euler;
  throw InputError("integration '" + std::string(text) + "' is not one of exact, euler");
}

double leak_per_tick(std::string_view model, std::string_view parameter, double dt_ms, double tau_ms,
                     Integration integration) {
  if (integration == Integration::exact) return -std::expm1(-dt_ms / tau_ms);
  if (tau_ms < dt_ms) {
    throw InputError(std::string(model) + ": parameter " + std::string(parameter) + " = " + format_number(tau_ms) +
                     " ms is shorter than the tick (" + format_number(dt_ms) +
                     " ms): forward Euler (integration: euler) would overshoot rest");
  }
  return dt_ms / tau_ms;
}

float decay_factor(std::string_view model, std::string_view parameter, double dt_ms, double tau_ms,
                   Integration integration) {
  if (integration == Integration::exact) return decay_factor(dt_ms, tau_ms);
  return static_cast<float>(1.0 - leak_per_tick(model, parameter, dt_ms, tau_ms, integration));
}

SpikeRule make_spike_rule(std::string_view model, double v_threshold_mv, double v_reset_mv,
                          ResetMode mode, double refractory_ms, const TimeBase& time) {
  require_finite(model, "v_reset_mv", v_reset_mv);
  require_greater(model, "v_threshold_mv", v_threshold_mv, "v_reset_mv", v_reset_mv);
  return SpikeRule{static_cast<float>(v_threshold_mv), static_cast<float>(v_reset_mv), mode,
                   refractory_ticks(model, refractory_ms, time)};
}

}  // namespace tandem::neurons
