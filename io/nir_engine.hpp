// Running an imported NIR graph (io/nir_graph.hpp): one engine that steps every node per tick
// with forward Euler at the import's dt, in dependency order (edges closing a cycle carry the
// previous tick's value). Equations and conventions: docs/nir.md.
#pragma once

#include <string>
#include <vector>

#include "core/contained_read.hpp"
#include "core/engine.hpp"
#include "core/precision.hpp"
#include "io/nir_graph.hpp"

namespace tandem::io {

enum class NirReset { zero, subtract };  // zero: v <- v_reset (0 when the node has none)

struct NirImportOptions {
  double dt_ms = 0.1;  // NIR stores no dt; 0.1 ms = 1e-4 s, the NIR paper's
  NirReset reset = NirReset::zero;
  // float32: the equations in double (docs/nir.md). loihi: LIF nodes on Loihi's fixed-point LIF
  // with the weights of the Affine/Linear nodes feeding them quantised (docs/precision.md#loihi).
  Precision precision = Precision::float32;
  // loihi: integer units per unit of v for every LIF node; 0 = each node's largest incoming
  // weight maps to 127 (the default rule of every integer precision).
  double loihi_scale = 0.0;
  // How the file is read (core/contained_read.hpp): in a child process first, by default.
  ContainmentLimits read_limits;
};

class NirEngine final : public Engine {
 public:
  NirEngine(std::string name, NirGraph graph, NirImportOptions options);
  ~NirEngine() override;

  // Values for a top-level Input node: `values` row-major [ticks x width]; 0 after the last row.
  void set_input(const std::string& node, std::vector<double> values);
  // A node's current output; how many non-zero outputs (spikes) it produced since reset.
  [[nodiscard]] const std::vector<double>& output(const std::string& node) const;
  [[nodiscard]] std::uint64_t events(const std::string& node) const;
  [[nodiscard]] const NirGraph& graph() const { return graph_; }

  [[nodiscard]] std::string_view name() const override { return name_; }
  [[nodiscard]] std::span<const PortSpec> ports() const override { return {}; }
  void reset(const RunContext& context) override;
  void advance(const Epoch& epoch, const Mailbox& inbox, Mailbox& outbox) override;
  [[nodiscard]] std::span<const NodeCounters> counters() const override { return counters_; }
  // Variables: "spikes" (non-zero outputs as events: /snn/<node>/spikes/{tick,index}) on any
  // node; "v", "i_syn" on neurons and "out" on any node as /snn/<node>/state/<var>.
  bool enroll_probe(const Probe& probe, Recorder& recorder) override;
  void record(Recorder& recorder) override;

 private:
  struct State;
  struct ProbeEntry;
  void step(Tick tick);
  void prepare_loihi();
  void sample(Tick tick);

  std::string name_;
  NirGraph graph_;
  NirImportOptions options_;
  ExecutionMode mode_ = ExecutionMode::event;
  std::vector<std::size_t> order_;
  std::vector<State> states_;
  std::vector<NodeCounters> counters_;
  std::vector<std::size_t> counter_of_;  // per node, index into counters_ or npos
  std::vector<ProbeEntry> probes_;
};

}  // namespace tandem::io
