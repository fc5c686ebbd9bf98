#include "bridge/unit_probes.hpp"

#include "core/error.hpp"

namespace tandem::bridge {

namespace {

std::string base_path(const UnitDescription& d) { return "/bridge/" + d.name; }

std::vector<std::int64_t> columns_of(const Probe& probe, std::size_t width, const UnitDescription& d) {
  std::vector<std::int64_t> columns(width, -1);
  if (probe.units.empty()) {
    for (std::size_t c = 0; c < width; ++c) columns[c] = static_cast<std::int64_t>(c);
    return columns;
  }
  std::int64_t next = 0;
  for (const std::uint32_t unit : probe.units) {
    if (unit >= width) {
      throw InputError("probe " + d.name + "." + probe.variable + ": unit " + std::to_string(unit) +
                       " is out of range (the port has " + std::to_string(width) + " channels)");
    }
    if (columns[unit] >= 0) {
      throw InputError("probe " + d.name + "." + probe.variable + ": unit " + std::to_string(unit) +
                       " is listed twice");
    }
    columns[unit] = next++;
  }
  return columns;
}

}  // namespace

UnitProbes::Sampled UnitProbes::make_sampled(const Probe& probe, std::size_t port_width, PortKind kind) const {
  Sampled s;
  s.columns = columns_of(probe, port_width, *description_);
  s.width = probe.units.empty() ? port_width : probe.units.size();
  s.held = Eigen::VectorXf::Zero(kind == PortKind::dense ? static_cast<Eigen::Index>(port_width) : 0);
  return s;
}

void UnitProbes::enroll(const Probe& probe, Recorder& recorder) {
  const UnitDescription& d = *description_;
  const std::string base = base_path(d);
  if (probe.variable == "in" || probe.variable == "out") {
    const bool is_in = probe.variable == "in";
    if ((is_in ? in_ : out_).has_value()) {
      throw InputError("probe " + d.name + "." + probe.variable + " is enrolled twice");
    }
    if (tick_stream_.has_value() && probe.every_ticks != every_ticks_) {
      throw InputError("probe " + d.name + "." + probe.variable + ": every_ticks " +
                       std::to_string(probe.every_ticks) + " differs from the unit's other probe (" +
                       std::to_string(every_ticks_) + "); they share /bridge/" + d.name + "/tick");
    }
    const PortKind kind = is_in ? d.input_kind : d.output_kind;
    Sampled s = make_sampled(probe, is_in ? d.input_width : d.output_width, kind);
    s.stream = recorder.enroll(StreamSpec{base + "/" + probe.variable, SampleType::float32, s.width,
                                          {{"unit", kind == PortKind::spikes ? "spikes per tick" : "value"},
                                           {"every_ticks", std::to_string(probe.every_ticks)}}});
    if (!tick_stream_.has_value()) {
      every_ticks_ = probe.every_ticks;
      tick_stream_ = recorder.enroll(StreamSpec{base + "/tick", SampleType::int64, 0, {{"unit", "tick"}}});
    }
    (is_in ? in_ : out_) = std::move(s);
    return;
  }
  if (probe.variable == "spikes") {
    const bool spikes_in = d.input_kind == PortKind::spikes;
    if (!spikes_in && d.output_kind != PortKind::spikes) {
      throw InputError("probe " + d.name + ".spikes: unit '" + d.name + "' (" + d.kind +
                       ") has no spike port");
    }
    if (spikes_.has_value()) throw InputError("probe " + d.name + ".spikes is enrolled twice");
    const std::size_t width = spikes_in ? d.input_width : d.output_width;
    Events e;
    const auto columns = columns_of(probe, width, d);
    e.selected.resize(width);
    for (std::size_t c = 0; c < width; ++c) e.selected[c] = columns[c] >= 0;
    e.tick_stream = recorder.enroll(StreamSpec{base + "/spikes/tick", SampleType::int64, 0, {{"unit", "tick"}}});
    e.index_stream = recorder.enroll(StreamSpec{base + "/spikes/index", SampleType::uint32, 0,
                                                {{"port", spikes_in ? "in" : "out"}}});
    spikes_ = std::move(e);
    return;
  }
  throw InputError("probe " + d.name + "." + probe.variable + ": bridge units record 'in', 'out' or 'spikes'");
}

void UnitProbes::reset() {
  for (auto* s : {&in_, &out_}) {
    if (s->has_value()) {
      (*s)->buffer.clear();
      (*s)->held.setZero();
    }
  }
  if (spikes_.has_value()) {
    spikes_->ticks.clear();
    spikes_->indices.clear();
  }
  tick_buffer_.clear();
}

void UnitProbes::capture_sampled(Sampled& s, const Epoch& epoch, const PortTraffic& traffic, PortKind kind) {
  std::size_t next_frame = 0;
  std::size_t next_spike = 0;
  const Tick first = epoch.begin + (every_ticks_ - epoch.begin % every_ticks_) % every_ticks_;
  for (Tick t = first; t < epoch.end; t += every_ticks_) {
    const std::size_t row = s.buffer.size();
    s.buffer.resize(row + s.width, 0.0F);
    if (kind == PortKind::dense) {
      for (; next_frame < traffic.frames.size() && traffic.frames[next_frame].tick <= t; ++next_frame) {
        s.held = traffic.frames[next_frame].values;
      }
      for (std::size_t c = 0; c < s.columns.size(); ++c) {
        if (s.columns[c] >= 0) s.buffer[row + static_cast<std::size_t>(s.columns[c])] = s.held[static_cast<Eigen::Index>(c)];
      }
    } else {
      const SpikeBatch& spikes = traffic.spikes;
      while (next_spike < spikes.size() && spikes.tick[next_spike] < t) ++next_spike;
      for (; next_spike < spikes.size() && spikes.tick[next_spike] == t; ++next_spike) {
        const std::uint32_t c = spikes.index[next_spike];
        if (c < s.columns.size() && s.columns[c] >= 0) s.buffer[row + static_cast<std::size_t>(s.columns[c])] += 1.0F;
      }
    }
  }
  // Dense values that change after the last sample still set what the next epoch starts from.
  if (kind == PortKind::dense) {
    for (; next_frame < traffic.frames.size(); ++next_frame) s.held = traffic.frames[next_frame].values;
  }
}

void UnitProbes::capture(const Epoch& epoch, const PortTraffic& in, const PortTraffic& out) {
  const UnitDescription& d = *description_;
  if (tick_stream_.has_value()) {
    const Tick first = epoch.begin + (every_ticks_ - epoch.begin % every_ticks_) % every_ticks_;
    for (Tick t = first; t < epoch.end; t += every_ticks_) tick_buffer_.push_back(t);
  }
  if (in_.has_value()) capture_sampled(*in_, epoch, in, d.input_kind);
  if (out_.has_value()) capture_sampled(*out_, epoch, out, d.output_kind);
  if (spikes_.has_value()) {
    const SpikeBatch& spikes = d.input_kind == PortKind::spikes ? in.spikes : out.spikes;
    for (std::size_t i = 0; i < spikes.size(); ++i) {
      if (spikes.index[i] < spikes_->selected.size() && spikes_->selected[spikes.index[i]]) {
        spikes_->ticks.push_back(spikes.tick[i]);
        spikes_->indices.push_back(spikes.index[i]);
      }
    }
  }
}

void UnitProbes::record(Recorder& recorder) {
  if (tick_stream_.has_value() && !tick_buffer_.empty()) {
    recorder.append(*tick_stream_, std::span<const std::int64_t>(tick_buffer_));
    tick_buffer_.clear();
  }
  for (auto* s : {&in_, &out_}) {
    if (s->has_value() && !(*s)->buffer.empty()) {
      recorder.append((*s)->stream, std::span<const float>((*s)->buffer));
      (*s)->buffer.clear();
    }
  }
  if (spikes_.has_value() && !spikes_->ticks.empty()) {
    recorder.append(spikes_->tick_stream, std::span<const std::int64_t>(spikes_->ticks));
    recorder.append(spikes_->index_stream, std::span<const std::uint32_t>(spikes_->indices));
    spikes_->ticks.clear();
    spikes_->indices.clear();
  }
}

}  // namespace tandem::bridge
