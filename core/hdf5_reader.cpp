#include "core/hdf5_reader.hpp"

#include <algorithm>
#include <filesystem>
#include <utility>

#include "core/error.hpp"
#include "core/hdf5_handles.hpp"

namespace tandem {
namespace {

static_assert(sizeof(hid_t) == sizeof(std::int64_t), "hid_t is kept as std::int64_t");

using hdf5::Handle;
using hdf5::QuietErrors;

std::string absolute(const std::string& object_path) {
  if (object_path.empty() || object_path.front() != '/') return "/" + object_path;
  return object_path;
}

// H5Lexists fails on a path whose intermediate link is missing, so test each prefix.
bool link_exists(hid_t file, const std::string& object_path) {
  const std::string path = absolute(object_path);
  if (path == "/") return true;
  std::size_t position = 1;
  while (position <= path.size()) {
    const std::size_t slash = path.find('/', position);
    const std::string prefix = path.substr(0, slash == std::string::npos ? path.size() : slash);
    if (H5Lexists(file, prefix.c_str(), H5P_DEFAULT) <= 0) return false;
    if (slash == std::string::npos) break;
    position = slash + 1;
  }
  return H5Oexists_by_name(file, path.c_str(), H5P_DEFAULT) > 0;
}

H5O_type_t object_type(hid_t file, const std::string& object_path) {
  if (!link_exists(file, object_path)) return H5O_TYPE_UNKNOWN;
  H5O_info_t info;
  if (H5Oget_info_by_name(file, absolute(object_path).c_str(), &info, H5P_DEFAULT) < 0) {
    return H5O_TYPE_UNKNOWN;
  }
  return info.type;
}

std::vector<std::size_t> space_dims(hid_t space) {
  const int rank = H5Sget_simple_extent_ndims(space);
  if (rank <= 0) return {};
  std::vector<hsize_t> raw(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space, raw.data(), nullptr);
  return {raw.begin(), raw.end()};
}

// A forged header can declare any size: 2^28 elements (2 GiB of doubles) is beyond every model
// tandem reads, so larger declarations are refused before anything is allocated.
constexpr std::size_t max_elements = std::size_t{1} << 28;

std::size_t element_count(hid_t space, const std::string& where) {
  const hssize_t count = H5Sget_simple_extent_npoints(space);
  if (count < 0) throw InputError(where + ": the dataspace could not be read");
  if (static_cast<std::size_t>(count) > max_elements) {
    throw InputError(where + ": declares " + std::to_string(count) + " values, more than 2^28, which would exhaust memory");
  }
  return static_cast<std::size_t>(count);
}

std::string read_string_value(hid_t object, hid_t type, hid_t space, bool attribute,
                              const std::string& where) {
  if (H5Tget_class(type) != H5T_STRING) throw InputError(where + ": not a string");
  const hssize_t count = H5Sget_simple_extent_npoints(space);
  if (count != 1) throw InputError(where + ": expected a single string, found " + std::to_string(count));
  herr_t status = 0;
  std::string result;
  if (H5Tis_variable_str(type) > 0) {
    Handle memory_type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(memory_type.get(), H5T_VARIABLE);
    H5Tset_cset(memory_type.get(), H5Tget_cset(type));
    char* text = nullptr;
    status = attribute ? H5Aread(object, memory_type.get(), &text)
                       : H5Dread(object, memory_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &text);
    if (status >= 0 && text != nullptr) {
      result = text;
      H5free_memory(text);
    }
  } else {
    const std::size_t size = H5Tget_size(type);
    std::string buffer(size, '\0');
    Handle memory_type(H5Tcopy(type), H5Tclose);
    status = attribute ? H5Aread(object, memory_type.get(), buffer.data())
                       : H5Dread(object, memory_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data());
    result = buffer.substr(0, buffer.find('\0'));
  }
  if (status < 0) throw InputError(where + ": the string could not be read");
  return result;
}

}  // namespace

Hdf5Reader::Hdf5Reader(const std::string& path) : path_(path) {
  std::error_code ignored;
  if (!std::filesystem::exists(path, ignored)) throw InputError(path + ": no such file");
  QuietErrors quiet;
  if (H5Fis_hdf5(path.c_str()) <= 0) throw InputError(path + ": not an HDF5 file");
  file_ = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file_ < 0) throw InputError(path + ": the HDF5 file could not be opened");
}

