#include "app/run_session.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <stdexcept>

#include "app/discarding_recorder.hpp"
#include "core/chip_presets.hpp"
#include "core/error.hpp"
#include "core/process_group.hpp"
#include "core/recorded_run.hpp"
#include "core/trace_output.hpp"

namespace tandem::app {
namespace {

// `option` is the option and its text as the user wrote it, for the message.
std::uint64_t parse_count(const std::string& text, const std::string& what, const std::string& option) {
  std::uint64_t value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec != std::errc{} || result.ptr != text.data() + text.size()) {
    throw InputError(option + ": " + what + " '" + text + "' is not a whole number");
  }
  return value;
}

// "3-7;9" -> {3,4,5,6,7,9}
std::vector<std::uint32_t> parse_units(const std::string& text, const std::string& probe) {
  std::vector<std::uint32_t> units;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find(';', start), text.size());
    const std::string item = text.substr(start, end - start);
    const std::size_t dash = item.find('-');
    const std::string option = "--probe '" + probe + "'";
    const auto first = parse_count(item.substr(0, dash), "unit", option);
    const auto last = dash == std::string::npos ? first : parse_count(item.substr(dash + 1), "unit", option);
    if (last < first || last - first > 10'000'000) {
      throw InputError("--probe '" + probe + "': bad unit range '" + item + "'");
    }
    for (auto u = first; u <= last; ++u) units.push_back(static_cast<std::uint32_t>(u));
    start = end + 1;
  }
  return units;
}

}  // namespace

void add_run_output_options(po::options_description& options, const RunOutputOptions& defaults) {
  options.add_options()
    ("record", po::value<std::string>()->default_value(defaults.record_path),
     "write an HDF5 trace to this file (see docs/traces.md)")
    ("force", po::bool_switch(), "overwrite existing output files")
    ("probe", po::value<std::vector<std::string>>()->composing(),
     "record NODE.VARIABLE[,every=N][,units=A-B;C] (repeatable), e.g. hidden.v,every=10")
    ("chip", po::value<std::string>()->default_value(defaults.chip),
     "chip preset (tandem chips) or chip YAML file to price the run on; several as a,b,c or all: one run, priced on each")
    ("energy-report", po::value<std::string>()->default_value(defaults.energy_report_path),
     "write the energy report (JSON, docs/energy.md) to this file")
    ("energy-window-ticks", po::value<Tick>()->default_value(defaults.energy_window_ticks),
     "ticks per energy window in the trace")
    ("board", po::value<std::string>()->default_value(
                  std::to_string(defaults.board.chips_x) + "x" + std::to_string(defaults.board.chips_y)),
     "tile W x H chips into a board when the network does not fit on one chip, e.g. 2x1; under mpirun -np W*H each "
     "process runs the neurons of one chip (docs/mpi.md)")
    ("neurons-per-core", po::value<std::size_t>()->default_value(defaults.neurons_per_core),
     "place at most N units per core (0: as many as the chip's cores hold)")
    ("placement", po::value<std::string>(),
     "fill: fill each core in order; balance: spread a node evenly over the same number of cores; min-hops: "
     "place nodes that talk on nearby cores (default: the chip file's mapping.placement, else fill)")
    ("host-offload", po::bool_switch(),
     "on a chip without dense cores (Loihi 1), run dense layers on its host processor, priced with the host's costs "
     "and chip<->host transfers, instead of refusing")
    ("pacing", po::value<std::string>()->default_value(std::string(to_string(defaults.pacing))),
     "real-time: a tick lasts dt on the chip (or longer if the chip is slower); free-running: the next tick starts "
     "when the chip finishes one. Static energy accrues over that time");
}

RunOutputOptions run_output_options_from(const po::variables_map& values) {
  RunOutputOptions options;
  options.record_path = values["record"].as<std::string>();
  options.force = values["force"].as<bool>();
  if (values.count("probe") != 0U) {
    for (const auto& text : values["probe"].as<std::vector<std::string>>()) {
      options.probes.push_back(parse_probe(text));
    }
  }
  options.chip = values["chip"].as<std::string>();
  options.energy_report_path = values["energy-report"].as<std::string>();
  options.energy_window_ticks = values["energy-window-ticks"].as<Tick>();
  if (options.energy_window_ticks < 1) throw InputError("--energy-window-ticks must be >= 1");
  options.quiet = values.count("quiet") != 0U && values["quiet"].as<bool>();
  options.board = parse_board(values["board"].as<std::string>());
  options.neurons_per_core = values["neurons-per-core"].as<std::size_t>();
  if (values.count("placement") != 0U) options.placement = parse_placement(values["placement"].as<std::string>());
  options.pacing = parse_pacing(values["pacing"].as<std::string>());
  options.host_offload = values["host-offload"].as<bool>();
  return options;
}

