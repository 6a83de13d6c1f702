// SPDX-License-Identifier: Apache-2.0
#include "keras/metrics/metric.h"

#include "keras/metrics.h"
#include "support/expect_error.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace keras::metrics {
namespace {

using testing::error_message;

struct AccuracyCase {
  Shape y_true;
  Shape y_pred;
  std::string class_name;
};

TEST(MetricTest, AccuracyResolvesByTheShapesAsKerasDoes) {
  const std::vector<AccuracyCase> cases{
      {{None}, {None, 10}, "SparseCategoricalAccuracy"},             // labels, rank lower
      {{None, 1}, {None, 10}, "SparseCategoricalAccuracy"},          // labels with a last axis of 1
      {{None, 5, 5}, {None, 5, 5, 3}, "SparseCategoricalAccuracy"},  // per-pixel labels
      {{None, 10}, {None, 10}, "CategoricalAccuracy"},               // one-hot
      {{None, None}, {None, None}, "CategoricalAccuracy"},           // unknown class axes
      {{None, 1}, {None, 1}, "BinaryAccuracy"},                      // one output
      {{None}, {None, 1}, "BinaryAccuracy"},                         // binary wins over sparse
  };
  for (const auto& [y_true, y_pred, class_name] : cases) {
    for (const std::string identifier : {"accuracy", "acc"}) {
      const auto metric = get(identifier, y_true, y_pred);
      EXPECT_EQ(metric->class_name(), class_name)
          << identifier << " for " << y_true << " and " << y_pred;
      EXPECT_EQ(metric->name(), identifier);
    }
  }
  // Keras compares lowered strings, so the class name "Accuracy" resolves by shape too.
  const auto capitalised = get("Accuracy", {None, 10}, {None, 10});
  EXPECT_EQ(capitalised->class_name(), "CategoricalAccuracy");
  EXPECT_EQ(capitalised->name(), "Accuracy");
}

TEST(MetricTest, AccuracyNeedsAnAxisToResolve) {
  EXPECT_EQ(error_message<ValueError>([] {
              (void)get("accuracy", {}, {None, 3});
            }),
            "Cannot resolve metric \"accuracy\" for y_true of shape () and y_pred of shape "
            "(None, 3): Keras picks the accuracy from their last axes, so both need at least one "
            "axis");
}

TEST(MetricTest, GetKeepsTheIdentifierAsName) {
  const std::vector<std::pair<std::string, std::string>> identifiers{
      {"categorical_accuracy", "CategoricalAccuracy"},
      {"CategoricalAccuracy", "CategoricalAccuracy"},
      {"sparse_categorical_accuracy", "SparseCategoricalAccuracy"},
      {"SparseCategoricalAccuracy", "SparseCategoricalAccuracy"},
      {"binary_accuracy", "BinaryAccuracy"},
      {"BinaryAccuracy", "BinaryAccuracy"},
      {"mean_squared_error", "MeanSquaredError"},
      {"mse", "MeanSquaredError"},
      {"MSE", "MeanSquaredError"},
      {"MeanSquaredError", "MeanSquaredError"},
      {"mean_absolute_error", "MeanAbsoluteError"},
      {"mae", "MeanAbsoluteError"},
      {"MAE", "MeanAbsoluteError"},
      {"MeanAbsoluteError", "MeanAbsoluteError"},
  };
  for (const auto& [identifier, class_name] : identifiers) {
    const auto metric = get(identifier, {None, 4}, {None, 4});
    EXPECT_EQ(metric->class_name(), class_name) << identifier;
    EXPECT_EQ(metric->name(), identifier);
  }
}

TEST(MetricTest, GetRejectsUnknownIdentifiersListingTheKnownOnes) {
  EXPECT_EQ(error_message<ValueError>([] {
              (void)get("accuracy_score", {None}, {None, 2});
            }),
            "Could not interpret metric identifier: accuracy_score. Known metrics: accuracy, acc, "
            "categorical_accuracy, CategoricalAccuracy, sparse_categorical_accuracy, "
            "SparseCategoricalAccuracy, binary_accuracy, BinaryAccuracy, mean_squared_error, mse, "
            "MSE, MeanSquaredError, mean_absolute_error, mae, MAE, MeanAbsoluteError");
  EXPECT_EQ(error_message<NotImplementedError>([] {
              (void)get("auc", {None}, {None, 1});
            }),
            "The Keras metric 'auc' is not implemented in kerascpp");
}

TEST(MetricTest, MetricArgTakesIdentifiersAndObjects) {
  const MetricArg by_name = "accuracy";
  EXPECT_EQ(by_name.identifier(), "accuracy");
  EXPECT_EQ(by_name.metric(), nullptr);
  const MetricArg by_object = BinaryAccuracy({.threshold = 0.3});
  EXPECT_EQ(by_object.metric()->name(), "binary_accuracy");
}

}  // namespace
}  // namespace keras::metrics
