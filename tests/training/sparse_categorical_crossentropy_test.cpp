// SPDX-License-Identifier: Apache-2.0
#include "keras/losses/sparse_categorical_crossentropy.h"

#include "keras/losses/categorical_crossentropy.h"
#include "support/expect_error.h"
#include "support/loss_cases.h"
#include "support/loss_gradient.h"
#include "support/tensor_matchers.h"

#include <gtest/gtest.h>

#include <vector>

namespace keras::losses {
namespace {

using testing::all_close;
using testing::error_message;
using testing::floats;
using testing::labels;
using testing::loss_gradient_matches_finite_differences;

const Tensor keras_doc_predictions = floats({0.05f, 0.95f, 0.0f, 0.1f, 0.8f, 0.1f}, {2, 3});

TEST(SparseCategoricalCrossentropyTest, MatchesKerasDocumentationExample) {
  // keras.losses.SparseCategoricalCrossentropy docs: about -log(0.95) and -log(0.1). The 0 is
  // clipped to 1e-7 before the renormalisation, which adds 1e-7 to the first value.
  const SparseCategoricalCrossentropy loss;
  const Tensor y_true = labels({1, 2}, {2});
  EXPECT_TRUE(all_close(loss.per_sample(y_true, keras_doc_predictions),
                        floats({0.0512934f, 2.3025851f}, {2}), 1e-6, 1e-6));
  EXPECT_NEAR(loss(y_true, keras_doc_predictions), 1.1769392, 1e-6);
  EXPECT_EQ(loss.name(), "sparse_categorical_crossentropy");
}

TEST(SparseCategoricalCrossentropyTest, TakesFloatLabelsWithATrailingAxisOfOne) {
  const SparseCategoricalCrossentropy loss;
  const Tensor per_sample = loss.per_sample(floats({1, 2}, {2, 1}), keras_doc_predictions);
  EXPECT_EQ(per_sample.shape(), (std::vector<std::int64_t>{2}));
  EXPECT_TRUE(all_close(per_sample, floats({0.0512934f, 2.3025851f}, {2}), 1e-6, 1e-6));
}

TEST(SparseCategoricalCrossentropyTest, FromLogitsUsesLogSoftmax) {
  // log(e + e^2 + e^3) - 3.
  const SparseCategoricalCrossentropy loss({.from_logits = true});
  EXPECT_NEAR(loss(labels({2}, {1}), floats({1, 2, 3}, {1, 3})), 0.4076060, 1e-6);
}

TEST(SparseCategoricalCrossentropyTest, OnLogitsEqualsCategoricalOnOneHotTargets) {
  // Per-pixel labels (2, 3) for predictions (2, 3, 4), as in segmentation.
  const std::vector<std::int32_t> classes{0, 3, 1, 2, 2, 0};
  std::vector<float> one_hot(classes.size() * 4, 0.0f);
  for (std::size_t i = 0; i < classes.size(); ++i) {
    one_hot[i * 4 + static_cast<std::size_t>(classes[i])] = 1.0f;
  }
  const Tensor logits = Tensor::uniform({2, 3, 4}, -2.0f, 2.0f, 1);
  const SparseCategoricalCrossentropy sparse({.from_logits = true});
  const CategoricalCrossentropy dense({.from_logits = true});
  EXPECT_TRUE(all_close(sparse.per_sample(labels(classes, {2, 3}), logits),
                        dense.per_sample(floats(one_hot, {2, 3, 4}), logits), 1e-6, 1e-6));
  EXPECT_TRUE(all_close(sparse.value_and_gradient(labels(classes, {2, 3}), logits).gradient,
                        dense.value_and_gradient(floats(one_hot, {2, 3, 4}), logits).gradient, 1e-6,
                        1e-6));
}

TEST(SparseCategoricalCrossentropyTest, IgnoredClassCountsNeitherInLossNorInMean) {
  const SparseCategoricalCrossentropy loss({.ignore_class = -1});
  const Tensor y_true = labels({1, -1}, {2});
  EXPECT_TRUE(all_close(loss.per_sample(y_true, keras_doc_predictions),
                        floats({0.0512934f, 0.0f}, {2}), 1e-6, 1e-6));
  // Keras's mask divides the sum by the valid count plus epsilon.
  const auto [value, gradient] = loss.value_and_gradient(y_true, keras_doc_predictions);
  EXPECT_NEAR(value, 0.0512934, 1e-6);
  EXPECT_TRUE(all_close(gradient.narrow(0, 1, 1), Tensor::zeros({1, 3})));
  const auto all_ignored = loss.value_and_gradient(labels({-1, -1}, {2}), keras_doc_predictions);
  EXPECT_EQ(all_ignored.value, 0.0);
  EXPECT_TRUE(all_close(all_ignored.gradient, Tensor::zeros({2, 3})));
}

TEST(SparseCategoricalCrossentropyTest, GradientMatchesFiniteDifferences) {
  const Tensor y_true = labels({0, 3, 1, 2}, {4});
  const Tensor probabilities = Tensor::uniform({4, 4}, 0.05f, 1.0f, 2);
  const Tensor logits = Tensor::uniform({4, 4}, -3.0f, 3.0f, 3);
  EXPECT_TRUE(loss_gradient_matches_finite_differences(SparseCategoricalCrossentropy(), y_true,
                                                       probabilities));
  EXPECT_TRUE(loss_gradient_matches_finite_differences(
      SparseCategoricalCrossentropy({.from_logits = true}), y_true, logits));
  EXPECT_TRUE(loss_gradient_matches_finite_differences(
      SparseCategoricalCrossentropy({.from_logits = true, .ignore_class = 3, .reduction = "sum"}),
      y_true, logits));
}

TEST(SparseCategoricalCrossentropyTest, RejectsLabelsOutsideTheClasses) {
  const SparseCategoricalCrossentropy loss;
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)loss(labels({1, 3}, {2}), keras_doc_predictions);
            }),
            "Loss \"sparse_categorical_crossentropy\": Received a label value of 3 which is "
            "outside the valid range of [0, 3) (sample 1)");
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)loss.per_sample(labels({-1, 0}, {2}), keras_doc_predictions);
            }),
            "Loss \"sparse_categorical_crossentropy\": Received a label value of -1 which is "
            "outside the valid range of [0, 3) (sample 0)");
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)loss(floats({0.0f, 2.5f}, {2}), keras_doc_predictions);
            }),
            "Loss \"sparse_categorical_crossentropy\": Received a label value of 2.5, which is "
            "not an integer class index (sample 1)");
}

