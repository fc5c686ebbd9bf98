#include "io/nir_export.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "core/error.hpp"
#include "io/network_builder.hpp"
#include "io/nir_order.hpp"
#include "io/nir_units.hpp"
#include "io/nir_writer.hpp"
#include "neurons/cuba_lif.hpp"
#include "neurons/event_engine.hpp"
#include "neurons/if_neuron.hpp"
#include "neurons/li.hpp"
#include "neurons/lif.hpp"
#include "neurons/spike_sources.hpp"

namespace tandem::io {

namespace {

using neurons::Integration;

// The largest dense weight matrix one projection may become (NIR's Linear weight is dense):
// 2^26 doubles, 512 MB.
constexpr std::size_t max_matrix_entries = std::size_t{1} << 26;

// The rest tolerance the import gives a spiking node (io/nir_lowering.cpp): 1e-6 of the distance
// from rest to threshold; used only to tell the user where the two differ.
double imported_rest_tolerance(double threshold, double leak) {
  const double span = std::abs(threshold - leak);
  return std::isfinite(span) && span > 0.0 ? 1e-6 * span : 1e-6;
}

// An exported population or spike_times input: its NIR node and what the import makes of NIR's x.
struct Unit {
  std::string name;
  std::size_t size = 0;
  std::size_t engine_index = 0;  // its place in the network's event engine: the order it delivers in
  NirWriteNode node;
  bool spikes = true;        // sends spikes (li sends nothing)
  std::string receptor;      // where the import delivers x ("v", "i_syn"); empty: no input (an Input)
  double gain = 1.0;         // the import's jump per unit of x
  std::vector<double> bias;  // per unit (nA into i_ext), empty: none
  std::string bias_key;      // its key path, for messages
  std::vector<std::pair<Tick, std::uint32_t>> input_spikes;  // an Input: the spikes it replays
};

// One delay's synapses of a projection: source -> [Delay] -> Linear (Affine with a bias) -> target.
struct Path {
  std::string projection;  // the network's projection name
  std::string linear;      // node names
  std::string delay_node;
  std::size_t source = 0, target = 0;  // indices into the units
  Tick delay = 1;                      // the network's delay in ticks
  std::vector<double> weight;          // [target x source] in NIR's units
  bool has_delay_node = true;
  Tick delay_ticks = 0;  // the Delay node's ticks
  bool carries_bias = false;
};

NirArray filled(std::size_t n, double value) { return NirArray{std::vector<double>(n, value), {}, false}; }

// The NIR time constant (seconds) whose forward-Euler decay per tick, as the import derives it
// (`imported_decay` of a time constant in ms), is exactly `decay`, the float the network's model
// multiplies by. Tried in turn: the network's own τ (Euler populations), dt/(1 − exp(−dt/τ)) (the
// τ whose Euler decay is the exact one), dt/(1 − decay) (the same from the rounded float).
std::optional<double> euler_tau(double tau_ms, Integration integration, float decay, double dt_ms,
                                const std::function<float(double)>& imported_decay) {
  const double dt_s = dt_ms / 1000.0;
  std::vector<double> candidates;
  if (integration == Integration::euler) candidates.push_back(tau_ms / 1000.0);
  candidates.push_back(dt_s / -std::expm1(-dt_ms / tau_ms));
  candidates.push_back(dt_s / (1.0 - static_cast<double>(decay)));
  for (const double tau : candidates) {
    if (!std::isfinite(tau) || !(tau > 0.0)) continue;
    try {
      if (imported_decay(nir_ms(tau)) == decay) return tau;
    } catch (const InputError&) {
      // A τ shorter than dt: forward Euler refuses it; try the next candidate.
    }
  }
  return std::nullopt;
}

// The NIR τ for one time constant of a population: `tau` its parameter, `decay` the constant
// the model derives from it (the float it multiplies by each tick).
template <typename Model>
std::optional<double> population_tau(const neurons::Population<Model>& population, double Model::Parameters::*tau,
                                     float Model::Constants::*decay, const TimeBase& time) {
  const auto& p = population.parameters();
  return euler_tau(p.*tau, p.integration, population.constants().*decay, time.dt_ms(), [&](double tau_ms) {
    auto q = p;
    q.*tau = tau_ms;
    q.integration = Integration::euler;
    return Model::derive(q, time).*decay;
  });
}

// The NIR weight x whose import, float(x · gain), is the network's weight exactly: w / gain, or a
// neighbouring double where that rounds the other way.
std::optional<double> nir_weight(float weight, double gain) {
  if (!std::isfinite(gain) || gain == 0.0) return std::nullopt;
  double up = static_cast<double>(weight) / gain;
  double down = up;
  for (int step = 0; step <= 4; ++step) {
    if (static_cast<float>(up * gain) == weight) return up;
    if (static_cast<float>(down * gain) == weight) return down;
    up = std::nextafter(up, INFINITY);
    down = std::nextafter(down, -INFINITY);
  }
  return std::nullopt;
}

class Exporter {
 public:
  Exporter(const NetworkDescription& network, const std::filesystem::path& output, const NirExportOptions& options)
      : net_(network), output_(output), options_(options), dt_ms_(network.simulation.dt_ms) {}

