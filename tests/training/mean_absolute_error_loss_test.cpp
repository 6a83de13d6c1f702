// SPDX-License-Identifier: Apache-2.0
#include "keras/losses/mean_absolute_error.h"
#include "support/loss_cases.h"
#include "support/tensor_matchers.h"

#include <gtest/gtest.h>

#include <vector>

namespace keras::losses {
namespace {

using testing::all_close;
using testing::floats;

TEST(MeanAbsoluteErrorLossTest, AveragesOverTheLastAxisLikeKerasDocumentation) {
  // keras.losses.MeanAbsoluteError docs: 0.5 for these values.
  const MeanAbsoluteError loss;
  const Tensor y_true = floats({0, 1, 0, 0}, {2, 2});
  const Tensor y_pred = floats({1, 1, 1, 0}, {2, 2});
  EXPECT_TRUE(all_close(loss.per_sample(y_true, y_pred), floats({0.5f, 0.5f}, {2})));
  EXPECT_EQ(loss(y_true, y_pred), 0.5);
  EXPECT_EQ(MeanAbsoluteError({.reduction = "sum"})(y_true, y_pred), 1.0);
  EXPECT_EQ(loss.name(), "mean_absolute_error");
}

TEST(MeanAbsoluteErrorLossTest, KeepsEveryAxisButTheLastPerSample) {
  testing::expect_keeps_every_axis_but_the_last_per_sample<MeanAbsoluteError>();
}

TEST(MeanAbsoluteErrorLossTest, TakesTargetsOfRankOneForOneOutput) {
  const MeanAbsoluteError loss;
  EXPECT_TRUE(all_close(loss.per_sample(floats({1, 0}, {2}), floats({3, -2}, {2, 1})),
                        floats({2, 2}, {2})));
}

TEST(MeanAbsoluteErrorLossTest, GradientMatchesFiniteDifferences) {
  testing::expect_gradient_matches_finite_differences<MeanAbsoluteError>();
}

TEST(MeanAbsoluteErrorLossTest, RejectsTargetsOfAnotherShape) {
  testing::expect_rejects_targets_of_another_shape<MeanAbsoluteError>("mean_absolute_error");
}

}  // namespace
}  // namespace keras::losses
