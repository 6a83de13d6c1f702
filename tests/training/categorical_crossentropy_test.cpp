// SPDX-License-Identifier: Apache-2.0
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
using testing::loss_gradient_matches_finite_differences;

TEST(CategoricalCrossentropyTest, MatchesKerasDocumentationExample) {
  // keras.losses.CategoricalCrossentropy docs: -log(0.95) and -log(0.1), mean 1.177.
  const CategoricalCrossentropy loss;
  const Tensor y_true = floats({0, 1, 0, 0, 0, 1}, {2, 3});
  const Tensor y_pred = floats({0.05f, 0.95f, 0.0f, 0.1f, 0.8f, 0.1f}, {2, 3});
  EXPECT_TRUE(all_close(loss.per_sample(y_true, y_pred), floats({0.0512933f, 2.3025851f}, {2}),
                        1e-6, 1e-6));
  EXPECT_NEAR(loss(y_true, y_pred), 1.1769392, 1e-6);
  EXPECT_EQ(loss.name(), "categorical_crossentropy");
  EXPECT_EQ(loss.reduction(), "sum_over_batch_size");
}

TEST(CategoricalCrossentropyTest, SumReductionAddsThePerSampleValues) {
  const CategoricalCrossentropy loss({.reduction = "sum"});
  const Tensor y_true = floats({0, 1, 0, 0, 0, 1}, {2, 3});
  const Tensor y_pred = floats({0.05f, 0.95f, 0.0f, 0.1f, 0.8f, 0.1f}, {2, 3});
  EXPECT_NEAR(loss(y_true, y_pred), 2.3538784, 1e-6);
}

TEST(CategoricalCrossentropyTest, RenormalisesProbabilitiesThatDoNotSumToOne) {
  // (1, 2, 1) / 4 gives p = 0.5 for the true class.
  const CategoricalCrossentropy loss;
  EXPECT_NEAR(loss(floats({0, 1, 0}, {1, 3}), floats({1, 2, 1}, {1, 3})), 0.6931472, 1e-6);
}

TEST(CategoricalCrossentropyTest, FromLogitsUsesLogSoftmax) {
  // log(e + e^2 + e^3) - 2.
  const CategoricalCrossentropy loss({.from_logits = true});
  EXPECT_NEAR(loss(floats({0, 1, 0}, {1, 3}), floats({1, 2, 3}, {1, 3})), 1.4076060, 1e-6);
}

TEST(CategoricalCrossentropyTest, LogitsAreNotClipped) {
  // -log_softmax(-30)[1] = 30 + log(1 + e^-30): far above the clipped cap of 16.118.
  const CategoricalCrossentropy loss({.from_logits = true});
  EXPECT_NEAR(loss(floats({0, 1}, {1, 2}), floats({0, -30}, {1, 2})), 30.0, 1e-6);
}

TEST(CategoricalCrossentropyTest, LabelSmoothingSpreadsTheTargets) {
  // Targets (0, 1, 0) become (0.1/3, 0.9 + 0.1/3, 0.1/3).
  const CategoricalCrossentropy loss({.label_smoothing = 0.1});
  EXPECT_NEAR(loss(floats({0, 1, 0}, {1, 3}), floats({0.2f, 0.7f, 0.1f}, {1, 3})), 0.4632974, 1e-6);
}

TEST(CategoricalCrossentropyTest, ClippedProbabilitiesHaveNoGradient) {
  // p = (1, 0, 0): the true class is clipped up to 1e-7 and the others to 1 - 1e-7, so the
  // loss is capped at -log(1e-7) and nothing flows back.
  const CategoricalCrossentropy loss;
  const auto [value, gradient] =
      loss.value_and_gradient(floats({0, 1, 0}, {1, 3}), floats({1, 0, 0}, {1, 3}));
  EXPECT_NEAR(value, 16.1180956, 1e-6);
  EXPECT_TRUE(all_close(gradient, Tensor::zeros({1, 3})));
}

TEST(CategoricalCrossentropyTest, TakesAnyClassAxis) {
  const CategoricalCrossentropy first_axis({.axis = 1});
  const CategoricalCrossentropy last_axis;
  const Tensor y_true = Tensor::uniform({2, 3, 4}, 0.0f, 1.0f, 1);
  const Tensor y_pred = Tensor::uniform({2, 3, 4}, 0.1f, 1.0f, 2);
  const Tensor per_sample = first_axis.per_sample(y_true, y_pred);
  EXPECT_EQ(per_sample.shape(), (std::vector<std::int64_t>{2, 4}));
  EXPECT_TRUE(all_close(per_sample,
                        last_axis.per_sample(y_true.permute({0, 2, 1}).contiguous(),
                                             y_pred.permute({0, 2, 1}).contiguous()),
                        1e-6, 1e-6));
}

