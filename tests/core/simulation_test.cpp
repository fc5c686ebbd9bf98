#include <catch2/catch.hpp>
#include <memory>

#include "core/error.hpp"
#include "core/simulation.hpp"
#include "tests/support/relay_engine.hpp"

using namespace tandem;
using tandem::testing::RelayEngine;

TEST_CASE("simulation: spikes arrive after the wire latency", "[core][simulation]") {
  Simulation sim(SimulationSettings{});
  auto& a = sim.add_engine(std::make_unique<RelayEngine>("a", 4));
  auto& b = sim.add_engine(std::make_unique<RelayEngine>("b", 4));
  a.scheduled = {{0, 1}, {3, 2}, {3, 0}};
  sim.connect(Wire{{"a", "spikes_out"}, {"b", "spikes_in"}, 5});
  sim.run(20);
  CHECK(sim.epoch_ticks() == 5);
  REQUIRE(b.received_spikes.size() == 3);
  CHECK(b.received_spikes.tick == std::vector<Tick>{5, 8, 8});
  CHECK(b.received_spikes.index == std::vector<std::uint32_t>{1, 2, 0});
  for (const Epoch& epoch : b.epochs) CHECK(epoch.length() <= 5);
}

TEST_CASE("simulation: a loop through latency 1 relays every tick", "[core][simulation]") {
  Simulation sim(SimulationSettings{});
  auto& a = sim.add_engine(std::make_unique<RelayEngine>("a", 2));
  auto& b = sim.add_engine(std::make_unique<RelayEngine>("b", 2));
  a.scheduled = {{0, 1}};
  sim.connect(Wire{{"a", "spikes_out"}, {"b", "spikes_in"}, 1});
  sim.connect(Wire{{"b", "spikes_out"}, {"a", "spikes_in"}, 2});
  sim.run(10);
  // a emits at 0, b receives at 1, a at 3, b at 4, a at 6, b at 7, a at 9.
  CHECK(b.received_spikes.tick == std::vector<Tick>{1, 4, 7});
  CHECK(a.received_spikes.tick == std::vector<Tick>{3, 6, 9});
}

TEST_CASE("simulation: dense frames travel with their tick", "[core][simulation]") {
  Simulation sim(SimulationSettings{});
  sim.add(std::make_unique<RelayEngine>("a", 3));
  auto& b = sim.add_engine(std::make_unique<RelayEngine>("b", 3));
  sim.connect(Wire{{"a", "dense_out"}, {"b", "dense_in"}, 3});
  sim.connect(Wire{{"b", "dense_out"}, {"a", "dense_in"}, 3});
  sim.run(1);
  // Nothing is emitted without input; counters still see the ticks.
  CHECK(b.received_frames.empty());
  CHECK(sim.counters().size() == 2);
  CHECK(sim.counters()[0].always_on[Op::neuron_update] == 3);
}

TEST_CASE("simulation: bad wires are errors that name the wire", "[core][simulation]") {
  auto make = [] {
    auto sim = std::make_unique<Simulation>(SimulationSettings{});
    sim->add(std::make_unique<RelayEngine>("a", 2));
    sim->add(std::make_unique<RelayEngine>("b", 3));
    return sim;
  };
  {
    auto sim = make();
    sim->connect(Wire{{"a", "spikes_out"}, {"b", "spikes_in"}, 1});
    CHECK_THROWS_WITH(sim->build(), Catch::Contains("a.spikes_out -> b.spikes_in") &&
                                        Catch::Contains("width mismatch"));
  }
  {
    auto sim = make();
    sim->connect(Wire{{"a", "spikes_out"}, {"a", "dense_in"}, 1});
    CHECK_THROWS_WITH(sim->build(), Catch::Contains("spikes port to a dense port"));
  }
  {
    auto sim = make();
    sim->connect(Wire{{"a", "spikes_out"}, {"a", "spikes_in"}, 0});
    CHECK_THROWS_WITH(sim->build(), Catch::Contains("a.spikes_out -> a.spikes_in") &&
                                        Catch::Contains("cannot lead back to its own engine"));
  }
  {
    auto sim = make();
    sim->connect(Wire{{"a", "spikes_out"}, {"a", "spikes_in"}, -1});
    CHECK_THROWS_WITH(sim->build(), Catch::Contains("latency must be 0 (same tick) or more"));
  }
  {
    auto sim = make();
    sim->connect(Wire{{"a", "nope"}, {"a", "spikes_in"}, 1});
    CHECK_THROWS_WITH(sim->build(), Catch::Contains("has no port 'nope'"));
  }
  {
    auto sim = make();
    sim->connect(Wire{{"a", "spikes_in"}, {"a", "spikes_in"}, 1});
    CHECK_THROWS_WITH(sim->build(), Catch::Contains("is an input port"));
  }
  {
    auto sim = make();
    CHECK_THROWS_AS(sim->add(std::make_unique<RelayEngine>("a", 1)), InputError);
  }
}

