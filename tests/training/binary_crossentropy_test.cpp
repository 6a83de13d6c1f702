// SPDX-License-Identifier: Apache-2.0
#include "keras/losses/binary_crossentropy.h"

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

TEST(BinaryCrossentropyTest, AveragesOverTheLastAxisLikeKerasDocumentation) {
  // keras.losses.BinaryCrossentropy docs: 0.815 for these probabilities.
  const BinaryCrossentropy loss;
  const Tensor y_true = floats({0, 1, 0, 0}, {2, 2});
  const Tensor y_pred = floats({0.6f, 0.4f, 0.4f, 0.6f}, {2, 2});
  EXPECT_TRUE(all_close(loss.per_sample(y_true, y_pred), floats({0.9162908f, 0.7135582f}, {2}),
                        1e-6, 1e-6));
  EXPECT_NEAR(loss(y_true, y_pred), 0.8149245, 1e-6);
  EXPECT_EQ(loss.name(), "binary_crossentropy");
}

TEST(BinaryCrossentropyTest, FromLogitsMatchesKerasDocumentation) {
  // keras.losses.BinaryCrossentropy(from_logits=True) docs: 0.865; a rank-1 input is one sample.
  const BinaryCrossentropy loss({.from_logits = true});
  const Tensor y_true = floats({0, 1, 0, 0}, {4});
  const Tensor y_pred = floats({-18.6f, 0.51f, 2.94f, -12.8f}, {4});
  EXPECT_EQ(loss.per_sample(y_true, y_pred).shape(), (std::vector<std::int64_t>{}));
  EXPECT_NEAR(loss(y_true, y_pred), 0.8654580, 1e-6);
}

TEST(BinaryCrossentropyTest, TakesLabelsOfRankOneForOneOutput) {
  const BinaryCrossentropy loss;
  EXPECT_TRUE(all_close(loss.per_sample(floats({1, 0}, {2}), floats({0.8f, 0.3f}, {2, 1})),
                        floats({0.2231435f, 0.3566750f}, {2}), 1e-6, 1e-6));
}

TEST(BinaryCrossentropyTest, LabelSmoothingPullsTargetsTowardsOneHalf) {
  // Targets 1 and 0 become 0.9 and 0.1.
  const BinaryCrossentropy loss({.label_smoothing = 0.2});
  EXPECT_TRUE(all_close(loss.per_sample(floats({1, 0}, {2, 1}), floats({0.8f, 0.3f}, {2, 1})),
                        floats({0.3617730f, 0.4414047f}, {2}), 1e-6, 1e-6));
}

TEST(BinaryCrossentropyTest, ClipsProbabilitiesButNotLogits) {
  const auto clipped =
      BinaryCrossentropy().value_and_gradient(floats({1}, {1, 1}), floats({0}, {1, 1}));
  EXPECT_NEAR(clipped.value, 16.1180956, 1e-6);
  EXPECT_TRUE(all_close(clipped.gradient, Tensor::zeros({1, 1})));
  EXPECT_NEAR(BinaryCrossentropy({.from_logits = true})(floats({1}, {1, 1}), floats({-30}, {1, 1})),
              30.0, 1e-6);
}

TEST(BinaryCrossentropyTest, GradientMatchesFiniteDifferences) {
  const Tensor y_true = Tensor::uniform({3, 4}, 0.0f, 1.0f, 1);
  const Tensor probabilities = Tensor::uniform({3, 4}, 0.05f, 0.95f, 2);
  const Tensor logits = Tensor::uniform({3, 4}, -3.0f, 3.0f, 3);
  EXPECT_TRUE(
      loss_gradient_matches_finite_differences(BinaryCrossentropy(), y_true, probabilities));
  EXPECT_TRUE(loss_gradient_matches_finite_differences(BinaryCrossentropy({.from_logits = true}),
                                                       y_true, logits));
  EXPECT_TRUE(loss_gradient_matches_finite_differences(
      BinaryCrossentropy({.label_smoothing = 0.1, .axis = 0, .reduction = "sum"}), y_true,
      probabilities));
}

TEST(BinaryCrossentropyTest, RejectsTargetsOfAnotherShape) {
  const BinaryCrossentropy loss;
  EXPECT_NO_THROW(loss.check_targets({None}, {None, 1}, DType::int32));
  EXPECT_EQ(error_message<ValueError>([&] {
              loss.check_targets({4}, {4, 3}, DType::float32);
            }),
            "Loss \"binary_crossentropy\": Arguments `target` and `output` must have the same "
            "rank (ndim). Received: target.shape=(4,), output.shape=(4, 3)");
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)loss(Tensor::zeros({4, 2}), Tensor::full({4, 3}, 0.5));
            }),
            "Loss \"binary_crossentropy\": Arguments `target` and `output` must have the same "
            "shape. Received: target.shape=(4, 2), output.shape=(4, 3)");
}

}  // namespace
}  // namespace keras::losses
