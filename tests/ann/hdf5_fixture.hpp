// Writes small HDF5 files for tests with the HDF5 C API (the reader under test never writes).
#pragma once

#include <hdf5.h>

#include <filesystem>
#include <string>
#include <vector>

namespace tandem::testing {

class Hdf5Fixture {
 public:
  explicit Hdf5Fixture(const std::string& file_name)
      : path_((std::filesystem::temp_directory_path() / ("tandem_ann_" + file_name)).string()) {
    file_ = H5Fcreate(path_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  }
  ~Hdf5Fixture() {
    close();
    std::filesystem::remove(path_);
  }
  Hdf5Fixture(const Hdf5Fixture&) = delete;
  Hdf5Fixture& operator=(const Hdf5Fixture&) = delete;

  [[nodiscard]] const std::string& path() const { return path_; }
  // Closes the file so a reader can open it.
  void close() {
    if (file_ >= 0) H5Fclose(file_);
    file_ = -1;
  }
  void group(const std::string& name) { H5Gclose(H5Gcreate2(file_, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)); }
  void doubles(const std::string& name, const std::vector<hsize_t>& dims, const std::vector<double>& values) {
    write(name, dims, H5T_NATIVE_DOUBLE, values.data());
  }
  void floats(const std::string& name, const std::vector<hsize_t>& dims, const std::vector<float>& values) {
    write(name, dims, H5T_NATIVE_FLOAT, values.data());
  }
  void ints(const std::string& name, const std::vector<hsize_t>& dims, const std::vector<int>& values) {
    write(name, dims, H5T_NATIVE_INT, values.data());
  }
  // A scalar fixed-length string dataset.
  void text(const std::string& name, const std::string& value) {
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, value.size() + 1);
    write(name, {}, type, value.c_str());
    H5Tclose(type);
  }
  // A variable-length string attribute on an object.
  void text_attribute(const std::string& object, const std::string& name, const std::string& value) {
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t attribute = H5Acreate_by_name(file_, object.c_str(), name.c_str(), type, space, H5P_DEFAULT,
                                              H5P_DEFAULT, H5P_DEFAULT);
    const char* data = value.c_str();
    H5Awrite(attribute, type, &data);
    H5Aclose(attribute);
    H5Sclose(space);
    H5Tclose(type);
  }

 private:
  void write(const std::string& name, const std::vector<hsize_t>& dims, hid_t type, const void* data) {
    const hid_t space = dims.empty() ? H5Screate(H5S_SCALAR)
                                     : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr);
    const hid_t dataset = H5Dcreate2(file_, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
    H5Dclose(dataset);
    H5Sclose(space);
  }

  std::string path_;
  hid_t file_ = -1;
};

}  // namespace tandem::testing
