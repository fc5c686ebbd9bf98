#include "io/nir_engine.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "core/recorder.hpp"
#include "neurons/loihi_lif.hpp"
#include "neurons/quantisation.hpp"

namespace tandem::io {

namespace {
constexpr std::size_t none = std::numeric_limits<std::size_t>::max();

bool is_neuron(NirKind kind) {
  return kind == NirKind::if_neuron || kind == NirKind::li || kind == NirKind::lif || kind == NirKind::cuba_li ||
         kind == NirKind::cuba_lif || kind == NirKind::integrator;
}
bool spikes(NirKind kind) { return kind == NirKind::if_neuron || kind == NirKind::lif || kind == NirKind::cuba_lif; }
}  // namespace

struct NirEngine::State {
  std::vector<double> out, v, i_syn;
  std::vector<double> input;       // external data [ticks x width]
  std::vector<std::vector<double>> delay_line;  // per delay slot
  std::vector<Tick> delay_ticks;
  std::uint64_t events = 0;
  std::vector<std::uint32_t> spiked;  // this tick's non-zero outputs
  // Loihi precision. A LIF node: its neurons' arithmetic, integer u and v, refractory counters,
  // the scale (integer weight units per unit of v) and the a_in that arrives next tick. An
  // Affine/Linear node feeding one: its weights and bias as integers (row-major [out, in]).
  std::vector<neurons::LoihiLifArithmetic> loihi;
  std::vector<std::int32_t> loihi_u, loihi_v;
  std::vector<std::uint32_t> loihi_refractory;
  std::vector<double> loihi_scale;
  std::vector<std::int64_t> loihi_pending;
  std::vector<double> integer_weight, integer_bias;
};

struct NirEngine::ProbeEntry {
  std::size_t node;
  std::string variable;
  Tick every;
  StreamId tick_stream = 0, index_stream = 0, value_stream = 0;
  std::vector<std::int64_t> ticks;
  std::vector<std::uint32_t> indices;
  std::vector<float> values;
};

NirEngine::NirEngine(std::string name, NirGraph graph, NirImportOptions options)
    : name_(std::move(name)), graph_(std::move(graph)), options_(options), states_(graph_.nodes.size()),
      counter_of_(graph_.nodes.size(), none) {
  if (!(options_.dt_ms > 0.0) || !std::isfinite(options_.dt_ms)) {
    throw InputError(graph_.file + ": dt_ms must be a positive number of ms");
  }
  // Dependency order: depth-first from each node over its sources; a source still on the
  // stack closes a cycle and is read with its previous tick's value.
  std::vector<int> mark(graph_.nodes.size(), 0);
  auto visit = [&](auto&& self, std::size_t i) -> void {
    if (mark[i] != 0) return;
    mark[i] = 1;
    for (const auto s : graph_.nodes[i].sources) self(self, s);
    mark[i] = 2;
    order_.push_back(i);
  };
  for (std::size_t i = 0; i < graph_.nodes.size(); ++i) visit(visit, i);
  if (options_.precision == Precision::loihi) {
    prepare_loihi();
  } else if (options_.precision != Precision::float32) {
    throw InputError(graph_.file + ": a NIR graph imports in float32 or loihi precision, not " +
                     std::string(to_string(options_.precision)));
  }
  for (std::size_t i = 0; i < graph_.nodes.size(); ++i) {
    const auto& node = graph_.nodes[i];
    NodeCounters c;
    c.precision = std::string(to_string(options_.precision == Precision::loihi && node.kind == NirKind::lif
                                            ? Precision::loihi
                                            : Precision::float32));
    c.node = node.name;
    c.units = node.size;
    if (is_neuron(node.kind)) {
      c.kind = NodeKind::spiking;
      c.fan_in = 1;
    } else if (node.kind == NirKind::affine || node.kind == NirKind::linear) {
      c.kind = NodeKind::projection;
      c.fan_in = node.in_size;
      c.synapse_memory_bytes = node.size * node.in_size * sizeof(float);
    } else if (node.external_input) {
      c.kind = NodeKind::input;
    } else {
      continue;  // pass-through nodes (Output, Flatten, Scale, Threshold, Delay) do no counted work
    }
    counter_of_[i] = counters_.size();
    counters_.push_back(std::move(c));
  }
  // Targets for the chip mapping: the counted nodes reached through pass-through nodes.
  std::vector<std::vector<std::size_t>> successors(graph_.nodes.size());
  for (std::size_t i = 0; i < graph_.nodes.size(); ++i) {
    for (const auto s : graph_.nodes[i].sources) successors[s].push_back(i);
  }
  for (std::size_t i = 0; i < graph_.nodes.size(); ++i) {
    if (counter_of_[i] == none) continue;
    std::vector<std::size_t> stack = successors[i];
    std::vector<bool> seen(graph_.nodes.size(), false);
    while (!stack.empty()) {
      const std::size_t j = stack.back();
      stack.pop_back();
      if (seen[j]) continue;
      seen[j] = true;
      if (counter_of_[j] != none) counters_[counter_of_[i]].targets.push_back(graph_.nodes[j].name);
      else stack.insert(stack.end(), successors[j].begin(), successors[j].end());
    }
  }
}

NirEngine::~NirEngine() = default;

// Loihi precision (docs/precision.md#loihi). Forward Euler's v += dt/tau·(−v + r·W·x) becomes,
// per LIF neuron k with g_k = r_k·dt/tau_k: integer weights round(W[k][j]·g_k·s) with one scale s
// per LIF node (its largest |W·g| maps to 127), dv = floor(4096·dt/tau), vth = round(v_th·s),
// du = 4096 (NIR's LIF has no synaptic current). As on Loihi, where a spike is integrated the
// tick after it is sent, a LIF reads its input one tick late.
void NirEngine::prepare_loihi() {
  const double dt_s = options_.dt_ms / 1000.0;
  std::vector<int> fed(graph_.nodes.size(), 0);  // how many LIF nodes each Affine/Linear feeds
  for (std::size_t i = 0; i < graph_.nodes.size(); ++i) {
    const NirNode& node = graph_.nodes[i];
    if (node.kind == NirKind::cuba_lif || node.kind == NirKind::cuba_li || node.kind == NirKind::li ||
        node.kind == NirKind::if_neuron || node.kind == NirKind::integrator) {
      throw InputError(graph_.file + ": node '" + node.name + "' (" + node.type +
                       "): loihi precision covers LIF nodes only (docs/precision.md#loihi)");
    }
    if (node.kind != NirKind::lif) continue;
    const auto where = graph_.file + ": node '" + node.name + "' (LIF, loihi precision): ";
    const auto& tau = node.parameters.at("tau");
    const auto& r = node.parameters.at("r");
    const auto& v_leak = node.parameters.at("v_leak");
    const auto reset = node.parameters.find("v_reset");
    for (std::size_t k = 0; k < node.size; ++k) {
      if (v_leak[k] != 0.0 || (reset != node.parameters.end() && reset->second[k] != 0.0)) {
        throw InputError(where + "Loihi rests and resets at 0; v_leak and v_reset must be 0");
      }
    }
    if (options_.reset == NirReset::subtract) throw InputError(where + "Loihi resets to 0; --reset subtract has no Loihi form");
    double largest = 0.0;
    for (const std::size_t src : node.sources) {
      const NirNode& source = graph_.nodes[src];
      if (source.kind != NirKind::affine && source.kind != NirKind::linear) {
        throw InputError(where + "its input '" + source.name + "' must be an Affine or Linear node (integer weights)");
      }
      if (++fed[src] > 1) throw InputError(where + "'" + source.name + "' feeds several LIF nodes; give each its own");
      const auto& w = source.parameters.at("weight");
      for (std::size_t row = 0; row < node.size; ++row) {
        const double g = r[row] * dt_s / tau[row];
        for (std::size_t col = 0; col < source.in_size; ++col) largest = std::max(largest, std::abs(w[row * source.in_size + col] * g));
      }
    }
    const double scale = options_.loihi_scale > 0.0 ? options_.loihi_scale : largest > 0.0 ? 127.0 / largest : 1.0;
    State& s = states_[i];
    s.loihi_scale.assign(node.size, scale);
    s.loihi.clear();
    for (std::size_t k = 0; k < node.size; ++k) {
      neurons::LoihiLifArithmetic neuron;
      neuron.dv = static_cast<std::int64_t>(std::floor(4096.0 * dt_s / tau[k]));
      neuron.vth = neurons::round_to_int32(node.parameters.at("v_threshold")[k] * scale);
      if (neuron.dv < 0 || neuron.dv > 4096 || neuron.vth < 0 || neuron.vth > 131071) {
        throw InputError(where + "decay " + std::to_string(neuron.dv) + " / 4096 or threshold " +
                         std::to_string(neuron.vth) + " is out of Loihi's range (0 … 4096, 0 … 131071)");
      }
      s.loihi.push_back(neuron);
    }
    for (const std::size_t src : node.sources) {
      const NirNode& source = graph_.nodes[src];
      State& from = states_[src];
      const auto& w = source.parameters.at("weight");
      from.integer_weight.assign(w.size(), 0.0);
      from.integer_bias.assign(source.size, 0.0);
      for (std::size_t row = 0; row < source.size; ++row) {
        const double g = r[row] * dt_s / tau[row];
        for (std::size_t col = 0; col < source.in_size; ++col) {
          from.integer_weight[row * source.in_size + col] = neurons::round_to_int32(w[row * source.in_size + col] * g * scale);
        }
        if (source.kind == NirKind::affine) from.integer_bias[row] = neurons::round_to_int32(source.parameters.at("bias")[row] * g * scale);
      }
    }
  }
}

void NirEngine::set_input(const std::string& node, std::vector<double> values) {
  for (std::size_t i = 0; i < graph_.nodes.size(); ++i) {
    const auto& n = graph_.nodes[i];
    if (n.name != node) continue;
    if (!n.external_input) throw InputError(graph_.file + ": node '" + node + "' is not a top-level Input");
    if (values.size() % n.size != 0) {
      throw InputError(graph_.file + ": input for '" + node + "' must have " + std::to_string(n.size) + " columns");
    }
    states_[i].input = std::move(values);
    return;
  }
  throw InputError(graph_.file + ": no Input node named '" + node + "'");
}

const std::vector<double>& NirEngine::output(const std::string& node) const {
  for (std::size_t i = 0; i < graph_.nodes.size(); ++i) {
    if (graph_.nodes[i].name == node) return states_[i].out;
  }
  throw InputError(graph_.file + ": no NIR node named '" + node + "'");
}

std::uint64_t NirEngine::events(const std::string& node) const {
  for (std::size_t i = 0; i < graph_.nodes.size(); ++i) {
    if (graph_.nodes[i].name == node) return states_[i].events;
  }
  throw InputError(graph_.file + ": no NIR node named '" + node + "'");
}

void NirEngine::reset(const RunContext& context) {
  if (std::abs(context.time.dt_ms() - options_.dt_ms) > 1e-12) {
    throw InputError(graph_.file + ": imported with dt " + std::to_string(options_.dt_ms) + " ms, run with " +
                     std::to_string(context.time.dt_ms()) + " ms");
  }
  mode_ = context.mode;
  for (std::size_t i = 0; i < graph_.nodes.size(); ++i) {
    const auto& node = graph_.nodes[i];
    State& s = states_[i];
    s.out.assign(node.size, 0.0);
    s.v.assign(is_neuron(node.kind) ? node.size : 0, 0.0);  // states start at 0 (NIR stores no initial state)
    s.i_syn.assign(node.kind == NirKind::cuba_li || node.kind == NirKind::cuba_lif ? node.size : 0, 0.0);
    s.events = 0;
    if (!s.loihi.empty()) {
      s.loihi_u.assign(node.size, 0);
      s.loihi_v.assign(node.size, 0);
      s.loihi_refractory.assign(node.size, 0);
      s.loihi_pending.assign(node.size, 0);
    }
    if (node.kind == NirKind::delay) {
      s.delay_ticks.clear();
      Tick longest = 0;
      for (const double d : node.parameters.at("delay")) {
        // The delay line holds (longest + 1) x size values: refuse what would exhaust memory.
        const double ticks_real = std::round(d * 1000.0 / options_.dt_ms);
        if (!(ticks_real >= 0.0) || (ticks_real + 1.0) * static_cast<double>(node.size) > 0x1p28) {
          throw InputError(graph_.file + ": node '" + node.name + "': delay " + std::to_string(d) +
                           " s is negative or too long for a delay line (at most 2^28 values)");
        }
        const auto ticks = static_cast<Tick>(ticks_real);
        s.delay_ticks.push_back(ticks);
        longest = std::max(longest, ticks);
      }
      s.delay_line.assign(static_cast<std::size_t>(longest + 1), std::vector<double>(node.size, 0.0));
    }
  }
  for (auto& c : counters_) c.executed = c.always_on = OpCounts{};
  for (auto& p : probes_) {
    p.ticks.clear();
    p.indices.clear();
    p.values.clear();
  }
}

void NirEngine::step(Tick tick) {
  const double dt_s = options_.dt_ms / 1000.0;
  std::vector<double> x;
  for (const auto i : order_) {
    const NirNode& node = graph_.nodes[i];
    State& s = states_[i];
    x.assign(node.in_size != 0 ? node.in_size : node.size, 0.0);
    for (const auto src : node.sources) {
      const auto& from = states_[src].out;
      for (std::size_t k = 0; k < x.size(); ++k) x[k] += from[k];
    }
    const auto p = [&](const char* key) -> const std::vector<double>& { return node.parameters.at(key); };
    OpCounts* executed = counter_of_[i] == none ? nullptr : &counters_[counter_of_[i]].executed;
    OpCounts* always_on = counter_of_[i] == none ? nullptr : &counters_[counter_of_[i]].always_on;
    const std::size_t n = node.size;
    switch (node.kind) {
      case NirKind::input: {
        if (!node.external_input) {
          s.out = x;
          break;
        }
        const auto row = static_cast<std::size_t>(tick) * n;
        for (std::size_t k = 0; k < n; ++k) s.out[k] = row + k < s.input.size() ? s.input[row + k] : 0.0;
        break;
      }
      case NirKind::output:
      case NirKind::flatten: s.out = x; break;
      case NirKind::affine:
      case NirKind::linear: {
        // y = W x (+ b); W row-major [out, in]. Event mode touches only the columns of non-zero inputs.
        // Feeding a LIF in loihi precision: its integer weights, and the sums rounded to integers.
        const bool integer = !s.integer_weight.empty();
        const auto& w = integer ? s.integer_weight : p("weight");
        if (node.kind == NirKind::affine) s.out = integer ? s.integer_bias : p("bias");
        else std::fill(s.out.begin(), s.out.end(), 0.0);
        std::uint64_t active = 0;
        for (std::size_t col = 0; col < node.in_size; ++col) {
          if (x[col] == 0.0 && mode_ == ExecutionMode::event) continue;
          ++active;
          for (std::size_t row = 0; row < n; ++row) s.out[row] += w[row * node.in_size + col] * x[col];
        }
        if (integer) {
          for (double& value : s.out) value = neurons::round_to_int32(value);
        }
        executed->add(Op::synaptic_op, active * n);
        always_on->add(Op::synaptic_op, node.in_size * n);
        break;
      }
      case NirKind::scale:
        for (std::size_t k = 0; k < n; ++k) s.out[k] = p("scale")[k] * x[k];
        break;
      case NirKind::threshold:  // z = H(x - theta), H(0) = 0
        for (std::size_t k = 0; k < n; ++k) s.out[k] = x[k] > p("threshold")[k] ? 1.0 : 0.0;
        break;
      case NirKind::delay: {  // y(t) = x(t - delay)
        const std::size_t slots = s.delay_line.size();
        s.delay_line[static_cast<std::size_t>(tick) % slots] = x;
        for (std::size_t k = 0; k < n; ++k) {
          const Tick from = tick - s.delay_ticks[k];
          s.out[k] = from < 0 ? 0.0 : s.delay_line[static_cast<std::size_t>(from) % slots][k];
        }
        break;
      }
      case NirKind::lif:
        if (!s.loihi.empty()) {
          for (std::size_t k = 0; k < n; ++k) {
            const std::int64_t a_in = s.loihi_pending[k];
            s.loihi_pending[k] = neurons::round_to_int32(x[k]);
            const bool fired = s.loihi[k].step(s.loihi_u[k], s.loihi_v[k], s.loihi_refractory[k], a_in);
            s.v[k] = s.loihi_v[k] / (64.0 * s.loihi_scale[k]);
            s.out[k] = fired ? 1.0 : 0.0;
          }
          executed->add(Op::neuron_update, n);
          always_on->add(Op::neuron_update, n);
          break;
        }
        [[fallthrough]];
      default: {
        // Forward Euler. LI/LIF: tau dv/dt = (v_leak - v) + R I. IF/I: dv/dt = R I.
        // CubaLI/CubaLIF: tau_syn dI/dt = -I + w_in x first, then v with the new I.
        const bool cuba = node.kind == NirKind::cuba_li || node.kind == NirKind::cuba_lif;
        for (std::size_t k = 0; k < n; ++k) {
          double drive = x[k];
          if (cuba) {
            s.i_syn[k] += dt_s / p("tau_syn")[k] * (-s.i_syn[k] + p("w_in")[k] * x[k]);
            drive = s.i_syn[k];
          }
          if (node.kind == NirKind::if_neuron || node.kind == NirKind::integrator) {
            s.v[k] += dt_s * p("r")[k] * drive;
          } else {
            const double tau = cuba ? p("tau_mem")[k] : p("tau")[k];
            s.v[k] += dt_s / tau * ((p("v_leak")[k] - s.v[k]) + p("r")[k] * drive);
          }
          if (!spikes(node.kind)) {
            s.out[k] = s.v[k];
            continue;
          }
          const double threshold = p("v_threshold")[k];
          const bool fired = s.v[k] > threshold;  // z = H(v - v_threshold), reset in the same step
          s.out[k] = fired ? 1.0 : 0.0;
          if (fired) {
            const auto reset = node.parameters.find("v_reset");
            s.v[k] = options_.reset == NirReset::subtract ? s.v[k] - threshold
                                                          : (reset == node.parameters.end() ? 0.0 : reset->second[k]);
          }
        }
        executed->add(Op::neuron_update, n);
        always_on->add(Op::neuron_update, n);
        break;
      }
    }
    s.spiked.clear();
    for (std::size_t k = 0; k < n; ++k) {
      if (s.out[k] != 0.0 && (spikes(node.kind) || node.kind == NirKind::output || node.kind == NirKind::threshold)) {
        s.spiked.push_back(static_cast<std::uint32_t>(k));
      }
    }
    s.events += s.spiked.size();
    if (executed != nullptr && spikes(node.kind)) {
      executed->add(Op::spike, s.spiked.size());
      always_on->add(Op::spike, s.spiked.size());
    }
  }
}

void NirEngine::advance(const Epoch& epoch, const Mailbox& /*inbox*/, Mailbox& /*outbox*/) {
  for (Tick t = epoch.begin; t < epoch.end; ++t) {
    step(t);
    sample(t);
  }
}

bool NirEngine::enroll_probe(const Probe& probe, Recorder& recorder) {
  for (std::size_t i = 0; i < graph_.nodes.size(); ++i) {
    const auto& node = graph_.nodes[i];
    if (node.name != probe.node) continue;
    ProbeEntry entry{i, probe.variable, std::max<Tick>(1, probe.every_ticks), 0, 0, 0, {}, {}, {}};
    const std::string base = "/snn/" + node.name;
    if (probe.variable == "spikes") {
      entry.tick_stream = recorder.enroll({base + "/spikes/tick", SampleType::int64, 0, {}});
      entry.index_stream = recorder.enroll({base + "/spikes/index", SampleType::uint32, 0, {}});
    } else if (probe.variable == "out" || (probe.variable == "v" && is_neuron(node.kind)) ||
               (probe.variable == "i_syn" && (node.kind == NirKind::cuba_li || node.kind == NirKind::cuba_lif))) {
      entry.tick_stream = recorder.enroll({base + "/state/tick", SampleType::int64, 0, {}});
      entry.value_stream = recorder.enroll({base + "/state/" + probe.variable, SampleType::float32, node.size, {}});
    } else {
      throw InputError("NIR node '" + node.name + "' (" + node.type + ") has no variable '" + probe.variable +
                       "' (spikes, out; neurons: v; Cuba: i_syn)");
    }
    probes_.push_back(std::move(entry));
    return true;
  }
  return false;
}

void NirEngine::sample(Tick tick) {
  for (auto& p : probes_) {
    const State& s = states_[p.node];
    if (p.variable == "spikes") {
      for (const auto k : s.spiked) {
        p.ticks.push_back(tick);
        p.indices.push_back(k);
      }
      continue;
    }
    if (tick % p.every != 0) continue;
    p.ticks.push_back(tick);
    const auto& values = p.variable == "out" ? s.out : (p.variable == "v" ? s.v : s.i_syn);
    for (const double v : values) p.values.push_back(static_cast<float>(v));
  }
}

void NirEngine::record(Recorder& recorder) {
  for (auto& p : probes_) {
    recorder.append(p.tick_stream, std::span<const std::int64_t>(p.ticks));
    if (p.variable == "spikes") recorder.append(p.index_stream, std::span<const std::uint32_t>(p.indices));
    else recorder.append(p.value_stream, std::span<const float>(p.values));
    p.ticks.clear();
    p.indices.clear();
    p.values.clear();
  }
}

}  // namespace tandem::io
