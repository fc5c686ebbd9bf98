// The name → factory registry of neuron models, built by iterating ModelList (model_list.hpp):
// io/ and the CLI create populations by model name with parameters given by name.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "neurons/population.hpp"

namespace tandem::neurons {

// Parameter values by name as text ("tau_m_ms" -> "20", "reset_mode" -> "subtract").
using ParameterValues = std::map<std::string, std::string>;

struct ModelInfo {
  std::string_view name;
  std::vector<std::string_view> parameters;
  std::span<const Receptor> receptors;
  std::span<const Variable> variables;
};

// Every listed model, in ModelList order.
const std::vector<ModelInfo>& models();
// A population of model `model`; unknown model or parameter names, unparsable or invalid
// values → InputError naming the population, the model and the parameter.
// `precision` picks the process model (float32: the model itself; tianjic, loihi: its integer
// process model, InputError naming the models that have one when it has none).
std::unique_ptr<PopulationBase> make_population(std::string_view model, const std::string& name, std::size_t size,
                                                const ParameterValues& parameters, const TimeBase& time,
                                                Precision precision = Precision::float32);
// Whether model `model` can run in `precision`.
bool has_precision(std::string_view model, Precision precision);

}  // namespace tandem::neurons
