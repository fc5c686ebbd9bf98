#include "environments/environment.hpp"

#include <cmath>
#include <string>

#include "core/error.hpp"
#include "core/random.hpp"

namespace tandem::environments {

std::uint64_t episode_seed(std::uint64_t run_seed, std::uint64_t episode) {
  return RandomStream::derived(run_seed, "episode/" + std::to_string(episode)).next_u64();
}

void require_positive(std::string_view where, std::string_view what, double value, bool allow_zero) {
  const bool ok = std::isfinite(value) && (allow_zero ? value >= 0.0 : value > 0.0);
  if (!ok) {
    throw InputError(std::string(where) + ": " + std::string(what) + " must be finite and " +
                     (allow_zero ? ">= 0" : "> 0") + ", got " + format_number(value));
  }
}

}  // namespace tandem::environments
