#include "environments/camera_engine.hpp"

namespace tandem::environments {

CameraEngine::CameraEngine(std::string name, std::size_t observation_width, std::size_t pixels, Renderer renderer)
    : name_(std::move(name)), renderer_(std::move(renderer)) {
  ports_ = {PortSpec{"observation", PortKind::dense, PortDirection::in, observation_width, name_},
            PortSpec{"image", PortKind::dense, PortDirection::out, pixels, name_}};
}

void CameraEngine::reset(const RunContext&) {
  counters_ = {NodeCounters{.node = name_, .kind = NodeKind::environment, .units = ports_[1].width, .fan_in = ports_[0].width}};
}

void CameraEngine::advance(const Epoch& /*epoch*/, const Mailbox& inbox, Mailbox& outbox) {
  for (const DenseFrame& observation : inbox.port(0).frames) {
    DenseFrame image{observation.tick, Eigen::VectorXf(static_cast<Eigen::Index>(ports_[1].width))};
    renderer_(std::span<const float>(observation.values.data(), static_cast<std::size_t>(observation.values.size())),
              std::span<float>(image.values.data(), static_cast<std::size_t>(image.values.size())));
    outbox.port(1).frames.push_back(std::move(image));
  }
}

}  // namespace tandem::environments
