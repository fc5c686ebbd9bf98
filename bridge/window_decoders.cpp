#include "bridge/window_decoders.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "bridge/traffic_cursor.hpp"

namespace tandem::bridge {
namespace {

// Readouts turn one output channel's window statistics (spike count and first-spike offset of
// each of its fan_in input channels) into a value.
struct CountReadout {
  ValueRange range;
  Tick window = 1;
  [[nodiscard]] std::size_t fan_in() const { return 1; }
  [[nodiscard]] double read(const std::uint32_t* counts, const Tick*) const {
    return range.physical(static_cast<double>(counts[0]) / static_cast<double>(window));
  }
};

struct FirstSpikeReadout {
  ValueRange range;
  Tick window = 2;
  [[nodiscard]] std::size_t fan_in() const { return 1; }
  [[nodiscard]] double read(const std::uint32_t* counts, const Tick* first) const {
    if (counts[0] == 0) return range.physical(0.0);
    return range.physical(1.0 - static_cast<double>(first[0]) / static_cast<double>(window - 1));
  }
};

struct PopulationReadout {
  PopulationCode code;
  [[nodiscard]] std::size_t fan_in() const { return code.neurons_per_channel; }
  [[nodiscard]] double read(const std::uint32_t* counts, const Tick*) const {
    const std::size_t m_count = code.neurons_per_channel;
    const std::size_t m = static_cast<std::size_t>(std::max_element(counts, counts + m_count) - counts);
    if (counts[m] == 0) return code.range.min;
    std::size_t j = m;
    if (m > 0 && counts[m - 1] > 0) j = m - 1;
    if (m + 1 < m_count && counts[m + 1] > 0 && (j == m || counts[m + 1] > counts[j])) j = m + 1;
    if (j == m) return code.centre(m);
    const double cm = code.centre(m);
    const double cj = code.centre(j);
    const double x = 0.5 * (cm + cj) + code.sigma * code.sigma *
                                           (std::log(static_cast<double>(counts[m])) -
                                            std::log(static_cast<double>(counts[j]))) / (cm - cj);
    return std::clamp(x, code.range.min, code.range.max);
  }
};

// Collects per input channel the spike count and first-spike offset of the current window and
// emits a frame of readouts in the window's last tick. Event mode touches a channel only when
// a spike arrives, clears only touched channels and reads out only the outputs that received a
// spike: an output that received none reads its silent value (the readout of zero counts, fixed
// for the run), which it gets without a conversion. Always-on integrates and reads out every
// channel every tick. Both hold the same integers, so the frames are identical.
template <typename Readout>
class WindowedDecoder final : public Unit {
 public:
  WindowedDecoder(UnitDescription description, Readout readout, Window window)
      : Unit(std::move(description)), readout_(readout), window_(window) {}

  void reset(const RunContext&) override {
    counts_.assign(description().input_width, 0);
    first_.assign(description().input_width, 0);
    tick_counts_.assign(description().input_width, 0);
    touched_.clear();
    const std::vector<std::uint32_t> no_counts(readout_.fan_in(), 0);
    const std::vector<Tick> no_first(readout_.fan_in(), 0);
    silent_ = static_cast<float>(readout_.read(no_counts.data(), no_first.data()));
    read_.clear();
  }

  void advance(const Epoch& epoch, const PortTraffic& in, PortTraffic& out, ExecutionMode mode,
               OpCounts& executed) override {
    const bool always_on = mode == ExecutionMode::always_on;
    const std::size_t inputs = description().input_width;
    SpikeCursor spikes(in.spikes);
    for (Tick t = epoch.begin; t < epoch.end; ++t) {
      const Tick offset = window_.offset(t);
      std::size_t arrived = 0;
      if (always_on) {
        arrived = spikes.at(t, [&](std::uint32_t c) { ++tick_counts_.at(c); });
        for (std::size_t c = 0; c < inputs; ++c) {
          if (tick_counts_[c] > 0 && counts_[c] == 0) first_[c] = offset;
          counts_[c] += tick_counts_[c];
          tick_counts_[c] = 0;
        }
        executed.add(conversion_op(), inputs);
      } else {
        arrived = spikes.at(t, [&](std::uint32_t c) {
          if (counts_.at(c) == 0) {
            first_[c] = offset;
            touched_.push_back(c);
          }
          ++counts_[c];
        });
      }
      executed.add(Op::input_event, arrived);
      if (offset == window_.ticks - 1) emit(t, always_on, out, executed);
    }
  }

