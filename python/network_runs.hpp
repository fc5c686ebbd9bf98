// The runs behind tandem.Network.run and tandem.Network.start (python/tandem/__init__.py): a
// network file, NIR file or network described in Python becomes the request `tandem run` builds
// from (app/network_run.hpp), and runs whole (NetworkHandle::run) or in steps that a Python loop
// drives (Stepper), through the same RunSession as the command line.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/network_run.hpp"
#include "app/run_session.hpp"
#include "core/external_engine.hpp"
#include "core/interrupt_guard.hpp"
#include "io/yaml_reader.hpp"

namespace tandem::python {

namespace py = pybind11;

// A run stepped from Python (tandem.Simulation): the network built once, its trace and energy
// ledgers open, advanced by step() until finish() or stop().
class Stepper {
 public:
  // Builds the network and maps it onto the chips (GIL released; Ctrl-C stops a long build when
  // called from the main thread). `ticks_per_step`: what step() runs when not told otherwise.
  Stepper(app::NetworkRunRequest request, app::RunOutputOptions output, Tick ticks_per_step, bool main_thread);
  ~Stepper();
  Stepper(const Stepper&) = delete;
  Stepper& operator=(const Stepper&) = delete;

  // Sends `inputs` ({external input: values}) at the current tick, runs `ticks` (default
  // ticks_per_step), and returns {output: values} — a dense output's latest values (float32
  // array; None before any arrived), a spike output's (ticks, indices) received in this step.
  // A signal during the step closes the outputs and raises RunInterrupted (Python: Interrupted).
  py::dict step(const py::object& inputs, std::optional<Tick> ticks);
  // Sends values for an external input without running (they leave at the current tick).
  void send(const std::string& input, const py::handle& values);
  [[nodiscard]] Tick now() const { return prepared_.simulation->now(); }
  [[nodiscard]] Tick ticks_per_step() const { return ticks_per_step_; }
  [[nodiscard]] py::list input_names() const;
  [[nodiscard]] py::list output_names() const;
  [[nodiscard]] bool finished() const { return session_->finished(); }
  // Closes the trace ("complete") and returns the JSON energy report of every chip.
  py::list finish();
  // Closes every output as interrupted by `reason` (Ctrl-C or an error in the Python loop).
  py::list stop(const std::string& reason);
  // Runs one step per row of `inputs` ({external input: array [steps x width]}) from a C++
  // loop and returns the outputs of the last: the C++ side of the stepping benchmark
  // (bench/python/step_overhead.py), the same work as step() without Python in between.
  py::dict run_steps_in_cpp(const py::dict& inputs);

 private:
  void require_open() const;
  void send_all(const py::object& inputs);
  void advance(Tick ticks);
  py::dict collect_outputs();

  app::PreparedRun prepared_;
  std::unique_ptr<app::RunSession> session_;
  ExternalEngine* external_ = nullptr;
  Tick ticks_per_step_ = 1;
  bool main_thread_ = false;
  std::thread::id thread_;
  std::vector<py::str> output_keys_;  // names of the outputs, made once
  std::optional<InterruptGuard> guard_;  // lives only while a long step runs
  bool failed_ = false;                  // a step threw: the trace is closed as failed
  std::string failure_;
};

// A network ready to run: a file (re-read at every run, so edits show) or a description made in
// Python (parsed once, when it is handed over).
class NetworkHandle {
 public:
  explicit NetworkHandle(app::NetworkRunRequest request) : request_(std::move(request)) {}

  [[nodiscard]] const std::string& label() const { return request_.file; }
  // Runs once (tandem.Network.run): the JSON energy report of every chip and, when a signal
  // stopped the run, its stop reason (the reports then cover what ran).
  py::tuple run(const py::kwargs& settings) const;
  // Builds a stepped run (tandem.Network.start).
  std::unique_ptr<Stepper> start(const py::kwargs& settings) const;
  // Builds the network without running it: every error a run would meet before its first tick.
  void check() const;

 private:
  app::NetworkRunRequest request_;
};

// tandem.load: reads and checks a network or NIR file.
NetworkHandle load_file(const std::string& file, const std::vector<std::string>& overrides, std::optional<double> dt_ms,
                        std::optional<std::string> reset, std::optional<std::string> precision);

// A network described in Python: YAML (JSON) text whose `{array: NAME}` entries are the numpy
// arrays of `arrays`; errors name `label` and the key path. Relative file paths resolve against
// `base_dir`.
NetworkHandle describe_network(const std::string& text, const py::dict& arrays, const std::string& label,
                               const std::string& base_dir);

}  // namespace tandem::python
