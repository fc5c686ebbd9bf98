// Internal to io/: pieces of the lowering that do not need the engine graph — reading value
// sources (numbers, lists, matrices, HDF5 datasets), parameter maps, bridge units by kind and
// environments by name. Errors are "<file>: <key.path>: <problem>".
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "bridge/unit.hpp"
#include "core/engine.hpp"
#include "io/network_description.hpp"

namespace tandem::io {

[[noreturn]] void lowering_error(const NetworkDescription& network, const std::string& path,
                                 const std::string& problem);

// `count` values from a number (repeated), a list or matrix of exactly `count`, or an HDF5 dataset
// holding `count` numbers.
std::vector<double> expand_values(const NetworkDescription& network, const ValueSource& source, std::size_t count,
                                  const std::string& path);
// An HDF5 dataset as numbers with its dims (errors name the path).
std::vector<double> read_dataset(const NetworkDescription& network, const Hdf5Ref& ref, const std::string& path,
                                 std::vector<std::size_t>* dims = nullptr);

// Reads typed parameters by name; unknown names left over are an error naming the key.
class ParameterReader {
 public:
  ParameterReader(const NetworkDescription& network, const ParameterMap& parameters, std::string path);
  double number(const std::string& key, double fallback);
  std::string text(const std::string& key, const std::string& fallback);
  // A list of numbers (a single number is a list of one); empty when not given.
  std::vector<double> numbers(const std::string& key);
  // Throws for keys never asked for, listing the known ones.
  void finish() const;

 private:
  const ParameterValue* take(const std::string& key);
  const NetworkDescription& network_;
  const ParameterMap& parameters_;
  std::string path_;
  std::vector<std::string> known_;
};

// Model parameters as the neurons registry wants them (text), numbers printed exactly.
std::string parameter_text(const NetworkDescription& network, const ParameterValue& value, const std::string& path);

// A bridge unit of `unit.kind` (bridge/unit_kinds.hpp) reading `input_width` values or spike channels.
// Reads the kind's parameters from `parameters` (the caller may read more, then finish()).
std::unique_ptr<bridge::Unit> make_bridge_unit(const NetworkDescription& network, const BridgeUnitDescription& unit,
                                               std::size_t input_width, ParameterReader& parameters);

// "cartpole" or "bicycle" with their parameters by field name.
std::unique_ptr<Engine> make_environment(const NetworkDescription& network, const EnvironmentDescription& environment);

}  // namespace tandem::io
