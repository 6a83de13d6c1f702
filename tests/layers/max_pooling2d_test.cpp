// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/max_pooling2d.h"

#include "keras/backend.h"
#include "keras/layers/layer.h"
#include "kernels/image_layout.h"
#include "kernels/pooling2d.h"
#include "support/expect_error.h"
#include "support/finite_difference.h"
#include "support/tensor_matchers.h"
#include "support/tensors.h"

#include <gtest/gtest.h>

#include <memory>

namespace keras::layers {
namespace {

using testing::all_close;
using testing::error_message;
using testing::iota;

// Distinct values 0.1 apart in a scrambled order: no ties in any window, and a
// finite-difference step of 0.01 never changes which cell wins.
Tensor without_ties(std::vector<std::int64_t> shape) {
  Tensor x = Tensor::empty(std::move(shape));
  const std::int64_t n = x.size();
  for (std::int64_t i = 0; i < n; ++i) x.data<float>()[i] = static_cast<float>((i * 37) % n) * 0.1f;
  return x;
}

class MaxPooling2DTest : public ::testing::Test {
 protected:
  void SetUp() override { backend::clear_session(); }
};

TEST_F(MaxPooling2DTest, TakesTheMaximumOfEachWindow) {
  MaxPooling2D pool;
  const Tensor y = pool(iota({1, 4, 4, 1}));
  EXPECT_EQ(y.shape(), (std::vector<std::int64_t>{1, 2, 2, 1}));
  EXPECT_EQ(y.to_vector(), (std::vector<float>{5, 7, 13, 15}));
}

TEST_F(MaxPooling2DTest, StridesDefaultToPoolSize) {
  const MaxPooling2D pool({.pool_size = {3, 2}});
  EXPECT_EQ(pool.strides(), (std::array<int, 2>{3, 2}));
  EXPECT_EQ(MaxPooling2D({.pool_size = 3, .strides = 1}).strides(), (std::array<int, 2>{1, 1}));
}

TEST_F(MaxPooling2DTest, MnistConvnetShapes) {  // keras-spec.md 2.9: 26 -> 13, 11 -> 5
  EXPECT_EQ(MaxPooling2D({.pool_size = 2}).compute_output_shape({None, 26, 26, 32}),
            Shape({None, 13, 13, 32}));
  EXPECT_EQ(MaxPooling2D({.pool_size = 2}).compute_output_shape({None, 11, 11, 64}),
            Shape({None, 5, 5, 64}));
}

TEST_F(MaxPooling2DTest, OutputShapesFollowKerasRules) {
  const MaxPooling2D same({.pool_size = 3, .strides = 2, .padding = "same"});
  EXPECT_EQ(same.compute_output_shape({4, 5, 6, 2}), Shape({4, 3, 3, 2}));  // ceil(n / s)
  const MaxPooling2D valid({.pool_size = 3, .strides = 2});
  EXPECT_EQ(valid.compute_output_shape({4, 7, 8, 2}), Shape({4, 3, 3, 2}));  // floor + 1
  EXPECT_EQ(valid.compute_output_shape({None, None, 8, None}), Shape({None, None, 3, None}));
  const MaxPooling2D first({.data_format = "channels_first"});
  EXPECT_EQ(first.compute_output_shape({None, 3, 6, 7}), Shape({None, 3, 3, 3}));
  EXPECT_EQ(MaxPooling2D().compute_output_spec({None, 28, 28, 1}), Shape({None, 14, 14, 1}));
}

TEST_F(MaxPooling2DTest, SamePaddingNeverPicksAPaddedCell) {
  // 5x5, pool 2, stride 2: TensorFlow pads one row and column at the bottom/right only.
  Tensor x = iota({1, 5, 5, 1});
  for (float* v = x.data<float>(); v != x.data<float>() + x.size(); ++v) *v = -(*v + 1);
  MaxPooling2D pool({.padding = "same"});
  EXPECT_EQ(pool(x).to_vector(), (std::vector<float>{-1, -3, -5, -11, -13, -15, -21, -23, -25}));
}

TEST_F(MaxPooling2DTest, ChannelsFirstMatchesChannelsLast) {
  const Tensor x = Tensor::uniform({2, 7, 6, 3}, -1.0f, 1.0f, 5);
  const Tensor nchw = x.permute({0, 3, 1, 2}).contiguous();
  for (const char* padding : {"valid", "same"}) {
    MaxPooling2D last({.pool_size = 3, .strides = 2, .padding = padding});
    MaxPooling2D first(
        {.pool_size = 3, .strides = 2, .padding = padding, .data_format = "channels_first"});
    EXPECT_TRUE(all_close(first(nchw), last(x).permute({0, 3, 1, 2}).contiguous())) << padding;
  }
}

TEST_F(MaxPooling2DTest, PlanFollowsTheInputShape) {
  MaxPooling2D pool;
  const Tensor small = iota({1, 4, 4, 1});
  const Tensor large = iota({3, 6, 4, 2});
  EXPECT_EQ(pool(large).shape(), (std::vector<std::int64_t>{3, 3, 2, 2}));
  EXPECT_EQ(pool(small).to_vector(), (std::vector<float>{5, 7, 13, 15}));
  EXPECT_EQ(pool.backward(Tensor::ones({1, 2, 2, 1})).shape(), small.shape());
}

// The plan in channel blocks (Sequential's layout after a Conv2D) against NHWC, forward and
// backward, for max pooling and (same padding) average pooling.
TEST_F(MaxPooling2DTest, PlanInChannelBlocksAgreesWithNhwc) {
  using kernels::ImageLayout;
  for (const auto algorithm :
       {kernels::PoolingAlgorithm::max, kernels::PoolingAlgorithm::average}) {
    const std::int64_t pad = algorithm == kernels::PoolingAlgorithm::average ? 1 : 0;
    kernels::Pooling2DGeometry geometry{
        .algorithm = algorithm, .kernel = {2, 2}, .strides = {2, 2}, .padding_r = {pad, pad}};
    const Tensor x = Tensor::uniform({3, 7, 9, 32}, -1.0f, 1.0f, 5);
    kernels::Pooling2DPlan nhwc_plan("pool");
    const Tensor y = nhwc_plan.forward(x, geometry);
    const Tensor dy = Tensor::uniform(y.shape(), -1.0f, 1.0f, 6);
    const Tensor dx = nhwc_plan.backward(dy);

    geometry.layout = ImageLayout::channel_blocks;
    kernels::Pooling2DPlan plan("pool");
    const Tensor blocked_y = plan.forward(kernels::to_channel_blocks(x), geometry);
    EXPECT_EQ(blocked_y.rank(), 5);
    const Tensor blocked_dx = plan.backward(kernels::to_channel_blocks(dy));
    EXPECT_TRUE(all_close(kernels::from_channel_blocks(blocked_y), y));
    EXPECT_TRUE(all_close(kernels::from_channel_blocks(blocked_dx), dx, 1e-6, 1e-6));
  }
}

TEST_F(MaxPooling2DTest, ZeroBatchGivesAnEmptyOutput) {
  MaxPooling2D pool;
  EXPECT_EQ(pool(Tensor::zeros({0, 4, 4, 3})).shape(), (std::vector<std::int64_t>{0, 2, 2, 3}));
  EXPECT_EQ(pool.backward(Tensor::zeros({0, 2, 2, 3})).shape(),
            (std::vector<std::int64_t>{0, 4, 4, 3}));
}

TEST_F(MaxPooling2DTest, BackwardMatchesFiniteDifferences) {
  struct Case {
    Pooling2DOptions options;
    std::vector<std::int64_t> shape;  // channels_last
  };
  const std::vector<Case> cases{
      {{.pool_size = 2}, {2, 5, 6, 3}},                                   // valid, odd rows
      {{.pool_size = 3, .strides = 2, .padding = "same"}, {1, 6, 5, 2}},  // uneven padding
      {{.pool_size = 3, .strides = 1}, {1, 5, 5, 2}},                     // overlapping windows
      {{.pool_size = {2, 3}, .strides = {1, 2}}, {2, 4, 7, 1}},           // strided, rectangular
  };
  for (const Case& c : cases) {
    for (const char* format : {"channels_last", "channels_first"}) {
      Pooling2DOptions options = c.options;
      options.data_format = format;
      MaxPooling2D pool(options);
      std::vector<std::int64_t> shape = c.shape;
      if (std::string(format) == "channels_first") shape = {shape[0], shape[3], shape[1], shape[2]};
      EXPECT_TRUE(testing::gradient_matches_finite_differences(
          {.forward = [&](const Tensor& input) { return pool(input); },
           .backward = [&](const Tensor& grad) { return pool.backward(grad); }},
          without_ties(shape)))
          << pool.get_config();
    }
  }
}

TEST_F(MaxPooling2DTest, BackwardAfterAnInferenceCallWorks) {
  MaxPooling2D pool;
  (void)pool(iota({1, 4, 4, 1}), /*training=*/false);
  EXPECT_EQ(pool.backward(Tensor::ones({1, 2, 2, 1})).to_vector(),
            (std::vector<float>{0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1}));
}

TEST_F(MaxPooling2DTest, HasNoWeights) {
  MaxPooling2D pool;
  pool.build({None, 28, 28, 1});
  EXPECT_EQ(pool.count_params(), 0);
  EXPECT_TRUE(pool.weights().empty());
}

TEST_F(MaxPooling2DTest, PaddingIsCaseInsensitive) {
  EXPECT_EQ(MaxPooling2D({.padding = "SAME"}).padding(), "same");
}

TEST_F(MaxPooling2DTest, ConfigHasKerasKeysInKerasOrder) {
  EXPECT_EQ(
      MaxPooling2D().get_config(),
      R"({"name":"max_pooling2d","trainable":true,"dtype":{"module":"keras","class_name":)"
      R"("DTypePolicy","config":{"name":"float32"},"registered_name":null},)"
      R"("pool_size":[2,2],"padding":"valid","strides":[2,2],"data_format":"channels_last"})");
}

TEST_F(MaxPooling2DTest, FromConfigRoundTrips) {
  const MaxPooling2D original({.pool_size = {3, 2},
                               .strides = {1, 2},
                               .padding = "same",
                               .data_format = "channels_first",
                               .name = "pool",
                               .trainable = false});
  const MaxPooling2D copy = MaxPooling2D::from_config(original.get_config());
  EXPECT_EQ(copy.get_config(), original.get_config());
  EXPECT_EQ(copy.pool_size(), (std::array<int, 2>{3, 2}));
  EXPECT_EQ(copy.data_format(), DataFormat::channels_first);
}

TEST_F(MaxPooling2DTest, FromConfigAcceptsIntsAndDefaults) {
  const MaxPooling2D pool = MaxPooling2D::from_config(R"({"pool_size": 3, "strides": null})");
  EXPECT_EQ(pool.pool_size(), (std::array<int, 2>{3, 3}));
  EXPECT_EQ(pool.strides(), (std::array<int, 2>{3, 3}));
  const auto layer = deserialize(R"({"class_name": "MaxPooling2D", "config": {}})");
  EXPECT_EQ(layer->name(), "max_pooling2d_1");
  EXPECT_EQ(layer->compute_output_shape({None, 4, 4, 1}), Shape({None, 2, 2, 1}));
}

TEST_F(MaxPooling2DTest, FromConfigRejectsBadPairs) {
  EXPECT_EQ(error_message<ValueError>(
                [] { (void)MaxPooling2D::from_config(R"({"pool_size": [2, 2, 2]})"); }),
            "The `pool_size` argument must be a tuple of 2 integers. Received pool_size=[2, 2, 2]");
  EXPECT_EQ(
      error_message<ValueError>([] { (void)MaxPooling2D::from_config(R"({"strides": "2"})"); }),
      "The config of a MaxPooling2D layer has an invalid value for 'strides': \"2\"");
}

TEST_F(MaxPooling2DTest, RejectsBadPaddingInKerasWords) {
  EXPECT_EQ(error_message<ValueError>([] { MaxPooling2D({.padding = "full"}); }),
            "Argument `padding` must be either 'valid' or 'same'. Received: padding=full");
}

TEST_F(MaxPooling2DTest, RejectsNonPositiveSizesInKerasWords) {
  EXPECT_EQ(error_message<ValueError>([] {
              MaxPooling2D({.pool_size = {0, 2}});
            }),
            "The `pool_size` argument must be a tuple of 2 integers. Received pool_size=(0, 2), "
            "including values {0} that do not satisfy `value > 0`");
  EXPECT_EQ(error_message<ValueError>([] { MaxPooling2D({.strides = -1}); }),
            "The `strides` argument must be a tuple of 2 integers. Received strides=-1, "
            "including values {-1} that do not satisfy `value > 0`");
}

TEST_F(MaxPooling2DTest, RejectsImagesSmallerThanTheWindow) {
  const MaxPooling2D pool({.pool_size = 3});
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)pool.compute_output_shape({None, 2, 5, 1});
            }),
            "Computed output size would be zero or negative in layer \"max_pooling2d\": "
            "inputs.shape=(None, 2, 5, 1), pool_size=(3, 3), strides=(3, 3), padding=valid give "
            "output shape (None, 0, 1, 1)");
  MaxPooling2D eager({.pool_size = 3});
  EXPECT_THROW((void)eager(Tensor::zeros({1, 2, 5, 1})), ValueError);
}

