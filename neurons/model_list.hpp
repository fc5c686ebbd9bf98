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

namespace tandem::neurons {

using ModelList = std::tuple<Lif, LifCuba, LifCoba, IfNeuron, CubaLif, Li, Alif, Izhikevich>;

}  // namespace tandem::neurons
