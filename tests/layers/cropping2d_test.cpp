// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/cropping2d.h"

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

class Cropping2DTest : public ::testing::Test {
 protected:
  void SetUp() override { backend::clear_session(); }
};

TEST_F(Cropping2DTest, CropsEverySide) {  // Keras's docstring example
  const Tensor y = Cropping2D({.cropping = {{2, 2}, {4, 4}}})(Tensor::zeros({2, 28, 28, 3}));
  EXPECT_EQ(y.shape(), (std::vector<std::int64_t>{2, 24, 20, 3}));
}

TEST_F(Cropping2DTest, KeepsTheInteriorValues) {
  // iota: element (row, col) holds row * 5 + col; rows 1..3 and columns 1..2 remain.
  const Tensor y = Cropping2D({.cropping = {{1, 0}, {1, 2}}})(iota({1, 4, 5, 1}));
  EXPECT_EQ(y.shape(), (std::vector<std::int64_t>{1, 3, 2, 1}));
  EXPECT_EQ(y.to_vector(), (std::vector<float>{6, 7, 11, 12, 16, 17}));
  EXPECT_TRUE(y.is_contiguous());
}

TEST_F(Cropping2DTest, ChannelsFirstCropsTheLastTwoAxes) {
  const Tensor y = Cropping2D({.cropping = {{1, 0}, {1, 2}}, .data_format = "channels_first"})(
      iota({1, 1, 4, 5}));
  EXPECT_EQ(y.shape(), (std::vector<std::int64_t>{1, 1, 3, 2}));
  EXPECT_EQ(y.to_vector(), (std::vector<float>{6, 7, 11, 12, 16, 17}));
}

TEST_F(Cropping2DTest, TakesEveryKerasCroppingForm) {
  const Shape input{None, 8, 9, 3};
  EXPECT_EQ(Cropping2D().compute_output_shape(input), input);
  EXPECT_EQ(Cropping2D({.cropping = 2}).compute_output_shape(input), Shape({None, 4, 5, 3}));
  EXPECT_EQ(Cropping2D({.cropping = {1, 3}}).compute_output_shape(input), Shape({None, 6, 3, 3}));
  EXPECT_EQ(Cropping2D({.cropping = {{1, 2}, {3, 4}}}).compute_output_shape(input),
            Shape({None, 5, 2, 3}));
}

TEST_F(Cropping2DTest, UnknownAxesStayUnknown) {
  const Cropping2D last({.cropping = {{1, 2}, {3, 4}}});
  EXPECT_EQ(last.compute_output_shape({None, None, 9, None}), Shape({None, None, 2, None}));
  const Cropping2D first({.cropping = {{1, 2}, {3, 4}}, .data_format = "channels_first"});
  EXPECT_EQ(first.compute_output_shape({2, None, 4, None}), Shape({2, None, 1, None}));
}

TEST_F(Cropping2DTest, BackwardPutsTheGradientInAZeroFrame) {
  Cropping2D crop({.cropping = {{1, 0}, {0, 1}}});
  (void)crop(Tensor::zeros({1, 2, 3, 1}));
  const Tensor dx = crop.backward(Tensor::from_data(std::vector<float>{1, 2}, {1, 1, 2, 1}));
  EXPECT_EQ(dx.shape(), (std::vector<std::int64_t>{1, 2, 3, 1}));
  EXPECT_EQ(dx.to_vector(), (std::vector<float>{0, 0, 0, 1, 2, 0}));
}

TEST_F(Cropping2DTest, BackwardNeedsACallAndMatchingGradients) {
  Cropping2D crop({.cropping = 1});
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)crop.backward(Tensor::zeros({1, 2, 2, 1}));
            }),
            "Layer \"cropping2d\": `backward` needs a call first; it returns the gradient of "
            "the last call");
  (void)crop(Tensor::zeros({1, 4, 4, 1}));
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)crop.backward(Tensor::zeros({1, 4, 4, 1}));
            }),
            "Layer \"cropping2d\": `backward` received gradients of shape (1, 4, 4, 1), but the "
            "last call returned shape (1, 2, 2, 1)");
}

