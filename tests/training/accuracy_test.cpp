// SPDX-License-Identifier: Apache-2.0
#include "keras/metrics/accuracy.h"

#include "support/expect_error.h"

#include <gtest/gtest.h>

#include <vector>

namespace keras::metrics {
namespace {

using testing::error_message;

Tensor floats(std::vector<float> values, std::vector<std::int64_t> shape) {
  return Tensor::from_data(values, std::move(shape));
}

TEST(AccuracyTest, MatchesKerasDocumentationExample) {
  Accuracy accuracy;
  const std::vector<std::int32_t> y_true{1, 2, 3, 4};
  accuracy.update_state(Tensor::from_data(y_true, {4, 1}), floats({0, 2, 3, 4}, {4, 1}));
  EXPECT_EQ(accuracy.result(), 0.75);
  EXPECT_EQ(accuracy.name(), "accuracy");
  EXPECT_EQ(accuracy.get_config(), R"({"name":"accuracy","dtype":"float32"})");
}

TEST(AccuracyTest, NeedsExactEquality) {
  // 0.999 is not 1, and each sample's last axis is averaged: (0 + 1) / 2 then 0.5 more.
  Accuracy accuracy;
  accuracy.update_state(floats({1, 1}, {2, 1}), floats({0.999f, 1.0f}, {2, 1}));
  EXPECT_EQ(accuracy.result(), 0.5);
  accuracy.update_state(floats({1, 2}, {1, 2}), floats({1, 3}, {1, 2}));
  EXPECT_EQ(accuracy.result(), 0.5);
  accuracy.reset_state();
  EXPECT_EQ(accuracy.result(), 0.0);
}

TEST(AccuracyTest, RejectsTargetsOfAnotherShape) {
  Accuracy accuracy;
  EXPECT_EQ(error_message<ValueError>(
                [&] { accuracy.update_state(Tensor::zeros({3}), Tensor::zeros({4})); }),
            "Metric \"accuracy\": y_true and y_pred must have the same shape. Received: "
            "y_true.shape=(3,), y_pred.shape=(4,)");
}

}  // namespace
}  // namespace keras::metrics
