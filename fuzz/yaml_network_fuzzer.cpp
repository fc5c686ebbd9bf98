// libFuzzer target: arbitrary bytes as a YAML network file. Only InputError/RunError may
// come out of the loader; a crash, sanitizer report or other exception is a finding.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Relative weight-file paths resolve into an empty temp folder: the loader must say "not found".
  static const auto base_dir = tandem::fuzz::scratch_path("_yaml_base");
  (void)tandem::fuzz::load_network_bytes(data, size, base_dir);
  return 0;
}
