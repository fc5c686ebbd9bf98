// Reading HDF5 files (weights, NIR graphs, recorded traces) without seeing HDF5 headers:
// open a file, test and list objects, read numeric datasets with their dims, read strings.
// Every failure is an InputError naming the file, the object and the problem.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tandem {

// A numeric dataset converted to double, row-major (C order, as HDF5 stores it), with its dims.
struct NumericDataset {
  std::vector<double> values;
  std::vector<std::size_t> dims;  // empty for a scalar dataset
};

class Hdf5Reader {
 public:
  // Opens `path` read-only; InputError when it does not exist or is not an HDF5 file.
  explicit Hdf5Reader(const std::string& path);
  ~Hdf5Reader();
  Hdf5Reader(Hdf5Reader&&) noexcept;
  Hdf5Reader& operator=(Hdf5Reader&&) noexcept;
  Hdf5Reader(const Hdf5Reader&) = delete;
  Hdf5Reader& operator=(const Hdf5Reader&) = delete;

  [[nodiscard]] const std::string& path() const { return path_; }
  // Object paths are absolute or relative to the root ("/layer/weight", "layer/weight").
  [[nodiscard]] bool exists(const std::string& object_path) const;
  [[nodiscard]] bool is_group(const std::string& object_path) const;
  [[nodiscard]] bool is_dataset(const std::string& object_path) const;
  // Names of the members of a group, sorted; InputError when it is not a group.
  [[nodiscard]] std::vector<std::string> members(const std::string& group_path) const;
  // The dims of a dataset (empty for a scalar); InputError when it is not a dataset.
  [[nodiscard]] std::vector<std::size_t> dims(const std::string& dataset_path) const;
  // An integer or floating-point dataset; InputError for other types (strings, compounds …).
  [[nodiscard]] NumericDataset read_numeric(const std::string& dataset_path) const;
  // A scalar or 1-element string dataset (fixed or variable length).
  [[nodiscard]] std::string read_string(const std::string& dataset_path) const;
  // Every string of a string dataset of any shape, in row-major order (NIR's (E, 2) edges).
  [[nodiscard]] std::vector<std::string> read_strings(const std::string& dataset_path) const;
  // A string attribute of an object (group or dataset); InputError when missing or not a string.
  [[nodiscard]] std::string read_string_attribute(const std::string& object_path,
                                                  const std::string& attribute) const;
  [[nodiscard]] bool has_attribute(const std::string& object_path, const std::string& attribute) const;

 private:
  [[nodiscard]] std::string where(const std::string& object_path) const;
  std::string path_;
  std::int64_t file_ = -1;  // hid_t, kept as a plain integer so HDF5 headers stay private
};

}  // namespace tandem
