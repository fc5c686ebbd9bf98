#include "core/trace_file.hpp"

#include <H5Cpp.h>

#include <algorithm>
#include <filesystem>
#include <optional>

#include "core/error.hpp"
#include "core/hdf5_reader.hpp"

namespace tandem {

namespace {

std::string type_name(const H5::DataType& type) {
  switch (type.getClass()) {
    case H5T_INTEGER: {
      const H5::IntType integer(type.getId());
      const bool is_signed = integer.getSign() != H5T_SGN_NONE;
      return std::string(is_signed ? "int" : "uint") + std::to_string(8 * type.getSize());
    }
    case H5T_FLOAT: return "float" + std::to_string(8 * type.getSize());
    case H5T_STRING: return "string";
    default: return "other";
  }
}

std::string attribute_text(const H5::Attribute& attribute) {
  const H5::DataType type = attribute.getDataType();
  const H5T_class_t kind = type.getClass();
  if (attribute.getSpace().getSimpleExtentNpoints() != 1) return "(array)";
  if (kind == H5T_STRING) {
    std::string text;
    attribute.read(attribute.getStrType(), text);
    return text;
  }
  if (kind == H5T_INTEGER) {
    const H5::IntType integer(type.getId());
    if (integer.getSign() == H5T_SGN_NONE) {
      std::uint64_t value = 0;
      attribute.read(H5::PredType::NATIVE_UINT64, &value);
      return std::to_string(value);
    }
    std::int64_t value = 0;
    attribute.read(H5::PredType::NATIVE_INT64, &value);
    return std::to_string(value);
  }
  if (kind == H5T_FLOAT) {
    double value = 0.0;
    attribute.read(H5::PredType::NATIVE_DOUBLE, &value);
    return format_number(value);
  }
  return "(unsupported type)";
}

std::map<std::string, std::string> attributes_of(const H5::H5Object& object) {
  std::map<std::string, std::string> out;
  const int count = object.getNumAttrs();
  for (int i = 0; i < count; ++i) {
    const H5::Attribute attribute = object.openAttribute(static_cast<unsigned>(i));
    out[attribute.getName()] = attribute_text(attribute);
  }
  return out;
}

herr_t collect_dataset(hid_t, const char* name, const H5O_info_t* info, void* paths) {
  if (info->type == H5O_TYPE_DATASET) {
    std::string path(1, '/');  // (append, not "/" + name: GCC 12 warns falsely on that)
    path.append(name);
    static_cast<std::vector<std::string>*>(paths)->push_back(std::move(path));
  }
  return 0;
}

}  // namespace

struct TraceFile::Impl {
  std::string path;
  H5::H5File file;                     // listing datasets and their attributes
  std::optional<Hdf5Reader> reader;    // reading values, with the reader's size checks
};

TraceFile::TraceFile(const std::string& file_path) : impl_(std::make_unique<Impl>()) {
  impl_->path = file_path;
  H5::Exception::dontPrint();
  if (!std::filesystem::exists(file_path)) throw InputError("trace file '" + file_path + "' does not exist");
  if (std::filesystem::is_directory(file_path)) throw InputError("trace file '" + file_path + "' is a directory");
  try {
    if (!H5::H5File::isHdf5(file_path)) {
      throw InputError("trace file '" + file_path + "' is not an HDF5 file");
    }
    impl_->file = H5::H5File(file_path, H5F_ACC_RDONLY);
    impl_->reader.emplace(file_path);
  } catch (const H5::Exception& error) {
    throw InputError("trace file '" + file_path + "' cannot be opened: " + error.getDetailMsg());
  }
}

TraceFile::~TraceFile() = default;

const std::string& TraceFile::file_path() const { return impl_->path; }

std::vector<TraceDataset> TraceFile::datasets() const {
  std::vector<std::string> paths;
  try {
    H5Ovisit(impl_->file.getId(), H5_INDEX_NAME, H5_ITER_INC, collect_dataset, &paths);
    std::vector<TraceDataset> out;
    for (const std::string& path : paths) {
      const H5::DataSet dataset = impl_->file.openDataSet(path);
      TraceDataset entry;
      entry.path = path;
      entry.type = type_name(dataset.getDataType());
      const H5::DataSpace space = dataset.getSpace();
      std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(space.getSimpleExtentNdims(), 0)));
      if (!dims.empty()) space.getSimpleExtentDims(dims.data());
      entry.shape.assign(dims.begin(), dims.end());
      entry.attributes = attributes_of(dataset);
      out.push_back(std::move(entry));
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    return out;
  } catch (const H5::Exception& error) {
    throw InputError("trace file '" + impl_->path + "': cannot list datasets: " + error.getDetailMsg());
  }
}

std::map<std::string, std::string> TraceFile::meta() const {
  try {
    if (!impl_->file.nameExists("/meta")) return {};
    return attributes_of(impl_->file.openGroup("/meta"));
  } catch (const H5::Exception& error) {
    throw InputError("trace file '" + impl_->path + "': cannot read /meta: " + error.getDetailMsg());
  }
}

std::vector<double> TraceFile::values(const std::string& dataset_path) const {
  return impl_->reader->read_numeric(dataset_path).values;
}

void TraceFile::read_into(const std::string& dataset_path, const std::string& type, void* out, std::size_t count) const {
  const std::string where = "trace file '" + impl_->path + "': " + dataset_path;
  const H5::PredType* memory = nullptr;
  if (type == "int64") memory = &H5::PredType::NATIVE_INT64;
  if (type == "uint32") memory = &H5::PredType::NATIVE_UINT32;
  if (type == "float32") memory = &H5::PredType::NATIVE_FLOAT;
  if (type == "float64") memory = &H5::PredType::NATIVE_DOUBLE;
  if (memory == nullptr) throw InputError(where + ": cannot read as '" + type + "'");
  try {
    const H5::DataSet dataset = impl_->file.openDataSet(dataset_path);
    const H5T_class_t type_class = dataset.getDataType().getClass();
    if (type_class != H5T_INTEGER && type_class != H5T_FLOAT) throw InputError(where + ": not numeric data");
    const H5::DataSpace space = dataset.getSpace();
    if (static_cast<std::size_t>(space.getSimpleExtentNpoints()) != count) {
      throw InputError(where + ": holds " + std::to_string(space.getSimpleExtentNpoints()) + " values, not " +
                       std::to_string(count));
    }
    if (count > 0) dataset.read(out, *memory);
  } catch (const H5::Exception& error) {
    throw InputError(where + ": cannot be read: " + error.getDetailMsg());
  }
}

}  // namespace tandem
