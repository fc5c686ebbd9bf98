// The list of every neuron model. Adding a model = one file + one line here: the name → factory
// registry (registry.hpp) and the conformance tests (tests/neurons/conformance_test.cpp) iterate it.
#pragma once

#include <tuple>

#include "neurons/alif.hpp"
#include "neurons/cuba_lif.hpp"
#include "neurons/if_neuron.hpp"
#include "neurons/izhikevich.hpp"
#include "neurons/li.hpp"
#include "neurons/lif.hpp"
#include "neurons/lif_coba.hpp"
#include "neurons/lif_cuba.hpp"
#include "neurons/loihi_lif.hpp"
#include "neurons/tianjic_lif.hpp"

namespace tandem::neurons {

using ModelList = std::tuple<Lif, LifCuba, LifCoba, IfNeuron, CubaLif, Li, Alif, Izhikevich>;

// Process models of the integer precisions: the same model name and parameters, integer
// arithmetic (docs/precision.md). A model missing here has no such precision.
using IntegerProcessModels = std::tuple<TianjicLif, LoihiLif>;

}  // namespace tandem::neurons
