// Writing small HDF5 files (NIR graphs) without seeing HDF5 headers: groups, string datasets
// (variable-length UTF-8, as h5py writes Python strings) and numeric datasets with their dims.
// Every failure is an InputError naming the file and the object.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tandem {

class Hdf5Writer {
 public:
  // Creates `path`, replacing a file of that name; InputError when it cannot be created.
  explicit Hdf5Writer(const std::string& path);
  ~Hdf5Writer();
  Hdf5Writer(const Hdf5Writer&) = delete;
  Hdf5Writer& operator=(const Hdf5Writer&) = delete;

  // Object paths are absolute ("/node/nodes/lif"); parents must exist.
  void create_group(const std::string& group_path);
  void write_string(const std::string& dataset_path, const std::string& text);  // a scalar
  // Strings in row-major order with `dims` (their product is texts.size()).
  void write_strings(const std::string& dataset_path, const std::vector<std::string>& texts,
                     const std::vector<std::size_t>& dims);
  // float64 / int64 values, row-major, with `dims` (empty: a scalar of one value).
  void write_doubles(const std::string& dataset_path, const std::vector<double>& values,
                     const std::vector<std::size_t>& dims);
  void write_integers(const std::string& dataset_path, const std::vector<std::int64_t>& values,
                      const std::vector<std::size_t>& dims);
  // Flushes and closes the file; InputError when that fails. The destructor closes quietly.
  void close();

 private:
  void write_numeric(const std::string& dataset_path, const void* data, std::size_t count, bool integer,
                     const std::vector<std::size_t>& dims);
  [[noreturn]] void fail(const std::string& object_path, const std::string& problem) const;
  std::string path_;
  std::int64_t file_ = -1;  // hid_t, kept as a plain integer so HDF5 headers stay private
};

}  // namespace tandem
