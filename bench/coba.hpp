// The Vogels–Abbott COBA network of `tandem bench coba`, shared with `tandem bench recording`.
#pragma once

#include <memory>

#include "neurons/event_engine.hpp"

namespace tandem::bench {

// 3200 exc + 800 inh conductance LIF neurons, p = 0.02, delay one tick (engine "coba").
std::unique_ptr<neurons::EventEngine> build_coba(const TimeBase& time);

}  // namespace tandem::bench