TEST(CategoricalCrossentropyTest, GradientMatchesFiniteDifferences) {
  const Tensor y_true = Tensor::uniform({4, 5}, 0.0f, 1.0f, 3);  // soft targets
  const Tensor probabilities = Tensor::uniform({4, 5}, 0.1f, 1.0f, 4);
  const Tensor logits = Tensor::uniform({4, 5}, -3.0f, 3.0f, 5);
  EXPECT_TRUE(
      loss_gradient_matches_finite_differences(CategoricalCrossentropy(), y_true, probabilities));
  EXPECT_TRUE(loss_gradient_matches_finite_differences(
      CategoricalCrossentropy({.from_logits = true}), y_true, logits));
  EXPECT_TRUE(loss_gradient_matches_finite_differences(
      CategoricalCrossentropy({.label_smoothing = 0.2, .reduction = "sum"}), y_true,
      probabilities));
  EXPECT_TRUE(loss_gradient_matches_finite_differences(
      CategoricalCrossentropy({.from_logits = true, .axis = 0}), y_true, logits));
}

TEST(CategoricalCrossentropyTest, RejectsIntegerLabelsAndPointsToTheSparseLoss) {
  const CategoricalCrossentropy loss;
  const Tensor y_pred = Tensor::uniform({4, 10}, 0.0f, 1.0f, 6);
  const std::vector<std::int32_t> labels{1, 2, 3, 4};
  EXPECT_EQ(error_message<ValueError>([&] { (void)loss(Tensor::from_data(labels, {4}), y_pred); }),
            "Loss \"categorical_crossentropy\": Arguments `target` and `output` must have the "
            "same rank (ndim). Received: target.shape=(4,), output.shape=(4, 10). Integer "
            "targets of shape (4,) are class labels: use "
            "loss=\"sparse_categorical_crossentropy\", or one-hot encode them with "
            "keras::utils::to_categorical(y, 10)");
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)loss(Tensor::from_data(labels, {4, 1}), y_pred);
            }),
            "Loss \"categorical_crossentropy\": Arguments `target` and `output` must have the same "
            "shape. Received: target.shape=(4, 1), output.shape=(4, 10). Integer targets of shape "
            "(4, 1) are class labels: use loss=\"sparse_categorical_crossentropy\", or one-hot "
            "encode them with keras::utils::to_categorical(y, 10)");
  EXPECT_EQ(error_message<ValueError>([&] {
              loss.check_targets({None, 1}, {None, 10}, DType::float32);
            }),
            "Loss \"categorical_crossentropy\": Arguments `target` and `output` must have the "
            "same shape. Received: target.shape=(None, 1), output.shape=(None, 10). Targets of "
            "shape (None, 1) look like class labels: use "
            "loss=\"sparse_categorical_crossentropy\", or one-hot encode them with "
            "keras::utils::to_categorical(y, 10)");
}

TEST(CategoricalCrossentropyTest, RejectsOtherShapesAndAxes) {
  const CategoricalCrossentropy loss;
  EXPECT_NO_THROW(loss.check_targets({None, 10}, {None, 10}, DType::float32));
  EXPECT_EQ(error_message<ValueError>([&] {
              loss.check_targets({None, 5}, {None, 10}, DType::float32);
            }),
            "Loss \"categorical_crossentropy\": Arguments `target` and `output` must have the "
            "same shape. Received: target.shape=(None, 5), output.shape=(None, 10)");
  EXPECT_EQ(error_message<ValueError>([&] {
              CategoricalCrossentropy({.axis = 2}).check_targets({4, 3}, {4, 3}, DType::float32);
            }),
            "Loss \"categorical_crossentropy\": axis 2 is out of bounds for predictions of rank 2. "
            "Received: output.shape=(4, 3)");
  EXPECT_EQ(
      error_message<ValueError>([&] { (void)loss(Tensor::full({}, 1.0), Tensor::full({}, 1.0)); }),
      "Loss \"categorical_crossentropy\": Argument `output` must be at least rank 1. "
      "Received: output.shape=()");
}

}  // namespace
}  // namespace keras::losses
