// Convolutional and pooling projections: the synapses a kernel builds deliver exactly what the
// nested-loop convolution computes for a spike pattern; counts and shape errors.
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "neurons/lif.hpp"
#include "neurons/projection.hpp"
#include "tests/ann/convolution_reference.hpp"
#include "tests/neurons/network_fixtures.hpp"

using namespace tandem;
using namespace tandem::neurons;
using Catch::Matchers::Contains;

namespace {

Projection build(const ProjectionSpec& spec, std::size_t n_source, std::size_t n_target) {
  return Projection(spec, n_source, n_target, false, 0, TimeBase(1.0), 3);
}

// What one tick of spikes from `spiking` adds to each target, through Projection::deliver.
std::vector<float> delivered(const Projection& projection, const std::vector<std::uint32_t>& spiking,
                             std::size_t n_target) {
  std::vector<float> row(n_target, 0.0F);
  projection.deliver(spiking, nullptr, [&](Tick) { return row.data(); }, [](Tick, const std::uint32_t*, const std::uint32_t*) {});
  return row;
}

}  // namespace

TEST_CASE("convolution projection: spikes deliver the reference convolution", "[neurons][projection][convolution]") {
  RandomStream random(77);
  for (int trial = 0; trial < 40; ++trial) {
    const ConvolutionShape s = tandem::testing::random_convolution_shape(random, trial % 4 == 3);
    INFO("trial " << trial << ": " << s.in_channels << "x" << s.in_height << "x" << s.in_width << " -> "
                  << s.out_channels << " kernel " << s.kernel_height << "x" << s.kernel_width << " groups " << s.groups);
    const auto kernel = tandem::testing::random_values(s.kernel_values(), 1.0, random);
    const Projection p = build(make_convolution_projection("conv", "a", "b", "v", s, kernel), s.inputs(), s.outputs());
    CHECK(p.synapse_count() == convolution_macs(s));
    // A random spike pattern: x = 1 for spiking sources.
    std::vector<float> x(s.inputs(), 0.0F);
    std::vector<std::uint32_t> spiking;
    for (std::uint32_t j = 0; j < s.inputs(); ++j) {
      if (random.bernoulli(0.4)) {
        x[j] = 1.0F;
        spiking.push_back(j);
      }
    }
    const auto expected = tandem::testing::reference_convolution(s, kernel, {}, x);
    const auto got = delivered(p, spiking, s.outputs());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      INFO("target " << i);
      CHECK(got[i] == Approx(expected[i]).margin(1e-5));
    }
  }
}

TEST_CASE("convolution projection: sum and average pooling", "[neurons][projection][convolution]") {
  const ConvolutionShape shape = pooling_shape(2, 5, 4, 2, 2, 2, 2, 1, 0, "pool");  // 2x3x2 outputs
  const auto average = GENERATE(false, true);
  const Projection p = build(make_pooling_projection("pool", "a", "b", "i_syn", shape,
                                                     average ? PoolKind::average : PoolKind::sum),
                             40, shape.outputs());
  CHECK(shape.outputs() == 12);
  std::vector<float> x(40, 0.0F);
  std::vector<std::uint32_t> spiking;
  for (std::uint32_t j = 0; j < 40; j += 3) {
    x[j] = 1.0F;
    spiking.push_back(j);
  }
  const auto expected = tandem::testing::reference_pooling(2, 5, 4, 2, 2, 2, 2, 1, 0, average, x);
  const auto got = delivered(p, spiking, 12);
  for (std::size_t i = 0; i < 12; ++i) CHECK(got[i] == Approx(expected[i]));
  // Only the kernel is stored (the taps' weights, 4 bytes each); synapses still count one by one.
  CHECK(p.memory_bytes() == shape.kernel_values() * 4);
  CHECK(p.synapse_count() == convolution_macs(shape));
  CHECK(p.bytes_per_synapse() == 4);
}

