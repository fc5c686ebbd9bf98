// Logging set-up for the command line and examples (spdlog). Kernels never log.
#pragma once

#include <string_view>

namespace tandem {

// Sets the level of spdlog's default logger: trace, debug, info, warn, error, critical, off.
// Unknown names are an InputError. Log lines go to stderr so stdout stays machine-readable.
void configure_logging(std::string_view level);

}  // namespace tandem
