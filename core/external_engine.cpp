#include "core/external_engine.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace tandem {

ExternalEngine::ExternalEngine(std::string name, std::vector<ExternalInput> inputs, std::vector<ExternalOutput> outputs)
    : name_(std::move(name)), inputs_(std::move(inputs)), outputs_(std::move(outputs)) {
  for (const ExternalOutput& output : outputs_) {
    ports_.push_back(PortSpec{output.name, output.kind, PortDirection::in, output.width, ""});
  }
  for (const ExternalInput& input : inputs_) {
    if (input.width == 0) throw InputError("external input '" + input.name + "': width must be at least 1");
    ports_.push_back(PortSpec{input.name, PortKind::dense, PortDirection::out, input.width, input.name});
    // Off the chip, like an environment: structure for reports, no operations.
    counters_.push_back(NodeCounters{.node = input.name, .kind = NodeKind::environment, .units = input.width});
  }
  queued_.resize(inputs_.size());
  latest_.resize(outputs_.size());
  has_latest_.assign(outputs_.size(), false);
  spikes_.resize(outputs_.size());
}

void ExternalEngine::reset(const RunContext& /*context*/) {
  for (auto& frames : queued_) frames.clear();
  has_latest_.assign(outputs_.size(), false);
  for (auto& spikes : spikes_) spikes.clear();
}

std::size_t ExternalEngine::input_index(std::string_view name) const {
  for (std::size_t i = 0; i < inputs_.size(); ++i) {
    if (inputs_[i].name == name) return i;
  }
  return npos;
}

std::size_t ExternalEngine::output_index(std::string_view name) const {
  for (std::size_t i = 0; i < outputs_.size(); ++i) {
    if (outputs_[i].name == name) return i;
  }
  return npos;
}

void ExternalEngine::send(std::size_t input, Tick tick, std::span<const float> values) {
  const ExternalInput& spec = inputs_.at(input);
  if (values.size() != spec.width) {
    throw InputError("input '" + spec.name + "' takes " + std::to_string(spec.width) + " values, got " +
                     std::to_string(values.size()));
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      throw InputError("input '" + spec.name + "': value " + std::to_string(i) + " is not a finite number (" +
                       format_number(values[i]) + ")");
    }
  }
  std::vector<DenseFrame>& frames = queued_[input];
  DenseFrame frame{tick, Eigen::Map<const Eigen::VectorXf>(values.data(), static_cast<Eigen::Index>(values.size()))};
  // Kept in tick order; a second frame for the same tick replaces the first.
  auto at = std::lower_bound(frames.begin(), frames.end(), tick, [](const DenseFrame& f, Tick t) { return f.tick < t; });
  if (at != frames.end() && at->tick == tick) {
    *at = std::move(frame);
  } else {
    frames.insert(at, std::move(frame));
  }
}

void ExternalEngine::advance(const Epoch& epoch, const Mailbox& inbox, Mailbox& outbox) {
  for (std::size_t o = 0; o < outputs_.size(); ++o) {
    const PortTraffic& traffic = inbox.port(o);
    if (outputs_[o].kind == PortKind::dense) {
      if (!traffic.frames.empty()) {
        latest_[o] = traffic.frames.back();
        has_latest_[o] = true;
      }
    } else {
      SpikeBatch& kept = spikes_[o];
      kept.tick.insert(kept.tick.end(), traffic.spikes.tick.begin(), traffic.spikes.tick.end());
      kept.index.insert(kept.index.end(), traffic.spikes.index.begin(), traffic.spikes.index.end());
    }
  }
  for (std::size_t i = 0; i < inputs_.size(); ++i) {
    std::vector<DenseFrame>& frames = queued_[i];
    std::size_t sent = 0;
    // A frame stamped before this epoch (sent for a tick that has passed) leaves now.
    for (; sent < frames.size() && frames[sent].tick < epoch.end; ++sent) {
      DenseFrame frame = std::move(frames[sent]);
      frame.tick = std::max(frame.tick, epoch.begin);
      outbox.port(outputs_.size() + i).frames.push_back(std::move(frame));
    }
    frames.erase(frames.begin(), frames.begin() + static_cast<std::ptrdiff_t>(sent));
  }
}

const DenseFrame* ExternalEngine::latest(std::size_t output) const {
  return has_latest_.at(output) ? &latest_[output] : nullptr;
}

SpikeBatch ExternalEngine::take_spikes(std::size_t output) {
  SpikeBatch taken;
  std::swap(taken, spikes_.at(output));
  return taken;
}

}  // namespace tandem
