// JSON form of the EnergyReport (schema_version 1, documented in docs/energy.md): writer and
// a reader that names the file, the key path and the problem for anything malformed.
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <sstream>
#include <utility>

#include "core/energy_report.hpp"
#include "core/error.hpp"
#include "core/json_reader.hpp"
#include "core/neurobench.hpp"

namespace tandem {
namespace {

using Json = nlohmann::json;

Json counts_json(const OpCounts& counts) {
  Json out = Json::object();
  for (std::size_t i = 0; i < op_kind_count; ++i) out[std::string(op_name(static_cast<Op>(i)))] = counts.value[i];
  return out;
}

Json hops_json(const RouteCounts& route) {
  return Json{{"packets", route.packets},
              {"east_west", route.hops_east_west},
              {"north_south", route.hops_north_south},
              {"inter_chip", route.hops_inter_chip},
              {"inter_chip_packets", route.inter_chip_packets},
              {"host_transfers", route.host_transfers}};
}

Json number_or_null(double value) { return std::isfinite(value) ? Json(value) : Json(nullptr); }

Json neurobench_json(const NeuroBenchFigures& figures) {
  return Json{{"effective_acs", figures.effective_acs},
              {"effective_macs", figures.effective_macs},
              {"dense_ops", figures.dense_ops},
              {"neuron_updates", figures.neuron_updates},
              {"activation_sparsity", number_or_null(figures.activation_sparsity)},
              {"connection_sparsity", number_or_null(figures.connection_sparsity)},
              {"weight_bytes", figures.weight_bytes},
              {"state_bytes", figures.state_bytes}};
}

Json node_json(const NodeEnergy& node) {
  return Json{{"node", node.node},
              {"kind", std::string(to_string(node.kind))},
              {"units", node.units},
              {"cores", node.cores},
              {"on_host", node.on_host},
              {"precision", node.precision},
              {"quantisation", node.quantisation},
              {"approximation_error_max_abs", number_or_null(node.approximation_error)},
              {"executed", counts_json(node.executed)},
              {"always_on", counts_json(node.always_on)},
              {"routing", {{"executed", hops_json(node.executed_route)}, {"always_on", hops_json(node.always_on_route)}}},
              {"energy_j", {{"dynamic", node.dynamic_j}, {"static", node.static_j}, {"total", node.energy_j()}}},
              {"always_on_energy_j",
               {{"dynamic", node.always_on_dynamic_j},
                {"static", node.always_on_static_j},
                {"total", node.always_on_energy_j()}}},
              {"ratio", number_or_null(node.ratio())},
              {"memory", {{"weight_bytes", node.weight_bytes},
                          {"state_bytes", node.state_bytes},
                          {"possible_synapses", node.possible_synapses}}}};
}

Json run_time_json(const EnergyReport& report, const ChipRunTime& run, double energy_j) {
  return Json{{"chip_time_s", run.chip_time_s},
              {"tick_mean_s", report.tick_mean_s(run)},
              {"tick_max_s", run.tick_max_s},
              {"real_time_factor", report.real_time_factor(run)},
              {"duration_s", run.duration_s},
              {"power_w", report.power_w(run, energy_j)},
              {"energy_delay_product_js", EnergyReport::energy_delay_product_js(run, energy_j)},
              {"core_ticks_working", run.core_ticks_working},
              {"core_ticks_idle", run.core_ticks_idle},
              {"unused_cores_static_j", run.unused_cores_static_j},
              {"link_time_s", run.link_time_s}};
}

Json link_traffic_json(const EnergyReport& report, const RouteCounts& route, const ChipRunTime& run) {
  return Json{{"crossings", route.hops_inter_chip},
              {"packets", route.inter_chip_packets},
              {"energy_j", report.link_energy_j(route)},
              {"time_s", run.link_time_s}};
}

// The link's figures in JSON, written and read from this one list.
constexpr std::pair<const char*, double InterChipLink::*> link_figures[] = {
    {"energy_pj_per_crossing", &InterChipLink::energy_pj},
    {"energy_pj_per_bit", &InterChipLink::energy_pj_per_bit},
    {"latency_ns", &InterChipLink::latency_ns},
    {"bandwidth_gbit_s", &InterChipLink::bandwidth_gbit_s}};

Json link_json(const EnergyReport& report) {
  const InterChipLink& link = report.link;
  Json out{{"applicable", link.applicable}, {"packet_bits", link.packet_bits}, {"source", link.source}};
  for (const auto& [key, figure] : link_figures) out[key] = link.*figure;
  out["executed"] = link_traffic_json(report, report.total.executed_route, report.time.executed);
  out["always_on"] = link_traffic_json(report, report.total.always_on_route, report.time.always_on);
  return out;
}

using Reader = JsonReader;

// The figures of an inter_chip_link block; its traffic is the total's routing and the time's link_time_s.
InterChipLink read_link(const Reader& reader) {
  InterChipLink link;
  link.origin = InterChipLink::Origin::block;
  link.applicable = reader.at("applicable").boolean();
  for (const auto& [key, figure] : link_figures) link.*figure = reader.at(key).number();
  link.packet_bits = reader.at("packet_bits").size_value();
  link.source = reader.at("source").text();
  return link;
}

OpCounts read_counts(const Reader& reader) {
  OpCounts counts;
  for (std::size_t i = 0; i < op_kind_count; ++i) counts.value[i] = reader.at(std::string(op_name(static_cast<Op>(i)))).count();
  return counts;
}

RouteCounts read_route(const Reader& reader) {
  RouteCounts route;
  route.packets = reader.at("packets").count();
  route.hops_east_west = reader.at("east_west").count();
  route.hops_north_south = reader.at("north_south").count();
  route.hops_inter_chip = reader.at("inter_chip").count();
  if (reader.has("host_transfers")) route.host_transfers = reader.at("host_transfers").count();  // within schema 1
  if (reader.has("inter_chip_packets")) route.inter_chip_packets = reader.at("inter_chip_packets").count();  // within schema 1
  return route;
}

NodeKind read_kind(const Reader& reader) {
  const std::string text = reader.text();
  for (const NodeKind kind : {NodeKind::spiking, NodeKind::projection, NodeKind::dense, NodeKind::bridge,
                              NodeKind::input, NodeKind::environment}) {
    if (to_string(kind) == text) return kind;
  }
  reader.fail("unknown node kind '" + text + "'");
}

NodeEnergy read_node(const Reader& reader) {
  NodeEnergy node;
  node.node = reader.at("node").text();
  node.kind = read_kind(reader.at("kind"));
  node.units = reader.at("units").size_value();
  node.cores = reader.at("cores").number();
  if (reader.has("on_host")) node.on_host = reader.at("on_host").boolean();  // within schema 1
  if (reader.has("precision")) node.precision = reader.at("precision").text();  // within schema 1
  if (reader.has("quantisation")) node.quantisation = reader.at("quantisation").text();
  if (reader.has("approximation_error_max_abs") && !reader.is_null("approximation_error_max_abs")) {
    node.approximation_error = reader.at("approximation_error_max_abs").number();
  }
  node.executed = read_counts(reader.at("executed"));
  node.always_on = read_counts(reader.at("always_on"));
  node.executed_route = read_route(reader.at("routing").at("executed"));
  node.always_on_route = read_route(reader.at("routing").at("always_on"));
  node.dynamic_j = reader.at("energy_j").at("dynamic").number();
  node.static_j = reader.at("energy_j").at("static").number();
  node.always_on_dynamic_j = reader.at("always_on_energy_j").at("dynamic").number();
  node.always_on_static_j = reader.at("always_on_energy_j").at("static").number();
  // memory arrived within schema 1.
  if (reader.has("memory")) {
    node.weight_bytes = reader.at("memory").at("weight_bytes").size_value();
    node.state_bytes = reader.at("memory").at("state_bytes").size_value();
    node.possible_synapses = reader.at("memory").at("possible_synapses").number();
  }
  return node;
}

ChipRunTime read_run_time(const Reader& reader) {
  ChipRunTime run;
  run.chip_time_s = reader.at("chip_time_s").number();
  run.tick_max_s = reader.at("tick_max_s").number();
  run.duration_s = reader.at("duration_s").number();
  run.core_ticks_working = reader.at("core_ticks_working").count();
  run.core_ticks_idle = reader.at("core_ticks_idle").count();
  run.unused_cores_static_j = reader.at("unused_cores_static_j").number();
  if (reader.has("link_time_s")) run.link_time_s = reader.at("link_time_s").number();  // within schema 1
  return run;
}

}  // namespace

std::string energy_report_to_json(const EnergyReport& report) {
  Json nodes = Json::array();
  for (const NodeEnergy& node : report.nodes) {
    nodes.push_back(node_json(node));
    nodes.back()["neurobench"] = neurobench_json(neurobench_figures(std::span<const NodeEnergy>(&node, 1), report.ticks));
  }
  Json cores = Json::array();
  for (const CoreLoad& core : report.mapping.cores) {
    cores.push_back(Json{{"core", core.core},
                         {"chip", {core.chip_x, core.chip_y}},
                         {"x", core.x},
                         {"y", core.y},
                         {"neurons", core.neurons},
                         {"fan_in", core.fan_in},
                         {"synapse_memory_bytes", core.synapse_memory_bytes},
                         {"nodes", core.nodes},
                         {"node_units", core.node_units}});
  }
  const UtilisationSummary& u = report.mapping.utilisation;
  const Json document{
      {"schema_version", report.schema_version},
      {"tandem_version", report.tandem_version},
      {"network", report.network},
      {"status", report.status},
      {"stop_reason", report.stop_reason},
      {"chip", {{"name", report.chip}, {"source", report.chip_source}}},
      {"mode", report.mode},
      {"dt_ms", report.dt_ms},
      {"ticks", report.ticks},
      {"duration_ms", report.duration_ms},
      {"window_ticks", report.window_ticks},
      {"nodes", nodes},
      {"total", node_json(report.total)},
      {"mapping",
       {{"cores_used", report.mapping.cores_used},
        {"cores_available", report.mapping.cores_available},
        {"chips", {report.mapping.chips_x, report.mapping.chips_y}},
        {"utilisation",
         {{"neurons", {{"mean", u.neurons_mean}, {"max", u.neurons_max}}},
          {"fan_in", {{"mean", u.fan_in_mean}, {"max", u.fan_in_max}}},
          {"memory", {{"mean", u.memory_mean}, {"max", u.memory_max}}}}},
        {"cores", cores}}},
      {"static_power",
       {{"core_active_w", report.static_power.core_active_w},
        {"core_idle_w", report.static_power.core_idle_w},
        {"unused_cores", report.static_power.unused_cores_power_gated ? "power_gated" : "idle"},
        {"source", report.static_power.source}}},
      {"time",
       {{"modelled", report.time.modelled},
        {"source", report.time.source},
        {"pacing", report.time.pacing},
        {"sync_ns", report.time.sync_ns},
        {"executed", run_time_json(report, report.time.executed, report.total.energy_j())},
        {"always_on", run_time_json(report, report.time.always_on, report.total.always_on_energy_j())}}},
      {"inter_chip_link", link_json(report)},
      {"step", {{"name", report.step_name}, {"ticks", report.step_ticks}}},
      {"neurobench", neurobench_json(neurobench_figures(report.nodes, report.ticks))}};
  return document.dump(2) + "\n";
}

void write_energy_report(const EnergyReport& report, const std::string& path) {
  const std::string text = energy_report_to_json(report);
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file) throw RunError(path + ": cannot open the energy report for writing");
  file << text;
  file.close();
  if (!file) throw RunError(path + ": writing the energy report failed");
}

