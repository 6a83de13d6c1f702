// SPDX-License-Identifier: Apache-2.0
#include "keras/metrics/binary_accuracy.h"

#include "support/expect_error.h"

#include <gtest/gtest.h>

#include <vector>

namespace keras::metrics {
namespace {

using testing::error_message;

Tensor floats(std::vector<float> values, std::vector<std::int64_t> shape) {
  return Tensor::from_data(values, std::move(shape));
}

TEST(BinaryAccuracyTest, MatchesKerasDocumentationExample) {
  BinaryAccuracy accuracy;
  accuracy.update_state(floats({1, 1, 0, 0}, {4, 1}), floats({0.98f, 1.0f, 0.0f, 0.6f}, {4, 1}));
  EXPECT_EQ(accuracy.result(), 0.75);
  EXPECT_EQ(accuracy.name(), "binary_accuracy");
}

TEST(BinaryAccuracyTest, ThresholdDecidesAndRankOneLabelsGoWithOneOutput) {
  BinaryAccuracy accuracy({.threshold = 0.7});
  accuracy.update_state(floats({1, 0}, {2}), floats({0.6f, 0.6f}, {2, 1}));  // 0.6 counts as 0
  EXPECT_EQ(accuracy.result(), 0.5);
}

TEST(BinaryAccuracyTest, AveragesOverTheLastAxisPerSample) {
  // Sample 1 matches 1 of 2 outputs, sample 2 both: (0.5 + 1) / 2; then a batch of one sample
  // matching none: (0.5 + 1 + 0) / 3.
  BinaryAccuracy accuracy;
  accuracy.update_state(floats({1, 1, 0, 1}, {2, 2}), floats({0.9f, 0.1f, 0.2f, 0.8f}, {2, 2}));
  EXPECT_EQ(accuracy.result(), 0.75);
  accuracy.update_state(floats({1, 1}, {1, 2}), floats({0.1f, 0.1f}, {1, 2}));
  EXPECT_EQ(accuracy.result(), 0.5);
}

TEST(BinaryAccuracyTest, RejectsThresholdsOutsideTheOpenUnitInterval) {
  EXPECT_EQ(error_message<ValueError>([] { BinaryAccuracy({.threshold = 1.0}); }),
            "Invalid value for argument `threshold`. Expected a value in interval (0, 1). "
            "Received: threshold=1.0");
}

TEST(BinaryAccuracyTest, RejectsTargetsOfAnotherShape) {
  BinaryAccuracy accuracy;
  EXPECT_EQ(error_message<ValueError>([&] {
              accuracy.update_state(Tensor::zeros({4}), Tensor::zeros({4, 2}));
            }),
            "Metric \"binary_accuracy\": y_true and y_pred must have the same shape. Received: "
            "y_true.shape=(4,), y_pred.shape=(4, 2)");
  EXPECT_EQ(error_message<ValueError>(
                [&] { accuracy.update_state(Tensor::zeros({}), Tensor::zeros({})); }),
            "Metric \"binary_accuracy\": y_pred must have at least one axis. Received: "
            "y_pred.shape=()");
}

TEST(BinaryAccuracyTest, ConfigHasNameDtypeAndThreshold) {
  EXPECT_EQ(BinaryAccuracy().get_config(),
            R"({"name":"binary_accuracy","dtype":"float32","threshold":0.5})");
}

}  // namespace
}  // namespace keras::metrics