 private:
  void emit(Tick t, bool always_on, PortTraffic& out, OpCounts& executed) {
    const std::size_t outputs = description().output_width;
    const std::size_t fan_in = readout_.fan_in();
    DenseFrame frame{t, Eigen::VectorXf(static_cast<Eigen::Index>(outputs))};
    const auto read_out = [&](std::size_t k) {
      frame.values[static_cast<Eigen::Index>(k)] =
          static_cast<float>(readout_.read(&counts_[k * fan_in], &first_[k * fan_in]));
    };
    if (always_on) {
      for (std::size_t k = 0; k < outputs; ++k) read_out(k);
    } else {
      frame.values.setConstant(silent_);
      read_.clear();
      for (const std::uint32_t c : touched_) read_.push_back(c / static_cast<std::uint32_t>(fan_in));
      std::sort(read_.begin(), read_.end());
      read_.erase(std::unique(read_.begin(), read_.end()), read_.end());
      for (const std::uint32_t k : read_) read_out(k);
      executed.add(conversion_op(), read_.size());
    }
    out.frames.push_back(std::move(frame));
    executed.add(Op::spike, outputs);
    if (always_on) {
      std::fill(counts_.begin(), counts_.end(), 0U);
    } else {
      for (const std::uint32_t c : touched_) counts_[c] = 0;
    }
    touched_.clear();
  }

  Readout readout_;
  Window window_;
  std::vector<std::uint32_t> counts_;       // spikes per input channel in the current window
  std::vector<Tick> first_;                 // offset of the first of them (valid when count > 0)
  std::vector<std::uint32_t> tick_counts_;  // always-on: spikes per channel in the current tick
  std::vector<std::uint32_t> touched_;      // event: channels with spikes in the current window
  std::vector<std::uint32_t> read_;         // event: outputs with a touched channel (scratch)
  float silent_ = 0.0F;                     // the readout of an output that received nothing
};

UnitDescription decoder_description(const std::string& name, std::string kind, std::size_t outputs,
                                    std::size_t fan_in, const Window& window, Tick least_window) {
  UnitDescription d = describe(name, std::move(kind), false, outputs,
                               {PortKind::spikes, outputs * fan_in}, {PortKind::dense, outputs});
  check_window(name, window, least_window);
  d.channels = outputs * fan_in;
  d.fan_in = fan_in;
  set_window(d, window);
  return d;
}

}  // namespace

std::unique_ptr<Unit> make_count_decoder(const CountDecoderParams& params) {
  UnitDescription d = decoder_description(params.name, "count_decoder", params.channels, 1, params.window, 1);
  check_range(params.name, params.range);
  d.nonlinearity = "value = value_min + (value_max - value_min) n / W";
  d.quantisation = "steps of (value_max - value_min) / W";
  return std::make_unique<WindowedDecoder<CountReadout>>(
      std::move(d), CountReadout{params.range, params.window.ticks}, params.window);
}

std::unique_ptr<Unit> make_first_spike_decoder(const FirstSpikeDecoderParams& params) {
  UnitDescription d = decoder_description(params.name, "first_spike_decoder", params.channels, 1, params.window, 2);
  check_range(params.name, params.range);
  d.nonlinearity = "v = 1 - o / (W - 1) for the first spike at offset o, 0 without spike";
  d.quantisation = "steps of (value_max - value_min) / (W - 1)";
  return std::make_unique<WindowedDecoder<FirstSpikeReadout>>(
      std::move(d), FirstSpikeReadout{params.range, params.window.ticks}, params.window);
}

std::unique_ptr<Unit> make_population_decoder(const PopulationDecoderParams& params) {
  check_name(params.name);
  params.code.check(params.name);
  UnitDescription d = decoder_description(params.name, "population_decoder", params.channels,
                                          params.code.neurons_per_channel, params.window, 1);
  d.nonlinearity = "peak of the Gaussian through the two largest neighbouring counts";
  d.quantisation = "limited by the counts' rounding to whole spikes per window";
  return std::make_unique<WindowedDecoder<PopulationReadout>>(
      std::move(d), PopulationReadout{params.code}, params.window);
}

}  // namespace tandem::bridge
