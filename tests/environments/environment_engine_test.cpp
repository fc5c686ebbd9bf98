#include <catch2/catch.hpp>
#include <functional>
#include <memory>

#include "core/error.hpp"
#include "core/memory_recorder.hpp"
#include "core/simulation.hpp"
#include "environments/bicycle/bicycle_engine.hpp"
#include "environments/bicycle/bicycle_lqr.hpp"
#include "environments/cartpole/cartpole_engine.hpp"
#include "environments/cartpole/cartpole_lqr.hpp"

using namespace tandem;
using namespace tandem::environments;

namespace {

// A test controller engine: answers each observation frame with an action frame computed by
// a function, stamped with the arrival tick; or emits scripted frames at given ticks.
class ControllerEngine : public Engine {
 public:
  ControllerEngine(std::size_t observation_width, std::size_t action_width, Controller controller)
      : controller_(std::move(controller)) {
    ports_ = {PortSpec{"observation", PortKind::dense, PortDirection::in, observation_width, "ctl"},
              PortSpec{"action", PortKind::dense, PortDirection::out, action_width, "ctl"}};
    counters_.push_back(NodeCounters{.node = "ctl"});
  }
  std::vector<DenseFrame> scripted;
  std::vector<DenseFrame> received;

  std::string_view name() const override { return "ctl"; }
  std::span<const PortSpec> ports() const override { return ports_; }
  void reset(const RunContext&) override { received.clear(); }
  void advance(const Epoch& epoch, const Mailbox& inbox, Mailbox& outbox) override {
    for (const DenseFrame& frame : inbox.port(0).frames) {
      received.push_back(frame);
      if (!controller_) continue;
      std::vector<double> observation(frame.values.begin(), frame.values.end());
      std::vector<double> action(ports_[1].width);
      controller_(observation, action);
      DenseFrame out{frame.tick, Eigen::VectorXf(static_cast<Eigen::Index>(action.size()))};
      for (std::size_t i = 0; i < action.size(); ++i) {
        out.values[static_cast<Eigen::Index>(i)] = static_cast<float>(action[i]);
      }
      outbox.port(1).frames.push_back(out);
    }
    for (const DenseFrame& frame : scripted) {
      if (epoch.contains(frame.tick)) outbox.port(1).frames.push_back(frame);
    }
  }
  std::span<const NodeCounters> counters() const override { return counters_; }
  bool enroll_probe(const Probe&, Recorder&) override { return false; }
  void record(Recorder&) override {}

 private:
  Controller controller_;
  std::vector<PortSpec> ports_;
  std::vector<NodeCounters> counters_;
};

void close_loop(Simulation& sim, const std::string& env) {
  sim.connect(Wire{{env, "observation"}, {"ctl", "observation"}, 1});
  sim.connect(Wire{{"ctl", "action"}, {env, "action"}, 1});
}

DenseFrame frame(Tick tick, float value) {
  DenseFrame f{tick, Eigen::VectorXf(1)};
  f.values[0] = value;
  return f;
}

}  // namespace

