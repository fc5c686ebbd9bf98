#include "io/lowering_parts.hpp"

#include <algorithm>
#include <cstdio>

#include "core/contained_read.hpp"
#include "bridge/unit_kinds.hpp"
#include "core/error.hpp"
#include "core/hdf5_reader.hpp"
#include "environments/bicycle/bicycle_engine.hpp"
#include "environments/cartpole/cartpole_engine.hpp"

namespace tandem::io {

void lowering_error(const NetworkDescription& network, const std::string& path, const std::string& problem) {
  throw InputError(network.source + ": " + path + ": " + problem);
}

std::vector<double> read_dataset(const NetworkDescription& network, const Hdf5Ref& ref, const std::string& path,
                                 std::vector<std::size_t>* dims) {
  try {
    // Untrusted input read through libhdf5: first in a child process (core/contained_read.hpp).
    auto data = read_contained(ref.file.string(), [&] { return Hdf5Reader(ref.file.string()).read_numeric(ref.dataset); });
    if (dims != nullptr) *dims = data.dims;
    return std::move(data.values);
  } catch (const InputError& error) {
    lowering_error(network, path, error.what());
  }
}

std::vector<double> expand_values(const NetworkDescription& network, const ValueSource& source, std::size_t count,
                                  const std::string& path) {
  std::vector<double> values;
  if (const auto* number = std::get_if<double>(&source)) return std::vector<double>(count, *number);
  if (const auto* list = std::get_if<std::vector<double>>(&source)) values = *list;
  if (const auto* matrix = std::get_if<Matrix>(&source)) values = matrix->values;
  if (const auto* ref = std::get_if<Hdf5Ref>(&source)) {
    if (ref->dataset.empty()) lowering_error(network, path, "needs {file, dataset}, not a group");
    values = read_dataset(network, *ref, path);
  }
  if (values.size() != count) {
    lowering_error(network, path, "needs " + std::to_string(count) + " values, got " + std::to_string(values.size()));
  }
  for (const double v : values) {
    if (!std::isfinite(v)) lowering_error(network, path, "holds a value that is not a finite number");
  }
  return values;
}

ParameterReader::ParameterReader(const NetworkDescription& network, const ParameterMap& parameters, std::string path)
    : network_(network), parameters_(parameters), path_(std::move(path)) {}

const ParameterValue* ParameterReader::take(const std::string& key) {
  known_.push_back(key);
  const auto it = parameters_.find(key);
  return it == parameters_.end() ? nullptr : &it->second;
}

double ParameterReader::number(const std::string& key, double fallback) {
  const ParameterValue* value = take(key);
  if (value == nullptr) return fallback;
  if (const auto* number = std::get_if<double>(value)) return *number;
  lowering_error(network_, path_ + "." + key, "must be a number");
}

std::vector<double> ParameterReader::numbers(const std::string& key) {
  const ParameterValue* value = take(key);
  if (value == nullptr) return {};
  if (const auto* list = std::get_if<std::vector<double>>(value)) return *list;
  if (const auto* number = std::get_if<double>(value)) return {*number};
  lowering_error(network_, path_ + "." + key, "must be a list of numbers");
}

std::string ParameterReader::text(const std::string& key, const std::string& fallback) {
  const ParameterValue* value = take(key);
  if (value == nullptr) return fallback;
  if (const auto* text = std::get_if<std::string>(value)) return *text;
  lowering_error(network_, path_ + "." + key, "must be a name");
}

void ParameterReader::finish() const {
  for (const auto& [key, value] : parameters_) {
    if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
    std::string known;
    for (const auto& name : known_) known += (known.empty() ? "" : ", ") + name;
    lowering_error(network_, path_ + "." + key, "unknown parameter; known: " + (known.empty() ? "none" : known));
  }
}

std::string parameter_text(const NetworkDescription& network, const ParameterValue& value, const std::string& path) {
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  if (const auto* number = std::get_if<double>(&value)) {
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%.17g", *number);
    return buffer;
  }
  lowering_error(network, path, "a list is not accepted here; give one number");
}

namespace {

// A unit kind's parameters read from the network file; a bad input width is reported at `.input`.
class NetworkUnitSettings final : public bridge::UnitSettings {
 public:
  NetworkUnitSettings(const NetworkDescription& network, std::string path, ParameterReader& parameters)
      : network_(network), path_(std::move(path)), parameters_(parameters) {}
  double number(const std::string& key, double fallback) override { return parameters_.number(key, fallback); }
  std::vector<double> numbers(const std::string& key) override { return parameters_.numbers(key); }
  [[noreturn]] void reject_input(const std::string& problem) override { lowering_error(network_, path_ + ".input", problem); }

