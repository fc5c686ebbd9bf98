// DAgger training of the cart-pole policy layer: the ridge fit, determinism, and the weights file.
#include <catch2/catch.hpp>
#include <filesystem>

#include "core/random.hpp"
#include "examples/cartpole/dagger_tap.hpp"
#include "examples/cartpole/training.hpp"

using namespace tandem;
using namespace tandem::examples;

TEST_CASE("cartpole training: the ridge fit recovers a linear map from noiseless samples", "[examples][cartpole]") {
  RandomStream random = RandomStream::derived(5, "ridge");
  const Eigen::Vector3f truth{0.5F, -2.0F, 1.25F};
  const float truth_bias = 0.75F;
  RidgeAccumulator data(3);
  for (int k = 0; k < 200; ++k) {
    Eigen::VectorXf f(3);
    for (Eigen::Index i = 0; i < 3; ++i) f[i] = random.uniform_float();
    data.add(f, static_cast<double>(truth.dot(f) + truth_bias));
  }
  Eigen::VectorXf weight;
  float bias = 0.0F;
  data.solve(1e-9, weight, bias);
  CHECK(data.samples() == 200);
  for (Eigen::Index i = 0; i < 3; ++i) CHECK(weight[i] == Approx(truth[i]).margin(1e-4));
  CHECK(bias == Approx(truth_bias).margin(1e-4));
}

TEST_CASE("cartpole training: the same seed gives the same weights, another seed others", "[examples][cartpole]") {
  const HybridControllerConfig config;
  TrainingSettings settings;
  settings.iterations = 2;
  settings.episodes_per_iteration = 2;
  settings.max_steps = 60;  // reduced data: 2 x 2 episodes of at most 60 steps
  const auto a = train_hybrid_controller(config, CartPoleParams{}, settings);
  const auto b = train_hybrid_controller(config, CartPoleParams{}, settings);
  settings.seed = 2;
  const auto c = train_hybrid_controller(config, CartPoleParams{}, settings);
  REQUIRE(a.iterations.size() == 2);
  CHECK(a.iterations[1].samples > a.iterations[0].samples);
  CHECK(a.weights.policy.weight == b.weights.policy.weight);
  CHECK(a.weights.policy.bias == b.weights.policy.bias);
  CHECK(a.weights.policy.weight != c.weights.policy.weight);
  CHECK(a.weights.policy.weight.cwiseAbs().maxCoeff() > 0.0F);
}

TEST_CASE("cartpole training: weights written are read back exactly", "[examples][cartpole]") {
  const HybridControllerConfig config;
  HybridControllerWeights weights{make_norm_weights(config), {}};
  weights.policy.weight =
      Eigen::VectorXf::LinSpaced(static_cast<Eigen::Index>(config.feature_count()), -3.0F, 3.0F).transpose();
  weights.policy.bias = Eigen::VectorXf::Constant(1, 0.125F);
  const auto path = (std::filesystem::temp_directory_path() / "tandem_cartpole_weights_roundtrip.h5").string();
  write_hybrid_weights(path, weights, "test");
  const auto back = load_hybrid_weights(path, config);
  std::filesystem::remove(path);
  CHECK(back.norm.weight == weights.norm.weight);
  CHECK(back.norm.weight(2, 2) == Approx(1.0 / 0.21));  // theta's scale
  CHECK(back.policy.weight == weights.policy.weight);
  CHECK(back.policy.bias == weights.policy.bias);
}