BoardLayout parse_board(const std::string& text) {
  const std::size_t x = text.find('x');
  const auto whole = [&](const std::string& part) {
    return parse_count(part, "chip count", "--board " + text);
  };
  if (x == std::string::npos) throw InputError("--board '" + text + "': expected WxH, e.g. 2x1");
  const std::uint64_t width = whole(text.substr(0, x));
  const std::uint64_t height = whole(text.substr(x + 1));
  // A board of more than 4096 chips is a typo, not a network: refuse it before mapping.
  if (width < 1 || height < 1 || width * height > 4096) {
    throw InputError("--board '" + text + "': need 1 to 4096 chips in all, as WxH");
  }
  return BoardLayout{.chips_x = width, .chips_y = height};
}

Probe parse_probe(const std::string& text) {
  Probe probe;
  std::size_t start = text.find(',');
  const std::string target = text.substr(0, start);
  const std::size_t dot = target.rfind('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == target.size()) {
    throw InputError("--probe '" + text + "': expected NODE.VARIABLE, e.g. hidden.spikes");
  }
  probe.node = target.substr(0, dot);
  probe.variable = target.substr(dot + 1);
  while (start != std::string::npos) {
    const std::size_t end = text.find(',', start + 1);
    const std::string item = text.substr(start + 1, end == std::string::npos ? std::string::npos : end - start - 1);
    const std::size_t equals = item.find('=');
    const std::string key = item.substr(0, equals);
    const std::string value = equals == std::string::npos ? "" : item.substr(equals + 1);
    if (key == "every") {
      probe.every_ticks = static_cast<Tick>(parse_count(value, "every", "--probe '" + text + "'"));
      if (probe.every_ticks < 1) throw InputError("--probe '" + text + "': every must be >= 1");
    } else if (key == "units") {
      probe.units = parse_units(value, text);
    } else {
      throw InputError("--probe '" + text + "': unknown setting '" + key + "' (every or units)");
    }
    start = end;
  }
  return probe;
}

std::vector<std::string> parse_chip_list(const std::string& text) {
  if (text == "all") return list_preset_names();
  std::vector<std::string> specs;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find(',', start), text.size());
    const std::string spec = text.substr(start, end - start);
    if (spec.empty()) throw InputError("--chip '" + text + "': an empty chip name (expected NAME[,NAME…] or all)");
    if (std::find(specs.begin(), specs.end(), spec) != specs.end()) {
      throw InputError("--chip '" + text + "': '" + spec + "' is given twice");
    }
    specs.push_back(spec);
    start = end + 1;
  }
  return specs;
}

RunSession::RunSession(Simulation& simulation, RunOutputOptions options, std::string network_label,
                       std::string resolved_config)
    : simulation_(simulation), options_(std::move(options)), network_label_(std::move(network_label)) {
  for (const std::string& spec : parse_chip_list(options_.chip)) chips_.push_back(load_chip(spec));
  const ProcessGroup* processes = simulation_.settings().processes;
  if (processes != nullptr && processes->rank() != 0) {
    // Rank 0 writes the trace and the reports and prints the table (docs/mpi.md); the others
    // run the same probes and ledgers, whose results are the same, into nothing.
    if (!options_.record_path.empty()) {
      discarded_trace_ = std::make_unique<DiscardingRecorder>();
      simulation_.set_recorder(discarded_trace_.get());
      for (const Probe& probe : options_.probes) simulation_.add_probe(probe);
    } else if (!options_.probes.empty()) {
      throw InputError("--probe needs --record FILE.h5 to write to");
    }
    options_.record_path.clear();
    options_.energy_report_path.clear();
    options_.print_energy_table = false;
    options_.announce_outputs = false;
    options_.quiet = true;
    return;
  }
  several_chips_ = chips_.size() > 1;
  // Every output is checked before the run, so a run never fails at its end for want of a file.
  for (std::size_t k = 0; k < chips_.size() && !options_.energy_report_path.empty(); ++k) {
    check_trace_output_path(report_path(k), options_.force);
  }
  if (!options_.record_path.empty()) {
    check_trace_output_path(options_.record_path, options_.force);
    trace_ = std::make_unique<Hdf5Recorder>(options_.record_path);
    write_run_metadata(*trace_, simulation_.settings(), options_.chip, resolved_config);
    trace_->write_metadata("processes", std::to_string(processes == nullptr ? 1 : processes->size()));
    trace_->write_metadata("network", network_label_);
    if (!options_.recorded_note.empty()) trace_->write_metadata("recorded", options_.recorded_note);
    simulation_.set_recorder(trace_.get());
    for (const Probe& probe : options_.probes) simulation_.add_probe(probe);
  } else if (!options_.probes.empty()) {
    throw InputError("--probe needs --record FILE.h5 to write to");
  }
}