TEST_F(MaxPooling2DTest, RejectsRank3InputInKerasWords) {
  MaxPooling2D pool;
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)pool(Tensor::zeros({4, 4, 1}));
            }),
            "Input 0 of layer \"max_pooling2d\" is incompatible with the layer: expected ndim=4, "
            "found ndim=3. Full shape received: (4, 4, 1)");
}

TEST_F(MaxPooling2DTest, RejectsNonFloatInputs) {
  MaxPooling2D pool;
  // pool(x) casts x to float32 first, as Keras does; call() itself takes float32 only.
  EXPECT_EQ(error_message<TypeError>([&] {
              (void)pool.call(Tensor::zeros({1, 4, 4, 1}, DType::int32), false);
            }),
            "Layer \"max_pooling2d\" pools float32 tensors, got dtype int32 (shape (1, 4, 4, 1))");
}

TEST_F(MaxPooling2DTest, BackwardNeedsACallFirst) {
  MaxPooling2D pool;
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)pool.backward(Tensor::ones({1, 2, 2, 1}));
            }),
            "Layer \"max_pooling2d\": `backward` needs a call first; it returns the gradient of "
            "the last call");
}

TEST_F(MaxPooling2DTest, BackwardRejectsGradientsOfAnotherShape) {
  MaxPooling2D pool;
  (void)pool(iota({1, 4, 4, 1}));
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)pool.backward(Tensor::ones({1, 3, 3, 1}));
            }),
            "Layer \"max_pooling2d\": `backward` received gradients of shape (1, 3, 3, 1), but "
            "the last call returned shape (1, 2, 2, 1)");
}

}  // namespace
}  // namespace keras::layers
