// A bridge unit converts between spikes and dense values on one input and one output port.
// Each unit states its hybrid-unit structure (window, latency, nonlinearity, quantisation —
// after the Tianjic group's HNN framework) in a UnitDescription; see docs/bridge.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/engine.hpp"

namespace tandem::bridge {

struct UnitDescription {
  std::string name;
  std::string kind;  // "rate_encoder", "count_decoder" …
  bool encoder = true;  // encoders count encoder_conversion, decoders decoder_conversion
  PortKind input_kind = PortKind::dense;
  std::size_t input_width = 0;
  PortKind output_kind = PortKind::spikes;
  std::size_t output_width = 0;
  std::size_t channels = 0;   // channels converted per conversion step (NodeCounters::units)
  std::size_t fan_in = 1;     // inputs one output channel depends on
  Tick window_ticks = 1;      // ticks of input combined into one conversion
  Tick phase_ticks = 0;       // windows start at ticks t with (t - phase) % window == 0
  Tick latency_ticks = 0;     // ticks from the sampling tick until the output is complete
  std::string nonlinearity;   // what maps input to output, in words with the formula
  std::string quantisation;   // how the output is discretised
};

// Physical input range [min, max] mapped onto the normalised range [0, 1].
struct ValueRange {
  double min = 0.0;
  double max = 1.0;
  // clamp((x - min) / (max - min), 0, 1); computed in double so both modes agree exactly.
  [[nodiscard]] double normalised(double x) const;
  [[nodiscard]] double physical(double normalised_value) const { return min + (max - min) * normalised_value; }
};

// Windowing shared by the windowed units.
struct Window {
  Tick ticks = 10;
  Tick phase = 0;
  // Offset of `tick` inside its window, in [0, ticks).
  [[nodiscard]] Tick offset(Tick tick) const {
    const Tick r = (tick - phase) % ticks;
    return r < 0 ? r + ticks : r;
  }
};

class Unit {
 public:
  explicit Unit(UnitDescription description) : description_(std::move(description)) {}
  virtual ~Unit() = default;
  Unit(const Unit&) = delete;
  Unit& operator=(const Unit&) = delete;

  [[nodiscard]] const UnitDescription& description() const { return description_; }
  // Back to the initial state (all inputs and outputs zero) for a run with this context.
  virtual void reset(const RunContext& context) = 0;
  // Converts through `epoch`: `in` holds this unit's arrivals sorted by tick, emissions go to
  // `out` sorted by tick (spikes of one tick by channel). Work is counted into `executed`.
  virtual void advance(const Epoch& epoch, const PortTraffic& in, PortTraffic& out,
                       ExecutionMode mode, OpCounts& executed) = 0;
  // What always-on execution does over `ticks` ticks in which this run counted `executed`:
  // every channel converted every tick; outputs (spike) are the same in both modes; a dense
  // input is read whole every tick, spike inputs are the events that arrived.
  [[nodiscard]] virtual OpCounts always_on(Tick ticks, const OpCounts& executed) const;

 protected:
  [[nodiscard]] Op conversion_op() const {
    return description_.encoder ? Op::encoder_conversion : Op::decoder_conversion;
  }

 private:
  UnitDescription description_;
};

struct PortShape {
  PortKind kind = PortKind::dense;
  std::size_t width = 0;
};

// The common part of a unit's description, after checking the name and `channels` >= 1:
// `channels` is what one conversion step converts (NodeCounters::units); window 1, latency 0.
UnitDescription describe(const std::string& name, std::string kind, bool encoder,
                         std::size_t channels, PortShape input, PortShape output);
// Sets window, phase and latency W - 1 (the output is complete in the window's last tick).
void set_window(UnitDescription& description, const Window& window);

// Parameter checks: each throws InputError "bridge unit '<unit>': <parameter> = <value>: <problem>".
void check_name(std::string_view unit);
void check_finite(std::string_view unit, std::string_view parameter, double value);
void check_positive(std::string_view unit, std::string_view parameter, double value);
void check_non_negative(std::string_view unit, std::string_view parameter, double value);
void check_at_least(std::string_view unit, std::string_view parameter, double value, double least);
void check_range(std::string_view unit, const ValueRange& range);
void check_window(std::string_view unit, const Window& window, Tick least_ticks = 1);

}  // namespace tandem::bridge
