// How engines execute: only the active units (event) or every unit every tick (always-on).
// Both must produce the same outputs; see DESIGN "Execution modes".
#pragma once

#include <string>
#include <string_view>

namespace tandem {

enum class ExecutionMode { event, always_on };

// Accepts "event" and "always-on" (also "always_on"); anything else is an InputError.
ExecutionMode parse_execution_mode(std::string_view text);
std::string_view to_string(ExecutionMode mode);

}  // namespace tandem
