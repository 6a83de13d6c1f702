// SPDX-License-Identifier: Apache-2.0
#include "keras/metrics/mean.h"

#include "support/expect_error.h"

#include <gtest/gtest.h>

#include <vector>

namespace keras::metrics {
namespace {

using testing::error_message;

Tensor floats(std::vector<float> values, std::vector<std::int64_t> shape) {
  return Tensor::from_data(values, std::move(shape));
}

TEST(MeanTest, MatchesKerasDocumentationExample) {
  Mean mean;
  mean.update_state(floats({1, 3, 5, 7}, {4}));
  EXPECT_EQ(mean.result(), 4.0);
  mean.reset_state();
  mean.update_state(floats({1, 3, 5, 7}, {4}), floats({1, 1, 0, 0}, {4}));
  EXPECT_EQ(mean.result(), 2.0);
  EXPECT_EQ(mean.name(), "mean");
}

TEST(MeanTest, WeighsBatchLossesByBatchSizeAsFitDoes) {
  Mean loss({.name = "loss"});
  EXPECT_EQ(loss.result(), 0.0);  // nothing seen yet
  loss.update_state(0.5, 32);
  loss.update_state(1.0, 16);
  EXPECT_DOUBLE_EQ(loss.result(), (0.5 * 32 + 1.0 * 16) / 48);
  loss.update_state(floats({2}, {}), floats({48}, {}));  // a scalar tensor and weight alike
  EXPECT_DOUBLE_EQ(loss.result(), (0.5 * 32 + 1.0 * 16 + 2.0 * 48) / 96);
  loss.reset_state();
  EXPECT_EQ(loss.result(), 0.0);
}

TEST(MeanTest, AveragesEachSampleFirst) {
  // Rows (1, 3) and (5, 7, ...): per-sample means 2 and 6, so 4 over two samples; then one
  // more sample of mean 10 gives (2 + 6 + 10) / 3.
  Mean mean;
  mean.update_state(floats({1, 3, 5, 7}, {2, 2}));
  EXPECT_EQ(mean.result(), 4.0);
  mean.update_state(floats({10, 10}, {1, 2}));
  EXPECT_EQ(mean.result(), 6.0);
}

TEST(MeanTest, WeightsCoverTheFirstAxesOfTheValues) {
  // Per-sample weights (2,) for values (2, 2): means 2 and 6 weighted 3 and 1.
  Mean per_sample;
  per_sample.update_state(floats({1, 3, 5, 7}, {2, 2}), floats({3, 1}, {2}));
  EXPECT_EQ(per_sample.result(), (2.0 * 3 + 6.0 * 1) / 4);
  // A scalar weight weighs the mean of all values.
  Mean scalar;
  scalar.update_state(floats({1, 3, 5, 7}, {2, 2}), floats({2}, {}));
  EXPECT_EQ(scalar.result(), 4.0);
  // Elementwise weights (2, 2): Keras's sum(v * w) / sum(w).
  Mean elementwise;
  elementwise.update_state(floats({1, 3, 5, 7}, {2, 2}), floats({1, 0, 0, 1}, {2, 2}));
  EXPECT_EQ(elementwise.result(), 4.0);
}

TEST(MeanTest, RejectsWeightsOfAnotherShape) {
  Mean mean;
  EXPECT_EQ(error_message<ValueError>([&] {
              mean.update_state(floats({1, 2, 3, 4}, {2, 2}), floats({1, 1}, {1, 2}));
            }),
            "Metric \"mean\": sample_weight of shape (1, 2) does not go with values of shape (2, "
            "2); its shape must be the first axes of the values' shape");
}

TEST(MeanTest, ConfigHasNameAndDtype) {
  EXPECT_EQ(Mean({.name = "loss"}).get_config(), R"({"name":"loss","dtype":"float32"})");
  EXPECT_EQ(Mean().class_name(), "Mean");
}

}  // namespace
}  // namespace keras::metrics