  NirExportResult run() {
    refuse_sections();
    if (net_.populations.empty()) refuse("populations", "there is no population to export");
    if (!problems_.empty()) fail();
    BuildOptions build;
    build.interrupt = options_.interrupt;
    built_ = build_network(net_, build);
    built_.simulation->reset();  // draws the random rules with the run seed, applies initial values
    engine_ = dynamic_cast<neurons::EventEngine*>(&built_.simulation->engine("snn"));
    for (std::size_t k = 0; k < engine_->ports().size(); ++k) engine_port_[engine_->ports()[k].name] = k;
    add_inputs();
    for (const auto& pop : net_.populations) add_population(pop);
    check_reset_modes();
    for (const auto& proj : net_.projections) add_projection(proj);
    check_merged_paths();
    check_every_population_fed();
    add_outputs();
    if (!problems_.empty()) fail();
    place_delays();
    place_biases();
    check_delivery_order();
    if (!problems_.empty()) fail();
    return write();
  }

 private:
  void refuse(const std::string& key_path, const std::string& problem) {
    problems_.push_back(net_.source + ": " + key_path + ": " + problem);
  }
  [[noreturn]] void fail() const {
    std::string text = "cannot export to NIR (docs/nir.md#export):";
    for (const auto& problem : problems_) text += "\n  " + problem;
    throw InputError(text);
  }

  void refuse_sections() {
    for (const auto& layer : net_.layers) {
      refuse("layers." + layer.name, "a dense layer: NIR export writes spiking networks (populations, projections, "
                                     "spike_times inputs); NIR has no node for its activation and engine");
    }
    for (const auto& unit : net_.bridge) refuse("bridge." + unit.name, "a bridge unit (" + unit.kind + ") has no NIR node");
    if (net_.environment) refuse("environment", "a closed-loop environment (" + net_.environment->name + ") has no NIR node");
    for (std::size_t i = 0; i < net_.wires.size(); ++i) {
      refuse("wires." + std::to_string(i), "wires join engines that NIR has no nodes for");
    }
    for (const auto& input : net_.inputs) {
      const std::string path = "inputs." + input.name;
      if (std::holds_alternative<PoissonInput>(input.source) || std::holds_alternative<PoissonDriveInput>(input.source)) {
        refuse(path, "a Poisson input is a random source, which NIR has no node for; record its spikes and give them as a "
                     "spike_times input");
      } else if (std::holds_alternative<CurrentInput>(input.source)) {
        refuse(path, "a current input: give the current as the population's bias_na instead (it becomes the bias of "
                     "an Affine node)");
      }
    }
  }

  [[nodiscard]] std::size_t engine_index(const std::string& name) const { return engine_port_.at(name + ".spikes"); }

  void add_inputs() {
    for (const auto& input : net_.inputs) {
      if (!std::holds_alternative<SpikeTimesInput>(input.source)) continue;
      const auto* generator = dynamic_cast<const neurons::SpikeGenerator*>(&engine_->population(input.name));
      Unit unit;
      unit.name = input.name;
      unit.size = static_cast<std::size_t>(input.size);
      unit.engine_index = engine_index(input.name);
      unit.node = {input.name, "Input", {{"shape", NirArray{{static_cast<double>(unit.size)}, {1}, true}}}};
      unit.input_spikes = generator->spikes();
      add_unit(std::move(unit));
    }
  }

  void add_unit(Unit unit) {
    index_[unit.name] = units_.size();
    units_.push_back(std::move(unit));
  }

