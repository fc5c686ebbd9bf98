#include "io/nir_lowering.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>

#include "core/error.hpp"
#include "io/nir_order.hpp"
#include "io/nir_units.hpp"
#include "neurons/registry.hpp"

namespace tandem::io {

namespace {

using neurons::EventEngine;

bool is_neuron(NirKind kind) {
  return kind == NirKind::if_neuron || kind == NirKind::li || kind == NirKind::lif || kind == NirKind::cuba_li ||
         kind == NirKind::cuba_lif || kind == NirKind::integrator || kind == NirKind::threshold;
}

// A matrix stored by rows, each row its non-zero (column, value) pairs in ascending columns: the
// composed maps of a path are mostly identities and permutations, which a dense form would make
// quadratic in the node size.
struct SparseMatrix {
  std::size_t cols = 0;
  std::vector<std::vector<std::pair<std::uint32_t, double>>> rows;

  static SparseMatrix identity(std::size_t n) {
    SparseMatrix m{n, std::vector<std::vector<std::pair<std::uint32_t, double>>>(n)};
    for (std::size_t i = 0; i < n; ++i) m.rows[i].emplace_back(static_cast<std::uint32_t>(i), 1.0);
    return m;
  }
  [[nodiscard]] bool is_identity() const {
    if (!is_diagonal()) return false;
    return std::all_of(rows.begin(), rows.end(), [](const auto& row) { return row.size() == 1 && row[0].second == 1.0; });
  }
  [[nodiscard]] bool is_diagonal() const {
    if (rows.size() != cols) return false;
    for (std::size_t r = 0; r < rows.size(); ++r) {
      if (rows[r].size() > 1 || (rows[r].size() == 1 && rows[r][0].first != r)) return false;
    }
    return true;
  }
};

// A dense [out x in] row-major matrix (an Affine/Linear weight) without its zeros.
SparseMatrix sparse_from_dense(const std::vector<double>& dense, std::size_t out, std::size_t in) {
  SparseMatrix m{in, std::vector<std::vector<std::pair<std::uint32_t, double>>>(out)};
  for (std::size_t r = 0; r < out; ++r) {
    for (std::size_t c = 0; c < in; ++c) {
      if (dense[r * in + c] != 0.0) m.rows[r].emplace_back(static_cast<std::uint32_t>(c), dense[r * in + c]);
    }
  }
  return m;
}

// sparse a [out x k] times sparse b [k x cols]; b = identity is a copy of a.
SparseMatrix multiply(const SparseMatrix& a, const SparseMatrix& b) {
  if (b.is_identity()) return a;
  SparseMatrix result{b.cols, std::vector<std::vector<std::pair<std::uint32_t, double>>>(a.rows.size())};
  std::vector<double> sum(b.cols, 0.0);
  std::vector<std::uint8_t> touched(b.cols, 0);
  std::vector<std::uint32_t> columns;
  for (std::size_t r = 0; r < a.rows.size(); ++r) {
    for (const auto& [k, w] : a.rows[r]) {
      for (const auto& [c, value] : b.rows[k]) {
        if (touched[c] == 0) {
          touched[c] = 1;
          columns.push_back(c);
        }
        sum[c] += w * value;
      }
    }
    std::sort(columns.begin(), columns.end());
    for (const std::uint32_t c : columns) {
      if (sum[c] != 0.0) result.rows[r].emplace_back(c, sum[c]);
      sum[c] = 0.0;
      touched[c] = 0;
    }
    columns.clear();
  }
  return result;
}

// A convolution or pooling (core/convolution_shape.hpp) as the sparse matrix [outputs x inputs] it
// is: output o·H'·W' + position takes input j with the weight of the kernel tap joining them.
SparseMatrix convolution_matrix(const ConvolutionShape& shape, const std::vector<double>& kernel, double pool_tap) {
  SparseMatrix m{shape.inputs(), std::vector<std::vector<std::pair<std::uint32_t, double>>>(shape.outputs())};
  const std::size_t plane = shape.out_height() * shape.out_width();
  for (std::size_t j = 0; j < shape.inputs(); ++j) {
    for_each_reach(shape, j, [&](std::size_t first_channel, std::size_t position, std::size_t column) {
      for (std::size_t o = 0; o < shape.out_per_group(); ++o) {
        const std::size_t channel = first_channel + o;
        const double w = kernel.empty() ? pool_tap : kernel[channel * shape.kernel_columns() + column];
        m.rows[channel * plane + position].emplace_back(static_cast<std::uint32_t>(j), w);  // j ascending: sorted rows
      }
    });
  }
  return m;
}

[[nodiscard]] std::size_t non_zeros(const SparseMatrix& m) {
  std::size_t n = 0;
  for (const auto& row : m.rows) n += row.size();
  return n;
}

void add_into(SparseMatrix& a, const SparseMatrix& b) {
  for (std::size_t r = 0; r < a.rows.size(); ++r) {
    std::vector<std::pair<std::uint32_t, double>> merged;
    std::size_t i = 0, j = 0;
    const auto& x = a.rows[r];
    const auto& y = b.rows[r];
    while (i < x.size() || j < y.size()) {
      if (j == y.size() || (i < x.size() && x[i].first < y[j].first)) merged.push_back(x[i++]);
      else if (i == x.size() || y[j].first < x[i].first) merged.push_back(y[j++]);
      else {
        merged.emplace_back(x[i].first, x[i].second + y[j].second);
        ++i;
        ++j;
      }
    }
    a.rows[r] = std::move(merged);
  }
}

// The values a node passes on, as a sum over populations of (matrix · that population's output
// `delay` ticks ago), plus constants (biases), each present from its tick on (a bias reached
// through a Delay or a loop starts that many ticks later, as in NIR's reference, where the delay
// line and previous outputs start at 0).
// A convolution applied directly to a population's output: lowered as a kernel-only projection
// (Rule::convolution) instead of its expanded matrix.
struct ConvolutionTerm {
  ConvolutionShape shape;
  std::vector<double> kernel;  // [O, C/groups, kh, kw]; pooling: every tap's weight
};

struct Term {
  std::size_t population = 0;  // node index of the population
  Tick delay = 0;
  SparseMatrix matrix;  // [node width x population size]
  std::optional<ConvolutionTerm> convolution;  // set while the path is exactly one convolution
};
struct Expression {
  std::vector<Term> terms;
  std::map<Tick, std::vector<double>> bias;  // from tick -> value per row
};

void add_into(Expression& into, const Expression& from) {
  for (const Term& term : from.terms) {
    const auto same = std::find_if(into.terms.begin(), into.terms.end(), [&](const Term& t) {
      return t.population == term.population && t.delay == term.delay;
    });
    if (same == into.terms.end()) {
      into.terms.push_back(term);
    } else {
      add_into(same->matrix, term.matrix);
      same->convolution.reset();  // a sum of paths is no longer one kernel
    }
  }
  for (const auto& [from_tick, values] : from.bias) {
    auto& sum = into.bias[from_tick];
    if (sum.empty()) sum.assign(values.size(), 0.0);
    for (std::size_t k = 0; k < values.size(); ++k) sum[k] += values[k];
  }
}

bool no_bias(const Expression& e) {
  return std::all_of(e.bias.begin(), e.bias.end(), [](const auto& entry) {
    return std::all_of(entry.second.begin(), entry.second.end(), [](double b) { return b == 0.0; });
  });
}

// The threshold of the models lowering NIR's non-spiking I and CubaLI (if, cuba_lif): the largest
// float, which no finite v exceeds.
constexpr double never_fires = std::numeric_limits<float>::max();

std::string number_text(double value) {
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

class Lowering {
 public:
  Lowering(const NirGraph& graph, const NirImportOptions& options, EventEngine& engine)
      : graph_(graph),
        options_(options),
        engine_(engine),
        order_(nir_order(graph.nodes)),  // as NIR's reference evaluates (io/nir_order.hpp)
        state_(graph.nodes.size(), 0),
        expressions_(graph.nodes.size()) {}

  NirLowering run() {
    // Which Output nodes need a relay population (anything but one population passed on as is).
    for (const std::size_t i : order_.order) {
      const NirNode& node = graph_.nodes[i];
      if (node.kind != NirKind::output || !node.top_level) continue;
      const Expression in = input(i);
      const bool plain = in.terms.size() == 1 && in.terms[0].delay == 0 && in.terms[0].matrix.is_identity() && no_bias(in);
      if (plain) {
        lowered_.outputs[node.name] = engine_name(in.terms[0].population);
      } else if (options_.dense_readout && dense_readable(in)) {
        lowered_.dense_outputs[node.name] = dense_readout(in, node.size);
      } else {
        relays_.insert(i);
        lowered_.outputs[node.name] = engine_name(i);
      }
    }
    for (const std::size_t i : order_.order) {
      const NirNode& node = graph_.nodes[i];
      if (node.kind == NirKind::input && node.external_input) {
        if (options_.inputs_from_ports) {
          relays_.insert(i);  // a relay population that input ports feed (NirImportOptions)
          add_population(i);
        } else {
          engine_.add_value_table(engine_name(i), node.size);
        }
        lowered_.inputs.push_back(node.name);
      } else if (is_neuron(node.kind) || relays_.count(i) != 0) {
        add_population(i);
      } else if (node.kind != NirKind::output && node.kind != NirKind::input) {
        lowered_.folded.push_back(node.name);
      }
    }
    for (const std::size_t i : order_.order) {
      if (is_neuron(graph_.nodes[i].kind) || relays_.count(i) != 0) connect(i);
    }
    return lowered_;
  }

 private:
  // The name a node's population, table, projection or current has in the engine.
  [[nodiscard]] std::string engine_name(std::size_t i) const { return options_.name_prefix + graph_.nodes[i].name; }
  [[nodiscard]] std::string where(const NirNode& node) const {
    return graph_.file + ": node '" + node.name + "' (" + node.type + ")";
  }
  [[nodiscard]] bool is_population(std::size_t i) const {
    const NirNode& node = graph_.nodes[i];
    return is_neuron(node.kind) || (node.kind == NirKind::input && node.external_input) || relays_.count(i) != 0;
  }

  // Whether an Output's values are W·(one spiking population's spikes this tick) + a constant:
  // what a dense layer fed by a count decoder computes in the same tick. Graded sources (Input
  // tables, LI, I, CubaLI), delays and constants that start later keep the relay population.
  [[nodiscard]] bool dense_readable(const Expression& in) const {
    if (in.terms.size() != 1 || in.terms[0].delay != 0) return false;
    const NirKind source = graph_.nodes[in.terms[0].population].kind;
    const bool spiking = source == NirKind::lif || source == NirKind::if_neuron || source == NirKind::cuba_lif ||
                         source == NirKind::threshold;
    const bool constant_from_start = std::all_of(in.bias.begin(), in.bias.end(), [](const auto& entry) {
      return entry.first == 0 || std::all_of(entry.second.begin(), entry.second.end(), [](double b) { return b == 0.0; });
    });
    return spiking && constant_from_start;
  }
  [[nodiscard]] NirDenseReadout dense_readout(const Expression& in, std::size_t outputs) const {
    const Term& term = in.terms[0];
    NirDenseReadout readout;
    readout.source = engine_name(term.population);
    readout.inputs = graph_.nodes[term.population].size;
    readout.outputs = outputs;
    readout.weight.assign(outputs * readout.inputs, 0.0F);
    for (std::size_t r = 0; r < outputs; ++r) {
      for (const auto& [c, value] : term.matrix.rows[r]) readout.weight[r * readout.inputs + c] = static_cast<float>(value);
    }
    readout.bias.assign(outputs, 0.0F);
    const auto constant = in.bias.find(0);
    if (constant != in.bias.end()) {
      for (std::size_t r = 0; r < outputs; ++r) readout.bias[r] = static_cast<float>(constant->second[r]);
    }
    return readout;
  }

  // One value for every unit of the node; InputError when they differ.
  [[nodiscard]] double uniform(const NirNode& node, const std::string& key) const {
    const auto found = node.parameters.find(key);
    if (found == node.parameters.end() || found->second.empty()) throw InputError(where(node) + ": missing parameter '" + key + "'");
    const double first = found->second.front();
    for (const double value : found->second) {
      if (value != first) {
        throw InputError(where(node) + ": parameter '" + key + "' differs between units (" + number_text(first) + ", " +
                         number_text(value) + "); a population takes one value per parameter — split the node");
      }
    }
    return first;
  }
  [[nodiscard]] double optional_uniform(const NirNode& node, const std::string& key, double fallback) const {
    return node.parameters.count(key) != 0 ? uniform(node, key) : fallback;
  }

  // The expression of a node's output (populations: themselves).
  const Expression& output(std::size_t i) {
    if (state_[i] == 2) return expressions_[i];
    const NirNode& node = graph_.nodes[i];
    if (is_population(i)) {
      expressions_[i] = Expression{{Term{i, 0, SparseMatrix::identity(node.size), std::nullopt}}, {}};
      state_[i] = 2;
      return expressions_[i];
    }
    if (state_[i] == 1) throw InputError(where(node) + ": a loop of linear nodes without a neuron node cannot be lowered");
    state_[i] = 1;
    expressions_[i] = through(i, input(i));
    state_[i] = 2;
    return expressions_[i];
  }

  // The sum of a node's sources; a source later in the order (a loop) is read one tick late.
  Expression input(std::size_t i) {
    const NirNode& node = graph_.nodes[i];
    Expression sum;
    for (const std::size_t s : node.sources) {
      Expression from = output(s);
      if (order_.reads_late(s, i)) {
        for (Term& term : from.terms) ++term.delay;
        std::map<Tick, std::vector<double>> later;
        for (auto& [from_tick, values] : from.bias) later[from_tick + 1] = std::move(values);
        from.bias = std::move(later);
      }
      add_into(sum, from);
    }
    return sum;
  }

  // A pooling's tap weight (1 for sum, 1/(kh·kw) for average); unused for convolutions.
  static double conv_tap(const NirNode& node) {
    return pool_tap_weight(*node.convolution, node.kind == NirKind::avg_pool ? PoolKind::average : PoolKind::sum);
  }

  // A linear node applied to its input expression.
  Expression through(std::size_t i, Expression in) {
    const NirNode& node = graph_.nodes[i];
    const auto p = [&](const char* key) -> const std::vector<double>& { return node.parameters.at(key); };
    switch (node.kind) {
      case NirKind::affine:
      case NirKind::linear: {
        const auto& w = p("weight");
        Expression out;
        const SparseMatrix weight = sparse_from_dense(w, node.size, node.in_size);
        for (const Term& term : in.terms) out.terms.push_back(Term{term.population, term.delay, multiply(weight, term.matrix), std::nullopt});
        for (const auto& [from_tick, values] : in.bias) {
          auto& b = out.bias[from_tick];
          b.assign(node.size, 0.0);
          for (std::size_t r = 0; r < node.size; ++r) {
            for (std::size_t k = 0; k < node.in_size; ++k) b[r] += w[r * node.in_size + k] * values[k];
          }
        }
        if (node.kind == NirKind::affine) {
          auto& b = out.bias[0];
          if (b.empty()) b.assign(node.size, 0.0);
          for (std::size_t r = 0; r < node.size; ++r) b[r] += p("bias")[r];
        }
        return out;
      }
      case NirKind::scale: {
        const auto& s = p("scale");
        for (Term& term : in.terms) {
          term.convolution.reset();  // a scaled kernel per output is no longer one shared kernel
          for (std::size_t r = 0; r < term.matrix.rows.size(); ++r) {
            for (auto& entry : term.matrix.rows[r]) entry.second *= s[r];
          }
        }
        for (auto& entry : in.bias) {
          for (std::size_t r = 0; r < entry.second.size(); ++r) entry.second[r] *= s[r];
        }
        return in;
      }
      case NirKind::delay: {
        // Rows with different delays part into one term (and one constant) per delay.
        std::vector<Tick> ticks;
        for (const double d : p("delay")) {
          const double count = std::round(nir_ms(d) / options_.dt_ms);
          if (!(count >= 0.0) || count > 255.0) {
            throw InputError(where(node) + ": delay " + number_text(d) + " s is negative or longer than 255 ticks");
          }
          ticks.push_back(static_cast<Tick>(count));
        }
        Expression out;
        const std::set<Tick> distinct(ticks.begin(), ticks.end());
        for (const auto& [from_tick, values] : in.bias) {
          for (const Tick d : distinct) {
            auto& b = out.bias[from_tick + d];
            if (b.empty()) b.assign(values.size(), 0.0);
            for (std::size_t r = 0; r < values.size(); ++r) {
              if (ticks[r] == d) b[r] += values[r];
            }
          }
        }
        for (const Term& term : in.terms) {
          for (const Tick d : distinct) {
            Term part{term.population, term.delay + d, term.matrix, distinct.size() == 1 ? term.convolution : std::nullopt};
            for (std::size_t r = 0; r < part.matrix.rows.size(); ++r) {
              if (ticks[r] != d) part.matrix.rows[r].clear();
            }
            out.terms.push_back(std::move(part));
          }
        }
        return out;
      }
      case NirKind::conv1d:
      case NirKind::conv2d:
      case NirKind::sum_pool:
      case NirKind::avg_pool: {
        const ConvolutionShape& shape = *node.convolution;
        const bool pooling = node.kind == NirKind::sum_pool || node.kind == NirKind::avg_pool;
        const SparseMatrix conv = convolution_matrix(shape, pooling ? std::vector<double>{} : p("weight"), conv_tap(node));
        Expression out;
        for (const Term& term : in.terms) {
          Term next{term.population, term.delay, multiply(conv, term.matrix), std::nullopt};
          if (term.matrix.is_identity() && !term.convolution) {
            next.convolution = ConvolutionTerm{shape, pooling ? std::vector<double>(shape.kernel_values(), conv_tap(node))
                                                              : p("weight")};
          }
          out.terms.push_back(std::move(next));
        }
        for (const auto& [from_tick, values] : in.bias) {
          auto& b = out.bias[from_tick];
          b.assign(node.size, 0.0);
          for (std::size_t r = 0; r < node.size; ++r) {
            for (const auto& [k, w] : conv.rows[r]) b[r] += w * values[k];
          }
        }
        const auto bias = node.parameters.find("bias");
        if (!pooling && bias != node.parameters.end()) {
          auto& b = out.bias[0];
          if (b.empty()) b.assign(node.size, 0.0);
          const std::size_t plane = node.size / shape.out_channels;
          for (std::size_t r = 0; r < node.size; ++r) b[r] += bias->second[r / plane];
        }
        return out;
      }
      default: return in;  // Flatten, nested Input and Output: the same values (Flatten keeps C·H·W order)
    }
  }

  void add_population(std::size_t i) {
    const NirNode& node = graph_.nodes[i];
    neurons::ParameterValues values;
    std::string model;
    const double dt_ms = options_.dt_ms;
    const auto set = [&](const std::string& key, double value) { values[key] = number_text(value); };
    const auto spike_rule = [&](double threshold, double leak) {
      set("v_threshold_mv", threshold);
      const double reset = options_.reset == NirReset::subtract ? 0.0 : optional_uniform(node, "v_reset", 0.0);
      set("v_reset_mv", reset);
      values["reset_mode"] = options_.reset == NirReset::subtract ? "subtract" : "to_value";
      // Rest (neurons/model.hpp): NIR's v has no unit, so the tolerance is relative to the
      // distance from rest to threshold — 1e-6 of it, far below any input that matters.
      const double span = std::abs(threshold - leak);
      return std::isfinite(span) && span > 0.0 ? 1e-6 * span : 1e-6;
    };
    bool graded = false;
    Precision precision = Precision::float32;
    switch (node.kind) {
      case NirKind::lif: {
        model = "lif";
        set("tau_m_ms", nir_ms(uniform(node, "tau")));
        const double leak = uniform(node, "v_leak");
        set("v_leak_mv", leak);
        set("r_mohm", uniform(node, "r"));
        set("rest_tolerance_mv", spike_rule(uniform(node, "v_threshold"), leak));
        values["integration"] = "euler";
        precision = options_.precision;
        break;
      }
      case NirKind::li:
        model = "li";
        set("tau_ms", nir_ms(uniform(node, "tau")));
        set("v_leak_mv", uniform(node, "v_leak"));
        set("r_mohm", uniform(node, "r"));
        set("rest_tolerance_mv", 1e-6);
        values["integration"] = "euler";
        graded = true;
        break;
      case NirKind::if_neuron:
      case NirKind::integrator: {
        model = "if";
        set("r_mohm", nir_if_r_mohm(uniform(node, "r")));  // dt_ms·r_mohm = dt_s·R
        const bool spikes = node.kind == NirKind::if_neuron;
        spike_rule(spikes ? uniform(node, "v_threshold") : never_fires, 0.0);
        graded = !spikes;
        break;
      }
      case NirKind::cuba_lif:
      case NirKind::cuba_li: {
        model = "cuba_lif";
        set("tau_mem_ms", nir_ms(uniform(node, "tau_mem")));
        set("tau_syn_ms", nir_ms(uniform(node, "tau_syn")));
        const double leak = uniform(node, "v_leak");
        set("v_leak_mv", leak);
        set("r_mohm", uniform(node, "r"));
        set("w_in", optional_uniform(node, "w_in", 1.0));
        const bool spikes = node.kind == NirKind::cuba_lif;
        const double tolerance =
            spike_rule(spikes ? uniform(node, "v_threshold") : never_fires, leak);
        set("rest_tolerance_mv", tolerance);
        set("rest_tolerance_na", 1e-6);
        values["integration"] = "euler";
        graded = !spikes;
        break;
      }
      case NirKind::threshold: {
        // z = H(x − θ): a lif whose forward-Euler decay 1 − dt/tau is 0 holds exactly this tick's x.
        model = "lif";
        set("tau_m_ms", dt_ms);
        set("v_leak_mv", 0.0);
        set("r_mohm", 1.0);
        const double theta = node.parameters.at("threshold").front();  // other units': an offset (connect)
        set("v_threshold_mv", theta);
        set("v_reset_mv", std::min(0.0, theta - 1.0));  // any value below θ: the next tick overwrites v
        set("rest_tolerance_mv", 0.0);
        values["integration"] = "euler";
        break;
      }
      default:  // a relay for an Output node: an li holding exactly this tick's values
        model = "li";
        set("tau_ms", dt_ms);
        set("v_leak_mv", 0.0);
        set("r_mohm", 1.0);
        set("rest_tolerance_mv", 0.0);
        values["integration"] = "euler";
        graded = true;
        break;
    }
    if (precision != Precision::float32 && !neurons::has_precision(model, precision)) precision = Precision::float32;
    try {
      engine_.add_population(neurons::make_population(model, engine_name(i), node.size, values, engine_.time(), precision));
    } catch (const InputError& error) {
      throw InputError(where(node) + ": " + error.what());
    }
    if (graded) engine_.set_graded_output(engine_name(i), "v");
    // NIR stores no initial state; its reference starts every state at 0 (not at v_leak).
    engine_.population(engine_name(i)).set_initial("v", std::vector<float>(node.size, 0.0F));
    if (precision != Precision::float32 && options_.loihi_scale > 0.0) engine_.set_quantisation_scale(engine_name(i), options_.loihi_scale);
    lowered_.populations.insert(engine_name(i));
  }

  // The receptor a node's input goes to and each unit's gain from NIR's x to that receptor (the
  // forward-Euler factor the model's jump stands for).
  struct Entry {
    std::string receptor;
    std::vector<double> gain;
    std::string bias_receptor;
    std::vector<double> bias_gain;
  };
  [[nodiscard]] Entry entry_of(std::size_t i) const {
    const NirNode& node = graph_.nodes[i];
    const std::size_t n = node.size;
    switch (node.kind) {
      case NirKind::lif:
      case NirKind::li: {
        // v ← v + dt/τ·(v_leak − v + R·x): x arrives as a jump R·dt/τ·x; a constant is a current.
        const double g = nir_membrane_gain(uniform(node, "r"), uniform(node, "tau"), options_.dt_ms);
        return {"v", std::vector<double>(n, g), "i_ext", std::vector<double>(n, 1.0)};
      }
      case NirKind::if_neuron:
      case NirKind::integrator: {
        const double g = nir_integrator_gain(uniform(node, "r"), options_.dt_ms);
        return {"v", std::vector<double>(n, g), "i_ext", std::vector<double>(n, 1.0)};
      }
      case NirKind::cuba_lif:
      case NirKind::cuba_li: {
        // I ← I + dt/τ_syn·(−I + w_in·x): x arrives on i_syn as a jump dt/τ_syn·x (the model
        // multiplies by w_in); a constant arrives the same way every tick.
        const double g = nir_synapse_gain(uniform(node, "tau_syn"), options_.dt_ms);
        return {"i_syn", std::vector<double>(n, g), "i_syn", std::vector<double>(n, g)};
      }
      default:  // Threshold and relays hold x itself
        return {"v", std::vector<double>(n, 1.0), "i_ext", std::vector<double>(n, 1.0)};
    }
  }

  void connect(std::size_t i) {
    const NirNode& node = graph_.nodes[i];
    Expression in = input(i);
    const Entry entry = entry_of(i);
    if (node.kind == NirKind::threshold) {
      // Per-unit thresholds θ_k on one population's threshold θ_0: x > θ_k ⟺ x + (θ_0 − θ_k) > θ_0,
      // the offset a constant input from tick 0.
      const auto& theta = node.parameters.at("threshold");
      auto& offset = in.bias[0];
      if (offset.empty()) offset.assign(node.size, 0.0);
      for (std::size_t r = 0; r < node.size; ++r) offset[r] += theta[0] - theta[r];
    }
    // Loihi integrates a spike the tick after it is sent.
    const bool loihi = engine_.population(engine_name(i)).precision() == Precision::loihi;
    for (const Term& term : in.terms) {
      const NirNode& source = graph_.nodes[term.population];
      const Tick delay = term.delay + (loihi ? 1 : 0);
      neurons::ProjectionSpec spec;
      spec.name = projection_name(i, term, in.terms.size());
      spec.source = engine_name(term.population);
      spec.target = engine_name(i);
      spec.receptor = entry.receptor;
      spec.allow_autapses = true;
      spec.same_tick = delay == 0;
      spec.delay_ms = static_cast<double>(delay) * options_.dt_ms;
      if (term.convolution) {
        // The kernel alone; the target's gain is uniform (one value per population parameter).
        spec.rule = neurons::Rule::convolution;
        spec.convolution = term.convolution->shape;
        for (const double w : term.convolution->kernel) spec.kernel.push_back(static_cast<float>(w * entry.gain[0]));
      } else if (term.matrix.is_diagonal()) {
        spec.rule = neurons::Rule::one_to_one;
        spec.weights.assign(node.size, 0.0F);
        for (std::size_t r = 0; r < node.size; ++r) {
          if (!term.matrix.rows[r].empty()) spec.weights[r] = static_cast<float>(term.matrix.rows[r][0].second * entry.gain[r]);
        }
      } else if (2 * non_zeros(term.matrix) < node.size * source.size) {
        // Mostly zeros (convolutions, pooling, their products): only the synapses that exist.
        spec.rule = neurons::Rule::explicit_list;
        spec.synapses.reserve(non_zeros(term.matrix));
        for (std::size_t r = 0; r < node.size; ++r) {
          for (const auto& [c, value] : term.matrix.rows[r]) {
            spec.synapses.push_back({c, static_cast<std::uint32_t>(r), static_cast<float>(value * entry.gain[r]), spec.delay_ms});
          }
        }
      } else {
        // all_to_all stores source-major: synapse j·N + r joins source j to target r.
        spec.rule = neurons::Rule::all_to_all;
        spec.weights.assign(source.size * node.size, 0.0F);
        for (std::size_t r = 0; r < node.size; ++r) {
          for (const auto& [c, value] : term.matrix.rows[r]) spec.weights[c * node.size + r] = static_cast<float>(value * entry.gain[r]);
        }
      }
      try {
        engine_.connect(std::move(spec));
      } catch (const InputError& error) {
        throw InputError(where(node) + ": " + error.what());
      }
    }
    // Constant inputs (biases along the paths), each present from its start tick: one
    // piecewise-constant current per distinct profile (the running total from each start tick).
    std::map<std::vector<std::pair<Tick, double>>, std::vector<std::uint32_t>> units_by_profile;
    for (std::size_t r = 0; r < node.size; ++r) {
      std::vector<std::pair<Tick, double>> profile;
      double total = 0.0;
      for (const auto& [from_tick, values] : in.bias) {
        if (values[r] == 0.0) continue;
        total += values[r];
        profile.emplace_back(from_tick, total * entry.bias_gain[r]);
      }
      if (!profile.empty()) units_by_profile[profile].push_back(static_cast<std::uint32_t>(r));
    }
    std::size_t part = 0;
    for (auto& [profile, units] : units_by_profile) {
      neurons::CurrentSpec current;
      current.name = engine_name(i) + ".bias." + std::to_string(part++);
      current.target = engine_name(i);
      current.receptor = entry.bias_receptor;
      current.units = std::move(units);
      current.start_ms.clear();
      for (const auto& [from_tick, amplitude] : profile) {
        current.start_ms.push_back(static_cast<double>(from_tick) * options_.dt_ms);
        current.amplitudes.push_back(static_cast<float>(amplitude));
      }
      engine_.add_current(current);
    }
  }

  // Named after the NIR node the values come through when that is one node (fc1, w_rec), else
  // "<source>-><target>"; unique within the engine.
  std::string projection_name(std::size_t i, const Term& term, std::size_t terms) {
    const NirNode& node = graph_.nodes[i];
    std::string name;
    if (terms == 1 && node.sources.size() == 1 && !is_population(node.sources[0])) name = engine_name(node.sources[0]);
    if (name.empty() || used_names_.count(name) != 0) {
      name = engine_name(term.population) + "->" + engine_name(i);
      if (term.delay != 0) name += "@" + std::to_string(term.delay);
    }
    used_names_.insert(name);
    return name;
  }

  const NirGraph& graph_;
  const NirImportOptions& options_;
  EventEngine& engine_;
  NirOrder order_;
  std::vector<int> state_;  // 0: not computed, 1: being computed, 2: done
  std::vector<Expression> expressions_;
  std::set<std::size_t> relays_;
  std::set<std::string> used_names_;
  NirLowering lowered_;
};

}  // namespace

NirLowering lower_nir(const NirGraph& graph, const NirImportOptions& options, neurons::EventEngine& engine) {
  if (std::abs(engine.time().dt_ms() - options.dt_ms) > 1e-12 * options.dt_ms) {
    throw InputError(graph.file + ": imported with dt " + number_text(options.dt_ms) + " ms into an engine of dt " +
                     number_text(engine.time().dt_ms()) + " ms");
  }
  return Lowering(graph, options, engine).run();
}

}  // namespace tandem::io
