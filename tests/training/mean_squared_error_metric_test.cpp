// SPDX-License-Identifier: Apache-2.0
#include "keras/metrics/mean_squared_error.h"
#include "support/expect_error.h"

#include <gtest/gtest.h>

#include <vector>

namespace keras::metrics {
namespace {

using testing::error_message;

Tensor floats(std::vector<float> values, std::vector<std::int64_t> shape) {
  return Tensor::from_data(values, std::move(shape));
}

TEST(MeanSquaredErrorMetricTest, MatchesKerasDocumentationExample) {
  MeanSquaredError metric;
  metric.update_state(floats({0, 1, 0, 0}, {2, 2}), floats({1, 1, 0, 0}, {2, 2}));
  EXPECT_EQ(metric.result(), 0.25);
  EXPECT_EQ(metric.name(), "mean_squared_error");
  EXPECT_EQ(metric.get_config(), R"({"name":"mean_squared_error","dtype":"float32"})");
}

TEST(MeanSquaredErrorMetricTest, AveragesSamplesOverEveryBatch) {
  // Per-sample values 0.5 and 0 from the first batch, then one sample of ((3 - 1) * (3 - 1) + 0)
  // / 2.0.
  MeanSquaredError metric;
  metric.update_state(floats({0, 1, 0, 0}, {2, 2}), floats({1, 1, 0, 0}, {2, 2}));
  metric.update_state(floats({1, 0}, {1, 2}), floats({3, 0}, {1, 2}));
  EXPECT_DOUBLE_EQ(metric.result(), (0.5 + 0.0 + ((3 - 1) * (3 - 1) + 0) / 2.0) / 3.0);
  metric.reset_state();
  EXPECT_EQ(metric.result(), 0.0);
}

TEST(MeanSquaredErrorMetricTest, RejectsTargetsOfAnotherShape) {
  MeanSquaredError metric;
  EXPECT_EQ(error_message<ValueError>([&] {
              metric.update_state(Tensor::zeros({4, 1}), Tensor::zeros({4, 3}));
            }),
            "Metric \"mean_squared_error\": y_true and y_pred must have the same shape. Received: "
            "y_true.shape=(4, 1), y_pred.shape=(4, 3)");
}

}  // namespace
}  // namespace keras::metrics