EnergyReport parse_energy_report(const std::string& json_text, const std::string& origin) {
  const Json document = parse_json(json_text, origin);
  const Reader root(document, origin, "");
  EnergyReport report;
  const std::uint64_t schema = root.at("schema_version").count();
  if (schema != static_cast<std::uint64_t>(energy_report_schema_version)) {
    root.at("schema_version").fail("unsupported schema_version " + std::to_string(schema) +
                                   " (this tandem reads " + std::to_string(energy_report_schema_version) + ")");
  }
  report.tandem_version = root.at("tandem_version").text();
  report.network = root.at("network").text();
  // status and stop_reason arrived within schema 1: a report without them ran to completion.
  if (document.contains("status")) report.status = root.at("status").text();
  if (report.status != "complete" && report.status != "interrupted") {
    root.at("status").fail("expected 'complete' or 'interrupted'");
  }
  if (document.contains("stop_reason")) report.stop_reason = root.at("stop_reason").text();
  report.chip = root.at("chip").at("name").text();
  report.chip_source = root.at("chip").at("source").text();
  report.mode = root.at("mode").text();
  if (report.mode != "event" && report.mode != "always-on") root.at("mode").fail("expected 'event' or 'always-on'");
  report.dt_ms = root.at("dt_ms").number();
  report.ticks = static_cast<Tick>(root.at("ticks").count());
  report.duration_ms = root.at("duration_ms").number();
  report.window_ticks = static_cast<Tick>(root.at("window_ticks").count());
  const Reader nodes = root.at("nodes");
  for (std::size_t i = 0; i < nodes.size(); ++i) report.nodes.push_back(read_node(nodes.at(i)));
  report.total = read_node(root.at("total"));
  const Reader mapping = root.at("mapping");
  report.mapping.cores_used = mapping.at("cores_used").size_value();
  report.mapping.cores_available = mapping.at("cores_available").size_value();
  const Reader chips = mapping.at("chips");
  if (chips.size() != 2) chips.fail("expected [chips_x, chips_y]");
  report.mapping.chips_x = chips.at(std::size_t{0}).size_value();
  report.mapping.chips_y = chips.at(std::size_t{1}).size_value();
  const Reader u = mapping.at("utilisation");
  report.mapping.utilisation = {u.at("neurons").at("mean").number(), u.at("neurons").at("max").number(),
                                u.at("fan_in").at("mean").number(),  u.at("fan_in").at("max").number(),
                                u.at("memory").at("mean").number(),  u.at("memory").at("max").number()};
  const Reader cores = mapping.at("cores");
  for (std::size_t i = 0; i < cores.size(); ++i) {
    const Reader core = cores.at(i);
    CoreLoad load;
    load.core = core.at("core").size_value();
    const Reader chip = core.at("chip");
    if (chip.size() != 2) chip.fail("expected [chip_x, chip_y]");
    load.chip_x = chip.at(std::size_t{0}).size_value();
    load.chip_y = chip.at(std::size_t{1}).size_value();
    load.x = core.at("x").size_value();
    load.y = core.at("y").size_value();
    load.neurons = core.at("neurons").size_value();
    load.fan_in = core.at("fan_in").size_value();
    load.synapse_memory_bytes = core.at("synapse_memory_bytes").size_value();
    const Reader names = core.at("nodes");
    for (std::size_t n = 0; n < names.size(); ++n) load.nodes.push_back(names.at(n).text());
    // node_units arrived within schema 1.
    if (document["mapping"]["cores"][i].contains("node_units")) {
      const Reader units = core.at("node_units");
      if (units.size() != load.nodes.size()) units.fail("expected one count per node");
      for (std::size_t n = 0; n < units.size(); ++n) load.node_units.push_back(units.at(n).size_value());
    }
    report.mapping.cores.push_back(std::move(load));
  }
  // static_power, time and step arrived within schema 1: older reports have none.
  if (document.contains("static_power")) {
    const Reader power = root.at("static_power");
    report.static_power.core_active_w = power.at("core_active_w").number();
    report.static_power.core_idle_w = power.at("core_idle_w").number();
    const std::string unused = power.at("unused_cores").text();
    if (unused != "power_gated" && unused != "idle") power.at("unused_cores").fail("expected power_gated or idle");
    report.static_power.unused_cores_power_gated = unused == "power_gated";
    report.static_power.source = power.at("source").text();
  }
  if (document.contains("time")) {
    const Reader time = root.at("time");
    report.time.modelled = time.at("modelled").boolean();
    report.time.source = time.at("source").text();
    report.time.pacing = time.at("pacing").text();
    report.time.sync_ns = time.at("sync_ns").number();
    report.time.executed = read_run_time(time.at("executed"));
    report.time.always_on = read_run_time(time.at("always_on"));
  }
  if (document.contains("inter_chip_link")) report.link = read_link(root.at("inter_chip_link"));  // within schema 1
  if (document.contains("step")) {
    report.step_name = root.at("step").at("name").text();
    report.step_ticks = static_cast<Tick>(root.at("step").at("ticks").count());
  }
  return report;
}

EnergyReport read_energy_report(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw InputError(path + ": cannot open energy report");
  std::ostringstream text;
  text << file.rdbuf();
  return parse_energy_report(text.str(), path);
}

}  // namespace tandem
