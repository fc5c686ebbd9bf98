// Internal to io/: explicit synapse lists from one file (`synapses:` of a projection with rule
// explicit, docs/network-format.md): an HDF5 group with the datasets pre, post and optionally
// weight and delay_ms (or delay, in ms); a NumPy .npy array [n x 2..4] with the columns pre, post,
// weight, delay_ms; or a CSV file whose header names the columns (pre, post, weight, delay_ms).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace tandem::io {

struct SynapseList {
  std::vector<double> pre;
  std::vector<double> post;
  std::optional<std::vector<double>> weight;
  std::optional<std::vector<double>> delay_ms;
};

// Reads the list; InputError with the problem (the caller adds file and key path). `group` is
// the HDF5 group (ignored for .npy and .csv).
SynapseList read_synapse_list(const std::filesystem::path& file, const std::string& group);

// A NumPy .npy file (format 1.0-3.0, C order, little-endian integers or floats of 1-8 bytes) as
// doubles with its shape.
std::vector<double> read_npy(const std::filesystem::path& file, std::vector<std::size_t>& shape);

}  // namespace tandem::io
