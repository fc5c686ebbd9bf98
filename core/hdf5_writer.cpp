#include "core/hdf5_writer.hpp"

#include "core/error.hpp"
#include "core/hdf5_handles.hpp"

namespace tandem {

namespace {

using hdf5::Handle;
using hdf5::QuietErrors;

// A dataspace of `dims` (empty: scalar); the product of dims must be `count`.
hid_t make_space(const std::vector<std::size_t>& dims) {
  if (dims.empty()) return H5Screate(H5S_SCALAR);
  std::vector<hsize_t> extent(dims.begin(), dims.end());
  return H5Screate_simple(static_cast<int>(extent.size()), extent.data(), nullptr);
}

std::size_t product(const std::vector<std::size_t>& dims) {
  std::size_t n = 1;
  for (const auto d : dims) n *= d;
  return n;
}

// A variable-length UTF-8 string type, as h5py stores Python str.
hid_t text_type() {
  const hid_t type = H5Tcopy(H5T_C_S1);
  if (type < 0) return type;
  H5Tset_size(type, H5T_VARIABLE);
  H5Tset_cset(type, H5T_CSET_UTF8);
  return type;
}

}  // namespace

Hdf5Writer::Hdf5Writer(const std::string& path) : path_(path) {
  const QuietErrors quiet;
  file_ = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (file_ < 0) throw InputError(path + ": cannot create the file (does its folder exist and is it writable?)");
}

Hdf5Writer::~Hdf5Writer() {
  if (file_ >= 0) H5Fclose(file_);
}

void Hdf5Writer::fail(const std::string& object_path, const std::string& problem) const {
  throw InputError(path_ + ": " + object_path + ": " + problem);
}

void Hdf5Writer::close() {
  if (file_ < 0) return;
  const QuietErrors quiet;
  const herr_t flushed = H5Fflush(file_, H5F_SCOPE_GLOBAL);
  const herr_t closed = H5Fclose(file_);
  file_ = -1;
  if (flushed < 0 || closed < 0) fail("/", "writing the file failed (disk full?)");
}

void Hdf5Writer::create_group(const std::string& group_path) {
  const QuietErrors quiet;
  const Handle group(H5Gcreate2(file_, group_path.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
  if (!group.valid()) fail(group_path, "cannot create the group");
}

void Hdf5Writer::write_string(const std::string& dataset_path, const std::string& text) {
  write_strings(dataset_path, {text}, {});
}

void Hdf5Writer::write_strings(const std::string& dataset_path, const std::vector<std::string>& texts,
                               const std::vector<std::size_t>& dims) {
  if (product(dims) != texts.size()) fail(dataset_path, "the dims do not match the number of strings");
  const QuietErrors quiet;
  const Handle type(text_type(), H5Tclose);
  const Handle space(make_space(dims), H5Sclose);
  const Handle set(H5Dcreate2(file_, dataset_path.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                   H5Dclose);
  if (!type.valid() || !space.valid() || !set.valid()) fail(dataset_path, "cannot create the dataset");
  std::vector<const char*> pointers;
  pointers.reserve(texts.size());
  for (const auto& text : texts) pointers.push_back(text.c_str());
  // An empty (0 x 2) dataset has nothing to write.
  if (!pointers.empty() && H5Dwrite(set.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()) < 0) {
    fail(dataset_path, "cannot write the dataset");
  }
}

void Hdf5Writer::write_doubles(const std::string& dataset_path, const std::vector<double>& values,
                               const std::vector<std::size_t>& dims) {
  write_numeric(dataset_path, values.data(), values.size(), false, dims);
}

void Hdf5Writer::write_integers(const std::string& dataset_path, const std::vector<std::int64_t>& values,
                                const std::vector<std::size_t>& dims) {
  write_numeric(dataset_path, values.data(), values.size(), true, dims);
}

void Hdf5Writer::write_numeric(const std::string& dataset_path, const void* data, std::size_t count, bool integer,
                               const std::vector<std::size_t>& dims) {
  if (product(dims) != count) fail(dataset_path, "the dims do not match the number of values");
  const QuietErrors quiet;
  const hid_t file_type = integer ? H5T_STD_I64LE : H5T_IEEE_F64LE;
  const hid_t memory_type = integer ? H5T_NATIVE_INT64 : H5T_NATIVE_DOUBLE;
  const Handle space(make_space(dims), H5Sclose);
  const Handle set(H5Dcreate2(file_, dataset_path.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                   H5Dclose);
  if (!space.valid() || !set.valid()) fail(dataset_path, "cannot create the dataset");
  if (count != 0 && H5Dwrite(set.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) {
    fail(dataset_path, "cannot write the dataset");
  }
}

}  // namespace tandem
