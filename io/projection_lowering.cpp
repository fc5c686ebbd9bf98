// The network builder: projections onto the event engine — connection rules, weights and delays
// (numbers, lists, distributions, HDF5/NPY/CSV synapse files) (io/network_lowering.hpp).
#include "io/network_lowering.hpp"

#include <algorithm>
#include <cmath>

#include "core/contained_read.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "io/lowering_parts.hpp"
#include "io/synapse_files.hpp"

namespace tandem::io::detail {

void NetworkLowering::add_projections() {
  for (const auto& proj : net_.projections) {
    check_interrupt("projection " + proj.name);
    const std::string path = "projections." + proj.name;
    const NodeInfo& from = nodes_.at(proj.from);
    const auto& target = snn().population(proj.to);
    const auto scalar_weight = std::get_if<double>(&proj.weight);
    if (from.engine.empty()) {  // a current or poisson_drive input, lowered onto the target's neurons
      lower_input_projection(proj, from, target, path);
      continue;
    }
    if (from.engine != snn_engine) {  // a bridge encoder: its spikes enter the population one to one
      if (from.kind != PortKind::spikes) fail(path + ".from", "'" + proj.from + "' sends values, not spikes");
      if (proj.rule != ConnectionRule::one_to_one) fail(path + ".rule", "spikes from a bridge unit need rule one_to_one");
      if (scalar_weight == nullptr || proj.weight_distribution) fail(path + ".weight", "spikes from a bridge unit take one weight (a number)");
      if (proj.delays_ms || proj.delay_distribution) fail(path + ".delay_ms", "spikes from a bridge unit take one delay (a number)");
      const std::string port = population_input_port(proj.to, proj.target, PortKind::spikes, static_cast<float>(*scalar_weight), path + ".target");
      edges_.push_back({{proj.from, ""}, {proj.to, ""}, std::max<Tick>(1, proj.delay_ticks), path, snn_engine, port});
      continue;
    }
    neurons::ProjectionSpec spec;
    spec.name = proj.name;
    spec.source = proj.from;
    spec.target = proj.to;
    spec.receptor = proj.target.empty() ? std::string(target.receptors().front().name) : proj.target;
    spec.delay_ms = proj.delay_ms;
    std::size_t synapses = 0;
    switch (proj.rule) {
      case ConnectionRule::all_to_all:  // onto itself without autapses: n (n - 1)
        spec.rule = neurons::Rule::all_to_all;
        synapses = from.width * target.size() - (proj.from == proj.to ? target.size() : 0);
        break;
      case ConnectionRule::one_to_one: spec.rule = neurons::Rule::one_to_one; synapses = target.size(); break;
      case ConnectionRule::fixed_probability: spec.rule = neurons::Rule::fixed_probability; spec.probability = proj.p; break;
      case ConnectionRule::fixed_indegree: spec.rule = neurons::Rule::fixed_in_degree; spec.in_degree = static_cast<std::size_t>(proj.k); break;
      case ConnectionRule::explicit_list: spec.rule = neurons::Rule::explicit_list; break;
    }
    std::vector<std::pair<std::int64_t, std::int64_t>> pairs = proj.pairs;
    std::optional<std::vector<double>> file_weights;
    std::optional<std::vector<double>> delays_ms;
    if (proj.pairs_file) {
      std::vector<std::size_t> dims;
      const auto flat = read_dataset(net_, *proj.pairs_file, path + ".pairs", &dims);
      if (dims.size() != 2 || dims[1] != 2) fail(path + ".pairs", "the dataset must be [n x 2] (pre, post)");
      for (std::size_t i = 0; i < dims[0]; ++i) pairs.emplace_back(static_cast<std::int64_t>(flat[2 * i]), static_cast<std::int64_t>(flat[2 * i + 1]));
    }
    if (proj.synapses_file) read_synapses_file(proj, path, pairs, file_weights, delays_ms);
    if (proj.rule == ConnectionRule::explicit_list) synapses = pairs.size();
    if (proj.rule == ConnectionRule::fixed_indegree) synapses = static_cast<std::size_t>(proj.k) * target.size();
    std::vector<double> weights;
    if (file_weights) {
      weights = std::move(*file_weights);
    } else if (proj.weight_distribution) {
      weights = draw(*proj.weight_distribution, synapses, path + ".weight");
      if (proj.rule != ConnectionRule::explicit_list) spec.weights.assign(weights.begin(), weights.end());
    } else if (scalar_weight != nullptr) {
      spec.weight = static_cast<float>(*scalar_weight);
      weights.assign(proj.rule == ConnectionRule::explicit_list ? synapses : 0, *scalar_weight);
    } else if (proj.rule == ConnectionRule::fixed_probability || proj.rule == ConnectionRule::fixed_indegree) {
      fail(path + ".weight", "rule " + std::string(proj.rule == ConnectionRule::fixed_probability ? "fixed_probability" : "fixed_indegree") +
                                 " takes one weight (a number) or {distribution: …}");
    } else {
      weights = expand_values(net_, proj.weight, synapses, path + ".weight");
      if (proj.rule != ConnectionRule::explicit_list) spec.weights.assign(weights.begin(), weights.end());
    }
    if (proj.delays_ms) delays_ms = expand_values(net_, *proj.delays_ms, synapses, path + ".delay_ms");
    if (proj.delay_distribution) {
      spec.delay_ms = proj.delay_distribution->a;
      spec.delay_max_ms = proj.delay_distribution->b;
      if (proj.rule == ConnectionRule::explicit_list) delays_ms = draw_delays(*proj.delay_distribution, synapses, path + ".delay_ms");
    }
    if (delays_ms) check_delays(*delays_ms, path + ".delay_ms");
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      const auto [pre, post] = pairs[i];
      if (pre < 0 || post < 0 || static_cast<std::size_t>(pre) >= from.width || static_cast<std::size_t>(post) >= target.size()) {
        fail((proj.synapses_file ? path + ".synapses: synapse " : path + ".pairs.") + std::to_string(i),
             "pair (" + std::to_string(pre) + ", " + std::to_string(post) + ") is out of range");
      }
      spec.synapses.push_back({static_cast<std::uint32_t>(pre), static_cast<std::uint32_t>(post), static_cast<float>(weights[i]),
                               delays_ms ? (*delays_ms)[i] : proj.delay_ms});
    }
    try {
      snn().connect(std::move(spec));
    } catch (const InputError& error) {
      fail(path, error.what());
    }
  }
}

