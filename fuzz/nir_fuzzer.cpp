// libFuzzer target: arbitrary bytes as a NIR (HDF5) file, imported and run for a few ticks.
// Only InputError/RunError may come out; a crash, sanitizer report or other exception is a finding.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto scratch = tandem::fuzz::scratch_path(".nir");
  (void)tandem::fuzz::load_nir_bytes(data, size, scratch);
  return 0;
}
