// SPDX-License-Identifier: Apache-2.0
#include "keras/optimizers/sgd.h"

#include "support/expect_error.h"
#include "support/tensor_matchers.h"
#include "training/optimizer_steps.h"

#include <gtest/gtest.h>

namespace keras::optimizers {
namespace {

using testing::all_close;
using testing::error_message;
using testing::values_after_steps;
using testing::vector_of;

TEST(SGDTest, DefaultsAreKeras) {
  const SGD sgd;
  EXPECT_EQ(sgd.name(), "SGD");
  EXPECT_EQ(sgd.learning_rate(), 0.01);
  EXPECT_EQ(sgd.options().momentum, 0.0);
  EXPECT_FALSE(sgd.options().nesterov);
  EXPECT_FALSE(sgd.options().weight_decay.has_value());
}

TEST(SGDTest, WithoutMomentumStepsAgainstTheGradient) {
  SGD sgd({.learning_rate = 0.1});
  const auto after = values_after_steps(sgd, {1.0f, 2.0f}, {{0.5f, -1.0f}, {0.5f, -1.0f}});
  EXPECT_TRUE(all_close(after[0], vector_of({0.95f, 2.1f}), 1e-6, 1e-6));
  EXPECT_TRUE(all_close(after[1], vector_of({0.9f, 2.2f}), 1e-6, 1e-6));
  EXPECT_EQ(sgd.variables().size(), 2U);  // no slots
}

TEST(SGDTest, MomentumAccumulatesAVelocity) {
  // m = 0.9 m - 0.1 g; w += m: m = -0.1, then -0.19.
  SGD sgd({.learning_rate = 0.1, .momentum = 0.9});
  const auto after = values_after_steps(sgd, {1.0f}, {{1.0f}, {1.0f}});
  EXPECT_TRUE(all_close(after[0], vector_of({0.9f}), 1e-6, 1e-6));
  EXPECT_TRUE(all_close(after[1], vector_of({0.71f}), 1e-6, 1e-6));
  EXPECT_TRUE(all_close(sgd.variables()[2].value(), vector_of({-0.19f}), 1e-6, 1e-6));
}

TEST(SGDTest, NesterovStepsWithTheNewVelocity) {
  // w += 0.9 m - 0.1 g with the new m: -0.19, then -0.271.
  SGD sgd({.learning_rate = 0.1, .momentum = 0.9, .nesterov = true});
  const auto after = values_after_steps(sgd, {1.0f}, {{1.0f}, {1.0f}});
  EXPECT_TRUE(all_close(after[0], vector_of({0.81f}), 1e-6, 1e-6));
  EXPECT_TRUE(all_close(after[1], vector_of({0.539f}), 1e-6, 1e-6));
}

TEST(SGDTest, RejectsMomentumOutsideZeroToOneInKerasWords) {
  EXPECT_EQ(error_message<ValueError>([] { SGD({.momentum = 1.5}); }),
            "`momentum` must be a float between [0, 1]. Received: momentum=1.5");
  EXPECT_EQ(error_message<ValueError>([] { SGD({.momentum = -0.1}); }),
            "`momentum` must be a float between [0, 1]. Received: momentum=-0.1");
  EXPECT_NO_THROW(SGD({.momentum = 1.0}));
}

TEST(SGDTest, ConfigRoundTrips) {
  const SGD sgd({.learning_rate = 0.1, .momentum = 0.5, .nesterov = true, .clipnorm = 1.0});
  const auto copy = deserialize(sgd.to_json());
  const auto& options = dynamic_cast<const SGD&>(*copy).options();
  EXPECT_EQ(options.learning_rate, 0.1);
  EXPECT_EQ(options.momentum, 0.5);
  EXPECT_TRUE(options.nesterov);
  EXPECT_EQ(options.clipnorm, 1.0);
  EXPECT_EQ(copy->to_json(), sgd.to_json());
}

}  // namespace
}  // namespace keras::optimizers
