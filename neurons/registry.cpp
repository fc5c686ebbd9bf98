#include "neurons/registry.hpp"

#include <algorithm>
#include <charconv>
#include <functional>
#include <tuple>

#include "core/error.hpp"
#include "neurons/model_list.hpp"

namespace tandem::neurons {

namespace {

template <typename Model>
concept HasResetMode = requires(typename Model::Parameters p) { p.reset_mode; };
template <typename Model>
concept HasIntegration = requires(typename Model::Parameters p) { p.integration; };

double parse_number(const std::string& where, const std::string& text) {
  double value = 0.0;
  const char* end = text.data() + text.size();
  const auto [ptr, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || ptr != end) throw InputError(where + ": '" + text + "' is not a number");
  return value;
}

template <typename Model>
std::unique_ptr<PopulationBase> make(const std::string& name, std::size_t size, const ParameterValues& values,
                                     const TimeBase& time) {
  typename Model::Parameters parameters{};
  for (const auto& [key, text] : values) {
    const std::string where = "population '" + name + "' (" + std::string(Model::name) + "): parameter " + key;
    // Named choices ("subtract", "euler"): their parser's message, prefixed with the place.
    const auto choice = [&](auto parse) {
      try {
        return parse(text);
      } catch (const InputError& error) {
        throw InputError(where + ": " + error.what());
      }
    };
    if constexpr (HasResetMode<Model>) {
      if (key == "reset_mode") {
        parameters.reset_mode = choice(parse_reset_mode);
        continue;
      }
    }
    if constexpr (HasIntegration<Model>) {
      if (key == "integration") {
        parameters.integration = choice(parse_integration);
        continue;
      }
    }
    bool found = false;
    for (const auto& field : Model::fields) {
      if (field.name == key) {
        parameters.*(field.member) = parse_number(where, text);
        found = true;
      }
    }
    if (!found) throw InputError(where + " is unknown");
  }
  try {
    return std::make_unique<Population<Model>>(name, size, parameters, time);
  } catch (const InputError& error) {
    throw InputError("population '" + name + "': " + error.what());
  }
}

struct Entry {
  ModelInfo info;
  std::function<std::unique_ptr<PopulationBase>(const std::string&, std::size_t, const ParameterValues&, const TimeBase&)>
      factory;
};

template <typename Model>
Entry entry_for() {
  ModelInfo info{Model::name, {}, Model::receptors, Model::variables};
  for (const auto& field : Model::fields) info.parameters.push_back(field.name);
  if constexpr (HasResetMode<Model>) info.parameters.push_back("reset_mode");
  if constexpr (HasIntegration<Model>) info.parameters.push_back("integration");
  return {info, &make<Model>};
}

const std::vector<Entry>& entries() {
  static const std::vector<Entry> all = []<typename... Models>(std::tuple<Models...>*) {
    return std::vector<Entry>{entry_for<Models>()...};
  }(static_cast<ModelList*>(nullptr));
  return all;
}

struct ProcessEntry {
  std::string_view model;
  Precision precision;
  std::function<std::unique_ptr<PopulationBase>(const std::string&, std::size_t, const ParameterValues&, const TimeBase&)>
      factory;
};

const std::vector<ProcessEntry>& process_entries() {
  static const std::vector<ProcessEntry> all = []<typename... Models>(std::tuple<Models...>*) {
    return std::vector<ProcessEntry>{ProcessEntry{Models::name, Models::precision, &make<Models>}...};
  }(static_cast<IntegerProcessModels*>(nullptr));
  return all;
}

}  // namespace

bool has_precision(std::string_view model, Precision precision) {
  if (precision == Precision::float32) return true;
  return std::any_of(process_entries().begin(), process_entries().end(),
                     [&](const ProcessEntry& e) { return e.model == model && e.precision == precision; });
}

const std::vector<ModelInfo>& models() {
  static const std::vector<ModelInfo> all = [] {
    std::vector<ModelInfo> list;
    for (const auto& entry : entries()) list.push_back(entry.info);
    return list;
  }();
  return all;
}

std::unique_ptr<PopulationBase> make_population(std::string_view model, const std::string& name, std::size_t size,
                                                const ParameterValues& parameters, const TimeBase& time,
                                                Precision precision) {
  if (precision != Precision::float32) {
    std::string with;
    for (const auto& entry : process_entries()) {
      if (entry.model == model && entry.precision == precision) return entry.factory(name, size, parameters, time);
      if (entry.precision == precision) with += (with.empty() ? "" : ", ") + std::string(entry.model);
    }
    throw InputError("population '" + name + "': model '" + std::string(model) + "' has no " +
                     std::string(to_string(precision)) + " precision (models with one: " + (with.empty() ? "none" : with) +
                     "; float32: every model)");
  }
  std::string known;
  for (const auto& entry : entries()) {
    if (entry.info.name == model) return entry.factory(name, size, parameters, time);
    known += (known.empty() ? "" : ", ") + std::string(entry.info.name);
  }
  throw InputError("population '" + name + "': unknown neuron model '" + std::string(model) + "' (known: " + known + ")");
}

}  // namespace tandem::neurons