  // Every state variable must start at 0: NIR stores no initial state and the import starts there.
  bool starts_at_zero(const neurons::PopulationBase& population, const std::string& path) {
    for (std::size_t k = 0; k < population.variables().size(); ++k) {
      const auto values = population.values(k);
      for (std::size_t i = 0; i < values.size(); ++i) {
        if (values[i] == 0.0F && !std::signbit(values[i])) continue;
        const std::string variable(population.variables()[k].name);
        refuse(path + ".initial", variable + " of neuron " + std::to_string(i) + " starts at " + format_number(values[i]) +
                                      "; NIR stores no initial state and its import starts every state at 0 — give "
                                      "initial: {" + variable + ": 0} to export the network starting there");
        return false;
      }
    }
    return true;
  }

  void spike_rule(Unit& unit, const std::string& path, double threshold, double reset, neurons::ResetMode mode,
                  double refractory_ms) {
    if (refractory_ms > 0.0) refuse(path + ".parameters.refractory_ms", "NIR's neuron nodes have no refractory period");
    if (mode == neurons::ResetMode::subtract && reset != 0.0) {
      refuse(path + ".parameters.v_reset_mv", "reset subtract lowers v by v_threshold − v_reset; the import's subtract "
                                              "lowers it by v_threshold (needs v_reset_mv: 0)");
    }
    resets_[unit.name] = mode;
    unit.node.parameters["v_threshold"] = filled(unit.size, threshold);
    unit.node.parameters["v_reset"] = filled(unit.size, reset);
  }

  void note_rest(const std::string& name, double tolerance, double imported) {
    if (tolerance != imported) {
      rest_notes_.push_back(name + " (" + format_number(tolerance) + " → " + format_number(imported) + ")");
    }
  }

  void refuse_tau(const std::string& path, const std::string& key) {
    refuse(path + ".parameters." + key, "no NIR time constant gives exactly this decay per tick under forward Euler");
  }

