// Reads a tandem trace back: every dataset with its shape, type and attributes, the /meta
// attributes, and the values of one dataset. Used by `tandem info` and the trace tests.
// (Generic HDF5 reading for weights lives in core/hdf5_reader.*; this one knows the layout.)
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tandem {

struct TraceDataset {
  std::string path;                               // "/snn/exc/spikes/tick"
  std::string type;                               // "float32", "float64", "int64", "uint32" …
  std::vector<std::uint64_t> shape;               // {samples} or {samples, columns}
  std::map<std::string, std::string> attributes;  // numbers as text
};

class TraceFile {
 public:
  // InputError naming the file when it is missing or not an HDF5 file.
  explicit TraceFile(const std::string& file_path);
  ~TraceFile();
  TraceFile(const TraceFile&) = delete;
  TraceFile& operator=(const TraceFile&) = delete;

  // Every dataset in the file, sorted by path.
  [[nodiscard]] std::vector<TraceDataset> datasets() const;
  // /meta attributes as text (empty when the file has no /meta group).
  [[nodiscard]] std::map<std::string, std::string> meta() const;
  // All values of a numeric dataset, row-major, converted to double.
  // InputError naming the file and dataset when it is missing or not numeric.
  [[nodiscard]] std::vector<double> values(const std::string& dataset_path) const;
  [[nodiscard]] const std::string& file_path() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tandem
