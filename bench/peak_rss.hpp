// Peak resident set size of this process, for memory figures in benchmark reports.
#pragma once

#include <cstdint>

namespace tandem::bench {

// Peak RSS in bytes since the process started (getrusage ru_maxrss).
std::uint64_t peak_rss_bytes();

}  // namespace tandem::bench