Hdf5Reader::~Hdf5Reader() {
  if (file_ >= 0) H5Fclose(file_);
}

Hdf5Reader::Hdf5Reader(Hdf5Reader&& other) noexcept
    : path_(std::move(other.path_)), file_(std::exchange(other.file_, -1)) {}

Hdf5Reader& Hdf5Reader::operator=(Hdf5Reader&& other) noexcept {
  if (this != &other) {
    if (file_ >= 0) H5Fclose(file_);
    path_ = std::move(other.path_);
    file_ = std::exchange(other.file_, -1);
  }
  return *this;
}

std::string Hdf5Reader::where(const std::string& object_path) const {
  return path_ + ": " + absolute(object_path);
}

bool Hdf5Reader::exists(const std::string& object_path) const {
  QuietErrors quiet;
  return link_exists(file_, object_path);
}

bool Hdf5Reader::is_group(const std::string& object_path) const {
  QuietErrors quiet;
  return object_type(file_, object_path) == H5O_TYPE_GROUP;
}

bool Hdf5Reader::is_dataset(const std::string& object_path) const {
  QuietErrors quiet;
  return object_type(file_, object_path) == H5O_TYPE_DATASET;
}

std::vector<std::string> Hdf5Reader::members(const std::string& group_path) const {
  QuietErrors quiet;
  if (object_type(file_, group_path) != H5O_TYPE_GROUP) {
    throw InputError(where(group_path) + ": no such group");
  }
  Handle group(H5Gopen2(file_, absolute(group_path).c_str(), H5P_DEFAULT), H5Gclose);
  H5G_info_t info;
  if (!group.valid() || H5Gget_info(group.get(), &info) < 0) {
    throw InputError(where(group_path) + ": the group could not be read");
  }
  std::vector<std::string> names;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t length = H5Lget_name_by_idx(group.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i,
                                              nullptr, 0, H5P_DEFAULT);
    if (length < 0) continue;
    std::string name(static_cast<std::size_t>(length) + 1, '\0');
    H5Lget_name_by_idx(group.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size(),
                       H5P_DEFAULT);
    name.resize(static_cast<std::size_t>(length));
    names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::size_t> Hdf5Reader::dims(const std::string& dataset_path) const {
  QuietErrors quiet;
  if (object_type(file_, dataset_path) != H5O_TYPE_DATASET) {
    throw InputError(where(dataset_path) + ": no such dataset");
  }
  Handle dataset(H5Dopen2(file_, absolute(dataset_path).c_str(), H5P_DEFAULT), H5Dclose);
  Handle space(H5Dget_space(dataset.get()), H5Sclose);
  return space_dims(space.get());
}

NumericDataset Hdf5Reader::read_numeric(const std::string& dataset_path) const {
  QuietErrors quiet;
  if (object_type(file_, dataset_path) != H5O_TYPE_DATASET) {
    throw InputError(where(dataset_path) + ": no such dataset");
  }
  Handle dataset(H5Dopen2(file_, absolute(dataset_path).c_str(), H5P_DEFAULT), H5Dclose);
  Handle type(H5Dget_type(dataset.get()), H5Tclose);
  const H5T_class_t type_class = H5Tget_class(type.get());
  if (type_class != H5T_INTEGER && type_class != H5T_FLOAT) {
    throw InputError(where(dataset_path) + ": not numeric (integer or floating-point) data");
  }
  Handle space(H5Dget_space(dataset.get()), H5Sclose);
  NumericDataset result;
  result.dims = space_dims(space.get());
  result.values.resize(element_count(space.get(), where(dataset_path)));
  if (!result.values.empty() &&
      H5Dread(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, result.values.data()) < 0) {
    throw InputError(where(dataset_path) + ": the data could not be read");
  }
  return result;
}

std::string Hdf5Reader::read_string(const std::string& dataset_path) const {
  QuietErrors quiet;
  if (object_type(file_, dataset_path) != H5O_TYPE_DATASET) {
    throw InputError(where(dataset_path) + ": no such dataset");
  }
  Handle dataset(H5Dopen2(file_, absolute(dataset_path).c_str(), H5P_DEFAULT), H5Dclose);
  Handle type(H5Dget_type(dataset.get()), H5Tclose);
  Handle space(H5Dget_space(dataset.get()), H5Sclose);
  return read_string_value(dataset.get(), type.get(), space.get(), false, where(dataset_path));
}

std::vector<std::string> Hdf5Reader::read_strings(const std::string& dataset_path) const {
  QuietErrors quiet;
  if (object_type(file_, dataset_path) != H5O_TYPE_DATASET) {
    throw InputError(where(dataset_path) + ": no such dataset");
  }
  Handle dataset(H5Dopen2(file_, absolute(dataset_path).c_str(), H5P_DEFAULT), H5Dclose);
  Handle type(H5Dget_type(dataset.get()), H5Tclose);
  Handle space(H5Dget_space(dataset.get()), H5Sclose);
  if (H5Tget_class(type.get()) != H5T_STRING) throw InputError(where(dataset_path) + ": not a string dataset");
  const std::size_t count = element_count(space.get(), where(dataset_path));
  std::vector<std::string> result;
  if (count == 0) return result;
  herr_t status = 0;
  if (H5Tis_variable_str(type.get()) > 0) {
    Handle memory_type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(memory_type.get(), H5T_VARIABLE);
    H5Tset_cset(memory_type.get(), H5Tget_cset(type.get()));
    std::vector<char*> texts(count, nullptr);
    status = H5Dread(dataset.get(), memory_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data());
    for (char* text : texts) {
      result.emplace_back(text != nullptr ? text : "");
      if (text != nullptr) H5free_memory(text);
    }
  } else {
    const std::size_t size = H5Tget_size(type.get());
    if (size == 0 || size > max_elements / count) {
      throw InputError(where(dataset_path) + ": strings of " + std::to_string(size) + " bytes each cannot be read");
    }
    std::string buffer(size * count, '\0');
    Handle memory_type(H5Tcopy(type.get()), H5Tclose);
    status = H5Dread(dataset.get(), memory_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data());
    for (std::size_t i = 0; i < count; ++i) {
      const std::string item = buffer.substr(i * size, size);
      result.push_back(item.substr(0, item.find('\0')));
    }
  }
  if (status < 0) throw InputError(where(dataset_path) + ": the strings could not be read");
  return result;
}

bool Hdf5Reader::has_attribute(const std::string& object_path, const std::string& attribute) const {
  QuietErrors quiet;
  if (!link_exists(file_, object_path)) return false;
  return H5Aexists_by_name(file_, absolute(object_path).c_str(), attribute.c_str(), H5P_DEFAULT) > 0;
}

std::string Hdf5Reader::read_string_attribute(const std::string& object_path,
                                              const std::string& attribute) const {
  const std::string place = where(object_path) + " attribute '" + attribute + "'";
  if (!has_attribute(object_path, attribute)) throw InputError(place + ": missing");
  QuietErrors quiet;
  Handle handle(H5Aopen_by_name(file_, absolute(object_path).c_str(), attribute.c_str(), H5P_DEFAULT,
                                H5P_DEFAULT),
                H5Aclose);
  Handle type(H5Aget_type(handle.get()), H5Tclose);
  Handle space(H5Aget_space(handle.get()), H5Sclose);
  return read_string_value(handle.get(), type.get(), space.get(), true, place);
}

}  // namespace tandem
