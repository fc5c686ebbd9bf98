#include "core/logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <string>

#include "core/error.hpp"

namespace tandem {

void configure_logging(std::string_view level) {
  const auto parsed = spdlog::level::from_str(std::string(level));
  // from_str answers "off" for any unknown name, so an explicit "off" is the only way to get it.
  if (parsed == spdlog::level::off && level != "off") {
    throw InputError("unknown log level '" + std::string(level) +
                     "' (expected trace, debug, info, warn, error, critical or off)");
  }
  static bool installed = false;
  if (!installed) {
    auto logger = spdlog::stderr_color_mt("tandem");
    logger->set_pattern("[%H:%M:%S.%e] [%^%l%$] %v");
    spdlog::set_default_logger(logger);
    installed = true;
  }
  spdlog::set_level(parsed);
}

}  // namespace tandem
