// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/reshape.h"

#include "keras/backend.h"
#include "keras/layers/input_layer.h"
#include "keras/layers/permute.h"
#include "keras/sequential.h"
#include "support/expect_error.h"
#include "support/finite_difference.h"
#include "support/tensor_matchers.h"
#include "support/tensors.h"

#include <gtest/gtest.h>

namespace keras::layers {
namespace {

using testing::all_close;
using testing::error_message;
using testing::iota;

class ReshapeTest : public ::testing::Test {
 protected:
  void SetUp() override { backend::clear_session(); }
};

TEST_F(ReshapeTest, ReshapesEverySampleInRowMajorOrder) {
  const Tensor x = iota({2, 12});
  const Tensor y = Reshape({.target_shape = {3, 4}})(x);
  EXPECT_EQ(y.shape(), (std::vector<std::int64_t>{2, 3, 4}));
  EXPECT_EQ(y.to_vector(), x.to_vector());
}

TEST_F(ReshapeTest, InfersTheMinusOneAxis) {  // Keras's docstring examples
  EXPECT_EQ(Reshape({.target_shape = {3, 4}}).compute_output_shape({None, 12}),
            Shape({None, 3, 4}));
  EXPECT_EQ(Reshape({.target_shape = {-1, 2, 2}}).compute_output_shape({None, 12}),
            Shape({None, 3, 2, 2}));
  EXPECT_EQ(Reshape({.target_shape = {4, -1}}).compute_output_shape({2, 3, 4, 5}),
            Shape({2, 4, 15}));
  EXPECT_EQ(Reshape({.target_shape = {-1}})(iota({3, 2, 5})).shape(),
            (std::vector<std::int64_t>{3, 10}));
}

TEST_F(ReshapeTest, UnknownInputAxisLeavesMinusOneUnknown) {
  EXPECT_EQ(Reshape({.target_shape = {-1, 2}}).compute_output_shape({None, None, 4}),
            Shape({None, None, 2}));
  // Without a known input size nothing can be checked: the target is taken as given.
  EXPECT_EQ(Reshape({.target_shape = {3, 5}}).compute_output_shape({4, None}), Shape({4, 3, 5}));
}

TEST_F(ReshapeTest, ZeroSizedSamplesResolveMinusOneToZero) {
  EXPECT_EQ(Reshape({.target_shape = {-1, 3}}).compute_output_shape({None, 0, 6}),
            Shape({None, 0, 3}));
  EXPECT_EQ(Reshape({.target_shape = {6, 2}})(Tensor::zeros({0, 12})).shape(),
            (std::vector<std::int64_t>{0, 6, 2}));
}

TEST_F(ReshapeTest, DynamicBatchInASequential) {
  Sequential model;
  model.add(Input({.shape = {None, 4}}));
  model.add(Reshape({.target_shape = {-1, 2}}));
  EXPECT_EQ(model.output_shape(), Shape({None, None, 2}));
  EXPECT_EQ(model.predict(Tensor::ones({3, 5, 4})).shape(), (std::vector<std::int64_t>{3, 10, 2}));
}

TEST_F(ReshapeTest, ContiguousInputGivesAView) {
  const Tensor x = iota({4, 6, 2});
  const Tensor y = Reshape({.target_shape = {3, 4}})(x);
  EXPECT_TRUE(y.shares_storage_with(x));
  EXPECT_EQ(y.raw_data(), x.raw_data());
}

TEST_F(ReshapeTest, StridedInputIsReshapedInLogicalOrder) {
  const Tensor x = iota({2, 3, 4}).permute({0, 2, 1});
  const Tensor y = Reshape({.target_shape = {12}})(x);
  EXPECT_EQ(y.to_vector(), x.to_vector());
}

TEST_F(ReshapeTest, BackwardRestoresTheInputShape) {
  const Tensor x = iota({2, 3, 4, 5});
  Reshape reshape({.target_shape = {4, -1}});
  const Tensor dx = reshape.backward(reshape(x));
  EXPECT_TRUE(all_close(dx, x));
}

TEST_F(ReshapeTest, BackwardMatchesFiniteDifferences) {
  const Tensor x = Tensor::uniform({2, 3, 4}, -1.0f, 1.0f, 5);
  for (const std::vector<std::int64_t>& target :
       {std::vector<std::int64_t>{12}, {4, -1}, {-1, 2, 3}}) {
    Reshape reshape({.target_shape = target});
    EXPECT_TRUE(testing::gradient_matches_finite_differences(
        {.forward = [&](const Tensor& input) { return reshape(input); },
         .backward = [&](const Tensor& grad) { return reshape.backward(grad); }},
        x));
  }
}

TEST_F(ReshapeTest, ConfigHasKerasKeys) {
  EXPECT_EQ(Reshape({.target_shape = {-1, 2}}).get_config(),
            R"({"name":"reshape","trainable":true,"dtype":{"module":"keras","class_name":)"
            R"("DTypePolicy","config":{"name":"float32"},"registered_name":null},)"
            R"("target_shape":[-1,2]})");
}

TEST_F(ReshapeTest, FromConfigRoundTrips) {
  const Reshape original({.target_shape = {3, -1, 2}, .name = "fold", .trainable = false});
  const Reshape copy = Reshape::from_config(original.get_config());
  EXPECT_EQ(copy.name(), "fold");
  EXPECT_EQ(copy.target_shape(), (std::vector<std::int64_t>{3, -1, 2}));
  EXPECT_FALSE(copy.trainable());
  EXPECT_EQ(copy.get_config(), original.get_config());
}

TEST_F(ReshapeTest, FromConfigNeedsTargetShape) {
  EXPECT_EQ(error_message<TypeError>([] { (void)Reshape::from_config(R"({"name": "r"})"); }),
            "Reshape.__init__() missing 1 required positional argument: 'target_shape'");
}

TEST_F(ReshapeTest, RejectsTwoUnknownAxesInKerasWords) {
  EXPECT_EQ(error_message<ValueError>([] {
              Reshape({.target_shape = {-1, 3, -1}});
            }),
            "The `target_shape` argument must not contain more than one `-1` value. Received: "
            "target_shape=(-1, 3, -1)");
}

TEST_F(ReshapeTest, RejectsEntriesBelowMinusOne) {
  EXPECT_EQ(error_message<ValueError>([] {
              Reshape({.target_shape = {3, -2}, .name = "r"});
            }),
            "Reshape layer 'r': every entry of `target_shape` must be a non-negative integer or "
            "-1. Received: target_shape=(3, -2)");
}

TEST_F(ReshapeTest, RejectsAChangedSizeInKerasWords) {
  Reshape reshape({.target_shape = {3, 5}});
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)reshape.compute_output_shape({None, 12});
            }),
            "The total size of the tensor must be unchanged. Received: input_shape=(12,), "
            "target_shape=(3, 5)");
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)reshape(Tensor::zeros({2, 3, 4}));
            }),
            "The total size of the tensor must be unchanged. Received: input_shape=(3, 4), "
            "target_shape=(3, 5)");
}

TEST_F(ReshapeTest, RejectsAnIndivisibleSizeInKerasWords) {
  const std::string expected =
      "The total size of the tensor must be unchanged, however, the input size cannot by "
      "divided by the specified dimensions in target_shape. Received: input_shape=(3, 4), "
      "target_shape=(5, -1)";
  EXPECT_EQ(error_message<ValueError>([] {
              (void)Reshape({.target_shape = {5, -1}}).compute_output_shape({None, 3, 4});
            }),
            expected);
  EXPECT_EQ(error_message<ValueError>([] {
              (void)Reshape({.target_shape = {0, -1}}).compute_output_shape({None, 2});
            }),
            "The total size of the tensor must be unchanged, however, the input size cannot by "
            "divided by the specified dimensions in target_shape. Received: input_shape=(2,), "
            "target_shape=(0, -1)");
}

TEST_F(ReshapeTest, HasNoWeights) {
  Reshape reshape({.target_shape = {-1}});
  reshape.build({None, 2, 3});
  EXPECT_EQ(reshape.count_params(), 0);
  EXPECT_TRUE(reshape.weights().empty());
}

}  // namespace
}  // namespace keras::layers
