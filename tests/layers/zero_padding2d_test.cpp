// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/zero_padding2d.h"

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

class ZeroPadding2DTest : public ::testing::Test {
 protected:
  void SetUp() override { backend::clear_session(); }
};

TEST_F(ZeroPadding2DTest, PadsEverySideWithZeros) {  // Keras's docstring example
  const Tensor x = iota({1, 1, 2, 2});
  const Tensor y = ZeroPadding2D({.padding = 1})(x);
  EXPECT_EQ(y.shape(), (std::vector<std::int64_t>{1, 3, 4, 2}));
  EXPECT_EQ(y.to_vector(), (std::vector<float>{0, 0, 0, 0, 0, 0, 0, 0,  //
                                               0, 0, 0, 1, 2, 3, 0, 0,  //
                                               0, 0, 0, 0, 0, 0, 0, 0}));
}

TEST_F(ZeroPadding2DTest, ChannelsFirstPadsTheLastTwoAxes) {
  const Tensor x = iota({1, 1, 2, 2});
  const Tensor y = ZeroPadding2D({.padding = {{1, 0}, {0, 2}}, .data_format = "channels_first"})(x);
  EXPECT_EQ(y.shape(), (std::vector<std::int64_t>{1, 1, 3, 4}));
  EXPECT_EQ(y.to_vector(), (std::vector<float>{0, 0, 0, 0,  //
                                               0, 1, 0, 0,  //
                                               2, 3, 0, 0}));
}

TEST_F(ZeroPadding2DTest, TakesEveryKerasPaddingForm) {
  const Shape input{None, 4, 5, 3};
  EXPECT_EQ(ZeroPadding2D().compute_output_shape(input), Shape({None, 6, 7, 3}));
  EXPECT_EQ(ZeroPadding2D({.padding = 2}).compute_output_shape(input), Shape({None, 8, 9, 3}));
  EXPECT_EQ(ZeroPadding2D({.padding = {1, 3}}).compute_output_shape(input),
            Shape({None, 6, 11, 3}));
  EXPECT_EQ(ZeroPadding2D({.padding = {{1, 2}, {3, 4}}}).compute_output_shape(input),
            Shape({None, 7, 12, 3}));
  EXPECT_EQ(ZeroPadding2D({.padding = {1, {0, 4}}}).compute_output_shape(input),
            Shape({None, 6, 9, 3}));
  EXPECT_EQ(ZeroPadding2D({.padding = {{1, 2}, {3, 4}}, .data_format = "channels_first"})
                .compute_output_shape({None, 3, 4, 5}),
            Shape({None, 3, 7, 12}));
}

TEST_F(ZeroPadding2DTest, UnknownAxesStayUnknown) {
  const ZeroPadding2D last({.padding = {{1, 2}, {3, 4}}});
  EXPECT_EQ(last.compute_output_shape({None, None, 5, None}), Shape({None, None, 12, None}));
  const ZeroPadding2D first({.padding = {{1, 2}, {3, 4}}, .data_format = "channels_first"});
  EXPECT_EQ(first.compute_output_shape({2, None, 4, None}), Shape({2, None, 7, None}));
}

TEST_F(ZeroPadding2DTest, ZeroPaddingKeepsTheValues) {
  const Tensor x = iota({2, 3, 4, 2});
  EXPECT_TRUE(all_close(ZeroPadding2D({.padding = 0})(x), x));
}

TEST_F(ZeroPadding2DTest, BackwardKeepsTheInteriorOfTheGradient) {
  ZeroPadding2D pad({.padding = {{1, 0}, {0, 2}}});
  (void)pad(Tensor::zeros({1, 1, 2, 1}));
  const Tensor dx = pad.backward(iota({1, 2, 4, 1}));
  EXPECT_EQ(dx.shape(), (std::vector<std::int64_t>{1, 1, 2, 1}));
  EXPECT_EQ(dx.to_vector(), (std::vector<float>{4, 5}));
}

TEST_F(ZeroPadding2DTest, BackwardNeedsACallAndMatchingGradients) {
  ZeroPadding2D pad({.name = "frame"});
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)pad.backward(Tensor::zeros({1, 4, 4, 1}));
            }),
            "Layer \"frame\": `backward` needs a call first; it returns the gradient of the last "
            "call");
  (void)pad(Tensor::zeros({1, 2, 2, 1}));
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)pad.backward(Tensor::zeros({1, 5, 4, 1}));
            }),
            "Layer \"frame\": `backward` received gradients of shape (1, 5, 4, 1), but the last "
            "call returned shape (1, 4, 4, 1)");
}