 private:
  const NetworkDescription& network_;
  std::string path_;
  ParameterReader& parameters_;
};

}  // namespace

std::unique_ptr<bridge::Unit> make_bridge_unit(const NetworkDescription& network, const BridgeUnitDescription& unit,
                                               std::size_t width, ParameterReader& p) {
  const std::string path = "bridge." + unit.name;
  const bridge::UnitKind* kind = bridge::find_unit_kind(unit.kind);
  if (kind == nullptr) {
    std::string known;
    for (const auto& k : bridge::unit_kinds()) known += (known.empty() ? "" : ", ") + std::string(k.name);
    lowering_error(network, path + ".kind", "unknown bridge kind '" + unit.kind + "'; known: " + known);
  }
  NetworkUnitSettings settings(network, path, p);
  try {
    return kind->make({unit.name, width, unit.window_ticks}, settings);
  } catch (const InputError& error) {
    lowering_error(network, path + ".parameters", error.what());
  }
}

namespace {

template <typename Params>
struct NumberField {
  const char* name;
  double Params::*member;
};

constexpr NumberField<environments::CartPoleParams> cartpole_fields[] = {
    {"gravity_m_s2", &environments::CartPoleParams::gravity_m_s2},
    {"cart_mass_kg", &environments::CartPoleParams::cart_mass_kg},
    {"pole_mass_kg", &environments::CartPoleParams::pole_mass_kg},
    {"pole_half_length_m", &environments::CartPoleParams::pole_half_length_m},
    {"force_n", &environments::CartPoleParams::force_n},
    {"tau_s", &environments::CartPoleParams::tau_s},
    {"theta_limit_rad", &environments::CartPoleParams::theta_limit_rad},
    {"x_limit_m", &environments::CartPoleParams::x_limit_m},
    {"start_range", &environments::CartPoleParams::start_range},
    {"push_probability", &environments::CartPoleParams::push_probability},
    {"push_force_n", &environments::CartPoleParams::push_force_n}};

constexpr NumberField<environments::BicycleParams> bicycle_fields[] = {
    {"dt_s", &environments::BicycleParams::dt_s},
    {"speed_m_s", &environments::BicycleParams::speed_m_s},
    {"gravity_m_s2", &environments::BicycleParams::gravity_m_s2},
    {"bicycle_mass_kg", &environments::BicycleParams::bicycle_mass_kg},
    {"tyre_mass_kg", &environments::BicycleParams::tyre_mass_kg},
    {"rider_mass_kg", &environments::BicycleParams::rider_mass_kg},
    {"tyre_radius_m", &environments::BicycleParams::tyre_radius_m},
    {"wheelbase_m", &environments::BicycleParams::wheelbase_m},
    {"front_contact_to_cm_m", &environments::BicycleParams::front_contact_to_cm_m},
    {"cm_height_m", &environments::BicycleParams::cm_height_m},
    {"cm_offset_m", &environments::BicycleParams::cm_offset_m},
    {"max_torque_nm", &environments::BicycleParams::max_torque_nm},
    {"max_displacement_m", &environments::BicycleParams::max_displacement_m},
    {"displacement_noise_m", &environments::BicycleParams::displacement_noise_m},
    {"handlebar_limit_rad", &environments::BicycleParams::handlebar_limit_rad},
    {"lean_limit_rad", &environments::BicycleParams::lean_limit_rad}};

template <typename Params, std::size_t N>
void read_fields(Params& params, const NumberField<Params> (&fields)[N], ParameterReader& reader) {
  for (const auto& field : fields) params.*(field.member) = reader.number(field.name, params.*(field.member));
  params.max_steps = static_cast<std::int64_t>(reader.number("max_steps", static_cast<double>(params.max_steps)));
}

}  // namespace

std::unique_ptr<Engine> make_environment(const NetworkDescription& network, const EnvironmentDescription& environment) {
  ParameterReader reader(network, environment.parameters, "environment.parameters");
  environments::EnvironmentEngineSettings settings{environment.name, 0};
  std::unique_ptr<Engine> engine;
  try {
    if (environment.name == "cartpole") {
      environments::CartPoleParams params;
      read_fields(params, cartpole_fields, reader);
      params.continuous = reader.number("continuous", 0.0) != 0.0;
      settings.ticks_per_step = static_cast<Tick>(reader.number("ticks_per_step", 0.0));
      reader.finish();
      engine = environments::make_cartpole_engine(params, settings);
    } else if (environment.name == "bicycle") {
      environments::BicycleParams params;
      read_fields(params, bicycle_fields, reader);
      settings.ticks_per_step = static_cast<Tick>(reader.number("ticks_per_step", 0.0));
      reader.finish();
      engine = environments::make_bicycle_engine(params, settings);
    } else {
      lowering_error(network, "environment.name", "unknown environment '" + environment.name +
                                                      "'; known: cartpole, bicycle");
    }
  } catch (const InputError& error) {
    const std::string message = error.what();
    if (message.rfind(network.source + ":", 0) == 0) throw;
    lowering_error(network, "environment", message);
  }
  return engine;
}

}  // namespace tandem::io
