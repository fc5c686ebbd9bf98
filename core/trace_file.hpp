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
  // The values of a numeric dataset converted to `type` ("int64", "uint32", "float32" or
  // "float64", as TraceDataset::type names them) into `out`, which holds `count` elements (the
  // dataset's size): no copy through double, so tens of millions of spikes read in a fraction of
  // a second. InputError naming the file and dataset on a bad type, size or read.
  void read_into(const std::string& dataset_path, const std::string& type, void* out, std::size_t count) const;
  [[nodiscard]] const std::string& file_path() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tandem
