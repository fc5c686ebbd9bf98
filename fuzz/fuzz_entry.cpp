#include "fuzz/fuzz_entry.hpp"

#include <unistd.h>

#include <fstream>

#include "core/error.hpp"
#include "io/network_file.hpp"
#include "io/nir_import.hpp"

namespace tandem::fuzz {

namespace {

// Enough ticks to step every node once and carry values round a recurrent loop.
constexpr std::int64_t nir_ticks = 3;

}  // namespace

Outcome load_network_bytes(const std::uint8_t* data, std::size_t size, const std::filesystem::path& base_dir) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)io::parse_network_text(text, "fuzz.yaml", base_dir);
  } catch (const InputError&) {
    return Outcome::refused;
  } catch (const RunError&) {
    return Outcome::refused;
  }
  return Outcome::loaded;
}

Outcome load_nir_bytes(const std::uint8_t* data, std::size_t size, const std::filesystem::path& scratch_file) {
  {
    std::ofstream out(scratch_file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out) throw RunError(scratch_file.string() + ": could not write the fuzz input");
  }
  try {
    // In this process: the child process of a normal import would hide tandem's own faults from
    // the fuzzer's sanitizers.
    auto run = io::import_nir(scratch_file, {.read_limits = {.in_process = true}});
    run.simulation->run(nir_ticks);
  } catch (const InputError&) {
    return Outcome::refused;
  } catch (const RunError&) {
    return Outcome::refused;
  }
  return Outcome::loaded;
}

std::filesystem::path scratch_path(const std::string& suffix) {
  return std::filesystem::temp_directory_path() / ("tandem_fuzz_" + std::to_string(::getpid()) + suffix);
}

}  // namespace tandem::fuzz