TEST_F(Cropping2DTest, BackwardMatchesFiniteDifferences) {
  const Tensor x = Tensor::uniform({2, 4, 5, 6}, -1.0f, 1.0f, 17);
  for (const char* format : {"channels_last", "channels_first"}) {
    for (const Pads2D& cropping : {Pads2D(1), Pads2D{{2, 0}, {0, 1}}}) {
      Cropping2D crop({.cropping = cropping, .data_format = format});
      EXPECT_TRUE(testing::gradient_matches_finite_differences(
          {.forward = [&](const Tensor& input) { return crop(input); },
           .backward = [&](const Tensor& grad) { return crop.backward(grad); }},
          x))
          << format;
    }
  }
}

TEST_F(Cropping2DTest, ConfigHasKerasKeys) {
  EXPECT_EQ(Cropping2D({.cropping = {1, 2}, .data_format = "channels_first"}).get_config(),
            R"({"name":"cropping2d","trainable":true,"dtype":{"module":"keras","class_name":)"
            R"("DTypePolicy","config":{"name":"float32"},"registered_name":null},)"
            R"("cropping":[[1,1],[2,2]],"data_format":"channels_first"})");
}

TEST_F(Cropping2DTest, FromConfigRoundTrips) {
  const Cropping2D original({.cropping = {{1, 2}, {3, 4}}, .name = "trim", .trainable = false});
  const Cropping2D copy = Cropping2D::from_config(original.get_config());
  EXPECT_EQ(copy.name(), "trim");
  EXPECT_EQ(copy.cropping(), (Pads2D{{1, 2}, {3, 4}}));
  EXPECT_EQ(copy.data_format(), DataFormat::channels_last);
  EXPECT_FALSE(copy.trainable());
  EXPECT_EQ(copy.get_config(), original.get_config());
}

TEST_F(Cropping2DTest, RejectsNegativeCroppingInKerasWords) {
  EXPECT_EQ(error_message<ValueError>([] { Cropping2D({.cropping = -2}); }),
            "`cropping` cannot be negative. Received: cropping=-2.");
  EXPECT_EQ(error_message<ValueError>([] {
              Cropping2D({.cropping = {{0, 0}, {1, -2}}});
            }),
            "The `2nd entry of cropping` argument must be a tuple of 2 integers. Received 2nd "
            "entry of cropping=(1, -2), including values {-2} that do not satisfy `value >= 0`");
}

TEST_F(Cropping2DTest, FromConfigRejectsMalformedCroppingInKerasWords) {
  EXPECT_EQ(
      error_message<ValueError>([] { (void)Cropping2D::from_config(R"({"cropping": [1]})"); }),
      "`cropping` should have two elements. Received: cropping=[1].");
}

TEST_F(Cropping2DTest, RejectsCropsThatLeaveNothingInKerasWords) {
  Cropping2D crop({.cropping = {{2, 2}, {0, 0}}});
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)crop.compute_output_shape({None, 4, 4, 3});
            }),
            "Values in `cropping` argument should be smaller than the corresponding spatial "
            "dimension of the input. Received: input_shape=(None, 4, 4, 3), cropping=((2, 2), "
            "(0, 0))");
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)crop.call(Tensor::zeros({2, 4, 4, 3}), false);  // as Sequential calls it
            }),
            "Values in `cropping` argument should be smaller than the corresponding spatial "
            "dimension of the input. Received: inputs.shape=(2, 4, 4, 3), cropping=((2, 2), "
            "(0, 0))");
  Cropping2D first({.cropping = {0, 3}, .data_format = "channels_first"});
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)first.compute_output_shape({None, 3, 8, 6});
            }),
            "Values in `cropping` argument should be smaller than the corresponding spatial "
            "dimension of the input. Received: input_shape=(None, 3, 8, 6), cropping=((0, 0), "
            "(3, 3))");
}

TEST_F(Cropping2DTest, RejectsInputsOtherThan4DInKerasWords) {
  Cropping2D crop;
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)crop.compute_output_shape({None, 4, 4});
            }),
            "Input 0 of layer \"cropping2d\" is incompatible with the layer: expected ndim=4, "
            "found ndim=3. Full shape received: (None, 4, 4)");
}

}  // namespace
}  // namespace keras::layers