RunSession::~RunSession() = default;

ChipModel chip_with_core_limit(const ChipModel& chip, std::size_t neurons_per_core) {
  ChipModel placed = chip;
  if (neurons_per_core > 0) {
    if (neurons_per_core > chip.core.neurons) {
      throw InputError("--neurons-per-core " + std::to_string(neurons_per_core) + ": a core of chip '" + chip.name +
                       "' holds at most " + std::to_string(chip.core.neurons) + " units");
    }
    placed.core.neurons = neurons_per_core;
  } else if (chip.mapping_neurons_per_core > 0) {
    placed.core.neurons = chip.mapping_neurons_per_core;
  }
  return placed;
}

Recorder* RunSession::recorder() { return trace_.get(); }

std::string RunSession::report_path(std::size_t k) const {
  if (!several_chips_) return options_.energy_report_path;
  const std::filesystem::path path(options_.energy_report_path);
  const std::filesystem::path named = path.stem().string() + "-" + chips_[k].name + path.extension().string();
  return (path.parent_path() / named).string();
}

void RunSession::start() {
  if (!ledgers_.empty()) return;
  // --chip all leaves out, with a note, the chips the network cannot be mapped onto (a dense
  // layer on a chip without ANN cores, too many neurons); a chip named explicitly must fit.
  const bool every_preset = options_.chip == "all";
  std::vector<ChipModel> mapped;
  for (const ChipModel& chip : chips_) {
    try {
      const ChipModel placed = chip_with_core_limit(chip, options_.neurons_per_core);
      const Placement placement = options_.placement.value_or(parse_placement(chip.mapping_placement));
      ledgers_.push_back(std::make_unique<EnergyLedger>(
          simulation_, placed,
          EnergyLedgerSettings{.window_ticks = options_.energy_window_ticks, .board = options_.board,
                               .placement = placement, .pacing = options_.pacing,
                               .pinned = options_.pinned, .host_offload = options_.host_offload},
          ledgers_.empty() ? trace_.get() : nullptr));
      mapped.push_back(chip);
    } catch (const InputError& error) {
      if (chips_.size() == 1) throw;
      if (!every_preset) {
        throw InputError(std::string(error.what()) + " (pricing on chip '" + chip.name + "'; leave it out of --chip)");
      }
      std::cerr << "tandem: chip '" << chip.name << "' left out: " << error.what() << "\n";
    }
  }
  if (mapped.empty()) throw InputError("--chip all: the network cannot be mapped onto any preset");
  chips_ = std::move(mapped);
}

const CoreMapping& RunSession::mapping() const {
  if (ledgers_.empty()) throw std::logic_error("RunSession::mapping() before start()");
  return ledgers_.front()->mapping();
}

void RunSession::show_progress(Tick total_ticks) {
  if (progress_ || !progress_wanted(options_.quiet)) return;
  progress_ = std::make_unique<ProgressReporter>(simulation_.now(), total_ticks,
                                                 simulation_.settings().time.dt_ms(), std::cerr);
  simulation_.add_epoch_observer(progress_->observer());
}

