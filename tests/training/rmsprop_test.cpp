// SPDX-License-Identifier: Apache-2.0
#include "keras/optimizers/rmsprop.h"

#include "support/tensor_matchers.h"
#include "training/optimizer_steps.h"

#include <gtest/gtest.h>

namespace keras::optimizers {
namespace {

using testing::all_close;
using testing::values_after_steps;
using testing::vector_of;

const std::vector<std::vector<float>> two_gradients{{1.0f, -0.5f}, {0.5f, 0.5f}};

TEST(RMSpropTest, DefaultsAreKeras) {
  const RMSprop rmsprop;
  EXPECT_EQ(rmsprop.name(), "rmsprop");
  EXPECT_EQ(rmsprop.learning_rate(), 0.001);
  EXPECT_EQ(rmsprop.options().rho, 0.9);
  EXPECT_EQ(rmsprop.options().momentum, 0.0);
  EXPECT_EQ(rmsprop.options().epsilon, 1e-7);
  EXPECT_FALSE(rmsprop.options().centered);
}

TEST(RMSpropTest, EpsilonIsInsideTheSquareRoot) {
  // v = 0.1 g^2; w -= 0.01 g / sqrt(v + 1e-7): 1 - 0.01 / sqrt(0.1000001) = 0.96837724.
  RMSprop rmsprop({.learning_rate = 0.01});
  const auto after = values_after_steps(rmsprop, {1.0f, -2.0f}, two_gradients);
  EXPECT_TRUE(all_close(after[0], vector_of({0.96837724f, -1.96837729f}), 1e-6, 1e-6));
  EXPECT_TRUE(all_close(after[1], vector_of({0.95363305f, -1.99131884f}), 1e-6, 1e-6));
  EXPECT_EQ(rmsprop.variables().size(), 3U);  // iteration, learning_rate, one velocity
}

TEST(RMSpropTest, MomentumAccumulatesTheIncrements) {
  RMSprop rmsprop({.learning_rate = 0.01, .momentum = 0.5});
  const auto after = values_after_steps(rmsprop, {1.0f, -2.0f}, two_gradients);
  EXPECT_TRUE(all_close(after[0], vector_of({0.96837724f, -1.96837729f}), 1e-6, 1e-6));
  EXPECT_TRUE(all_close(after[1], vector_of({0.93782167f, -1.97550748f}), 1e-6, 1e-6));
}

TEST(RMSpropTest, CenteredDividesByTheVarianceEstimate) {
  // Step 1: v = 0.1, a = 0.1 (g = 1): 1 - 0.01 / sqrt(0.1 - 0.01 + 1e-7) = 0.96666669.
  RMSprop rmsprop({.learning_rate = 0.01, .centered = true});
  const auto after = values_after_steps(rmsprop, {1.0f, -2.0f}, two_gradients);
  EXPECT_TRUE(all_close(after[0], vector_of({0.96666669f, -1.96666674f}), 1e-6, 1e-6));
  EXPECT_TRUE(all_close(after[1], vector_of({0.9504786f, -1.98961433f}), 1e-6, 1e-6));
}

TEST(RMSpropTest, ConfigRoundTrips) {
  const RMSprop rmsprop({.rho = 0.95, .momentum = 0.1, .epsilon = 1e-6, .centered = true});
  const auto copy = deserialize(rmsprop.to_json());
  const auto& options = dynamic_cast<const RMSprop&>(*copy).options();
  EXPECT_EQ(options.rho, 0.95);
  EXPECT_EQ(options.momentum, 0.1);
  EXPECT_EQ(options.epsilon, 1e-6);
  EXPECT_TRUE(options.centered);
  EXPECT_EQ(copy->to_json(), rmsprop.to_json());
}

}  // namespace
}  // namespace keras::optimizers
