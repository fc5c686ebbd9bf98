// The loader entry points shared by the fuzzers (fuzz/*_fuzzer.cpp) and their corpus replay test:
// bytes in, either a loaded model or a clean InputError/RunError; anything else escapes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace tandem::fuzz {

enum class Outcome { loaded, refused };  // refused: an InputError or RunError was thrown

// YAML network text → io::parse_network_text; relative paths resolve against `base_dir`.
Outcome load_network_bytes(const std::uint8_t* data, std::size_t size, const std::filesystem::path& base_dir);

// NIR (HDF5) bytes → written to `scratch_file` → io::import_nir → a few ticks run.
Outcome load_nir_bytes(const std::uint8_t* data, std::size_t size, const std::filesystem::path& scratch_file);

// A scratch path unique to this process in the system temp folder ("tandem_fuzz_<pid><suffix>").
std::filesystem::path scratch_path(const std::string& suffix);

}  // namespace tandem::fuzz
