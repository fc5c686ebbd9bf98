#include "core/execution_mode.hpp"

#include "core/error.hpp"

namespace tandem {

ExecutionMode parse_execution_mode(std::string_view text) {
  if (text == "event") return ExecutionMode::event;
  if (text == "always-on" || text == "always_on") return ExecutionMode::always_on;
  throw InputError("unknown execution mode '" + std::string(text) + "' (expected event or always-on)");
}

std::string_view to_string(ExecutionMode mode) {
  return mode == ExecutionMode::event ? "event" : "always-on";
}

}  // namespace tandem