TEST_CASE("simulation: runs continue and reset starts over", "[core][simulation]") {
  Simulation sim(SimulationSettings{});
  auto& a = sim.add_engine(std::make_unique<RelayEngine>("a", 1));
  sim.run(250);
  CHECK(sim.now() == 250);
  CHECK(a.epochs.size() == 3);  // max_epoch_ticks = 100 with no wires
  sim.run(50);
  CHECK(sim.now() == 300);
  sim.reset();
  CHECK(sim.now() == 0);
  CHECK(a.epochs.empty());
}

TEST_CASE("simulation: wires of different latency into one port arrive merged in tick order",
          "[core][simulation]") {
  Simulation sim(SimulationSettings{});
  auto& a = sim.add_engine(std::make_unique<RelayEngine>("a", 4));
  auto& b = sim.add_engine(std::make_unique<RelayEngine>("b", 4));
  auto& c = sim.add_engine(std::make_unique<RelayEngine>("c", 4));
  a.scheduled = {{0, 0}, {1, 1}, {2, 2}};
  b.scheduled = {{0, 3}, {3, 3}};
  sim.connect(Wire{{"a", "spikes_out"}, {"c", "spikes_in"}, 3});
  sim.connect(Wire{{"b", "spikes_out"}, {"c", "spikes_in"}, 1});
  sim.run(10);
  // a's spikes arrive at 3, 4, 5; b's at 1 and 4 (pending holds them out of order).
  CHECK(c.received_spikes.tick == std::vector<Tick>{1, 3, 4, 4, 5});
  CHECK(c.received_spikes.index == std::vector<std::uint32_t>{3, 0, 1, 3, 2});
}

TEST_CASE("simulation: one output port feeding two wires delivers the same frames to both",
          "[core][simulation]") {
  Simulation sim(SimulationSettings{});
  sim.add(std::make_unique<RelayEngine>("source", 2));
  auto& left = sim.add_engine(std::make_unique<RelayEngine>("left", 2));
  auto& right = sim.add_engine(std::make_unique<RelayEngine>("right", 2));
  sim.add(std::make_unique<RelayEngine>("relay", 2));
  // relay's output port feeds two wires: the first must get a copy, the last may take the frame.
  sim.connect(Wire{{"relay", "dense_out"}, {"left", "dense_in"}, 2});
  sim.connect(Wire{{"relay", "dense_out"}, {"right", "dense_in"}, 5});
  sim.connect(Wire{{"source", "dense_out"}, {"relay", "dense_in"}, 1});
  sim.build();
  // `source` emits one frame at tick 0; relay passes it on at tick 1.
  auto& source = dynamic_cast<RelayEngine&>(sim.engine("source"));
  source.inject_frame = DenseFrame{0, Eigen::Vector2f(0.25F, -1.5F)};
  sim.run(12);
  REQUIRE(left.received_frames.size() == 1);
  REQUIRE(right.received_frames.size() == 1);
  CHECK(left.received_frames[0].tick == 3);   // 0 + 1 (to relay) + 2
  CHECK(right.received_frames[0].tick == 6);  // 0 + 1 + 5
  CHECK(left.received_frames[0].values == Eigen::Vector2f(0.25F, -1.5F));
  CHECK(right.received_frames[0].values == Eigen::Vector2f(0.25F, -1.5F));
}

