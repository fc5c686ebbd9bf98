// Replays the fuzz corpora (fuzz/corpus/{yaml,nir} plus the seed folders the fuzzers start from)
// through the fuzzers' own entry points: each file must load or be refused with an
// InputError/RunError — any other exception or a crash fails here, and under ASan+UBSan in CI.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz/fuzz_entry.hpp"

namespace {

using tandem::fuzz::Outcome;
namespace fs = std::filesystem;

const fs::path source_dir = TANDEM_SOURCE_DIR;

std::vector<std::uint8_t> bytes_of(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Regular files of `folder` with extension `extension` ("" = every file), sorted for stable output.
std::vector<fs::path> files_in(const fs::path& folder, const std::string& extension) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.is_regular_file() && (extension.empty() || entry.path().extension() == extension)) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

Outcome replay_yaml(const fs::path& file) {
  const auto data = bytes_of(file);
  return tandem::fuzz::load_network_bytes(data.data(), data.size(), file.parent_path());
}

Outcome replay_nir(const fs::path& file) {
  const auto data = bytes_of(file);
  const auto scratch = tandem::fuzz::scratch_path("_replay.nir");
  const Outcome outcome = tandem::fuzz::load_nir_bytes(data.data(), data.size(), scratch);
  fs::remove(scratch);
  return outcome;
}

}  // namespace

TEST_CASE("fuzz corpus: every YAML input loads or is refused cleanly", "[io][fuzz]") {
  const auto corpus = files_in(source_dir / "fuzz/corpus/yaml", "");
  CHECK(!corpus.empty());
  for (const auto& file : corpus) {
    INFO(file.string());
    (void)replay_yaml(file);  // only an escaping exception or a crash fails
  }
  // The seeds: the example networks load, every bad file is refused.
  for (const auto& file : files_in(source_dir / "examples/networks", ".yaml")) {
    INFO(file.string());
    CHECK(replay_yaml(file) == Outcome::loaded);
  }
  for (const auto& file : files_in(source_dir / "tests/data/bad", ".yaml")) {
    INFO(file.string());
    CHECK(replay_yaml(file) == Outcome::refused);
  }
}

TEST_CASE("fuzz corpus: every NIR input loads or is refused cleanly", "[io][fuzz][nir]") {
  const auto corpus = files_in(source_dir / "fuzz/corpus/nir", "");
  CHECK(!corpus.empty());
  for (const auto& file : corpus) {
    INFO(file.string());
    (void)replay_nir(file);
  }
  for (const char* seed : {"fuzz/corpus/nir/valid_lif.nir", "fuzz/corpus/nir/recurrent_cycle.nir",
                           "tests/data/nir/two_lif_neurons.nir", "tests/data/nir/lif_norse.nir"}) {
    INFO(seed);
    CHECK(replay_nir(source_dir / seed) == Outcome::loaded);
  }
  for (const auto& file : files_in(source_dir / "tests/data/bad/nir", ".nir")) {
    INFO(file.string());
    CHECK(replay_nir(file) == Outcome::refused);
  }
}
