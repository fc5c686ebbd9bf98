#include "core/energy_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "core/neurobench.hpp"
#include "core/version.hpp"

namespace tandem {
namespace {

std::string sci(double value) {
  if (!std::isfinite(value)) return "-";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", value);
  return buffer;
}

std::string fixed(double value, int decimals) {
  if (!std::isfinite(value)) return "-";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

// A plain text table: first column left-aligned, the others right-aligned.
class Table {
 public:
  void row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  void rule() { rows_.emplace_back(); }
  [[nodiscard]] std::string str() const {
    std::vector<std::size_t> width;
    for (const auto& cells : rows_) {
      width.resize(std::max(width.size(), cells.size()), 0);
      for (std::size_t c = 0; c < cells.size(); ++c) width[c] = std::max(width[c], cells[c].size());
    }
    std::size_t total = 0;
    for (const std::size_t w : width) total += w + 2;
    std::ostringstream out;
    for (const auto& cells : rows_) {
      if (cells.empty()) {
        out << std::string(total, '-') << "\n";
        continue;
      }
      for (std::size_t c = 0; c < cells.size(); ++c) {
        const std::string pad(width[c] - cells[c].size(), ' ');
        out << (c == 0 ? cells[c] + pad : pad + cells[c]) << (c + 1 < cells.size() ? "  " : "");
      }
      out << "\n";
    }
    return out.str();
  }

 private:
  std::vector<std::vector<std::string>> rows_;
};

std::string count(std::uint64_t value) { return std::to_string(value); }

std::vector<std::string> node_row(const NodeEnergy& node, const std::string& kind) {
  return {node.node,
          kind,
          count(node.executed[Op::neuron_update]),
          count(node.executed[Op::synaptic_op]),
          count(node.executed[Op::mac]),
          count(node.executed[Op::spike]),
          count(node.executed[Op::packet]),
          count(node.executed[Op::hop]),
          sci(node.energy_j()),
          sci(node.always_on_energy_j()),
          fixed(node.ratio(), 3),
          fixed(node.dynamic_ratio(), 3)};
}

// "x1.230" for value / first; "-" when only the first is zero.
std::string versus(double value, double first) {
  if (first == 0.0) return value == 0.0 ? "x1.000" : "-";
  std::string text = "x";  // appended, not "x" + …: GCC 12 warns falsely (-Wrestrict) there
  text += fixed(value / first, 3);
  return text;
}

}  // namespace

EnergyReport make_energy_report(const EnergyLedger& ledger, const std::string& network) {
  EnergyReport report;
  report.tandem_version = std::string(version());
  report.network = network;
  report.chip = ledger.model().chip().name;
  report.chip_source = ledger.model().chip().source;
  report.mode = std::string(to_string(ledger.mode()));
  report.dt_ms = ledger.time().dt_ms();
  report.ticks = ledger.ticks();
  report.duration_ms = ledger.time().ms_from_ticks(ledger.ticks());
  report.window_ticks = ledger.window_ticks();
  report.nodes = ledger.nodes();
  report.total = ledger.total();
  const CoreMapping& mapping = ledger.mapping();
  report.mapping.cores_used = mapping.cores_used();
  report.mapping.cores_available = mapping.cores_available();
  report.mapping.chips_x = mapping.board().chips_x;
  report.mapping.chips_y = mapping.board().chips_y;
  report.mapping.utilisation = mapping.utilisation();
  report.mapping.cores = mapping.cores();
  const ChipModel& chip = ledger.model().chip();
  report.static_power = chip.static_power;
  report.time.modelled = chip.timing.modelled;
  report.time.source = chip.timing.source;
  report.time.pacing = std::string(to_string(ledger.pacing()));
  report.time.sync_ns = chip.timing.sync_ns(mapping.tiles_used());
  report.time.executed = ledger.run_time();
  report.time.always_on = ledger.always_on_run_time();
  report.link = chip.link;
  return report;
}

std::string format_energy_table(const EnergyReport& report) {
  std::ostringstream out;
  out << "energy on chip '" << report.chip << "' (" << report.chip_source << ")\n"
      << "mode " << report.mode << ", " << report.ticks << " ticks of " << report.dt_ms << " ms ("
      << report.duration_ms << " ms)";
  if (!report.network.empty()) out << ", network " << report.network;
  if (report.status != "complete") out << "\n" << report.status << ": " << report.stop_reason << " (figures cover the ticks that ran)";
  const UtilisationSummary& u = report.mapping.utilisation;
  out << "\ncores used " << report.mapping.cores_used << " of " << report.mapping.cores_available
      << " (" << report.mapping.chips_x << " x " << report.mapping.chips_y << " chips); utilisation mean/max: neurons "
      << fixed(100 * u.neurons_mean, 1) << "%/" << fixed(100 * u.neurons_max, 1) << "%, fan-in "
      << fixed(100 * u.fan_in_mean, 1) << "%/" << fixed(100 * u.fan_in_max, 1) << "%, memory "
      << fixed(100 * u.memory_mean, 1) << "%/" << fixed(100 * u.memory_max, 1) << "%\n\n";
  Table table;
  table.row({"node", "kind", "neuron_upd", "syn_ops", "macs", "spikes", "packets", "hops", "energy_J",
             "always_on_J", "ratio", "dyn_ratio"});
  table.rule();
  for (const NodeEnergy& node : report.nodes) {
    table.row(node_row(node, std::string(to_string(node.kind)) + (node.on_host ? "@host" : "")));
  }
  table.rule();
  table.row(node_row(report.total, ""));
  out << table.str();
  out << "ratio = event-driven energy / always-on energy of the same network and duration; dyn_ratio: the same "
         "for dynamic energy alone (static power is the same leak either way)\n";
  if (report.total.always_on_route.host_transfers > 0 ||
      std::any_of(report.nodes.begin(), report.nodes.end(), [](const NodeEnergy& node) { return node.on_host; })) {
    out << "@host: runs on the chip's host processor (--host-offload), priced with its costs; "
        << report.total.executed_route.host_transfers << " values crossed between the chip and its host\n";
  }
  out << format_inter_chip_links(report);
  out << format_static_and_time(report);
  out << format_neurobench(report);
  return out.str();
}

std::string format_inter_chip_links(const EnergyReport& report) {
  const RouteCounts& run = report.total.executed_route;
  const RouteCounts& base = report.total.always_on_route;
  if (report.mapping.chips_x * report.mapping.chips_y <= 1 && base.hops_inter_chip == 0 && run.hops_inter_chip == 0) {
    return {};
  }
  const InterChipLink& link = report.link;
  std::ostringstream out;
  out << "inter-chip links: " << run.hops_inter_chip << " crossings (" << run.inter_chip_packets << " packets) event / "
      << base.hops_inter_chip << " (" << base.inter_chip_packets << ") always-on";
  if (link.source.empty()) return out.str() + " (a report written before links were priced: no link figures)\n";
  out << "; energy "
      << sci(report.link_energy_j(run)) << " J / " << sci(report.link_energy_j(base)) << " J ("
      << sci(link.energy_pj) << " pJ per crossing";
  if (link.energy_pj_per_bit > 0.0) out << " = " << sci(link.energy_pj_per_bit) << " pJ/bit x " << link.packet_bits << " bits";
  out << ")";
  if (report.time.modelled) {
    out << "; adds " << sci(report.time.executed.link_time_s) << " s / " << sci(report.time.always_on.link_time_s)
        << " s to chip time (" << sci(link.latency_ns) << " ns per crossing)";
  }
  out << "; source: " << link.source << "\n";
  return out.str();
}

std::string format_neurobench(const EnergyReport& report) {
  const NeuroBenchFigures all = neurobench_figures(report.nodes, report.ticks);
  const auto percent = [](double fraction) { return std::isfinite(fraction) ? fixed(100.0 * fraction, 2) + "%" : std::string("-"); };
  std::ostringstream out;
  out << "NeuroBench: effective ACs " << all.effective_acs << ", effective MACs " << all.effective_macs
      << ", dense ops " << all.dense_ops << ", neuron updates " << all.neuron_updates << "; activation sparsity "
      << percent(all.activation_sparsity) << ", connection sparsity " << percent(all.connection_sparsity)
      << "; memory footprint " << all.weight_bytes << " B weights + " << all.state_bytes << " B state\n";
  // Precision: one line when every node shares it, else the nodes per precision (mixing is allowed).
  std::map<std::string, std::vector<std::string>> by_precision;
  for (const NodeEnergy& node : report.nodes) {
    if (node.kind != NodeKind::projection) by_precision[node.precision].push_back(node.node);
  }
  if (by_precision.size() == 1) {
    out << "precision: " << by_precision.begin()->first << " (every node)\n";
  } else {
    out << "precision:";
    for (const auto& [precision, nodes] : by_precision) {
      out << " " << precision << " (";
      for (std::size_t k = 0; k < nodes.size(); ++k) out << (k == 0 ? "" : ", ") << nodes[k];
      out << ")";
    }
    out << "\n";
  }
  for (const NodeEnergy& node : report.nodes) {
    if (!node.quantisation.empty()) out << "quantisation: " << node.node << " " << node.quantisation << "\n";
  }
  for (const NodeEnergy& node : report.nodes) {
    if (std::isfinite(node.approximation_error)) {
      out << "approximation: " << node.node << " max |output - exact output| " << sci(node.approximation_error)
          << " (measured against an exact run of the same layer)\n";
    }
  }
  return out.str();
}

std::string format_static_and_time(const EnergyReport& report) {
  std::ostringstream out;
  const ChipRunTime& run = report.time.executed;
  const ChipRunTime& base = report.time.always_on;
  const StaticPower& power = report.static_power;
  const double core_ticks = static_cast<double>(run.core_ticks_working + run.core_ticks_idle);
  const double dynamic_ratio = report.total.dynamic_ratio();
  out << "static " << sci(report.total.static_j) << " J + dynamic " << sci(report.total.dynamic_j)
      << " J (always-on: " << sci(report.total.always_on_static_j) << " + " << sci(report.total.always_on_dynamic_j)
      << " J; dynamic event/always-on " << fixed(dynamic_ratio, 3) << "); cores " << sci(power.core_active_w) << " W working / " << sci(power.core_idle_w)
      << " W idle, unused cores " << (power.unused_cores_power_gated ? "power-gated" : "idle") << " ("
      << (power.source.rfind("assumed", 0) == 0 ? "assumed" : "sourced") << ": tandem chips --chip " << report.chip
      << ")\n"
      << "core-ticks working " << run.core_ticks_working << ", idle " << run.core_ticks_idle << " ("
      << fixed(core_ticks == 0.0 ? 0.0 : 100.0 * static_cast<double>(run.core_ticks_working) / core_ticks, 1)
      << "% working)\n";
  if (!report.time.modelled) {
    out << "time on chip: not modelled (chip '" << report.chip << "' has no timing block); static power over "
        << report.time.pacing << " ticks of dt\n";
    return out.str();
  }
  const auto us = [](double seconds) { return sci(seconds * 1e6); };
  out << "time on chip: tick mean " << us(report.tick_mean_s(run)) << " us, max "
      << us(run.tick_max_s) << " us (barrier " << sci(report.time.sync_ns * 1e-3) << " us); run "
      << sci(run.chip_time_s) << " s for " << sci(report.duration_ms * 1e-3) << " s simulated (real-time factor "
      << sci(report.real_time_factor(run)) << "); always-on tick mean " << us(report.tick_mean_s(base)) << " us\n"
      << "pacing " << report.time.pacing << ": on the chip for " << sci(run.duration_s) << " s, mean power "
      << sci(report.power_w(run, report.total.energy_j())) << " W (always-on "
      << sci(report.power_w(base, report.total.always_on_energy_j())) << " W), energy-delay product "
      << sci(EnergyReport::energy_delay_product_js(run, report.total.energy_j())) << " J*s\n";
  if (report.step_ticks > 0 && report.ticks > 0) {
    const double steps = static_cast<double>(report.ticks) / static_cast<double>(report.step_ticks);
    out << "per " << report.step_name << " (" << report.step_ticks << " ticks): latency "
        << us(report.tick_mean_s(run) * static_cast<double>(report.step_ticks)) << " us, energy "
        << sci(report.total.energy_j() / steps) << " J (always-on "
        << us(report.tick_mean_s(base) * static_cast<double>(report.step_ticks)) << " us, "
        << sci(report.total.always_on_energy_j() / steps) << " J)\n";
  }
  return out.str();
}

std::string format_energy_comparison(const std::vector<EnergyReport>& reports,
                                     const std::vector<std::string>& labels) {
  if (reports.empty()) return {};
  auto label = [&](std::size_t i) {
    return i < labels.size() ? labels[i] : std::string(1, static_cast<char>('A' + i % 26));
  };
  Table table;
  std::vector<std::string> header{""};
  for (std::size_t i = 0; i < reports.size(); ++i) {
    header.push_back(label(i));
    if (i > 0) header.push_back("vs " + label(0));
  }
  table.row(header);
  table.rule();
  auto text_row = [&](const std::string& name, auto get) {
    std::vector<std::string> cells{name};
    for (std::size_t i = 0; i < reports.size(); ++i) {
      cells.push_back(get(reports[i]));
      if (i > 0) cells.emplace_back("");
    }
    table.row(cells);
  };
  auto number_row = [&](const std::string& name, auto get, bool as_count) {
    std::vector<std::string> cells{name};
    const double first = get(reports[0]);
    for (std::size_t i = 0; i < reports.size(); ++i) {
      const double value = get(reports[i]);
      cells.push_back(as_count ? count(static_cast<std::uint64_t>(value)) : sci(value));
      if (i > 0) cells.push_back(versus(value, first));
    }
    table.row(cells);
  };
  text_row("network", [](const EnergyReport& r) { return r.network.empty() ? std::string("-") : r.network; });
  text_row("chip", [](const EnergyReport& r) { return r.chip; });
  text_row("mode", [](const EnergyReport& r) { return r.mode; });
  text_row("status", [](const EnergyReport& r) { return r.status; });
  number_row("duration_ms", [](const EnergyReport& r) { return r.duration_ms; }, false);
  number_row("cores_used", [](const EnergyReport& r) { return static_cast<double>(r.mapping.cores_used); }, true);
  for (const Op op : {Op::neuron_update, Op::synaptic_op, Op::mac, Op::spike, Op::packet, Op::hop}) {
    number_row(std::string(op_name(op)),
               [op](const EnergyReport& r) { return static_cast<double>(r.total.executed[op]); }, true);
  }
  number_row("energy_J", [](const EnergyReport& r) { return r.total.energy_j(); }, false);
  number_row("always_on_J", [](const EnergyReport& r) { return r.total.always_on_energy_j(); }, false);
  text_row("ratio event/always-on", [](const EnergyReport& r) { return fixed(r.total.ratio(), 3); });
  number_row("static_J", [](const EnergyReport& r) { return r.total.static_j; }, false);
  number_row("dynamic_J", [](const EnergyReport& r) { return r.total.dynamic_j; }, false);
  text_row("dynamic event/always-on", [](const EnergyReport& r) { return fixed(r.total.dynamic_ratio(), 3); });
  number_row("inter_chip_crossings",
             [](const EnergyReport& r) { return static_cast<double>(r.total.executed_route.hops_inter_chip); }, true);
  number_row("link_J", [](const EnergyReport& r) { return r.link_energy_j(r.total.executed_route); }, false);
  number_row("chip_time_s", [](const EnergyReport& r) { return r.time.executed.chip_time_s; }, false);
  // Nodes present in every report, by name: energy per node.
  bool first_node = true;
  for (const NodeEnergy& node : reports[0].nodes) {
    auto energy_of = [&](const EnergyReport& r) -> const NodeEnergy* {
      for (const NodeEnergy& other : r.nodes) {
        if (other.node == node.node) return &other;
      }
      return nullptr;
    };
    if (!std::all_of(reports.begin(), reports.end(), [&](const EnergyReport& r) { return energy_of(r) != nullptr; })) {
      continue;
    }
    if (first_node) {
      table.rule();
      first_node = false;
    }
    number_row(node.node + " energy_J", [&](const EnergyReport& r) { return energy_of(r)->energy_j(); }, false);
  }
  return table.str();
}

}  // namespace tandem
