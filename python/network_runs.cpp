#include "python/network_runs.hpp"

#include <pybind11/stl.h>

#include <csignal>
#include <filesystem>

#include "core/error.hpp"
#include "core/worker_pool.hpp"
#include "io/network_builder.hpp"
#include "io/network_file.hpp"
#include "io/overrides.hpp"

namespace tandem::python {
namespace {

// A step at least this long installs a Ctrl-C guard, so a signal stops it after the current
// epoch; shorter steps finish first (a guard costs a few microseconds of system calls) and the
// signal reaches Python as KeyboardInterrupt right after the step.
constexpr Tick guarded_step_ticks = 1000;

// The run settings every entry point shares, as `tandem run` spells them (docs/python.md).
void apply_settings(const py::kwargs& settings, app::NetworkRunRequest& request, app::RunOutputOptions& output) {
  output.quiet = true;
  output.print_energy_table = false;
  output.announce_outputs = false;
  const auto given = [&](const char* key) { return settings.contains(key) && !settings[key].is_none(); };
  const auto text = [&](const char* key) -> std::optional<std::string> {
    if (!given(key)) return std::nullopt;
    return settings[key].cast<std::string>();
  };
  if (given("ticks")) request.ticks = settings["ticks"].cast<std::int64_t>();
  if (given("duration_ms")) request.duration_ms = settings["duration_ms"].cast<double>();
  if (auto mode = text("mode")) request.mode = mode;
  if (auto precision = text("precision")) request.precision = precision;
  if (given("seed")) {
    const auto seed = settings["seed"].cast<std::int64_t>();
    if (seed < 0) throw InputError("run: --seed must be >= 0, got " + std::to_string(seed));
    request.seed = static_cast<std::uint64_t>(seed);
  }
  if (given("threads")) request.threads = checked_thread_count(settings["threads"].cast<long long>(), "run: threads");
  if (auto chip = text("chip")) {
    output.chip = *chip;
    request.chip_given = true;
  }
  output.record_path = text("record").value_or("");
  output.energy_report_path = text("energy_report").value_or("");
  output.force = given("force") && settings["force"].cast<bool>();
  if (given("energy_window_ticks")) {
    output.energy_window_ticks = settings["energy_window_ticks"].cast<Tick>();
    if (output.energy_window_ticks < 1) throw InputError("--energy-window-ticks must be >= 1");
  }
  if (given("probes")) {
    for (const auto& probe : settings["probes"].cast<std::vector<std::string>>()) output.probes.push_back(app::parse_probe(probe));
  }
  if (given("inputs")) {
    for (const auto& [node, table] : settings["inputs"].cast<py::dict>()) {
      const auto name = node.cast<std::string>();
      if (py::isinstance<py::str>(table)) {
        request.input_files.emplace_back(name, table.cast<std::string>());
      } else {
        const auto values = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(table);
        if (!values) throw InputError("run: inputs['" + name + "'] must be a file name or an array [ticks x units]");
        request.input_tables.emplace_back(name, std::vector<double>(values.data(), values.data() + values.size()));
      }
    }
  }
}

py::list reports_json(const std::vector<EnergyReport>& reports) {
  py::list json;
  for (const auto& report : reports) json.append(energy_report_to_json(report));
  return json;
}

// Ends a guarded stretch: the simulation forgets the guard before the guard goes.
struct GuardScope {
  Simulation& simulation;
  std::optional<InterruptGuard>& guard;
  ~GuardScope() {
    simulation.set_interrupt(nullptr);
    guard.reset();
  }
};

}  // namespace

// ---- NetworkHandle ----------------------------------------------------------------------------

py::tuple NetworkHandle::run(const py::kwargs& settings) const {
  app::NetworkRunRequest request = request_;
  app::RunOutputOptions output;
  apply_settings(settings, request, output);
  const bool main_thread =
      py::module_::import("threading").attr("current_thread")().is(py::module_::import("threading").attr("main_thread")());
  std::vector<EnergyReport> reports;
  std::optional<std::string> stopped;
  {
    py::gil_scoped_release release;
    // Ctrl-C stops the run after the current epoch, as in the command line; only the main
    // thread receives signals, and only one guard may live at a time.
    std::unique_ptr<InterruptGuard> guard;
    if (main_thread) guard = std::make_unique<InterruptGuard>();
    request.interrupt = guard.get();
    auto prepared = app::prepare_network_run(request, output);
    app::RunSession session(*prepared.simulation, prepared.output, prepared.label, prepared.resolved);
    try {
      session.run(prepared.ticks);
    } catch (const RunInterrupted& interrupted) {
      stopped = interrupted.what();
    }
    reports = session.finish();
  }
  return py::make_tuple(reports_json(reports), stopped ? py::object(py::str(*stopped)) : py::object(py::none()));
}

std::unique_ptr<Stepper> NetworkHandle::start(const py::kwargs& settings) const {
  app::NetworkRunRequest request = request_;
  app::RunOutputOptions output;
  apply_settings(settings, request, output);
  Tick ticks_per_step = 1;
  if (settings.contains("ticks_per_step") && !settings["ticks_per_step"].is_none()) {
    ticks_per_step = settings["ticks_per_step"].cast<Tick>();
    if (ticks_per_step < 1) throw InputError("start: ticks_per_step must be >= 1, got " + std::to_string(ticks_per_step));
  }
  const bool main_thread =
      py::module_::import("threading").attr("current_thread")().is(py::module_::import("threading").attr("main_thread")());
  return std::make_unique<Stepper>(std::move(request), std::move(output), ticks_per_step, main_thread);
}

void NetworkHandle::check() const {
  py::gil_scoped_release release;
  if (request_.network) {
    io::build_network(*request_.network);
    return;
  }
  app::check_network_file(request_);
  if (std::filesystem::path(request_.file).extension() != ".nir") {
    io::build_network(io::load_network(request_.file, request_.overrides));
  }
}

NetworkHandle load_file(const std::string& file, const std::vector<std::string>& overrides, std::optional<double> dt_ms,
                        std::optional<std::string> reset, std::optional<std::string> precision) {
  app::NetworkRunRequest request;
  request.file = file;
  for (const auto& text : overrides) request.overrides.push_back(io::parse_override(text));
  request.dt_ms = dt_ms;
  request.reset = std::move(reset);
  request.precision = std::move(precision);
  {
    py::gil_scoped_release release;
    app::check_network_file(request);
  }
  return NetworkHandle(std::move(request));
}

NetworkHandle describe_network(const std::string& text, const py::dict& arrays, const std::string& label,
                               const std::string& base_dir) {
  io::ArrayTable table;
  for (const auto& [key, value] : arrays) {
    const auto name = key.cast<std::string>();
    const auto array = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(value);
    if (!array) throw InputError(label + ": " + name + ": must be an array of numbers");
    io::InlineArray entry;
    for (py::ssize_t d = 0; d < array.ndim(); ++d) entry.shape.push_back(static_cast<std::size_t>(array.shape(d)));
    entry.values.assign(array.data(), array.data() + array.size());
    table.emplace(name, std::move(entry));
  }
  app::NetworkRunRequest request;
  request.file = label;
  {
    py::gil_scoped_release release;
    io::ParseOptions options;
    options.arrays = &table;
    options.positions = false;
    request.network = std::make_shared<const io::NetworkDescription>(io::parse_network_text(text, label, base_dir, {}, options));
  }
  return NetworkHandle(std::move(request));
}

// ---- Stepper ----------------------------------------------------------------------------------

Stepper::Stepper(app::NetworkRunRequest request, app::RunOutputOptions output, Tick ticks_per_step, bool main_thread)
    : ticks_per_step_(ticks_per_step), main_thread_(main_thread), thread_(std::this_thread::get_id()) {
  request.external_outputs = true;
  output.step_ticks = ticks_per_step;
  output.step_name = "step";
  {
    py::gil_scoped_release release;
    std::optional<InterruptGuard> build_guard;
    if (main_thread_) build_guard.emplace();
    request.interrupt = build_guard ? &*build_guard : nullptr;
    prepared_ = app::prepare_network_run(request, std::move(output));
    prepared_.simulation->set_interrupt(request.interrupt);
    session_ = std::make_unique<app::RunSession>(*prepared_.simulation, prepared_.output, prepared_.label, prepared_.resolved);
    // Built and reset now, so values sent before the first step are kept; mapped onto the chips.
    prepared_.simulation->build();
    session_->start();
    prepared_.simulation->set_interrupt(nullptr);
  }
  external_ = prepared_.external;
  if (external_ != nullptr) {
    for (const ExternalOutput& output_spec : external_->outputs()) output_keys_.emplace_back(output_spec.name);
  }
}

Stepper::~Stepper() {
  if (session_ && !session_->finished() && !failed_) {
    try {
      session_->stop(SIGTERM, "the stepped run was discarded without finish()");
    } catch (...) {
      // Nothing can be reported from a destructor; the trace keeps what was flushed.
    }
  }
}

void Stepper::require_open() const {
  if (failed_) throw InputError("step: the run failed earlier (" + failure_ + "); start a new one");
  if (session_->finished()) throw InputError("step: the run is finished (finish() or stop() was called, or it was interrupted)");
}

py::list Stepper::input_names() const {
  py::list names;
  if (external_ == nullptr) return names;
  for (const ExternalInput& input : external_->inputs()) names.append(py::make_tuple(input.name, input.width));
  return names;
}

py::list Stepper::output_names() const {
  py::list names;
  if (external_ == nullptr) return names;
  for (const ExternalOutput& output : external_->outputs()) {
    names.append(py::make_tuple(output.name, output.kind == PortKind::dense ? "values" : "spikes", output.width));
  }
  return names;
}

void Stepper::send(const std::string& input, const py::handle& values) {
  require_open();
  const std::size_t index = external_ == nullptr ? ExternalEngine::npos : external_->input_index(input);
  if (index == ExternalEngine::npos) {
    std::string known;
    if (external_ != nullptr) {
      for (const ExternalInput& spec : external_->inputs()) known += (known.empty() ? "" : ", ") + spec.name;
    }
    throw InputError("step: no external input '" + input + "' (" +
                     (known.empty() ? std::string("the network has none; add one with add_input(name, 'external', size)")
                                    : "external inputs: " + known) +
                     ")");
  }
  const auto array = py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(values);
  if (!array) throw InputError("step: inputs['" + input + "'] must be numbers (a list or numpy array)");
  external_->send(index, now(), std::span<const float>(array.data(), static_cast<std::size_t>(array.size())));
}

void Stepper::send_all(const py::object& inputs) {
  if (inputs.is_none()) return;
  if (!py::isinstance<py::dict>(inputs)) throw InputError("step: inputs must be a dict {external input: values}");
  for (const auto& [name, values] : py::reinterpret_borrow<py::dict>(inputs)) {
    if (!py::isinstance<py::str>(name)) throw InputError("step: the keys of inputs are the names of external inputs");
    send(name.cast<std::string>(), values);
  }
}

void Stepper::advance(Tick ticks) {
  if (ticks < 0) throw InputError("step: ticks must be >= 0, got " + std::to_string(ticks));
  const bool guarded = main_thread_ && ticks >= guarded_step_ticks && std::this_thread::get_id() == thread_;
  try {
    py::gil_scoped_release release;
    if (guarded) {
      guard_.emplace();
      prepared_.simulation->set_interrupt(&*guard_);
    }
    const GuardScope scope{*prepared_.simulation, guard_};
    session_->run(ticks);
  } catch (const RunInterrupted&) {
    throw;  // the session closed every output as interrupted
  } catch (const std::exception& error) {
    failed_ = true;  // the session closed the trace as failed
    failure_ = error.what();
    throw;
  }
}

py::dict Stepper::collect_outputs() {
  py::dict out;
  if (external_ == nullptr) return out;
  for (std::size_t o = 0; o < output_keys_.size(); ++o) {
    const ExternalOutput& spec = external_->outputs()[o];
    if (spec.kind == PortKind::dense) {
      const DenseFrame* frame = external_->latest(o);
      if (frame == nullptr) {
        out[output_keys_[o]] = py::none();
        continue;
      }
      py::array_t<float> values(frame->values.size());
      std::copy(frame->values.data(), frame->values.data() + frame->values.size(), values.mutable_data());
      out[output_keys_[o]] = std::move(values);
    } else {
      const SpikeBatch spikes = external_->take_spikes(o);
      py::array_t<std::int64_t> ticks(static_cast<py::ssize_t>(spikes.size()));
      py::array_t<std::uint32_t> indices(static_cast<py::ssize_t>(spikes.size()));
      std::copy(spikes.tick.begin(), spikes.tick.end(), ticks.mutable_data());
      std::copy(spikes.index.begin(), spikes.index.end(), indices.mutable_data());
      out[output_keys_[o]] = py::make_tuple(std::move(ticks), std::move(indices));
    }
  }
  return out;
}

py::dict Stepper::step(const py::object& inputs, std::optional<Tick> ticks) {
  require_open();
  send_all(inputs);
  advance(ticks.value_or(ticks_per_step_));
  return collect_outputs();
}

py::dict Stepper::run_steps_in_cpp(const py::dict& inputs) {
  require_open();
  std::vector<std::pair<std::size_t, py::array_t<float, py::array::c_style | py::array::forcecast>>> tables;
  py::ssize_t steps = -1;
  for (const auto& [name, given] : inputs) {
    const auto input = name.cast<std::string>();
    const std::size_t index = external_ == nullptr ? ExternalEngine::npos : external_->input_index(input);
    if (index == ExternalEngine::npos) throw InputError("step: no external input '" + input + "'");
    auto table = py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(given);
    if (!table || table.ndim() != 2 || static_cast<std::size_t>(table.shape(1)) != external_->inputs()[index].width) {
      throw InputError("run_steps_in_cpp: inputs['" + input + "'] must be an array [steps x " +
                       std::to_string(external_->inputs()[index].width) + "]");
    }
    if (steps >= 0 && table.shape(0) != steps) throw InputError("run_steps_in_cpp: every input needs the same number of steps");
    steps = table.shape(0);
    tables.emplace_back(index, std::move(table));
  }
  if (steps < 0) throw InputError("run_steps_in_cpp: give at least one input table");
  {
    py::gil_scoped_release release;
    float sink = 0.0F;  // what a C++ controller would read each step
    for (py::ssize_t s = 0; s < steps; ++s) {
      for (const auto& [index, table] : tables) {
        const std::size_t width = external_->inputs()[index].width;
        external_->send(index, now(), std::span<const float>(table.data() + s * static_cast<py::ssize_t>(width), width));
      }
      session_->run(ticks_per_step_);
      for (std::size_t o = 0; o < output_keys_.size(); ++o) {
        if (const DenseFrame* frame = external_->latest(o); frame != nullptr && frame->values.size() > 0) sink += frame->values[0];
      }
    }
    static_cast<void>(sink);
  }
  return collect_outputs();
}

py::list Stepper::finish() {
  if (failed_) throw InputError("finish: the run failed (" + failure_ + "); its trace is closed with status failed");
  std::vector<EnergyReport> reports;
  {
    py::gil_scoped_release release;
    reports = session_->finish();
  }
  return reports_json(reports);
}

py::list Stepper::stop(const std::string& reason) {
  if (failed_) return py::list();
  std::vector<EnergyReport> reports;
  {
    py::gil_scoped_release release;
    reports = session_->stop(SIGINT, reason);
  }
  return reports_json(reports);
}

}  // namespace tandem::python
