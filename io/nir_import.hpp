// `tandem run model.nir` as an API: a NIR file read (io/nir_graph.hpp) and lowered onto an event
// engine (io/nir_lowering.hpp) in a Simulation, with its dense readouts (io/nir_dense_readout.hpp),
// a value table per Input node and a probe per Output node.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/simulation.hpp"
#include "io/nir_dense_readout.hpp"
#include "io/nir_lowering.hpp"

namespace tandem::io {

struct NirRun {
  std::unique_ptr<Simulation> simulation;
  neurons::EventEngine* engine = nullptr;  // named "snn"
  NirGraph graph;
  NirLowering lowering;
  // Output nodes computed by dense layers (NirImportOptions::dense_readout), by NIR name.
  std::map<std::string, NirReadoutPort> readouts;
  // "spikes" (events) of every Output node's population, "activations" of every dense readout.
  std::vector<Probe> output_probes;
  std::string resolved;              // import settings as YAML text for /meta

  // Values for a top-level Input node, row-major [ticks x width]; nothing after the last row.
  // InputError naming the node when it is not an Input or the rows do not fit its width.
  void set_input(const std::string& node, const std::vector<double>& values);
  // The width of a top-level Input node (InputError naming it otherwise).
  [[nodiscard]] std::size_t input_width(const std::string& node) const;
};

// `interrupt` is checked while the file is read and, through the Simulation's settings, while
// it runs; nullptr: not stoppable.
NirRun import_nir(const std::filesystem::path& file, const NirImportOptions& options, std::uint64_t seed = 1,
                  ExecutionMode mode = ExecutionMode::event, const InterruptGuard* interrupt = nullptr);

// "zero" | "subtract"; InputError otherwise.
NirReset parse_nir_reset(const std::string& text);

// A table [ticks x width] for an Input node: a CSV file (numbers separated by commas or spaces;
// a non-numeric first line is a header; the first `width` columns are used) or an HDF5 dataset
// written "FILE.h5:/dataset" ([ticks x width], or [ticks] for width 1).
std::vector<double> load_input_table(const std::string& source, std::size_t width, const std::string& node);

}  // namespace tandem::io