TEST_F(ZeroPadding2DTest, BackwardMatchesFiniteDifferences) {
  const Tensor x = Tensor::uniform({2, 3, 2, 2}, -1.0f, 1.0f, 13);
  for (const char* format : {"channels_last", "channels_first"}) {
    for (const Pads2D& padding : {Pads2D(1), Pads2D{{2, 0}, {1, 3}}}) {
      ZeroPadding2D pad({.padding = padding, .data_format = format});
      EXPECT_TRUE(testing::gradient_matches_finite_differences(
          {.forward = [&](const Tensor& input) { return pad(input); },
           .backward = [&](const Tensor& grad) { return pad.backward(grad); }},
          x))
          << format;
    }
  }
}

TEST_F(ZeroPadding2DTest, ConfigHasKerasKeys) {
  EXPECT_EQ(ZeroPadding2D({.padding = 2}).get_config(),
            R"({"name":"zero_padding2d","trainable":true,"dtype":{"module":"keras","class_name":)"
            R"("DTypePolicy","config":{"name":"float32"},"registered_name":null},)"
            R"("padding":[[2,2],[2,2]],"data_format":"channels_last"})");
}

TEST_F(ZeroPadding2DTest, FromConfigRoundTrips) {
  const ZeroPadding2D original(
      {.padding = {{1, 2}, {3, 4}}, .data_format = "channels_first", .name = "frame"});
  const ZeroPadding2D copy = ZeroPadding2D::from_config(original.get_config());
  EXPECT_EQ(copy.name(), "frame");
  EXPECT_EQ(copy.padding(), (Pads2D{{1, 2}, {3, 4}}));
  EXPECT_EQ(copy.data_format(), DataFormat::channels_first);
  EXPECT_EQ(copy.get_config(), original.get_config());
}

TEST_F(ZeroPadding2DTest, FromConfigReadsEveryForm) {
  EXPECT_EQ(ZeroPadding2D::from_config(R"({"padding": 3})").padding(), Pads2D(3));
  EXPECT_EQ(ZeroPadding2D::from_config(R"({"padding": [1, [2, 3]]})").padding(),
            (Pads2D{{1, 1}, {2, 3}}));
  EXPECT_EQ(ZeroPadding2D::from_config(R"({"data_format": null})").padding(), (Pads2D{1, 1}));
}

TEST_F(ZeroPadding2DTest, RejectsNegativePadding) {
  EXPECT_EQ(error_message<ValueError>([] { ZeroPadding2D({.padding = -1}); }),
            "`padding` cannot be negative. Received: padding=-1.");
  EXPECT_EQ(error_message<ValueError>([] {
              ZeroPadding2D({.padding = {{-1, 2}, {0, 0}}});
            }),
            "The `1st entry of padding` argument must be a tuple of 2 integers. Received 1st "
            "entry of padding=(-1, 2), including values {-1} that do not satisfy `value >= 0`");
  EXPECT_EQ(error_message<ValueError>([] {
              ZeroPadding2D({.padding = {0, -3}});
            }),
            "The `2nd entry of padding` argument must be a tuple of 2 integers. Received 2nd "
            "entry of padding=-3, including values {-3} that do not satisfy `value >= 0`");
  // Printed in the order of Python's set: hash(-1) is -2, so -3 comes first.
  EXPECT_EQ(error_message<ValueError>([] {
              ZeroPadding2D({.padding = {{-1, -3}, {0, 0}}});
            }),
            "The `1st entry of padding` argument must be a tuple of 2 integers. Received 1st "
            "entry of padding=(-1, -3), including values {-3, -1} that do not satisfy "
            "`value >= 0`");
}

TEST_F(ZeroPadding2DTest, FromConfigRejectsMalformedPaddingInKerasWords) {
  EXPECT_EQ(error_message<ValueError>(
                [] { (void)ZeroPadding2D::from_config(R"({"padding": [1, 2, 3]})"); }),
            "`padding` should have two elements. Received: padding=[1, 2, 3].");
  EXPECT_EQ(error_message<ValueError>(
                [] { (void)ZeroPadding2D::from_config(R"({"padding": [[1, 2, 3], 1]})"); }),
            "The `1st entry of padding` argument must be a tuple of 2 integers. Received 1st "
            "entry of padding=[1, 2, 3]");
  EXPECT_EQ(
      error_message<ValueError>([] { (void)ZeroPadding2D::from_config(R"({"padding": "same"})"); }),
      "`padding` should be either an int, a tuple of 2 ints (symmetric_height_crop, "
      "symmetric_width_crop), or a tuple of 2 tuples of 2 ints ((top_crop, bottom_crop), "
      "(left_crop, right_crop)). Received: padding='same'.");
}

TEST_F(ZeroPadding2DTest, RejectsInputsOtherThan4DInKerasWords) {
  ZeroPadding2D pad;
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)pad(Tensor::zeros({2, 3, 4}));
            }),
            "Input 0 of layer \"zero_padding2d\" is incompatible with the layer: expected "
            "ndim=4, found ndim=3. Full shape received: (2, 3, 4)");
}

}  // namespace
}  // namespace keras::layers
