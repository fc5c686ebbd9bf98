// Everything around a run that `tandem run` and `tandem example` share: the output options
// (--record, --force, --probe, --chip, --energy-report, --energy-window-ticks), checking
// outputs before the run starts, the HDF5 trace and its /meta, the energy ledger, Ctrl-C, and
// the energy table printed at the end.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/cli_options.hpp"
#include "app/progress.hpp"
#include "core/chip_model.hpp"
#include "core/energy_ledger.hpp"
#include "core/energy_report.hpp"
#include "core/hdf5_recorder.hpp"
#include "core/interrupt_guard.hpp"
#include "core/simulation.hpp"

namespace tandem::app {

struct RunOutputOptions {
  std::string record_path;         // empty: no trace
  bool force = false;              // overwrite existing outputs
  std::vector<Probe> probes;       // recorded in addition to what the caller enrolls
  // Preset name or chip YAML file, or several separated by commas, or "all" (every preset): one
  // run is priced on each chip, each mapped on its own (activity does not depend on the chip).
  std::string chip = "tianjic";
  std::string energy_report_path;  // empty: no JSON report
  Tick energy_window_ticks = 100;
  BoardLayout board;               // chips tiled into a board for networks larger than one chip
  std::size_t neurons_per_core = 0;  // at most this many units per core (0: the chip file's mapping, else its capacity)
  std::optional<Placement> placement;  // unset: the chip file's mapping.placement (default fill)
  PinnedCores pinned;                 // nodes on named cores (the network file's `placement`)
  bool host_offload = false;          // dense nodes on the host processor of a chip without dense cores
  Pacing pacing = Pacing::real_time;  // how long a tick lasts on the chip (static power's time)
  // The run's unit of work for per-step latency and energy in the report (examples: a control
  // step); 0 ticks: none.
  Tick step_ticks = 0;
  std::string step_name;
  bool quiet = false;
  bool print_energy_table = true;
  // The "trace: FILE" / "energy report: FILE" lines at the end (the Python module leaves them out).
  bool announce_outputs = true;
  // Wall time the caller spent reading and building the network before the session: printed
  // with the run's own wall time at the end and written to the trace's /meta (wall_build_s).
  double build_wall_s = 0.0;
  // What was recorded without being asked for (the default spike probes), for /meta "recorded".
  std::string recorded_note;
};

// Adds the output options to `options` (defaults from `defaults`).
void add_run_output_options(po::options_description& options, const RunOutputOptions& defaults);
RunOutputOptions run_output_options_from(const po::variables_map& values);

// "WxH" (e.g. "2x1") -> a board of W x H chips; InputError naming the text otherwise.
BoardLayout parse_board(const std::string& text);

// "a,b,c" or "all" -> the chip specs to price a run on; InputError for an empty or repeated one.
std::vector<std::string> parse_chip_list(const std::string& text);

// `chip` as a run maps onto it: at most `neurons_per_core` units per core (0: the chip file's
// mapping.neurons_per_core, else a core's capacity); InputError when that exceeds the capacity.
ChipModel chip_with_core_limit(const ChipModel& chip, std::size_t neurons_per_core);

// "NODE.VARIABLE[,every=N][,units=A-B;C]" -> Probe; InputError naming the text otherwise.
Probe parse_probe(const std::string& text);

class RunSession {
 public:
  // Checks the output paths (InputError before anything runs), loads the chip, opens the
  // trace, writes /meta and enrolls `options.probes`. Add engines and wires to `simulation`
  // before; enroll extra probes through recorder() before start().
  RunSession(Simulation& simulation, RunOutputOptions options, std::string network_label,
             std::string resolved_config);
  ~RunSession();
  RunSession(const RunSession&) = delete;
  RunSession& operator=(const RunSession&) = delete;

  // The trace, or nullptr when not recording.
  [[nodiscard]] Recorder* recorder();
  // Maps the network onto every chip and attaches their energy ledgers (the first chip's one
  // writes the trace's /energy windows); called by run() if needed.
  void start();
  // The first chip's mapping of the network (its ledger's; the one that writes the trace's
  // /energy windows). After start().
  [[nodiscard]] const CoreMapping& mapping() const;
  // Shows simulated time, wall time and ETA on stderr while the run lasts, when stderr is a
  // terminal and --quiet was not given; `total_ticks` is how long the run is expected to be.
  void show_progress(Tick total_ticks);
  // Runs `ticks` more ticks (may be called repeatedly). On Ctrl-C/SIGTERM (the simulation's
  // settings carry the command's InterruptGuard) it closes every output first — the trace as
  // "interrupted", the energy report of what ran marked "interrupted" — then rethrows
  // RunInterrupted for the CLI to exit with 128 + signal.
  void run(Tick ticks);
  // Closes the trace, prints the energy table of every chip (and, for several, them side by
  // side), writes the JSON reports. Returns the reports, one per chip in the order given.
  const std::vector<EnergyReport>& finish();
  // Closes every output for a run that a program stepping it stopped between two run() calls
  // (Ctrl-C in its own code, an exception): the trace gets status "interrupted" with `reason`,
  // the reports are marked "interrupted". Idempotent, like finish().
  const std::vector<EnergyReport>& stop(int signal_number, const std::string& reason);
  // finish() or stop() was called.
  [[nodiscard]] bool finished() const { return !reports_.empty(); }

 private:
  // finish(), or the same for a run stopped by `interrupted`. Idempotent.
  const std::vector<EnergyReport>& close_outputs(const RunInterrupted* interrupted);
  // The JSON report path of chip `k`: the --energy-report path itself for one chip, else
  // <stem>-<chip name>.json beside it.
  [[nodiscard]] std::string report_path(std::size_t k) const;

  Simulation& simulation_;
  RunOutputOptions options_;
  std::string network_label_;
  std::vector<ChipModel> chips_;
  bool several_chips_ = false;  // as asked (names the reports), even if --chip all leaves some out
  std::unique_ptr<Hdf5Recorder> trace_;
  // Several processes: every one but rank 0 records into this, and writes and prints nothing.
  std::unique_ptr<Recorder> discarded_trace_;
  std::vector<std::unique_ptr<EnergyLedger>> ledgers_;
  std::unique_ptr<ProgressReporter> progress_;
  std::vector<EnergyReport> reports_;  // empty until the outputs are closed
  double run_wall_s_ = 0.0;            // wall time inside run(), summed over calls
};

}  // namespace tandem::app
