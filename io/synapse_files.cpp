#include "io/synapse_files.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/contained_read.hpp"
#include "core/error.hpp"
#include "core/hdf5_reader.hpp"

namespace tandem::io {

namespace {

// The value of `'key': …` in an .npy header dict, up to the next top-level comma or brace.
std::string header_value(const std::string& header, const std::string& key) {
  const auto at = header.find("'" + key + "'");
  if (at == std::string::npos) throw InputError("the .npy header has no '" + key + "'");
  auto start = header.find(':', at);
  if (start == std::string::npos) throw InputError("the .npy header is malformed near '" + key + "'");
  ++start;
  while (start < header.size() && header[start] == ' ') ++start;
  std::size_t end = start;
  int depth = 0;
  while (end < header.size() && !(depth == 0 && (header[end] == ',' || header[end] == '}'))) {
    if (header[end] == '(') ++depth;
    if (header[end] == ')') --depth;
    ++end;
  }
  return header.substr(start, end - start);
}

template <typename T>
double load_as(const char* bytes) {
  T value{};
  std::memcpy(&value, bytes, sizeof(T));
  return static_cast<double>(value);
}

double decode(const char* bytes, char kind, std::size_t width) {
  if (kind == 'f' && width == 4) return load_as<float>(bytes);
  if (kind == 'f' && width == 8) return load_as<double>(bytes);
  if (kind == 'i' && width == 1) return load_as<std::int8_t>(bytes);
  if (kind == 'i' && width == 2) return load_as<std::int16_t>(bytes);
  if (kind == 'i' && width == 4) return load_as<std::int32_t>(bytes);
  if (kind == 'i' && width == 8) return load_as<std::int64_t>(bytes);
  if (kind == 'u' && width == 1) return load_as<std::uint8_t>(bytes);
  if (kind == 'u' && width == 2) return load_as<std::uint16_t>(bytes);
  if (kind == 'u' && width == 4) return load_as<std::uint32_t>(bytes);
  return load_as<std::uint64_t>(bytes);
}

std::vector<std::string> split(const std::string& line, char separator) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream stream(line);
  while (std::getline(stream, field, separator)) {
    const auto first = field.find_first_not_of(" \t\r");
    const auto last = field.find_last_not_of(" \t\r");
    fields.push_back(first == std::string::npos ? "" : field.substr(first, last - first + 1));
  }
  return fields;
}

// Assigns column `name` of a table to the list's field of that name; false for an unknown name.
bool assign(SynapseList& list, const std::string& name, std::vector<double> values) {
  if (name == "pre") list.pre = std::move(values);
  else if (name == "post") list.post = std::move(values);
  else if (name == "weight") list.weight = std::move(values);
  else if (name == "delay_ms" || name == "delay") list.delay_ms = std::move(values);
  else return false;
  return true;
}

SynapseList read_csv(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw InputError("cannot open " + file.string());
  std::string line;
  if (!std::getline(in, line)) throw InputError("the CSV file is empty; its first line names the columns (pre,post[,weight][,delay_ms])");
  const std::vector<std::string> names = split(line, ',');
  std::vector<std::vector<double>> columns(names.size());
  std::size_t row = 1;
  while (std::getline(in, line)) {
    ++row;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const auto fields = split(line, ',');
    if (fields.size() != names.size()) {
      throw InputError("line " + std::to_string(row) + " has " + std::to_string(fields.size()) + " fields, the header " +
                       std::to_string(names.size()));
    }
    for (std::size_t c = 0; c < fields.size(); ++c) {
      std::size_t used = 0;
      double value = 0.0;
      try {
        value = std::stod(fields[c], &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || used != fields[c].size()) {
        throw InputError("line " + std::to_string(row) + ", column '" + names[c] + "': '" + fields[c] + "' is not a number");
      }
      columns[c].push_back(value);
    }
  }
  for (const char* required : {"pre", "post"}) {
    if (std::find(names.begin(), names.end(), required) == names.end()) {
      throw InputError(std::string("the CSV header names no column '") + required + "' (pre,post[,weight][,delay_ms])");
    }
  }
  SynapseList list;
  for (std::size_t c = 0; c < names.size(); ++c) {
    if (!assign(list, names[c], std::move(columns[c]))) {
      throw InputError("unknown column '" + names[c] + "' in the header (pre, post, weight, delay_ms)");
    }
  }
  return list;
}

SynapseList read_npy_list(const std::filesystem::path& file) {
  std::vector<std::size_t> shape;
  const std::vector<double> values = read_npy(file, shape);
  if (shape.size() != 2 || shape[1] < 2 || shape[1] > 4) {
    throw InputError("the array must be [synapses x 2..4] (columns pre, post, weight, delay_ms)");
  }
  static const char* const names[] = {"pre", "post", "weight", "delay_ms"};
  SynapseList list;
  for (std::size_t c = 0; c < shape[1]; ++c) {
    std::vector<double> column(shape[0]);
    for (std::size_t i = 0; i < shape[0]; ++i) column[i] = values[i * shape[1] + c];
    assign(list, names[c], std::move(column));
  }
  return list;
}

SynapseList read_hdf5_list_here(const std::filesystem::path& file, const std::string& group);

SynapseList read_hdf5_list(const std::filesystem::path& file, const std::string& group) {
  // Untrusted input read through libhdf5: first in a child process (core/contained_read.hpp).
  return read_contained(file.string(), [&] { return read_hdf5_list_here(file, group); });
}

SynapseList read_hdf5_list_here(const std::filesystem::path& file, const std::string& group) {
  const Hdf5Reader reader(file.string());
  const std::string prefix = group == "/" ? "" : group;
  SynapseList list;
  for (const char* name : {"pre", "post", "weight", "delay_ms", "delay"}) {
    const std::string path = prefix + "/" + name;
    if (!reader.exists(path)) {
      if (std::string(name) == "pre" || std::string(name) == "post") {
        throw InputError("group " + group + " has no dataset '" + name + "' (it needs pre and post, and may hold weight and delay_ms)");
      }
      continue;
    }
    auto data = reader.read_numeric(path);
    if (data.dims.size() > 1) throw InputError("dataset " + path + " must be one-dimensional");
    assign(list, name, std::move(data.values));
  }
  return list;
}

}  // namespace

std::vector<double> read_npy(const std::filesystem::path& file, std::vector<std::size_t>& shape) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError("cannot open " + file.string());
  char magic[8] = {};
  in.read(magic, 8);
  if (!in || std::memcmp(magic, "\x93NUMPY", 6) != 0) throw InputError("not a NumPy .npy file (no \\x93NUMPY magic)");
  std::size_t header_length = 0;
  if (magic[6] == 1) {
    unsigned char length[2] = {};
    in.read(reinterpret_cast<char*>(length), 2);
    header_length = length[0] | (static_cast<std::size_t>(length[1]) << 8U);
  } else {
    unsigned char length[4] = {};
    in.read(reinterpret_cast<char*>(length), 4);
    for (int b = 3; b >= 0; --b) header_length = (header_length << 8U) | length[b];
  }
  if (!in || header_length > 1'000'000) throw InputError("the .npy header is malformed");
  std::string header(header_length, '\0');
  in.read(header.data(), static_cast<std::streamsize>(header_length));
  const std::string descr = header_value(header, "descr");
  if (header_value(header, "fortran_order") != "False") throw InputError("the .npy array is in Fortran order; save it in C order");
  // descr is '<f8', '|u1' …: byte order, kind, width.
  if (descr.size() < 5 || (descr[1] != '<' && descr[1] != '|') || std::string("fiu").find(descr[2]) == std::string::npos) {
    throw InputError("the .npy type " + descr + " is not a little-endian integer or float");
  }
  const char kind = descr[2];
  const std::size_t width = static_cast<std::size_t>(std::stoul(descr.substr(3)));
  const bool known_width = kind == 'f' ? (width == 4 || width == 8) : (width == 1 || width == 2 || width == 4 || width == 8);
  if (!known_width) throw InputError("the .npy type " + descr + " is not supported");
  const std::string shape_text = header_value(header, "shape");
  shape.clear();
  std::size_t count = 1;
  for (const std::string& part : split(shape_text.substr(1, shape_text.size() - 2), ',')) {
    if (part.empty()) continue;
    shape.push_back(static_cast<std::size_t>(std::stoull(part)));
    count *= shape.back();
  }
  if (count > 4'000'000'000ULL / width) throw InputError("the .npy array is too large");
  std::vector<char> bytes(count * width);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!in) throw InputError("the .npy file is shorter than its shape " + shape_text + " says");
  std::vector<double> values(count);
  for (std::size_t i = 0; i < count; ++i) values[i] = decode(bytes.data() + i * width, kind, width);
  return values;
}

SynapseList read_synapse_list(const std::filesystem::path& file, const std::string& group) {
  const std::string extension = file.extension().string();
  SynapseList list = extension == ".csv" ? read_csv(file) : extension == ".npy" ? read_npy_list(file) : read_hdf5_list(file, group);
  const std::size_t n = list.pre.size();
  const auto check = [&](const std::vector<double>& column, const char* name) {
    if (column.size() != n) {
      throw InputError(std::string(name) + " has " + std::to_string(column.size()) + " entries, pre has " + std::to_string(n));
    }
  };
  check(list.post, "post");
  if (list.weight) check(*list.weight, "weight");
  if (list.delay_ms) check(*list.delay_ms, "delay_ms");
  return list;
}

}  // namespace tandem::io
