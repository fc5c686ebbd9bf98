// DAgger training of the cart-pole policy layer: the ridge fit, determinism, and the weights file.
#include <catch2/catch.hpp>
#include <filesystem>

#include "core/random.hpp"
#include "examples/dagger_tap.hpp"
#include "examples/cartpole/cartpole_controller.hpp"

using namespace tandem;
using namespace tandem::examples;
using namespace tandem::environments;

TEST_CASE("cartpole training: the ridge fit recovers linear maps from noiseless samples", "[examples][cartpole]") {
  // Two targets at once (the bicycle's torque and displacement): each is fitted on its own.
  RandomStream random = RandomStream::derived(5, "ridge");
  const Eigen::Vector3f truth{0.5F, -2.0F, 1.25F};
  const Eigen::Vector3f truth_2{-0.01F, 0.0F, 0.03F};
  const float truth_bias = 0.75F;
  const float truth_bias_2 = -0.002F;
  RidgeAccumulator data(3, 2);
  for (int k = 0; k < 200; ++k) {
    Eigen::VectorXf f(3);
    for (Eigen::Index i = 0; i < 3; ++i) f[i] = random.uniform_float();
    const double targets[2] = {static_cast<double>(truth.dot(f) + truth_bias),
                               static_cast<double>(truth_2.dot(f) + truth_bias_2)};
    data.add(f, targets);
  }
  Eigen::MatrixXf weight;
  Eigen::VectorXf bias;
  data.solve(1e-9, weight, bias);
  CHECK(data.samples() == 200);
  REQUIRE(weight.rows() == 2);
  REQUIRE(weight.cols() == 3);
  for (Eigen::Index i = 0; i < 3; ++i) CHECK(weight(0, i) == Approx(truth[i]).margin(1e-4));
  for (Eigen::Index i = 0; i < 3; ++i) CHECK(weight(1, i) == Approx(truth_2[i]).margin(1e-5));
  CHECK(bias[0] == Approx(truth_bias).margin(1e-4));
  CHECK(bias[1] == Approx(truth_bias_2).margin(1e-5));
}

TEST_CASE("cartpole training: the same seed gives the same weights, another seed others", "[examples][cartpole]") {
  const HybridControllerConfig config = cartpole_controller_config();
  CartPoleTrainingSettings settings;
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
  const HybridControllerConfig config = cartpole_controller_config();
  HybridControllerWeights weights;
  weights.policy.weight =
      Eigen::VectorXf::LinSpaced(static_cast<Eigen::Index>(config.feature_count()), -3.0F, 3.0F).transpose();
  weights.policy.bias = Eigen::VectorXf::Constant(1, 0.125F);
  const auto path = (std::filesystem::temp_directory_path() / "tandem_cartpole_weights_roundtrip.h5").string();
  write_hybrid_weights(path, weights, "test");
  const auto back = load_hybrid_weights(path, config);
  std::filesystem::remove(path);
  CHECK(back.policy.weight == weights.policy.weight);
  CHECK(back.policy.bias == weights.policy.bias);
}
