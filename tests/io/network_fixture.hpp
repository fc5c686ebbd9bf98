// Helpers shared by the network-file tests: parse a file from text, the error a build gives.
#pragma once

#include <string>

#include "core/error.hpp"
#include "core/memory_recorder.hpp"
#include "io/network_builder.hpp"
#include "io/network_file.hpp"

namespace tandem::testing {

inline io::NetworkDescription parse_network(const std::string& text) {
  return io::parse_network_text(text, "net.yaml", TANDEM_BINARY_DIR);
}

// The message of the InputError that building `text` throws, or "no error".
inline std::string build_error(const std::string& text) {
  try {
    (void)io::build_network(parse_network(text));
  } catch (const InputError& error) {
    return error.what();
  }
  return "no error";
}

// Builds `network`, runs it for `ticks` with `probe` recorded into `recorder`.
inline void run_probed(const io::NetworkDescription& network, const Probe& probe, Tick ticks, MemoryRecorder& recorder,
                       const io::BuildOptions& options = {}) {
  auto built = io::build_network(network, options);
  built.simulation->set_recorder(&recorder);
  built.simulation->add_probe(probe);
  built.simulation->run(ticks);
  built.simulation->set_recorder(nullptr);
}

}  // namespace tandem::testing
