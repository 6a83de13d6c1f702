// SPDX-License-Identifier: Apache-2.0
#include "detail/sequential_access.h"
#include "keras/config.h"
#include "keras/layers/average_pooling2d.h"
#include "keras/layers/conv2d.h"
#include "keras/layers/dense.h"
#include "keras/layers/flatten.h"
#include "keras/layers/input_layer.h"
#include "keras/layers/max_pooling2d.h"
#include "keras/sequential.h"
#include "keras/utils/random.h"
#include "kernels/image_layout.h"
#include "support/models.h"
#include "support/tensor_matchers.h"

#include <gtest/gtest.h>

#include <vector>

namespace keras {
namespace {

using layers::Conv2D;
using testing::all_close;
using testing::mnist_convnet;

class SequentialChannelBlocksTest : public ::testing::Test {
 protected:
  void SetUp() override { utils::set_random_seed(7); }
  void TearDown() override { config::set_channel_blocks(true); }
};

// `chain` where oneDNN has channel-block kernels (AVX-512), no blocks anywhere elsewhere.
std::vector<bool> on_this_cpu(const std::vector<bool>& chain) {
  return kernels::has_channel_block_kernels() ? chain : std::vector<bool>(chain.size(), false);
}

// A batch of uniform values in [low, 1) of the model's input shape.
Tensor inputs_for(const Sequential& model, std::int64_t batch, float low, std::uint64_t seed) {
  std::vector<std::int64_t> shape{batch};
  for (int axis = 1; axis < model.input_shape().rank(); ++axis) {
    shape.push_back(*model.input_shape()[axis]);
  }
  return Tensor::uniform(shape, low, 1.0f, seed);
}

std::vector<bool> blocks_after_call(Sequential& model, std::int64_t batch) {
  (void)model.call(inputs_for(model, batch, 0.0f, 1), true);
  return detail::SequentialAccess::channel_block_inputs(model);
}

TEST_F(SequentialChannelBlocksTest, ChainsMnistConvnetsConvolutionsAndPoolings) {
  Sequential model = mnist_convnet();
  //                           Input  Conv   Pool  Conv  Pool  Flatten Dropout Dense  output
  const std::vector<bool> chain{false, false, true, true, true, false, false, false, false};
  EXPECT_EQ(blocks_after_call(model, 8), on_this_cpu(chain));
}

TEST_F(SequentialChannelBlocksTest, KeepsNhwcForSmallBatchesAndWhenSwitchedOff) {
  Sequential model = mnist_convnet();
  const std::vector<bool> none(9, false);
  EXPECT_EQ(blocks_after_call(model, 7), none);
  config::set_channel_blocks(false);
  EXPECT_EQ(blocks_after_call(model, 8), none);
}

// predict's batches of 8 run in blocks and its last batch of 4 in NHWC, in turn, and give
// what NHWC gives throughout.
TEST_F(SequentialChannelBlocksTest, PredictSwitchesLayoutsBetweenBatches) {
  Sequential model = mnist_convnet();
  const Tensor x = Tensor::uniform({20, 28, 28, 1}, 0.0f, 1.0f, 4);
  config::set_channel_blocks(false);
  const Tensor nhwc = model.predict(x, 8);
  config::set_channel_blocks(true);
  const Tensor first = model.predict(x, 8);
  const Tensor again = model.predict(x, 8);
  EXPECT_EQ(detail::SequentialAccess::channel_block_inputs(model), std::vector<bool>(9, false));
  EXPECT_TRUE(all_close(first, nhwc, 1e-5, 1e-5));
  EXPECT_TRUE(all_close(again, nhwc, 1e-5, 1e-5));
  (void)model.predict(x.slice(0, 8), 8);
  EXPECT_EQ(detail::SequentialAccess::channel_block_inputs(model),
            on_this_cpu({false, false, true, true, true, false, false, false, false}));
}

// Filters not a multiple of 16, an activation the convolution does not apply itself,
// groups, channels_first: each keeps NHWC (or NCHW) on both sides of that layer.
TEST_F(SequentialChannelBlocksTest, KeepsNhwcAroundLayersOneDnnCannotChain) {
  const auto model_with = [](layers::Conv2DOptions first) {
    Sequential model;
    model.add(Input({.shape = {10, 10, 16}}));
    model.add(Conv2D(std::move(first)));
    model.add(layers::MaxPooling2D({.pool_size = 2}));
    model.add(Conv2D({.filters = 16, .kernel_size = 1, .activation = "relu"}));
    return model;
  };
  const std::vector<bool> none(5, false);
  Sequential odd_filters = model_with({.filters = 24, .kernel_size = 3, .activation = "relu"});
  EXPECT_EQ(blocks_after_call(odd_filters, 8), none);
  Sequential softmax = model_with({.filters = 16, .kernel_size = 3, .activation = "softmax"});
  EXPECT_EQ(blocks_after_call(softmax, 8), none);
  Sequential grouped = model_with({.filters = 16, .kernel_size = 3, .groups = 2});
  EXPECT_EQ(blocks_after_call(grouped, 8), none);

  Sequential channels_first;
  channels_first.add(Input({.shape = {16, 10, 10}}));
  channels_first.add(Conv2D({.filters = 16, .kernel_size = 3, .data_format = "channels_first"}));
  channels_first.add(layers::MaxPooling2D({.pool_size = 2, .data_format = "channels_first"}));
  EXPECT_EQ(blocks_after_call(channels_first, 8), (std::vector<bool>(4, false)));
}

struct Pass {
  Tensor outputs, input_gradient;
  std::vector<Tensor> weight_gradients;
};

Pass forward_and_backward(Sequential& model, const Tensor& x, const Tensor& grad_outputs) {
  Pass pass{model.call(x, true), {}, {}};
  pass.input_gradient = model.backward(grad_outputs);
  for (const Variable& weight : model.trainable_weights()) {
    pass.weight_gradients.push_back(weight.gradient().clone());
  }
  return pass;
}

void expect_same_in_channel_blocks_and_nhwc(Sequential& model, const std::vector<bool>& chain) {
  const Tensor x = inputs_for(model, 8, -1.0f, 2);
  config::set_channel_blocks(false);
  const Tensor y = model.call(x, true);
  const Tensor dy = Tensor::uniform(y.shape(), -1.0f, 1.0f, 3);
  const Pass nhwc = forward_and_backward(model, x, dy);
  config::set_channel_blocks(true);
  const Pass blocks = forward_and_backward(model, x, dy);
  EXPECT_EQ(detail::SequentialAccess::channel_block_inputs(model), on_this_cpu(chain));
  EXPECT_TRUE(all_close(blocks.outputs, nhwc.outputs, 1e-5, 1e-5));
  EXPECT_TRUE(all_close(blocks.input_gradient, nhwc.input_gradient, 1e-5, 1e-5));
  ASSERT_EQ(blocks.weight_gradients.size(), nhwc.weight_gradients.size());
  for (std::size_t i = 0; i < nhwc.weight_gradients.size(); ++i) {
    EXPECT_TRUE(all_close(blocks.weight_gradients[i], nhwc.weight_gradients[i], 1e-4, 1e-5))
        << "weight " << i;
  }
}

// Into the blocks from an RGB image, through max and average pooling, out of them at a
// Conv2D before Flatten; the input gradient runs back through all of it.
TEST_F(SequentialChannelBlocksTest, GivesNhwcsOutputsAndGradients) {
  Sequential model;
  model.add(Input({.shape = {12, 12, 3}}));
  model.add(Conv2D({.filters = 16, .kernel_size = 3, .padding = "same", .activation = "relu"}));
  model.add(layers::MaxPooling2D({.pool_size = 2}));
  model.add(Conv2D({.filters = 32, .kernel_size = 3, .activation = "relu"}));
  model.add(layers::AveragePooling2D({.pool_size = 2, .padding = "same"}));
  model.add(Conv2D({.filters = 16, .kernel_size = 1, .activation = "relu"}));
  model.add(layers::Flatten());
  model.add(layers::Dense({.units = 5, .activation = "softmax"}));
  //                            Input  Conv   Max   Conv  Avg   Conv  Flatten Dense  output
  expect_same_in_channel_blocks_and_nhwc(
      model, {false, false, true, true, true, true, false, false, false});
}

// A model that ends in channel blocks hands back NHWC, and takes its gradient in NHWC.
TEST_F(SequentialChannelBlocksTest, ConvertsTheModelsOutputsOutOfChannelBlocks) {
  Sequential model;
  model.add(Input({.shape = {9, 9, 1}}));
  model.add(Conv2D({.filters = 32, .kernel_size = 3, .activation = "relu"}));
  model.add(layers::MaxPooling2D({.pool_size = 2}));
  expect_same_in_channel_blocks_and_nhwc(model, {false, false, true, false});
}

}  // namespace
}  // namespace keras