  void add_population(const PopulationDescription& pop) {
    const std::string path = "populations." + pop.name;
    const neurons::PopulationBase& population = engine_->population(pop.name);
    if (population.precision() != Precision::float32) {
      refuse(path + ".precision", "exports float32 populations; the import chooses the precision (--precision)");
      return;
    }
    Unit unit;
    unit.name = pop.name;
    unit.size = population.size();
    unit.engine_index = engine_index(pop.name);
    unit.node.name = pop.name;
    const TimeBase& time = engine_->time();
    const std::size_t n = unit.size;
    if (const auto* lif = dynamic_cast<const neurons::Population<neurons::Lif>*>(&population)) {
      const auto& p = lif->parameters();
      const auto tau = population_tau(*lif, &neurons::Lif::Parameters::tau_m_ms, &neurons::Lif::Constants::decay, time);
      if (!tau) refuse_tau(path, "tau_m_ms");
      unit.node.type = "LIF";
      unit.node.parameters = {{"tau", filled(n, tau.value_or(0.0))}, {"r", filled(n, p.r_mohm)}, {"v_leak", filled(n, p.v_leak_mv)}};
      spike_rule(unit, path, p.v_threshold_mv, p.v_reset_mv, p.reset_mode, p.refractory_ms);
      unit.receptor = "v";
      unit.gain = nir_membrane_gain(p.r_mohm, tau.value_or(1.0), dt_ms_);
      note_rest(pop.name, p.rest_tolerance_mv, imported_rest_tolerance(p.v_threshold_mv, p.v_leak_mv));
    } else if (const auto* li = dynamic_cast<const neurons::Population<neurons::Li>*>(&population)) {
      const auto& p = li->parameters();
      const auto tau = population_tau(*li, &neurons::Li::Parameters::tau_ms, &neurons::Li::Constants::decay, time);
      if (!tau) refuse_tau(path, "tau_ms");
      unit.node.type = "LI";
      unit.node.parameters = {{"tau", filled(n, tau.value_or(0.0))}, {"r", filled(n, p.r_mohm)}, {"v_leak", filled(n, p.v_leak_mv)}};
      unit.spikes = false;
      unit.receptor = "v";
      unit.gain = nir_membrane_gain(p.r_mohm, tau.value_or(1.0), dt_ms_);
      note_rest(pop.name, p.rest_tolerance_mv, 1e-6);
    } else if (const auto* if_neuron = dynamic_cast<const neurons::Population<neurons::IfNeuron>*>(&population)) {
      const auto& p = if_neuron->parameters();
      // NIR's R is per second, the model's per ms: the import divides by 1000; keep the product dt·R.
      std::optional<double> r;
      for (const double candidate : {p.r_mohm * 1000.0, std::nextafter(p.r_mohm * 1000.0, INFINITY),
                                     std::nextafter(p.r_mohm * 1000.0, -INFINITY)}) {
        auto q = p;
        q.r_mohm = nir_if_r_mohm(candidate);
        if (!r && neurons::IfNeuron::derive(q, time).dt_r == if_neuron->constants().dt_r) r = candidate;
      }
      if (!r) refuse(path + ".parameters.r_mohm", "no NIR r gives exactly this dt·R");
      unit.node.type = "IF";
      unit.node.parameters = {{"r", filled(n, r.value_or(0.0))}};
      spike_rule(unit, path, p.v_threshold_mv, p.v_reset_mv, p.reset_mode, p.refractory_ms);
      unit.receptor = "v";
      unit.gain = nir_integrator_gain(r.value_or(0.0), dt_ms_);
    } else if (const auto* cuba = dynamic_cast<const neurons::Population<neurons::CubaLif>*>(&population)) {
      const auto& p = cuba->parameters();
      const auto tau_mem =
          population_tau(*cuba, &neurons::CubaLif::Parameters::tau_mem_ms, &neurons::CubaLif::Constants::decay_mem, time);
      const auto tau_syn =
          population_tau(*cuba, &neurons::CubaLif::Parameters::tau_syn_ms, &neurons::CubaLif::Constants::decay_syn, time);
      if (!tau_mem) refuse_tau(path, "tau_mem_ms");
      if (!tau_syn) refuse_tau(path, "tau_syn_ms");
      unit.node.type = "CubaLIF";
      unit.node.parameters = {{"tau_mem", filled(n, tau_mem.value_or(0.0))}, {"tau_syn", filled(n, tau_syn.value_or(0.0))},
                              {"r", filled(n, p.r_mohm)}, {"v_leak", filled(n, p.v_leak_mv)}, {"w_in", filled(n, p.w_in)}};
      spike_rule(unit, path, p.v_threshold_mv, p.v_reset_mv, p.reset_mode, p.refractory_ms);
      unit.receptor = "i_syn";
      unit.gain = nir_synapse_gain(tau_syn.value_or(1.0), dt_ms_);
      note_rest(pop.name, p.rest_tolerance_mv, imported_rest_tolerance(p.v_threshold_mv, p.v_leak_mv));
    } else {
      refuse(path + ".model", "model '" + pop.model + "' has no NIR equivalent (exported: lif, li, if, cuba_lif as NIR's LIF, "
                                                      "LI, IF, CubaLIF)");
      return;
    }
    starts_at_zero(population, path);
    read_bias(pop, unit);
    add_unit(std::move(unit));
  }

  // bias_na: a number or one per neuron (the currents the builder made of them), onto i_ext.
  void read_bias(const PopulationDescription& pop, Unit& unit) {
    const std::string path = "populations." + pop.name + ".parameters.bias_na";
    if (pop.drawn_parameters.count("bias_na") != 0) {
      refuse(path, "drawn or read from a file: give the values inline to export them");
      return;
    }
    const auto found = pop.parameters.find("bias_na");
    if (found == pop.parameters.end()) return;
    std::vector<double> bias;
    if (const auto* number = std::get_if<double>(&found->second)) bias.assign(unit.size, *number);
    if (const auto* list = std::get_if<std::vector<double>>(&found->second)) bias = *list;
    // The builder's currents hold floats; the import makes a current of each bias, float(b).
    for (double& b : bias) b = static_cast<double>(static_cast<float>(b));
    if (std::all_of(bias.begin(), bias.end(), [](double b) { return b == 0.0; })) return;
    if (unit.receptor == "i_syn") {
      refuse(path, "cuba_lif's bias is a current into i_ext; NIR's CubaLIF takes an Affine bias into its synaptic current");
      return;
    }
    unit.bias = std::move(bias);
    unit.bias_key = path;
  }

