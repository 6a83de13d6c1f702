// SPDX-License-Identifier: Apache-2.0
#include "keras/optimizers/adamw.h"

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

TEST(AdamWTest, DefaultsAreKeras) {
  const AdamW adamw;
  EXPECT_EQ(adamw.name(), "adamw");
  EXPECT_EQ(adamw.class_name(), "AdamW");
  EXPECT_EQ(adamw.learning_rate(), 0.001);
  EXPECT_EQ(adamw.options().weight_decay, 0.004);
  EXPECT_EQ(adamw.options().beta_1, 0.9);
  EXPECT_EQ(adamw.options().beta_2, 0.999);
  EXPECT_EQ(adamw.options().epsilon, 1e-7);
}

TEST(AdamWTest, DecaysTheWeightsEvenWithoutAGradient) {
  // A zero gradient leaves Adam's step at 0: only w -= w * 0.004 * 0.001 remains.
  AdamW adamw;
  const auto after = values_after_steps(adamw, {1.0f, -2.0f}, {{0.0f, 0.0f}});
  EXPECT_TRUE(all_close(after[0], vector_of({0.999996f, -1.999992f}), 0, 1e-7));
}

TEST(AdamWTest, DecaysBeforeEachAdamStep) {
  // Worked in double: w = w - w * 0.1 * 0.1, then Adam's step (see AdamTest).
  AdamW adamw({.learning_rate = 0.1, .weight_decay = 0.1});
  const auto after = values_after_steps(adamw, {1.0f, -2.0f}, {{0.5f, -1.0f}, {0.5f, 0.25f}});
  EXPECT_TRUE(all_close(after[0], vector_of({0.89000063f, -1.88000032f}), 1e-6, 1e-6));
  EXPECT_TRUE(all_close(after[1], vector_of({0.78110107f, -1.81425364f}), 1e-6, 1e-6));
}

TEST(AdamWTest, NeedsAWeightDecayInKerasWords) {
  EXPECT_EQ(error_message<ValueError>([] { AdamW({.weight_decay = std::nullopt}); }),
            "Argument `weight_decay` must be a float. Received: weight_decay=None");
  EXPECT_EQ(error_message<ValueError>([] {
              (void)deserialize(R"({"class_name": "AdamW", "config": {"weight_decay": null}})");
            }),
            "Argument `weight_decay` must be a float. Received: weight_decay=None");
}

TEST(AdamWTest, ConfigRoundTrips) {
  const AdamW adamw({.learning_rate = 0.01, .weight_decay = 0.05, .beta_2 = 0.99});
  const auto serialized = adamw.to_json();
  EXPECT_NE(serialized.find(R"("class_name":"AdamW")"), std::string::npos);
  const auto copy = deserialize(serialized);
  const auto& options = dynamic_cast<const AdamW&>(*copy).options();
  EXPECT_EQ(options.weight_decay, 0.05);
  EXPECT_EQ(options.beta_2, 0.99);
  EXPECT_EQ(copy->to_json(), serialized);
  EXPECT_EQ(error_message<NotImplementedError>([] { AdamW({.amsgrad = true}); }),
            "Optimizer 'adamw' (AdamW) uses Keras features kerascpp does not implement: "
            "amsgrad=True");
}

}  // namespace
}  // namespace keras::optimizers
