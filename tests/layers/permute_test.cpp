// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/permute.h"

#include "keras/backend.h"
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

class PermuteTest : public ::testing::Test {
 protected:
  void SetUp() override { backend::clear_session(); }
};

TEST_F(PermuteTest, OutputShapeFollowsDims) {  // Keras's docstring example
  EXPECT_EQ(Permute({.dims = {2, 1}}).compute_output_shape({None, 10, 64}), Shape({None, 64, 10}));
  EXPECT_EQ(Permute({.dims = {3, 1, 2}}).compute_output_shape({None, 28, None, 3}),
            Shape({None, 3, 28, None}));
}

TEST_F(PermuteTest, TransposesTheAxesAfterTheBatch) {
  const Tensor x = iota({2, 3, 4, 5});
  for (const std::vector<int>& dims : {std::vector<int>{1, 3, 2}, {3, 1, 2}, {2, 3, 1}}) {
    const Tensor y = Permute({.dims = dims})(x);
    const Tensor expected = x.permute({0, dims[0], dims[1], dims[2]});
    EXPECT_EQ(y.shape(), expected.shape());
    EXPECT_EQ(y.to_vector(), expected.to_vector());
    EXPECT_TRUE(y.is_contiguous());
  }
}

TEST_F(PermuteTest, SwapsTwoAxesElementByElement) {
  const Tensor x = iota({1, 2, 3});
  EXPECT_EQ(Permute({.dims = {2, 1}})(x).to_vector(), (std::vector<float>{0, 3, 1, 4, 2, 5}));
}

TEST_F(PermuteTest, BackwardAppliesTheInversePermutation) {
  const Tensor x = iota({2, 3, 4, 5});
  Permute permute({.dims = {3, 1, 2}});
  const Tensor dx = permute.backward(permute(x));
  EXPECT_TRUE(all_close(dx, x));
  EXPECT_TRUE(dx.is_contiguous());
}

TEST_F(PermuteTest, BackwardMatchesFiniteDifferences) {
  const Tensor x = Tensor::uniform({2, 2, 3, 4}, -1.0f, 1.0f, 11);
  for (const std::vector<int>& dims :
       {std::vector<int>{1, 2, 3}, {1, 3, 2}, {3, 1, 2}, {2, 3, 1}}) {
    Permute permute({.dims = dims});
    EXPECT_TRUE(testing::gradient_matches_finite_differences(
        {.forward = [&](const Tensor& input) { return permute(input); },
         .backward = [&](const Tensor& grad) { return permute.backward(grad); }},
        x));
  }
}

TEST_F(PermuteTest, ConfigHasKerasKeys) {
  EXPECT_EQ(Permute({.dims = {2, 1}}).get_config(),
            R"({"name":"permute","trainable":true,"dtype":{"module":"keras","class_name":)"
            R"("DTypePolicy","config":{"name":"float32"},"registered_name":null},)"
            R"("dims":[2,1]})");
}

TEST_F(PermuteTest, FromConfigRoundTrips) {
  const Permute original({.dims = {3, 1, 2}, .name = "to_nchw"});
  const Permute copy = Permute::from_config(original.get_config());
  EXPECT_EQ(copy.name(), "to_nchw");
  EXPECT_EQ(copy.dims(), (std::vector<int>{3, 1, 2}));
  EXPECT_EQ(copy.input_spec().ndim.value_or(0), 4);
  EXPECT_EQ(copy.get_config(), original.get_config());
}

TEST_F(PermuteTest, FromConfigNeedsDims) {
  EXPECT_EQ(error_message<TypeError>([] { (void)Permute::from_config("{}"); }),
            "Permute.__init__() missing 1 required positional argument: 'dims'");
}

TEST_F(PermuteTest, RejectsDimsThatAreNotAPermutationInKerasWords) {
  const std::string prefix =
      "Invalid permutation argument `dims` for Permute Layer. The set of indices in `dims` must "
      "be consecutive and start from 1. Received dims=";
  EXPECT_EQ(error_message<ValueError>([] { Permute({.dims = {1, 3}}); }), prefix + "(1, 3)");
  EXPECT_EQ(error_message<ValueError>([] { Permute({.dims = {0, 1}}); }), prefix + "(0, 1)");
  EXPECT_EQ(error_message<ValueError>([] { Permute({.dims = {2, 2}}); }), prefix + "(2, 2)");
}

TEST_F(PermuteTest, RejectsInputsOfAnotherRankInKerasWords) {
  Permute permute({.dims = {2, 1}});
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)permute(Tensor::zeros({2, 3, 4, 5}));
            }),
            "Input 0 of layer \"permute\" is incompatible with the layer: expected ndim=3, found "
            "ndim=4. Full shape received: (2, 3, 4, 5)");
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)permute.compute_output_shape({None, 3});
            }),
            "Input 0 of layer \"permute\" is incompatible with the layer: expected ndim=3, found "
            "ndim=2. Full shape received: (None, 3)");
}

}  // namespace
}  // namespace keras::layers
