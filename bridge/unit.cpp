#include "bridge/unit.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace tandem::bridge {

double ValueRange::normalised(double x) const {
  return std::clamp((x - min) / (max - min), 0.0, 1.0);
}

OpCounts Unit::always_on(Tick ticks, const OpCounts& executed) const {
  const auto t = static_cast<std::uint64_t>(ticks);
  OpCounts baseline;
  baseline.add(conversion_op(), description_.channels * t);
  baseline[Op::spike] = executed[Op::spike];
  baseline[Op::input_event] = description_.input_kind == PortKind::dense
                                  ? description_.input_width * t
                                  : executed[Op::input_event];
  return baseline;
}

namespace {

[[noreturn]] void fail(std::string_view unit, std::string_view parameter, double value,
                       std::string_view problem) {
  throw InputError("bridge unit '" + std::string(unit) + "': " + std::string(parameter) + " = " +
                   format_number(value) + ": " + std::string(problem));
}

}  // namespace

UnitDescription describe(const std::string& name, std::string kind, bool encoder,
                         std::size_t channels, PortShape input, PortShape output) {
  check_name(name);
  check_at_least(name, "channels", static_cast<double>(channels), 1.0);
  UnitDescription d;
  d.name = name;
  d.kind = std::move(kind);
  d.encoder = encoder;
  d.input_kind = input.kind;
  d.input_width = input.width;
  d.output_kind = output.kind;
  d.output_width = output.width;
  d.channels = channels;
  return d;
}

void set_window(UnitDescription& description, const Window& window) {
  description.window_ticks = window.ticks;
  description.phase_ticks = window.phase;
  description.latency_ticks = window.ticks - 1;
}

void check_name(std::string_view unit) {
  if (unit.empty()) throw InputError("bridge unit: the name is empty");
  if (unit.find_first_of("/.") != std::string_view::npos) {
    throw InputError("bridge unit '" + std::string(unit) +
                     "': the name may not contain '/' or '.' (it names ports and trace paths)");
  }
}

void check_finite(std::string_view unit, std::string_view parameter, double value) {
  if (!std::isfinite(value)) fail(unit, parameter, value, "must be finite");
}

void check_positive(std::string_view unit, std::string_view parameter, double value) {
  if (!(value > 0.0) || !std::isfinite(value)) fail(unit, parameter, value, "must be finite and > 0");
}

void check_non_negative(std::string_view unit, std::string_view parameter, double value) {
  if (!(value >= 0.0) || !std::isfinite(value)) fail(unit, parameter, value, "must be finite and >= 0");
}

void check_at_least(std::string_view unit, std::string_view parameter, double value, double least) {
  if (!(value >= least) || !std::isfinite(value)) {
    fail(unit, parameter, value, "must be finite and >= " + format_number(least));
  }
}

void check_range(std::string_view unit, const ValueRange& range) {
  check_finite(unit, "value_min", range.min);
  check_finite(unit, "value_max", range.max);
  if (!(range.min < range.max)) {
    fail(unit, "value_min", range.min, "must be < value_max = " + format_number(range.max));
  }
}

void check_window(std::string_view unit, const Window& window, Tick least_ticks) {
  check_at_least(unit, "window_ticks", static_cast<double>(window.ticks), static_cast<double>(least_ticks));
  check_non_negative(unit, "phase_ticks", static_cast<double>(window.phase));
}

}  // namespace tandem::bridge