void NetworkLowering::lower_input_projection(const ProjectionDescription& proj, const NodeInfo& from,
                                             const neurons::PopulationBase& target, const std::string& path) {
  const auto* scalar_weight = std::get_if<double>(&proj.weight);
  const auto& input = *std::find_if(net_.inputs.begin(), net_.inputs.end(), [&](const auto& i) { return i.name == proj.from; });
  const bool drive = std::holds_alternative<PoissonDriveInput>(input.source);
  const std::string kind = drive ? "a poisson_drive input" : "a current input";
  if (proj.rule != ConnectionRule::one_to_one) fail(path + ".rule", kind + " needs rule one_to_one");
  if (scalar_weight == nullptr || proj.weight_distribution) fail(path + ".weight", kind + " takes one weight (a number)");
  if (drive) {
    neurons::PoissonInputSpec spec;
    spec.name = proj.name;  // its random stream: derived from the run seed and this name
    spec.target = proj.to;
    spec.receptor = proj.target.empty() ? std::string(target.receptors().front().name) : proj.target;
    spec.rate_hz = std::get<PoissonDriveInput>(input.source).rate_hz;
    spec.weight = static_cast<float>(*scalar_weight);
    try {
      snn().add_poisson_input(spec);
    } catch (const InputError& error) {
      fail(path, error.what());
    }
    return;
  }
  const auto values = expand_values(net_, std::get<CurrentInput>(input.source).value, from.width, "inputs." + proj.from + ".value");
  std::map<double, std::vector<std::uint32_t>> units_by_amplitude;
  for (std::size_t i = 0; i < values.size(); ++i) units_by_amplitude[values[i] * *scalar_weight].push_back(static_cast<std::uint32_t>(i));
  int part = 0;
  for (const auto& [amplitude, units] : units_by_amplitude) {
    neurons::CurrentSpec spec;
    spec.name = proj.name + "." + std::to_string(part++);
    spec.target = proj.to;
    spec.receptor = proj.target.empty() ? "i_ext" : proj.target;
    spec.units = units;
    spec.amplitudes = {static_cast<float>(amplitude)};
    try {
      snn().add_current(spec);
    } catch (const InputError& error) {
      fail(path, error.what());
    }
  }
}