TEST_CASE("simulation: same-tick wires deliver within the tick, whatever order the engines were added in",
          "[core][simulation]") {
  // c <- b <- a over latency 0, added as c, b, a: each must advance after its source. A spike a
  // emits at tick t reaches b and c at t; a frame likewise.
  Simulation sim(SimulationSettings{});
  auto& c = sim.add_engine(std::make_unique<RelayEngine>("c", 4));
  auto& b = sim.add_engine(std::make_unique<RelayEngine>("b", 4));
  auto& a = sim.add_engine(std::make_unique<RelayEngine>("a", 4));
  a.scheduled = {{0, 1}, {7, 3}, {7, 0}, {150, 2}};
  a.inject_frame = DenseFrame{5, Eigen::Vector4f(1.0F, 2.0F, 3.0F, 4.0F)};
  sim.connect(Wire{{"b", "spikes_out"}, {"c", "spikes_in"}, 0});
  sim.connect(Wire{{"a", "spikes_out"}, {"b", "spikes_in"}, 0});
  sim.connect(Wire{{"a", "dense_out"}, {"b", "dense_in"}, 0});
  sim.connect(Wire{{"b", "dense_out"}, {"c", "dense_in"}, 0});
  sim.run(200);
  CHECK(sim.epoch_ticks() == 100);  // same-tick wires do not shorten epochs
  CHECK(b.received_spikes.tick == std::vector<Tick>{0, 7, 7, 150});
  CHECK(c.received_spikes.tick == std::vector<Tick>{0, 7, 7, 150});
  CHECK(c.received_spikes.index == std::vector<std::uint32_t>{1, 3, 0, 2});
  REQUIRE(c.received_frames.size() == 1);
  CHECK(c.received_frames[0].tick == 5);
  CHECK(c.received_frames[0].values == Eigen::Vector4f(1.0F, 2.0F, 3.0F, 4.0F));
}

TEST_CASE("simulation: a same-tick arrival merges in tick order with delayed ones", "[core][simulation]") {
  Simulation sim(SimulationSettings{});
  auto& a = sim.add_engine(std::make_unique<RelayEngine>("a", 4));
  auto& b = sim.add_engine(std::make_unique<RelayEngine>("b", 4));
  auto& c = sim.add_engine(std::make_unique<RelayEngine>("c", 4));
  a.scheduled = {{0, 0}, {4, 1}};  // to c 3 ticks later: 3, 7
  b.scheduled = {{2, 2}, {5, 3}};  // to c the same tick: 2, 5
  sim.connect(Wire{{"a", "spikes_out"}, {"c", "spikes_in"}, 3});
  sim.connect(Wire{{"b", "spikes_out"}, {"c", "spikes_in"}, 0});
  sim.run(10);
  CHECK(sim.epoch_ticks() == 3);
  CHECK(c.received_spikes.tick == std::vector<Tick>{2, 3, 5, 7});
  CHECK(c.received_spikes.index == std::vector<std::uint32_t>{2, 0, 3, 1});
}

TEST_CASE("simulation: a loop of same-tick wires is refused, naming it", "[core][simulation]") {
  Simulation sim(SimulationSettings{});
  sim.add(std::make_unique<RelayEngine>("a", 2));
  sim.add(std::make_unique<RelayEngine>("b", 2));
  sim.add(std::make_unique<RelayEngine>("c", 2));
  sim.connect(Wire{{"a", "spikes_out"}, {"b", "spikes_in"}, 0});
  sim.connect(Wire{{"b", "spikes_out"}, {"c", "spikes_in"}, 0});
  sim.connect(Wire{{"c", "spikes_out"}, {"a", "spikes_in"}, 0});
  CHECK_THROWS_WITH(sim.build(), Catch::Contains("form a loop") && Catch::Contains("a -> b") && Catch::Contains("c -> a"));
  // With latency 1 on the closing wire it is an ordinary loop.
  Simulation ok(SimulationSettings{});
  ok.add(std::make_unique<RelayEngine>("a", 2));
  ok.add(std::make_unique<RelayEngine>("b", 2));
  ok.connect(Wire{{"a", "spikes_out"}, {"b", "spikes_in"}, 0});
  ok.connect(Wire{{"b", "spikes_out"}, {"a", "spikes_in"}, 1});
  CHECK_NOTHROW(ok.build());
}