TEST_CASE("convolution projection: shape errors name the projection", "[neurons][projection][convolution]") {
  const ConvolutionShape s{.in_channels = 2, .in_height = 3, .in_width = 3, .out_channels = 2,
                           .kernel_height = 2, .kernel_width = 2};
  CHECK_THROWS_WITH(build(make_convolution_projection("c", "a", "b", "v", s, std::vector<float>(16, 1.0F)), 18, 7),
                    Contains("projection 'c'") && Contains("populations have 18 and 7"));
  CHECK_THROWS_WITH(build(make_convolution_projection("c", "a", "b", "v", s, std::vector<float>(15, 1.0F)), 18, 8),
                    Contains("projection 'c'") && Contains("kernel has 15 values"));
  ConvolutionShape grouped = s;
  grouped.groups = 3;
  CHECK_THROWS_WITH(build(make_convolution_projection("g", "a", "b", "v", grouped, {}), 18, 8),
                    Contains("projection 'g'") && Contains("divisible by groups 3"));
  ConvolutionShape big = s;
  big.kernel_height = 4;
  CHECK_THROWS_WITH(build(make_convolution_projection("k", "a", "b", "v", big, {}), 18, 8),
                    Contains("projection 'k'") && Contains("larger than the padded input"));
}

TEST_CASE("convolution projection: a conv + pool network runs bit-identically event and always-on",
          "[neurons][projection][convolution][engine]") {
  // g (2x6x6 spike generator) -conv 3x3 pad 1, groups 2-> a (4x6x6 LIF) -sum pool 2x2-> b (4x3x3 LIF)
  RandomStream random(5);
  const ConvolutionShape conv{.in_channels = 2, .in_height = 6, .in_width = 6, .out_channels = 4,
                              .kernel_height = 3, .kernel_width = 3, .padding_height = 1, .padding_width = 1,
                              .groups = 2};
  std::vector<float> kernel(conv.kernel_values());
  for (float& w : kernel) w = static_cast<float>(random.uniform(-5.0, 20.0));
  std::vector<std::pair<Tick, std::uint32_t>> spikes;
  for (Tick t = 0; t < 40; ++t) {
    for (std::uint32_t j = 0; j < 72; ++j) {
      if (random.bernoulli(0.1)) spikes.emplace_back(t, j);
    }
  }
  auto engine = std::make_unique<EventEngine>("snn", TimeBase(1.0));
  engine->add_spike_generator("g", 72, spikes);
  engine->add_population<Lif>("a", 144);
  engine->add_population<Lif>("b", 36);
  engine->connect(make_convolution_projection("g_a", "g", "a", "v", conv, kernel));
  engine->connect(make_pooling_projection("a_b", "a", "b", "v", pooling_shape(4, 6, 6, 2, 2, 2, 2, 0, 0, "a_b"),
                                          PoolKind::sum, 2.0));
  const auto event = neurons::testing::run_engine(*engine, 60, 1, ExecutionMode::event);
  const auto always = neurons::testing::run_engine(*engine, 60, 1, ExecutionMode::always_on);
  CHECK(event.spikes.tick == always.spikes.tick);
  CHECK(event.spikes.index == always.spikes.index);
  REQUIRE(event.state.size() == always.state.size());
  for (std::size_t v = 0; v < event.state.size(); ++v) CHECK(neurons::testing::bit_identical(event.state[v], always.state[v]));
  std::uint32_t port_b = 0;
  for (std::uint32_t p = 0; p < engine->ports().size(); ++p) {
    if (engine->ports()[p].node == "b" && engine->ports()[p].direction == PortDirection::out) port_b = p;
  }
  std::size_t from_b = 0;
  for (const std::uint32_t index : event.spikes.index) from_b += (index >> 24) == port_b ? 1 : 0;
  CHECK(from_b > 0);  // the spikes made it through both projections
  CHECK(neurons::testing::node(event, "g_a").units == convolution_macs(conv));  // a projection's units are its synapses
}