void RunSession::run(Tick ticks) {
  const auto started = std::chrono::steady_clock::now();
  struct AddWallTime {  // on every way out, so an interrupted run reports its wall time too
    std::chrono::steady_clock::time_point started;
    double& total;
    ~AddWallTime() { total += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); }
  } add_wall_time{started, run_wall_s_};
  try {
    start();  // builds the network, which a signal can stop too
    if (trace_) {
      run_recorded(simulation_, ticks, *trace_, RecordedRunOptions{.ends_run = false});
    } else {
      simulation_.run(ticks);
    }
  } catch (const RunInterrupted& interrupted) {
    if (ledgers_.size() == chips_.size()) {
      close_outputs(&interrupted);
    } else if (trace_) {
      // Stopped while the network was being built: no tick ran, there is nothing to price.
      if (progress_) progress_->finish();
      trace_->write_metadata("status", trace_status_interrupted);
      trace_->write_metadata("stop_reason", interrupted.what());
      trace_->write_metadata("ticks_completed", "0");
      trace_->close();
    }
    throw;
  } catch (...) {
    // A failed run: the trace keeps status "failed" (run_recorded wrote it); no report.
    if (progress_) progress_->finish();
    for (auto& ledger : ledgers_) ledger->finish();
    if (trace_) trace_->close();
    throw;
  }
}

const std::vector<EnergyReport>& RunSession::finish() { return close_outputs(nullptr); }

const std::vector<EnergyReport>& RunSession::stop(int signal_number, const std::string& reason) {
  if (!reports_.empty()) return reports_;
  const RunInterrupted interrupted(signal_number, reason);
  if (trace_) {
    trace_->write_metadata("status", trace_status_interrupted);
    trace_->write_metadata("stop_reason", reason);
    trace_->write_metadata("ticks_completed", std::to_string(simulation_.now()));
  }
  return close_outputs(&interrupted);
}

const std::vector<EnergyReport>& RunSession::close_outputs(const RunInterrupted* interrupted) {
  if (!reports_.empty()) return reports_;
  if (progress_) progress_->finish();  // end the progress line before the table
  start();
  for (auto& ledger : ledgers_) ledger->finish();
  char wall[64];
  if (trace_) {
    std::snprintf(wall, sizeof wall, "%.6f", options_.build_wall_s);
    trace_->write_metadata("wall_build_s", wall);
    std::snprintf(wall, sizeof wall, "%.6f", run_wall_s_);
    trace_->write_metadata("wall_run_s", wall);
  }
  if (trace_) trace_->close();  // "complete" unless run_recorded wrote "interrupted"
  for (const auto& ledger : ledgers_) {
    reports_.push_back(make_energy_report(*ledger, network_label_));
    reports_.back().step_ticks = options_.step_ticks;
    reports_.back().step_name = options_.step_name;
    if (interrupted != nullptr) {
      reports_.back().status = "interrupted";
      reports_.back().stop_reason = interrupted->what();
    }
  }
  if (options_.print_energy_table) {
    for (std::size_t k = 0; k < reports_.size(); ++k) std::cout << (k > 0 ? "\n" : "") << format_energy_table(reports_[k]);
    if (reports_.size() > 1) {
      std::vector<std::string> labels;
      for (const ChipModel& chip : chips_) labels.push_back(chip.name);
      std::cout << "\none run on " << reports_.size() << " chips:\n" << format_energy_comparison(reports_, labels);
    }
  }
  for (std::size_t k = 0; k < reports_.size() && !options_.energy_report_path.empty(); ++k) {
    write_energy_report(reports_[k], report_path(k));
    if (options_.announce_outputs) std::cout << "energy report: " << report_path(k) << "\n";
  }
  if (options_.announce_outputs && !options_.record_path.empty()) std::cout << "trace: " << options_.record_path << "\n";
  if (options_.print_energy_table && !reports_.empty()) {
    std::uint64_t spikes = 0;
    for (const auto& node : reports_.front().nodes) {
      if (node.kind == NodeKind::spiking) spikes += node.executed[Op::spike];
    }
    std::snprintf(wall, sizeof wall, "%.3f s build, %.3f s run", options_.build_wall_s, run_wall_s_);
    std::cout << "wall time: " << wall << " (" << reports_.front().ticks << " ticks, " << spikes << " spikes)\n";
  }
  std::cout.flush();
  return reports_;
}

}  // namespace tandem::app