  void check_reset_modes() {
    std::set<neurons::ResetMode> modes;
    for (const auto& [name, mode] : resets_) modes.insert(mode);
    if (modes.size() > 1) {
      std::string names;
      for (const auto& [name, mode] : resets_) {
        names += (names.empty() ? "" : ", ") + name + (mode == neurons::ResetMode::subtract ? " (subtract)" : " (value)");
      }
      refuse("populations", "the import takes one reset mode for the whole graph (--reset); the populations mix them: " + names);
    }
    reset_ = !modes.empty() && *modes.begin() == neurons::ResetMode::subtract ? "subtract" : "zero";
  }

  void add_projection(const ProjectionDescription& proj) {
    const std::string path = "projections." + proj.name;
    const auto from = index_.find(proj.from);
    const auto to = index_.find(proj.to);
    if (from == index_.end() || to == index_.end()) return;  // from a refused input; or a refused population
    const Unit& source = units_[from->second];
    const Unit& target = units_[to->second];
    if (!source.spikes) {
      refuse(path + ".from", "'" + source.name + "' (li) sends no spikes in tandem, while the import's LI would pass its v on");
      return;
    }
    const neurons::Projection& projection = engine_->projection(proj.name);
    const std::string receptor(engine_->population(proj.to).receptors()[projection.receptor()].name);
    if (receptor != target.receptor) {
      refuse(path + ".target", "onto '" + receptor + "': the import delivers NIR input onto '" + target.receptor + "' of '" +
                                   target.name + "'");
      return;
    }
    if (source.size * target.size > max_matrix_entries) {
      refuse(path, "its dense NIR weight matrix would have " + std::to_string(source.size * target.size) + " entries");
      return;
    }
    // One dense matrix per distinct delay; a pair joined twice (a multapse) has no NIR weight.
    std::map<Tick, std::vector<double>> matrices;
    std::map<Tick, std::vector<std::uint8_t>> joined;
    for (std::uint32_t s = 0; s < source.size; ++s) {
      for (auto k = projection.row_begin(s); k < projection.row_begin(s + 1); ++k) {
        const std::uint32_t t = projection.target_of(k);
        const Tick delay = projection.delay_of(k);
        auto& matrix = matrices[delay];
        auto& seen = joined[delay];
        if (matrix.empty()) {
          matrix.assign(target.size * source.size, 0.0);
          seen.assign(target.size * source.size, 0);
        }
        const std::size_t entry = t * source.size + s;
        if (seen[entry] != 0) {
          refuse(path, "neurons " + std::to_string(s) + " → " + std::to_string(t) + " are joined by two synapses (delay " +
                           std::to_string(delay) + " ticks); NIR's weight matrix holds one weight per pair");
          return;
        }
        seen[entry] = 1;
        const auto weight = nir_weight(projection.weight_of(k), target.gain);
        if (!weight) {
          refuse(path, "weight " + format_number(projection.weight_of(k)) + " has no NIR weight that the import turns back "
                                                                              "into exactly it");
          return;
        }
        matrix[entry] = *weight;
      }
    }
    for (auto& [delay, matrix] : matrices) {
      Path p;
      p.projection = proj.name;
      p.linear = matrices.size() == 1 ? proj.name : unique_name(proj.name + "_d" + std::to_string(delay));
      p.source = from->second;
      p.target = to->second;
      p.delay = delay;
      p.weight = std::move(matrix);
      paths_.push_back(std::move(p));
    }
  }

  // The import sums every path from one population into another with the same delay into one
  // projection (weights added), which rounds differently from two projections adding in turn.
  void check_merged_paths() {
    for (std::size_t a = 0; a < paths_.size(); ++a) {
      for (std::size_t b = a + 1; b < paths_.size(); ++b) {
        const Path& p = paths_[a];
        const Path& q = paths_[b];
        if (p.source == q.source && p.target == q.target && p.delay == q.delay && p.projection != q.projection) {
          refuse("projections." + q.projection, "joins '" + units_[p.source].name + "' to '" + units_[p.target].name +
                                                    "' with the same delay as '" + p.projection +
                                                    "'; the import would merge them into one (weights summed): merge "
                                                    "them in the network file");
        }
      }
    }
  }

  // The import needs an edge into every neuron node (a NIR node that receives nothing is refused).
  void check_every_population_fed() {
    for (std::size_t u = 0; u < units_.size(); ++u) {
      if (units_[u].receptor.empty()) continue;
      if (std::none_of(paths_.begin(), paths_.end(), [&](const Path& p) { return p.target == u; })) {
        refuse("populations." + units_[u].name, "receives no projection; a NIR neuron node needs an edge into it");
      }
    }
  }

