// SPDX-License-Identifier: Apache-2.0
#include "keras/optimizers/adam.h"

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

TEST(AdamTest, DefaultsAreKeras) {
  const Adam adam;
  EXPECT_EQ(adam.name(), "adam");
  EXPECT_EQ(adam.learning_rate(), 0.001);
  EXPECT_EQ(adam.options().beta_1, 0.9);
  EXPECT_EQ(adam.options().beta_2, 0.999);
  EXPECT_EQ(adam.options().epsilon, 1e-7);
  EXPECT_FALSE(adam.options().amsgrad);
  EXPECT_FALSE(adam.options().weight_decay.has_value());
}

TEST(AdamTest, TwoStepsMatchKerasFormula) {
  // Worked in double: t=1: alpha = 0.1 sqrt(0.001) / 0.1, m = 0.1 g, v = 0.001 g^2;
  // t=2: alpha = 0.1 sqrt(1 - 0.999^2) / (1 - 0.81), m = 0.09 g1 + 0.1 g2, ...
  Adam adam({.learning_rate = 0.1});
  const auto after = values_after_steps(adam, {1.0f, -2.0f}, {{0.5f, -1.0f}, {0.5f, 0.25f}});
  EXPECT_TRUE(all_close(after[0], vector_of({0.90000063f, -1.90000032f}), 1e-6, 1e-6));
  EXPECT_TRUE(all_close(after[1], vector_of({0.80000108f, -1.85305364f}), 1e-6, 1e-6));
  const auto state = adam.variables();
  EXPECT_TRUE(all_close(state[2].value(), vector_of({0.095f, -0.065f}), 1e-7, 1e-5));      // m
  EXPECT_TRUE(all_close(state[3].value(), vector_of({4.9975e-4f, 1.0615e-3f}), 0, 1e-5));  // v
}

TEST(AdamTest, EpsilonIsAddedAfterTheBiasCorrection) {
  // With a gradient far below epsilon the placement decides the step: Keras's
  // alpha * m / (sqrt(v) + eps) gives -3.15e-6; lr * m_hat / (sqrt(v_hat) + eps) would give
  // -9.1e-5.
  Adam adam;
  const auto after = values_after_steps(adam, {0.0f}, {{1e-8f}});
  EXPECT_TRUE(all_close(after[0], vector_of({-3.1523092e-6f}), 0, 1e-4));
}

TEST(AdamTest, AmsgradIsNotImplemented) {
  EXPECT_EQ(error_message<NotImplementedError>([] { Adam({.amsgrad = true}); }),
            "Optimizer 'adam' (Adam) uses Keras features kerascpp does not implement: "
            "amsgrad=True");
}

TEST(AdamTest, ConfigRoundTrips) {
  const Adam adam({.learning_rate = 3e-4, .beta_1 = 0.8, .epsilon = 1e-8, .name = "opt"});
  const auto copy = deserialize(adam.to_json());
  const auto& options = dynamic_cast<const Adam&>(*copy).options();
  EXPECT_EQ(copy->name(), "opt");
  EXPECT_EQ(options.learning_rate, 3e-4);
  EXPECT_EQ(options.beta_1, 0.8);
  EXPECT_EQ(options.beta_2, 0.999);
  EXPECT_EQ(options.epsilon, 1e-8);
  EXPECT_EQ(copy->to_json(), adam.to_json());
}

}  // namespace
}  // namespace keras::optimizers
