// What the HDF5 reader and writer (core/hdf5_reader.hpp, core/hdf5_writer.hpp) share around the
// C API: an identifier closed when it goes out of scope, and HDF5's own error printing silenced
// while a call that may fail runs (the failure is reported as an InputError instead). Include
// only from .cpp files: it brings in <hdf5.h>, which the rest of tandem never sees.
#pragma once

#include <hdf5.h>

namespace tandem::hdf5 {

// Silences HDF5's automatic error-stack printing for the guard's lifetime; restores the previous
// handler.
class QuietErrors {
 public:
  QuietErrors() {
    H5Eget_auto2(H5E_DEFAULT, &function_, &data_);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  ~QuietErrors() { H5Eset_auto2(H5E_DEFAULT, function_, data_); }
  QuietErrors(const QuietErrors&) = delete;
  QuietErrors& operator=(const QuietErrors&) = delete;

 private:
  H5E_auto2_t function_ = nullptr;
  void* data_ = nullptr;
};

// Closes an HDF5 identifier with the matching close function when it goes out of scope.
class Handle {
 public:
  Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  ~Handle() {
    if (id_ >= 0) close_(id_);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  [[nodiscard]] hid_t get() const { return id_; }
  [[nodiscard]] bool valid() const { return id_ >= 0; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

}  // namespace tandem::hdf5
