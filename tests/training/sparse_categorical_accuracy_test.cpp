// SPDX-License-Identifier: Apache-2.0
#include "keras/metrics/sparse_categorical_accuracy.h"

#include "support/expect_error.h"

#include <gtest/gtest.h>

#include <vector>

namespace keras::metrics {
namespace {

using testing::error_message;

Tensor floats(std::vector<float> values, std::vector<std::int64_t> shape) {
  return Tensor::from_data(values, std::move(shape));
}

Tensor labels(std::vector<std::int32_t> values, std::vector<std::int64_t> shape) {
  return Tensor::from_data(values, std::move(shape));
}

const Tensor keras_doc_predictions = floats({0.1f, 0.6f, 0.3f, 0.05f, 0.95f, 0.0f}, {2, 3});

TEST(SparseCategoricalAccuracyTest, MatchesKerasDocumentationExample) {
  SparseCategoricalAccuracy accuracy;
  accuracy.update_state(floats({2, 1}, {2, 1}), keras_doc_predictions);
  EXPECT_EQ(accuracy.result(), 0.5);
  EXPECT_EQ(accuracy.name(), "sparse_categorical_accuracy");
}

TEST(SparseCategoricalAccuracyTest, TakesIntegerLabelsAndCountsEverySample) {
  SparseCategoricalAccuracy accuracy;
  accuracy.update_state(labels({1, 1}, {2}), keras_doc_predictions);            // 2 of 2
  accuracy.update_state(labels({0}, {1}), floats({0.2f, 0.8f, 0.0f}, {1, 3}));  // 0 of 1
  EXPECT_DOUBLE_EQ(accuracy.result(), 2.0 / 3.0);
  accuracy.reset_state();
  EXPECT_EQ(accuracy.result(), 0.0);
}

TEST(SparseCategoricalAccuracyTest, CountsEachPositionOfRankThreePredictions) {
  // Per-pixel labels (1, 2) for predictions (1, 2, 2): one of the two positions matches.
  SparseCategoricalAccuracy accuracy;
  accuracy.update_state(labels({1, 1}, {1, 2}), floats({0.1f, 0.9f, 0.8f, 0.2f}, {1, 2, 2}));
  EXPECT_EQ(accuracy.result(), 0.5);
}

TEST(SparseCategoricalAccuracyTest, RejectsTargetsThatAreNotLabels) {
  SparseCategoricalAccuracy accuracy;
  EXPECT_EQ(error_message<ValueError>([&] {
              accuracy.update_state(Tensor::zeros({2, 3}), keras_doc_predictions);
            }),
            "Metric \"sparse_categorical_accuracy\": y_true must hold one class label per row of "
            "y_pred: y_pred's shape without its last axis, or with a last axis of 1. Received: "
            "y_true.shape=(2, 3), y_pred.shape=(2, 3)");
}

}  // namespace
}  // namespace keras::metrics