TEST(SparseCategoricalCrossentropyTest, RejectsOneHotTargetsAndOtherShapes) {
  const SparseCategoricalCrossentropy loss;
  EXPECT_NO_THROW(loss.check_targets({None}, {None, 10}, DType::int32));
  EXPECT_NO_THROW(loss.check_targets({None, 1}, {None, 10}, DType::float32));
  EXPECT_EQ(error_message<ValueError>([&] {
              loss.check_targets({None, 10}, {None, 10}, DType::float32);
            }),
            "Loss \"sparse_categorical_crossentropy\": Argument `output` must have rank (ndim) "
            "`target.ndim - 1`. Received: target.shape=(None, 10), output.shape=(None, 10). For "
            "one-hot targets use loss=\"categorical_crossentropy\"");
  EXPECT_EQ(
      error_message<ValueError>([&] {
        loss.check_targets({8}, {4, 10}, DType::int32);
      }),
      "Loss \"sparse_categorical_crossentropy\": Arguments `target` and `output` must have the "
      "same shape up until the last dimension: target.shape=(8,), output.shape=(4, 10)");
  EXPECT_EQ(error_message<ValueError>([&] { loss.check_targets({}, {}, DType::int32); }),
            "Loss \"sparse_categorical_crossentropy\": Argument `output` must be at least rank 1. "
            "Received: output.shape=()");
}

}  // namespace
}  // namespace keras::losses
