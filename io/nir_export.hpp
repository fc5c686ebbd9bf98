// `tandem export NET.yaml -o NET.nir`: what NIR can express of a network file, written so that
// importing it (io/nir_import.hpp, forward Euler) gives back the network's own spikes
// (docs/nir.md#export). Populations become LIF / LI / IF / CubaLIF nodes with their time
// constants converted to the forward-Euler τ whose decay per tick is the network's; each
// projection becomes a Linear node (Affine when it carries the target's bias), [target × source],
// in NIR's units, behind a Delay node where the import's evaluation order needs one to reproduce
// the projection's delay; spike_times inputs become Input nodes whose spikes are written as a
// table for `--input`. What NIR cannot express, or the import would not reproduce exactly, is
// refused naming the node.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/interrupt_guard.hpp"
#include "core/time.hpp"
#include "io/network_description.hpp"

namespace tandem::io {

struct NirExportOptions {
  bool overwrite = false;  // replace existing output files (--force)
  const InterruptGuard* interrupt = nullptr;
};

// An Input node and the table of values it needs on import ([ticks x units] CSV, 1 where the
// network's spike_times input spikes).
struct NirExportedInput {
  std::string node;
  std::filesystem::path table;
  Tick ticks = 0;
};

struct NirExportResult {
  std::filesystem::path file;
  double dt_ms = 0.0;          // pass as --dt-ms on import (also in /node/metadata/dt, seconds)
  std::string reset = "zero";  // pass as --reset on import
  std::vector<NirExportedInput> inputs;
  std::optional<Tick> ticks;   // the network's run length, when its file gives one (--ticks)
  std::vector<std::string> outputs;  // Output nodes
  std::size_t nodes = 0;
  std::vector<std::string> notes;  // what was left out or differs, one line each
  // `tandem run` on the exported file with the options that reproduce the network.
  [[nodiscard]] std::string import_command() const;
};

// Builds the network (its random rules drawn with the run seed) and writes `output` and the input
// tables next to it (<output stem>.<input>.csv). InputError "<file>: <key.path>: <problem>" for
// every part that cannot be exported (all of them listed), or when an output exists and
// `overwrite` is false.
NirExportResult export_nir(const NetworkDescription& network, const std::filesystem::path& output,
                           const NirExportOptions& options = {});

}  // namespace tandem::io