void NetworkLowering::read_synapses_file(const ProjectionDescription& proj, const std::string& path,
                                         std::vector<std::pair<std::int64_t, std::int64_t>>& pairs,
                                         std::optional<std::vector<double>>& weights,
                                         std::optional<std::vector<double>>& delays_ms) const {
  const std::string where = path + ".synapses";
  SynapseList list;
  try {
    list = read_synapse_list(proj.synapses_file->file, proj.synapses_file->group);
  } catch (const InputError& error) {
    fail(where, proj.synapses_file->file.string() + ": " + error.what());
  }
  for (std::size_t i = 0; i < list.pre.size(); ++i) {
    const double pre = list.pre[i], post = list.post[i];
    if (pre != std::floor(pre) || post != std::floor(post) || pre < 0 || post < 0) {
      fail(where, "synapse " + std::to_string(i) + ": pre and post must be indices >= 0, got (" + format_number(pre) + ", " +
                      format_number(post) + ")");
    }
    pairs.emplace_back(static_cast<std::int64_t>(pre), static_cast<std::int64_t>(post));
  }
  if (list.weight) {
    if (proj.weight_given) fail(path + ".weight", "the synapse file " + proj.synapses_file->file.string() + " gives the weights already");
    for (const double w : *list.weight) {
      if (!std::isfinite(w)) fail(where, "a weight is not a finite number");
    }
    weights = std::move(list.weight);
  }
  if (list.delay_ms) {
    if (proj.delay_given) fail(path + ".delay_ms", "the synapse file " + proj.synapses_file->file.string() + " gives the delays already");
    delays_ms = std::move(list.delay_ms);
  }
}

std::vector<double> NetworkLowering::draw_delays(const Distribution& distribution, std::size_t count, const std::string& stream) const {
  RandomStream random = RandomStream::derived(seed_, stream);
  const Tick low = ticks_of_ms(distribution.a);
  const Tick high = ticks_of_ms(distribution.b);
  std::vector<double> values(count);
  for (double& v : values) v = time_.ms_from_ticks(low + static_cast<Tick>(random.below(static_cast<std::uint64_t>(high - low + 1))));
  return values;
}

void NetworkLowering::check_delays(const std::vector<double>& delays_ms, const std::string& path) const {
  for (std::size_t i = 0; i < delays_ms.size(); ++i) {
    const double ticks = delays_ms[i] / time_.dt_ms();
    if (!(ticks >= 1.0 - 1e-9) || std::abs(ticks - std::round(ticks)) > 1e-6) {
      fail(path, "synapse " + std::to_string(i) + ": delay " + format_number(delays_ms[i]) +
                     " ms must be a whole number of ticks (dt_ms = " + format_number(time_.dt_ms()) +
                     "), at least one: a spike reaches its targets one tick after it is fired at the soonest");
    }
  }
}

}  // namespace tandem::io::detail
