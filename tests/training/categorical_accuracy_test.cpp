// SPDX-License-Identifier: Apache-2.0
#include "keras/metrics/categorical_accuracy.h"

#include "support/expect_error.h"

#include <gtest/gtest.h>

#include <vector>

namespace keras::metrics {
namespace {

using testing::error_message;

Tensor floats(std::vector<float> values, std::vector<std::int64_t> shape) {
  return Tensor::from_data(values, std::move(shape));
}

TEST(CategoricalAccuracyTest, MatchesKerasDocumentationExample) {
  CategoricalAccuracy accuracy;
  accuracy.update_state(floats({0, 0, 1, 0, 1, 0}, {2, 3}),
                        floats({0.1f, 0.9f, 0.8f, 0.05f, 0.95f, 0.0f}, {2, 3}));
  EXPECT_EQ(accuracy.result(), 0.5);
  EXPECT_EQ(accuracy.name(), "categorical_accuracy");
}

TEST(CategoricalAccuracyTest, CountsMatchesOverEverySampleSinceTheReset) {
  // 1 of 2, then 1 of 1: 2 of 3 samples, not the mean of the batch accuracies.
  CategoricalAccuracy accuracy;
  accuracy.update_state(floats({1, 0, 0, 1}, {2, 2}), floats({0.7f, 0.3f, 0.6f, 0.4f}, {2, 2}));
  accuracy.update_state(floats({0, 1}, {1, 2}), floats({0.2f, 0.8f}, {1, 2}));
  EXPECT_DOUBLE_EQ(accuracy.result(), 2.0 / 3.0);
  accuracy.reset_state();
  EXPECT_EQ(accuracy.result(), 0.0);
}

TEST(CategoricalAccuracyTest, TiesGoToTheFirstClass) {
  // argmax picks the first of equal maxima, in y_true and y_pred alike.
  CategoricalAccuracy accuracy;
  accuracy.update_state(floats({1, 0, 0}, {1, 3}), floats({0.4f, 0.4f, 0.2f}, {1, 3}));
  EXPECT_EQ(accuracy.result(), 1.0);
}

TEST(CategoricalAccuracyTest, RejectsLabelsAndOtherShapes) {
  CategoricalAccuracy accuracy;
  EXPECT_EQ(error_message<ValueError>([&] {
              accuracy.update_state(floats({1, 2}, {2}), Tensor::zeros({2, 3}));
            }),
            "Metric \"categorical_accuracy\": y_true and y_pred must have the same shape. "
            "Received: y_true.shape=(2,), y_pred.shape=(2, 3). For class labels use "
            "\"sparse_categorical_accuracy\"");
  EXPECT_EQ(error_message<ValueError>([&] {
              accuracy.update_state(Tensor::zeros({2, 4}), Tensor::zeros({2, 3}));
            }),
            "Metric \"categorical_accuracy\": y_true and y_pred must have the same shape. "
            "Received: y_true.shape=(2, 4), y_pred.shape=(2, 3)");
  EXPECT_EQ(error_message<ValueError>([&] {
              accuracy.update_state(Tensor::zeros({2, 0}), Tensor::zeros({2, 0}));
            }),
            "Metric \"categorical_accuracy\": y_pred must have a last axis holding the classes. "
            "Received: y_pred.shape=(2, 0)");
}

TEST(CategoricalAccuracyTest, ConfigHasNameAndDtype) {
  EXPECT_EQ(CategoricalAccuracy({.name = "acc"}).get_config(),
            R"({"name":"acc","dtype":"float32"})");
}

}  // namespace
}  // namespace keras::metrics