  void add_outputs() {
    std::vector<std::size_t> sinks;
    if (!net_.outputs.empty()) {
      for (const auto& output : net_.outputs) {
        const auto found = index_.find(output.node);
        const bool population = found != index_.end() && !units_[found->second].receptor.empty();
        if (!population || !(output.port.empty() || output.port == "spikes")) {
          refuse("outputs", "'" + output.node + (output.port.empty() ? "" : "." + output.port) +
                                "': NIR Output nodes export populations' spikes (or an LI's v)");
          continue;
        }
        sinks.push_back(found->second);
      }
    } else {
      // No outputs named: every population that projects to no other population.
      for (std::size_t u = 0; u < units_.size(); ++u) {
        if (units_[u].receptor.empty()) continue;
        const auto onward = [&](const Path& p) { return p.source == u && p.target != u; };
        if (std::none_of(paths_.begin(), paths_.end(), onward)) sinks.push_back(u);
      }
    }
    for (const auto u : sinks) outputs_.emplace_back(unique_name(sinks.size() == 1 ? "output" : units_[u].name + "_output"), u);
  }

  // A node name not used by the network or by another generated node.
  std::string unique_name(const std::string& base) {
    if (taken_.empty()) {
      for (const auto& input : net_.inputs) taken_.insert(input.name);
      for (const auto& pop : net_.populations) taken_.insert(pop.name);
      for (const auto& proj : net_.projections) taken_.insert(proj.name);
    }
    std::string name = base;
    for (int k = 2; taken_.count(name) != 0; ++k) name = base + "_" + std::to_string(k);
    taken_.insert(name);
    return name;
  }

  // The graph's edges, each target's sources in the order the network delivers to it (so that the
  // import's depth-first order, which visits sources in edge order, tends to keep that order).
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> edges() const {
    std::vector<std::size_t> by_delivery(paths_.size());
    for (std::size_t k = 0; k < by_delivery.size(); ++k) by_delivery[k] = k;
    std::stable_sort(by_delivery.begin(), by_delivery.end(), [&](std::size_t a, std::size_t b) {
      const Path& p = paths_[a];
      const Path& q = paths_[b];
      const auto key = [&](const Path& r) { return std::tuple(units_[r.target].engine_index, units_[r.source].engine_index, r.delay); };
      return key(p) < key(q);
    });
    std::vector<std::pair<std::string, std::string>> list;
    for (const auto k : by_delivery) {
      const Path& p = paths_[k];
      if (p.has_delay_node) {
        list.emplace_back(units_[p.source].name, p.delay_node);
        list.emplace_back(p.delay_node, p.linear);
      } else {
        list.emplace_back(units_[p.source].name, p.linear);
      }
      list.emplace_back(p.linear, units_[p.target].name);
    }
    for (const auto& [name, unit] : outputs_) list.emplace_back(units_[unit].name, name);
    return list;
  }

  // The import's evaluation order of the graph these edges make: nodes listed by name (as HDF5
  // lists a group's members), sources in edge order (io/nir_order.hpp).
  struct Layout {
    std::map<std::string, std::size_t> index;
    NirOrder order;
    [[nodiscard]] bool late(const std::string& source, const std::string& target) const {
      return order.reads_late(index.at(source), index.at(target));
    }
  };
  [[nodiscard]] Layout layout() const {
    const auto list = edges();
    Layout result;
    for (const auto& [source, target] : list) {
      result.index.emplace(source, 0);
      result.index.emplace(target, 0);
    }
    std::vector<NirNode> nodes;
    for (auto& [name, i] : result.index) {
      i = nodes.size();
      nodes.push_back(NirNode{});
    }
    for (const auto& [source, target] : list) nodes[result.index.at(target)].sources.push_back(result.index.at(source));
    result.order = nir_order(nodes);
    return result;
  }

  // Edges of a path that the import reads a tick late (each adds a tick to its delay).
  [[nodiscard]] Tick late_edges(const Layout& layout, const Path& p) const {
    const std::string& source = units_[p.source].name;
    const std::string& target = units_[p.target].name;
    Tick late = 0;
    if (p.has_delay_node) {
      late += layout.late(source, p.delay_node) ? 1 : 0;
      late += layout.late(p.delay_node, p.linear) ? 1 : 0;
    } else {
      late += layout.late(source, p.linear) ? 1 : 0;
    }
    return late + (layout.late(p.linear, target) ? 1 : 0);
  }

