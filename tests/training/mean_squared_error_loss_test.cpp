// SPDX-License-Identifier: Apache-2.0
#include "keras/losses/mean_squared_error.h"
#include "support/expect_error.h"
#include "support/loss_gradient.h"
#include "support/tensor_matchers.h"

#include <gtest/gtest.h>

#include <vector>

namespace keras::losses {
namespace {

using testing::all_close;
using testing::error_message;
using testing::loss_gradient_matches_finite_differences;

Tensor floats(std::vector<float> values, std::vector<std::int64_t> shape) {
  return Tensor::from_data(values, std::move(shape));
}

TEST(MeanSquaredErrorLossTest, AveragesOverTheLastAxisLikeKerasDocumentation) {
  // keras.losses.MeanSquaredError docs: 0.5 for these values.
  const MeanSquaredError loss;
  const Tensor y_true = floats({0, 1, 0, 0}, {2, 2});
  const Tensor y_pred = floats({1, 1, 1, 0}, {2, 2});
  EXPECT_TRUE(all_close(loss.per_sample(y_true, y_pred), floats({0.5f, 0.5f}, {2})));
  EXPECT_EQ(loss(y_true, y_pred), 0.5);
  EXPECT_EQ(MeanSquaredError({.reduction = "sum"})(y_true, y_pred), 1.0);
  EXPECT_EQ(loss.name(), "mean_squared_error");
}

TEST(MeanSquaredErrorLossTest, KeepsEveryAxisButTheLastPerSample) {
  const MeanSquaredError loss;
  const Tensor y_true = Tensor::uniform({2, 3, 4}, -1.0f, 1.0f, 1);
  const Tensor y_pred = Tensor::uniform({2, 3, 4}, -1.0f, 1.0f, 2);
  const Tensor per_sample = loss.per_sample(y_true, y_pred);
  EXPECT_EQ(per_sample.shape(), (std::vector<std::int64_t>{2, 3}));
  const std::vector<float> values = per_sample.to_vector();
  double mean = 0.0;
  for (const float value : values) mean += value / 6.0;
  EXPECT_NEAR(loss(y_true, y_pred), mean, 1e-6);
}

TEST(MeanSquaredErrorLossTest, TakesTargetsOfRankOneForOneOutput) {
  const MeanSquaredError loss;
  EXPECT_TRUE(all_close(loss.per_sample(floats({1, 0}, {2}), floats({3, -2}, {2, 1})),
                        floats({4, 4}, {2})));
}

TEST(MeanSquaredErrorLossTest, GradientMatchesFiniteDifferences) {
  const Tensor y_true = Tensor::uniform({3, 4}, -1.0f, 1.0f, 3);
  const Tensor y_pred = Tensor::uniform({3, 4}, -1.0f, 1.0f, 4);
  EXPECT_TRUE(loss_gradient_matches_finite_differences(MeanSquaredError(), y_true, y_pred));
  EXPECT_TRUE(loss_gradient_matches_finite_differences(MeanSquaredError({.reduction = "sum"}),
                                                       y_true, y_pred));
}

TEST(MeanSquaredErrorLossTest, RejectsTargetsOfAnotherShape) {
  // Keras would broadcast (N, 1) targets against (N, 3) predictions; kerascpp refuses.
  const MeanSquaredError loss;
  EXPECT_EQ(error_message<ValueError>([&] {
              loss.check_targets({None, 1}, {None, 3}, DType::float32);
            }),
            "Loss \"mean_squared_error\": Arguments `target` and `output` must have the same "
            "shape. Received: target.shape=(None, 1), output.shape=(None, 3)");
  EXPECT_EQ(error_message<ValueError>([&] { loss.check_targets({}, {}, DType::float32); }),
            "Loss \"mean_squared_error\": Argument `output` must be at least rank 1. Received: "
            "output.shape=()");
}

}  // namespace
}  // namespace keras::losses
