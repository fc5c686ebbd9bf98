// The dense layers an imported NIR graph's Affine/Linear readouts become (NirLowering::
// dense_outputs): per Output, a count decoder of one-tick windows turns the source population's
// spikes into this tick's 0/1 vector, and a dense layer computes W·s + b from it. Both are joined
// by same-tick wires (core/simulation.hpp), so the Output has its values in the tick its source
// spikes — NIR's reference timing — while the readout runs on the dense engine and is priced
// as dense work (MACs of the spikes that arrived, in event mode).
#pragma once

#include <map>
#include <string>

#include "core/simulation.hpp"
#include "io/nir_lowering.hpp"

namespace tandem::io {

// Where a dense readout's values leave: a dense output port.
struct NirReadoutPort {
  std::string engine;
  std::string port;
  std::string layer;  // the layer (probe it with variable "activations")
  std::size_t width = 0;
};

// Adds, when `lowering` has dense outputs, a bridge engine "<prefix>readout.bridge" and a dense
// engine "<prefix>readout" to `simulation`, wired from `snn_engine`. Returns the port of each
// Output node (NIR name). Nothing is added when there are none.
std::map<std::string, NirReadoutPort> add_nir_dense_readouts(Simulation& simulation, const std::string& snn_engine,
                                                             const NirLowering& lowering, const std::string& prefix);

}  // namespace tandem::io