  // A path's delay on import is the Delay node's ticks plus one per edge closing a loop in the
  // import's order: give every path a Delay node, drop those left with 0 ticks, and keep that
  // graph if dropping them did not change which edges close loops (else keep 0-tick Delays).
  void place_delays() {
    for (Path& p : paths_) {
      p.delay_node = unique_name(p.linear + "_delay");
      p.has_delay_node = true;
    }
    const Layout with_all = layout();
    std::vector<Tick> ticks;
    for (const Path& p : paths_) ticks.push_back(p.delay - late_edges(with_all, p));
    for (std::size_t k = 0; k < paths_.size(); ++k) paths_[k].has_delay_node = ticks[k] != 0;
    layout_ = layout();
    bool kept = true;
    for (const Path& p : paths_) {
      const Tick rest = p.delay - late_edges(layout_, p);
      kept = kept && rest >= 0 && (p.has_delay_node || rest == 0);
    }
    if (!kept) {
      for (Path& p : paths_) p.has_delay_node = true;
      layout_ = layout();
    }
    for (Path& p : paths_) {
      p.delay_ticks = p.delay - late_edges(layout_, p);
      if (p.delay_ticks < 0) {
        refuse("projections." + p.projection, "delay " + std::to_string(p.delay) + " ticks is shorter than the " +
                                                  std::to_string(late_edges(layout_, p)) +
                                                  " ticks the import's evaluation order adds to its path");
      }
    }
  }

  // Each bias goes into the Affine of a path whose last edge the import reads in the same tick
  // (a bias read a tick late would start at tick 1).
  void place_biases() {
    for (std::size_t u = 0; u < units_.size(); ++u) {
      if (units_[u].bias.empty()) continue;
      bool placed = false;
      for (Path& p : paths_) {
        if (p.target != u || layout_.late(p.linear, units_[u].name)) continue;
        p.carries_bias = true;
        placed = true;
        break;
      }
      if (!placed) {
        refuse(units_[u].bias_key, "NIR keeps a bias in an Affine node on an edge into the population, and '" + units_[u].name +
                                       "' has no projection the import evaluates before it");
      }
    }
  }

  // Paths into one population with the same delay deliver in the same tick; tandem adds them in
  // the order of its engine (inputs, then populations as listed), the import in its evaluation
  // order. Float sums of three or more values depend on that order, so the two must agree.
  void check_delivery_order() {
    for (const Path& p : paths_) {
      for (const Path& q : paths_) {
        if (p.target != q.target || p.delay != q.delay || p.source == q.source) continue;
        const bool tandem_first = units_[p.source].engine_index < units_[q.source].engine_index;
        const bool import_first = !layout_.late(units_[p.source].name, units_[q.source].name);
        if (tandem_first && !import_first) {
          refuse("projections." + q.projection,
                 "arrives at '" + units_[q.target].name + "' in the same tick as '" + p.projection + "'; tandem adds '" +
                     units_[p.source].name + "' first, the import (NIR's evaluation order) '" + units_[q.source].name +
                     "' first, and float sums depend on the order — list '" + units_[q.source].name + "' before '" +
                     units_[p.source].name + "' in the network file");
        }
      }
    }
  }

  [[nodiscard]] std::filesystem::path table_path(const std::string& input) const {
    return output_.parent_path() / (output_.stem().string() + "." + input + ".csv");
  }