TEST_CASE("environment engine: closed loop in a Simulation equals the direct episode",
          "[examples][engine]") {
  SimulationSettings settings;
  settings.seed = 9;
  Simulation sim(settings);
  auto& env = sim.add_engine(make_cartpole_engine());
  const CartPoleLqr lqr;
  auto& ctl = sim.add_engine(std::make_unique<ControllerEngine>(4, 1, lqr));
  close_loop(sim, "cartpole");
  MemoryRecorder recorder;
  sim.set_recorder(&recorder);
  sim.add_probe(Probe{"cartpole", "signals", {}, 1});
  sim.run(50 * 20 + 1);

  CHECK(env.ticks_per_step() == 20);  // 20 ms steps at dt = 1 ms
  // The observation emitted at tick 1000 would arrive at 1001, after the run.
  REQUIRE(ctl.received.size() == 50);
  for (std::size_t k = 0; k < ctl.received.size(); ++k) {
    CHECK(ctl.received[k].tick == static_cast<Tick>(20 * k + 1));  // emitted at 20k, latency 1
  }
  CHECK(env.environment().step_count() == 50);

  // The same episode run directly, with the controller seeing float observations as it does
  // through the dense port.
  CartPole direct;
  direct.reset(episode_seed(9, 0));
  std::vector<double> x;
  for (int k = 0; k < 50; ++k) {
    const CartPoleState& s = direct.state();
    x.push_back(static_cast<float>(s.x_m));
    const double force = lqr.force_n(CartPoleState{static_cast<float>(s.x_m), static_cast<float>(s.x_dot_m_s),
                                                   static_cast<float>(s.theta_rad),
                                                   static_cast<float>(s.theta_dot_rad_s)});
    direct.step(static_cast<double>(static_cast<float>(force)));
  }
  x.push_back(static_cast<float>(direct.state().x_m));
  const auto& recorded_x = recorder.stream("/env/cartpole/x");
  CHECK(recorded_x.values == x);
  CHECK(recorded_x.spec.attributes.at("unit") == "m");
  const auto& steps = recorder.stream("/env/cartpole/step");
  CHECK(steps.spec.type == SampleType::int64);
  REQUIRE(steps.samples() == 51);
  for (std::size_t k = 0; k < 51; ++k) CHECK(steps.values[k] == static_cast<double>(k));
  for (const char* signal : {"x_dot", "theta", "theta_dot", "action", "push", "episode"}) {
    CHECK(recorder.stream(std::string("/env/cartpole/") + signal).samples() == 51);
  }
  // The applied action is +-10 N (discrete), 0 at the start sample.
  const auto& action = recorder.stream("/env/cartpole/action");
  CHECK(action.values[0] == 0.0);
  for (std::size_t k = 1; k < 51; ++k) CHECK(std::abs(action.values[k]) == 10.0);

  const auto counters = sim.counters();
  CHECK(counters[0].kind == NodeKind::environment);
  CHECK(counters[0].node == "cartpole");
  CHECK(counters[0].executed == OpCounts{});
  CHECK(counters[0].always_on == OpCounts{});
}

TEST_CASE("environment engine: the action in force is the last frame received",
          "[examples][engine]") {
  CartPoleParams params;
  params.continuous = true;
  Simulation sim(SimulationSettings{});
  sim.add(make_cartpole_engine(params, EnvironmentEngineSettings{"cart", 10}));
  auto& ctl = sim.add_engine(std::make_unique<ControllerEngine>(4, 1, nullptr));
  // Arrivals (latency 1): 4.0 at 6, -2.0 at 9 (both before step 10), 50 at 25.
  ctl.scripted = {frame(5, 4.0F), frame(8, -2.0F), frame(24, 50.0F)};
  close_loop(sim, "cart");
  MemoryRecorder recorder;
  sim.set_recorder(&recorder);
  sim.add_probe(Probe{"cart", "action", {}, 1});
  sim.add_probe(Probe{"cart", "x", {}, 20});  // every other step
  sim.run(41);
  // Samples at ticks 0, 10, 20, 30, 40: start, then -2 (last before 10), -2, 10 (clamped 50), 10.
  CHECK(recorder.stream("/env/cart/action").values == std::vector<double>{0.0, -2.0, -2.0, 10.0, 10.0});
  CHECK(recorder.stream("/env/cart/x").samples() == 3);  // ticks 0, 20, 40
  CHECK_FALSE(recorder.has("/env/cart/theta"));
}

