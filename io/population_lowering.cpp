// The network builder: inputs and populations onto the event engine — model parameters, per-neuron
// values and distributions, initial state, bias currents (io/network_lowering.hpp).
#include "io/network_lowering.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/hdf5_reader.hpp"
#include "core/random.hpp"
#include "io/lowering_parts.hpp"

namespace tandem::io::detail {

void NetworkLowering::add_spiking() {
  for (const auto& input : net_.inputs) {
    const std::string path = "inputs." + input.name;
    const auto size = static_cast<std::size_t>(input.size);
    if (const auto* poisson = std::get_if<PoissonInput>(&input.source)) {
      const auto rates = expand_values(net_, poisson->rate_hz, size, path + ".rate_hz");
      if (std::any_of(rates.begin(), rates.end(), [&](double r) { return r != rates.front(); })) {
        fail(path + ".rate_hz", "different rates per unit are not supported yet; give one rate for all units");
      }
      snn().add_poisson_group(input.name, size, rates.front());
    } else if (const auto* times = std::get_if<SpikeTimesInput>(&input.source)) {
      if (times->file) fail(path + ".times_ms", "spike times from a file are not supported yet; list them inline");
      std::vector<std::pair<Tick, std::uint32_t>> spikes;
      for (std::size_t unit = 0; unit < times->times_ms.size(); ++unit) {
        for (const double t : times->times_ms[unit]) spikes.emplace_back(ticks_of_ms(t), static_cast<std::uint32_t>(unit));
      }
      std::sort(spikes.begin(), spikes.end());
      snn().add_spike_generator(input.name, size, std::move(spikes));
    } else if (std::holds_alternative<ExternalValuesInput>(input.source)) {
      nodes_[input.name] = {"inputs", external_engine_name, input.name, PortKind::dense, size};
      external_inputs_.push_back({input.name, size});
      continue;
    } else {
      // current and poisson_drive inputs are lowered with their projections
      nodes_[input.name] = {"inputs", "", "", PortKind::dense, size};
      continue;
    }
    nodes_[input.name] = {"inputs", snn_engine, input.name + ".spikes", PortKind::spikes, size};
  }
  for (const auto& pop : net_.populations) {
    check_interrupt("population " + pop.name);
    add_population(pop);
  }
}

void NetworkLowering::add_population(const PopulationDescription& pop) {
  const std::string path = "populations." + pop.name;
  const neurons::ModelInfo* info = nullptr;
  std::string known;
  for (const auto& model : neurons::models()) {
    if (model.name == pop.model) info = &model;
    known += (known.empty() ? "" : ", ") + std::string(model.name);
  }
  if (info == nullptr) fail(path + ".model", "unknown model '" + pop.model + "'; known: " + known);
  // The constant input current (bias) is lowered to currents into the model's i_ext; every other
  // parameter is one number per population (the models hold one set of constants).
  const std::string bias_key = bias_parameter(pop.model);
  const bool has_current = std::any_of(info->receptors.begin(), info->receptors.end(),
                                       [](const neurons::Receptor& r) { return r.name == "i_ext"; });
  std::vector<double> bias;
  neurons::ParameterValues values;
  for (const auto& [key, value] : pop.drawn_parameters) {
    if (key == bias_key && has_current) {
      bias = drawn_values(value, static_cast<std::size_t>(pop.size), path + ".parameters." + key);
      continue;
    }
    check_parameter_name(*info, pop, key, path);
    fail(path + ".parameters." + key, per_neuron_limit(bias_key));
  }
  for (const auto& [key, value] : pop.parameters) {
    const std::string key_path = path + ".parameters." + key;
    if (key == bias_key && has_current) {
      if (std::holds_alternative<std::string>(value)) fail(key_path, "must be a number or one per neuron");
      const DrawnValues drawn = std::holds_alternative<double>(value) ? DrawnValues{std::get<double>(value)}
                                                                      : DrawnValues{std::get<std::vector<double>>(value)};
      bias = drawn_values(drawn, static_cast<std::size_t>(pop.size), key_path);
      continue;
    }
    check_parameter_name(*info, pop, key, path);
    if (const auto* list = std::get_if<std::vector<double>>(&value)) {
      const bool uniform = !list->empty() && std::all_of(list->begin(), list->end(), [&](double v) { return v == list->front(); });
      if (!uniform) fail(key_path, per_neuron_limit(bias_key));
      values[key] = parameter_text(net_, list->front(), key_path);
      continue;
    }
    values[key] = parameter_text(net_, value, key_path);
  }
  if (pop.reset == "subtract" || (pop.reset == "value" && pop.parameters.count("reset_mode") == 0)) {
    const bool has_reset = std::find(info->parameters.begin(), info->parameters.end(), "reset_mode") != info->parameters.end();
    if (has_reset) values["reset_mode"] = pop.reset == "subtract" ? "subtract" : "to_value";
    else if (pop.reset == "subtract") fail(path + ".reset", "model '" + pop.model + "' has no reset to subtract");
  }
  neurons::PopulationBase* population = nullptr;
  try {
    population = &snn().add_population(neurons::make_population(pop.model, pop.name, static_cast<std::size_t>(pop.size),
                                                                values, time_, population_precision(pop)));
  } catch (const InputError& error) {
    const std::string message = error.what();
    std::string where = path + ".parameters";
    for (const auto& [key, value] : pop.parameters) {
      if (message.find(key) != std::string::npos) where = path + ".parameters." + key;
    }
    fail(where, message);
  }
  add_bias(pop, bias, path + ".parameters." + bias_key);
  for (const auto& [variable, value] : pop.initial) {
    const std::string key_path = path + ".initial." + variable;
    try {
      const auto* distribution = std::get_if<Distribution>(&value);
      if (distribution != nullptr && distribution->kind == "uniform") {
        // Drawn at every reset from the run seed and "<pop>.initial.<variable>", as C++ networks
        // do with set_initial_uniform (bench/coba.cpp): the same network gives the same draws.
        population->set_initial_uniform(variable, distribution->a, distribution->b);
        continue;
      }
      const auto drawn = drawn_values(value, population->size(), key_path, pop.name + ".initial." + variable);
      population->set_initial(variable, std::vector<float>(drawn.begin(), drawn.end()));
    } catch (const InputError& error) {
      fail(key_path, error.what());
    }
  }
  nodes_[pop.name] = {"populations", snn_engine, pop.name + ".spikes", PortKind::spikes, population->size()};
}

std::string NetworkLowering::bias_parameter(const std::string& model) {
  return model == "lif_coba" ? "bias_mv" : "bias_na";
}

std::string NetworkLowering::per_neuron_limit(const std::string& bias_key) {
  return "one value per neuron is not supported for model parameters: a population's neurons share one set of "
         "constants (the vectorised neuron loops read them once); give one number, split the population, or use "
         "per-neuron values where they are supported: '" + bias_key + "' (a constant current) and 'initial'";
}

void NetworkLowering::check_parameter_name(const neurons::ModelInfo& info, const PopulationDescription& pop, const std::string& key,
                                           const std::string& path) const {
  if (std::find(info.parameters.begin(), info.parameters.end(), key) != info.parameters.end()) return;
  std::string names;
  for (const auto name : info.parameters) names += (names.empty() ? "" : ", ") + std::string(name);
  const bool has_current = std::any_of(info.receptors.begin(), info.receptors.end(),
                                       [](const neurons::Receptor& r) { return r.name == "i_ext"; });
  if (has_current) names += ", " + bias_parameter(pop.model);
  fail(path + ".parameters." + key, "unknown parameter of model '" + pop.model + "'; known: " + names);
}

std::vector<double> NetworkLowering::drawn_values(const DrawnValues& value, std::size_t count, const std::string& path,
                                                  const std::string& stream) const {
  if (const auto* number = std::get_if<double>(&value)) return std::vector<double>(count, *number);
  if (const auto* list = std::get_if<std::vector<double>>(&value)) {
    if (list->size() != count) {
      fail(path, "needs one value per neuron (" + std::to_string(count) + "), got " + std::to_string(list->size()));
    }
    return *list;
  }
  if (const auto* ref = std::get_if<Hdf5Ref>(&value)) return expand_values(net_, *ref, count, path);
  return draw(std::get<Distribution>(value), count, stream.empty() ? path : stream);
}

std::vector<double> NetworkLowering::draw(const Distribution& distribution, std::size_t count, const std::string& stream) const {
  RandomStream random = RandomStream::derived(seed_, stream);
  std::vector<double> values(count);
  for (double& v : values) {
    v = distribution.kind == "uniform" ? random.uniform(distribution.a, distribution.b)
                                       : distribution.a + distribution.b * random.normal();
  }
  return values;
}

void NetworkLowering::add_bias(const PopulationDescription& pop, const std::vector<double>& bias, const std::string& path) {
  std::map<double, std::vector<std::uint32_t>> units_by_amplitude;
  for (std::size_t i = 0; i < bias.size(); ++i) {
    if (bias[i] != 0.0) units_by_amplitude[bias[i]].push_back(static_cast<std::uint32_t>(i));
  }
  int part = 0;
  for (const auto& [amplitude, units] : units_by_amplitude) {
    neurons::CurrentSpec spec;
    spec.name = pop.name + ".bias." + std::to_string(part++);
    spec.target = pop.name;
    spec.units = units.size() == bias.size() ? std::vector<std::uint32_t>{} : units;
    spec.amplitudes = {static_cast<float>(amplitude)};
    try {
      snn().add_current(spec);
    } catch (const InputError& error) {
      fail(path, error.what());
    }
  }
}

}  // namespace tandem::io::detail