  NirExportResult write() {
    NirExportResult result;
    result.file = output_;
    result.dt_ms = dt_ms_;
    result.reset = reset_;
    result.ticks = net_.simulation.ticks;
    std::vector<std::filesystem::path> files{output_};
    for (const Unit& unit : units_) {
      if (unit.receptor.empty()) files.push_back(table_path(unit.name));
    }
    for (const auto& file : files) {
      if (!options_.overwrite && std::filesystem::exists(file)) {
        throw InputError(file.string() + ": exists; pass --force to replace it");
      }
    }
    NirWriteGraph graph;
    for (const Unit& unit : units_) graph.nodes.push_back(unit.node);
    for (const Path& p : paths_) {
      const std::size_t rows = units_[p.target].size;
      const std::size_t cols = units_[p.source].size;
      NirWriteNode linear{p.linear, p.carries_bias ? "Affine" : "Linear", {{"weight", NirArray{p.weight, {rows, cols}, false}}}};
      if (p.carries_bias) linear.parameters["bias"] = NirArray{units_[p.target].bias, {}, false};
      graph.nodes.push_back(std::move(linear));
      if (p.has_delay_node) {
        const double seconds = static_cast<double>(p.delay_ticks) * dt_ms_ / 1000.0;
        graph.nodes.push_back({p.delay_node, "Delay", {{"delay", filled(cols, seconds)}}});
      }
    }
    for (const auto& [name, unit] : outputs_) {
      graph.nodes.push_back({name, "Output", {{"shape", NirArray{{static_cast<double>(units_[unit].size)}, {1}, true}}}});
      result.outputs.push_back(name);
    }
    graph.edges = edges();
    // NIR keeps no dt; its metadata is the place for ours (the import still takes --dt-ms).
    graph.metadata_numbers["dt"] = dt_ms_ / 1000.0;
    graph.metadata_texts["tandem_reset"] = reset_;
    graph.metadata_texts["tandem_source"] = net_.source;
    graph.metadata_numbers["tandem_seed"] = static_cast<double>(net_.simulation.seed);
    result.nodes = graph.nodes.size();
    write_nir_graph(output_, graph);
    for (const Unit& unit : units_) {
      if (unit.receptor.empty()) result.inputs.push_back(write_table(unit));
    }
    if (!rest_notes_.empty()) {
      std::string names;
      for (const auto& note : rest_notes_) names += (names.empty() ? "" : ", ") + note;
      result.notes.push_back("rest tolerance (mV) differs on import: " + names +
                             "; v can differ by at most that much, which changes a spike only where v comes that close "
                             "to the threshold");
    }
    const bool random = std::any_of(net_.projections.begin(), net_.projections.end(), [](const ProjectionDescription& p) {
      return p.rule == ConnectionRule::fixed_probability || p.rule == ConnectionRule::fixed_indegree || p.weight_distribution ||
             p.delay_distribution;
    });
    if (random) {
      result.notes.push_back("random connectivity exported as drawn with seed " + std::to_string(net_.simulation.seed));
    }
    if (!net_.probes.empty()) result.notes.push_back("probes are not part of NIR: probe the populations by name on import");
    return result;
  }

  NirExportedInput write_table(const Unit& unit) const {
    NirExportedInput input{unit.name, table_path(unit.name), 0};
    for (const auto& spike : unit.input_spikes) input.ticks = std::max(input.ticks, spike.first + 1);
    std::vector<char> rows(static_cast<std::size_t>(input.ticks) * unit.size, '0');
    for (const auto& [tick, u] : unit.input_spikes) rows[static_cast<std::size_t>(tick) * unit.size + u] = '1';
    std::ofstream out(input.table);
    for (Tick t = 0; t < input.ticks; ++t) {
      for (std::size_t u = 0; u < unit.size; ++u) {
        out << (u == 0 ? "" : ",") << rows[static_cast<std::size_t>(t) * unit.size + u];
      }
      out << '\n';
    }
    out.close();
    if (!out) throw InputError(input.table.string() + ": cannot write the input table");
    return input;
  }

  const NetworkDescription& net_;
  std::filesystem::path output_;
  NirExportOptions options_;
  double dt_ms_;
  BuiltNetwork built_;
  neurons::EventEngine* engine_ = nullptr;
  std::map<std::string, std::size_t> engine_port_;
  std::vector<Unit> units_;
  std::map<std::string, std::size_t> index_;
  std::vector<Path> paths_;
  std::vector<std::pair<std::string, std::size_t>> outputs_;  // Output node -> unit
  std::map<std::string, neurons::ResetMode> resets_;
  std::string reset_ = "zero";
  std::vector<std::string> rest_notes_;
  std::set<std::string> taken_;
  Layout layout_;
  std::vector<std::string> problems_;
};

}  // namespace

std::string NirExportResult::import_command() const {
  std::string command = "tandem run " + file.string() + " --dt-ms " + format_number(dt_ms) + " --reset " + reset;
  for (const auto& input : inputs) command += " --input " + input.node + "=" + input.table.string();
  if (ticks) command += " --ticks " + std::to_string(*ticks);
  return command;
}

NirExportResult export_nir(const NetworkDescription& network, const std::filesystem::path& output,
                           const NirExportOptions& options) {
  return Exporter(network, output, options).run();
}

}  // namespace tandem::io