TEST_CASE("environment engine: episodes restart after a failure", "[examples][engine]") {
  SimulationSettings settings;
  settings.seed = 4;
  Simulation sim(settings);
  // No controller: the action stays 0, which the discrete cart-pole reads as -10 N.
  auto& env = sim.add_engine(make_cartpole_engine(CartPoleParams{}, EnvironmentEngineSettings{"", 2}));
  MemoryRecorder recorder;
  sim.set_recorder(&recorder);
  sim.add_probe(Probe{"cartpole", "signals", {}, 1});
  sim.run(2 * 400);
  REQUIRE(env.finished_episodes().size() >= 2);
  for (const EpisodeResult& episode : env.finished_episodes()) {
    CHECK_FALSE(episode.success);
    CHECK(episode.steps > 0);
    CHECK(episode.steps < 100);
  }
  CHECK(env.finished_episodes()[0].seed == episode_seed(4, 0));
  CHECK(env.finished_episodes()[1].seed == episode_seed(4, 1));
  const auto& step = recorder.stream("/env/cartpole/step").values;
  const auto& episode = recorder.stream("/env/cartpole/episode").values;
  // The sample after the first episode's last step is step 0 of episode 1.
  const auto first_length = static_cast<std::size_t>(env.finished_episodes()[0].steps);
  CHECK(step[first_length] == static_cast<double>(first_length));
  CHECK(episode[first_length] == 0.0);
  CHECK(step[first_length + 1] == 0.0);
  CHECK(episode[first_length + 1] == 1.0);
  const auto& theta = recorder.stream("/env/cartpole/theta").values;
  CHECK(std::abs(theta[first_length]) > 0.2094);
  CHECK(std::abs(theta[first_length + 1]) <= 0.05);

  // Reset starts over with the same episodes.
  const std::int64_t first_steps = env.finished_episodes()[0].steps;
  sim.reset();
  CHECK(env.finished_episodes().empty());
  sim.run(2 * 400);
  CHECK(env.finished_episodes()[0].steps == first_steps);
}

TEST_CASE("environment engine: bad probes and step durations are input errors",
          "[examples][engine]") {
  Simulation sim(SimulationSettings{});
  sim.add(make_cartpole_engine());
  MemoryRecorder recorder;
  sim.set_recorder(&recorder);
  CHECK_THROWS_WITH(sim.add_probe(Probe{"cartpole", "speed", {}, 1}),
                    Catch::Contains("has no signal 'speed'") && Catch::Contains("theta_dot"));
  CHECK_THROWS_WITH(sim.add_probe(Probe{"cartpole", "x", {0}, 1}), Catch::Contains("scalars"));
  CHECK_THROWS_WITH(sim.add_probe(Probe{"pole", "x", {}, 1}), Catch::Contains("no node named 'pole'"));

  SimulationSettings odd;
  odd.time = TimeBase(0.3);  // 20 ms is not a whole number of 0.3 ms ticks
  Simulation bad(odd);
  bad.add(make_cartpole_engine());
  CHECK_THROWS_AS(bad.build(), InputError);

  SimulationSettings fine;
  fine.time = TimeBase(0.5);
  Simulation half(fine);
  auto& env = half.add_engine(make_cartpole_engine());
  half.build();
  CHECK(env.ticks_per_step() == 40);
  CHECK_THROWS_AS(make_cartpole_engine(CartPoleParams{}, EnvironmentEngineSettings{"c", -1}), InputError);
}

TEST_CASE("environment engine: the bicycle rides closed-loop through the Simulation",
          "[examples][engine]") {
  Simulation sim(SimulationSettings{});
  auto& env = sim.add_engine(make_bicycle_engine());
  REQUIRE(env.ports()[0].width == 2);
  REQUIRE(env.ports()[1].width == 6);
  sim.add(std::make_unique<ControllerEngine>(6, 2, BicycleLqr()));
  close_loop(sim, "bicycle");
  MemoryRecorder recorder;
  sim.set_recorder(&recorder);
  sim.add_probe(Probe{"bicycle", "omega", {}, 1});
  sim.add_probe(Probe{"bicycle", "torque", {}, 1});
  sim.run(10 * 2000 + 1);  // 2,000 steps of 10 ms (20 s) at dt = 1 ms
  CHECK(env.ticks_per_step() == 10);
  CHECK(env.finished_episodes().empty());
  CHECK(env.environment().step_count() == 2000);
  const auto& omega = recorder.stream("/env/bicycle/omega");
  REQUIRE(omega.samples() == 2001);
  for (const double lean : omega.values) CHECK(std::abs(lean) < 0.05);
  const auto& torque = recorder.stream("/env/bicycle/torque").values;
  CHECK(std::any_of(torque.begin(), torque.end(), [](double t) { return t != 0.0; }));
  for (const double t : torque) CHECK(std::abs(t) <= 2.0);
}
