#include "environments/environment_engine.hpp"

#include <algorithm>
#include <string>

#include "core/error.hpp"

namespace tandem::environments {
namespace {

constexpr std::size_t action_port = 0;
constexpr std::size_t observation_port = 1;

}  // namespace

EnvironmentEngine::EnvironmentEngine(std::unique_ptr<Environment> environment,
                                     EnvironmentEngineSettings settings)
    : environment_(std::move(environment)),
      configured_ticks_per_step_(settings.ticks_per_step) {
  if (!environment_) throw InputError("environment engine: no environment given");
  name_ = settings.name.empty() ? std::string(environment_->kind()) : settings.name;
  if (configured_ticks_per_step_ < 0) {
    throw InputError("environment '" + name_ + "': ticks_per_step must be >= 0 (0: derive from dt), got " +
                     std::to_string(configured_ticks_per_step_));
  }
  ports_ = {PortSpec{"action", PortKind::dense, PortDirection::in, environment_->action_width(), name_},
            PortSpec{"observation", PortKind::dense, PortDirection::out,
                     environment_->observation_width(), name_}};
  action_.assign(environment_->action_width(), 0.0);
  signals_.assign(environment_->signals().size(), 0.0);
}

void EnvironmentEngine::reset(const RunContext& context) {
  ticks_per_step_ = configured_ticks_per_step_ > 0
                        ? configured_ticks_per_step_
                        : context.time.exact_ticks_from_ms(environment_->step_ms(),
                                                           "environment '" + name_ + "' step duration");
  if (ticks_per_step_ < 1) {
    throw InputError("environment '" + name_ + "': a step must last at least one tick");
  }
  // Not on the chip: no operations, only the structure for reports.
  counters_ = {NodeCounters{.node = name_,
                            .kind = NodeKind::environment,
                            .units = environment_->observation_width(),
                            .fan_in = environment_->action_width()}};
  std::fill(action_.begin(), action_.end(), 0.0);
  finished_.clear();
  seed_ = context.seed;
  episode_ = 0;
  for (Channel& channel : channels_) {
    channel.next_due = 0;
    channel.values.clear();
    channel.counts.clear();
  }
  environment_->reset(episode_seed(seed_, episode_));
}

void EnvironmentEngine::start_episode() {
  finished_.push_back(EpisodeResult{episode_seed(seed_, episode_), environment_->step_count(),
                                    !environment_->failed()});
  ++episode_;
  environment_->reset(episode_seed(seed_, episode_));
}

void EnvironmentEngine::take_actions(const std::vector<DenseFrame>& frames, std::size_t& next,
                                     Tick until) {
  // Frames are sorted by arrival tick: the last one at or before `until` is in force.
  for (; next < frames.size() && frames[next].tick <= until; ++next) {
    const Eigen::VectorXf& values = frames[next].values;
    if (static_cast<std::size_t>(values.size()) != action_.size()) {
      throw RunError("environment '" + name_ + "': an action frame has " +
                     std::to_string(values.size()) + " values, expected " +
                     std::to_string(action_.size()));
    }
    for (std::size_t i = 0; i < action_.size(); ++i) {
      action_[i] = static_cast<double>(values[static_cast<Eigen::Index>(i)]);
    }
  }
}

void EnvironmentEngine::advance(const Epoch& epoch, const Mailbox& inbox, Mailbox& outbox) {
  const std::vector<DenseFrame>& frames = inbox.port(action_port).frames;
  std::size_t next_frame = 0;
  const Tick first_step = (epoch.begin + ticks_per_step_ - 1) / ticks_per_step_ * ticks_per_step_;
  for (Tick tick = first_step; tick < epoch.end; tick += ticks_per_step_) {
    take_actions(frames, next_frame, tick);
    if (tick > 0) {
      if (environment_->done()) {
        start_episode();
      } else {
        environment_->step(action_);
      }
    }
    emit(tick, outbox);
  }
  // Frames arriving after the epoch's last step tick are in force for the next step.
  take_actions(frames, next_frame, epoch.end);
}

void EnvironmentEngine::emit(Tick tick, Mailbox& outbox) {
  environment_->read_signals(signals_);
  DenseFrame frame{tick, Eigen::VectorXf(static_cast<Eigen::Index>(environment_->observation_width()))};
  for (Eigen::Index i = 0; i < frame.values.size(); ++i) {
    frame.values[i] = static_cast<float>(signals_[static_cast<std::size_t>(i)]);
  }
  outbox.port(observation_port).frames.push_back(std::move(frame));
  const std::size_t signal_count = signals_.size();
  for (Channel& channel : channels_) {
    if (tick < channel.next_due) continue;
    channel.next_due = tick + channel.every_ticks;
    if (channel.source < signal_count) {
      channel.values.push_back(static_cast<float>(signals_[channel.source]));
    } else if (channel.source == signal_count) {
      channel.counts.push_back(environment_->step_count());
    } else {
      channel.counts.push_back(static_cast<std::int64_t>(episode_));
    }
  }
}

void EnvironmentEngine::enroll_channel(std::size_t source, const Probe& probe, Recorder& recorder) {
  for (const Channel& channel : channels_) {
    if (channel.source == source) return;  // already recorded by an earlier probe
  }
  const auto signals = environment_->signals();
  StreamSpec spec;
  if (source < signals.size()) {
    spec = StreamSpec{"/env/" + name_ + "/" + signals[source].name, SampleType::float32, 0,
                      {{"unit", signals[source].unit}}};
  } else {
    const bool step = source == signals.size();
    spec = StreamSpec{"/env/" + name_ + (step ? "/step" : "/episode"), SampleType::int64, 0,
                      {{"unit", step ? "steps in episode" : "episode index"}}};
  }
  spec.attributes["step_ms"] = format_number(environment_->step_ms());
  channels_.push_back(Channel{source, recorder.enroll(spec), probe.every_ticks, 0, {}, {}});
}

bool EnvironmentEngine::enroll_probe(const Probe& probe, Recorder& recorder) {
  if (probe.node != name_) return false;
  if (!probe.units.empty()) {
    throw InputError("probe " + probe.node + "." + probe.variable +
                     ": environment signals are scalars, units cannot be selected");
  }
  const auto signals = environment_->signals();
  const std::size_t count = signals.size();
  if (probe.variable == "signals") {
    for (std::size_t i = 0; i <= count + 1; ++i) enroll_channel(i, probe, recorder);
    return true;
  }
  if (probe.variable == "step") {
    enroll_channel(count, probe, recorder);
    return true;
  }
  if (probe.variable == "episode") {
    enroll_channel(count + 1, probe, recorder);
    return true;
  }
  std::string known = "signals, step, episode";
  for (std::size_t i = 0; i < count; ++i) {
    if (signals[i].name == probe.variable) {
      enroll_channel(i, probe, recorder);
      return true;
    }
    known += ", " + signals[i].name;
  }
  throw InputError("probe " + probe.node + "." + probe.variable + ": environment '" + name_ +
                   "' has no signal '" + probe.variable + "' (known: " + known + ")");
}

void EnvironmentEngine::record(Recorder& recorder) {
  for (Channel& channel : channels_) {
    if (!channel.values.empty()) {
      recorder.append(channel.stream, std::span<const float>(channel.values));
      channel.values.clear();
    }
    if (!channel.counts.empty()) {
      recorder.append(channel.stream, std::span<const std::int64_t>(channel.counts));
      channel.counts.clear();
    }
  }
}

}  // namespace tandem::environments
