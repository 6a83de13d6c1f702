// SPDX-License-Identifier: Apache-2.0
#include "keras/sequential.h"

#include "keras/backend.h"
#include "keras/layers/conv2d.h"
#include "keras/layers/dense.h"
#include "keras/layers/flatten.h"
#include "keras/layers/input_layer.h"
#include "keras/layers/max_pooling2d.h"
#include "support/expect_error.h"
#include "support/tensor_matchers.h"

#include <gtest/gtest.h>

namespace keras {
namespace {

using layers::Flatten;
using testing::all_close;
using testing::error_message;

class SequentialTest : public ::testing::Test {
 protected:
  void SetUp() override { backend::clear_session(); }
};

TEST_F(SequentialTest, InputShapeOnTheFirstLayerAddsAnInputLayer) {
  Sequential model;
  model.add(Flatten({.input_shape = {28, 28, 1}}));
  ASSERT_EQ(model.layers().size(), 1u);
  EXPECT_EQ(model.layers()[0]->name(), "flatten");
  EXPECT_TRUE(model.built());
  EXPECT_EQ(model.input_shape(), Shape({None, 28, 28, 1}));
  EXPECT_EQ(model.output_shape(), Shape({None, 784}));
}

TEST_F(SequentialTest, InputShapeOnLaterLayersIsIgnored) {
  Sequential model;
  model.add(Input({.shape = {4, 5}}));
  model.add(Flatten({.input_shape = {99}}));
  EXPECT_EQ(model.output_shape(), Shape({None, 20}));
}

TEST_F(SequentialTest, ShapesFlowThroughSeveralLayers) {
  Sequential model;
  model.add(Input({.shape = {3, 4, 5}}));
  model.add(Flatten());
  model.add(Flatten());
  EXPECT_EQ(model.layers()[1]->name(), "flatten_1");
  EXPECT_EQ(model.output_shape(), Shape({None, 60}));
}

TEST_F(SequentialTest, WithoutAnInputTheModelWaitsForData) {
  Sequential model;
  model.add(Flatten());
  EXPECT_FALSE(model.built());
  EXPECT_EQ(error_message<ValueError>([&] { (void)model.input_shape(); }),
            "Sequential model 'sequential' has no defined input shape yet.");
  EXPECT_EQ(error_message<ValueError>([&] { (void)model.output_shape(); }),
            "Sequential model 'sequential' has no defined output shape yet.");
  const Tensor y = model.predict(Tensor::ones({5, 2, 3}));
  EXPECT_EQ(y.shape(), (std::vector<std::int64_t>{5, 6}));
  EXPECT_EQ(model.input_shape(), Shape({None, 2, 3}));
}

TEST_F(SequentialTest, RejectsDuplicateNames) {
  Sequential model;
  model.add(Flatten({.name = "same"}));
  EXPECT_EQ(error_message<ValueError>([&] { model.add(Flatten({.name = "same"})); }),
            "All layers added to a Sequential model should have unique names. Name 'same' is "
            "already the name of a layer in this model. Update the `name` argument to pass a "
            "unique name.");
}

TEST_F(SequentialTest, TheSameLayerObjectMayBeAddedTwice) {
  Sequential model;
  auto shared = std::make_shared<Flatten>();
  model.add(shared);
  model.add(shared);
  EXPECT_EQ(model.layers().size(), 2u);
  const Tensor y = model.call(Tensor::zeros({2, 3, 4}), /*training=*/true);
  EXPECT_EQ(y.shape(), (std::vector<std::int64_t>{2, 12}));
  EXPECT_EQ(error_message<NotImplementedError>([&] { (void)model.backward(y); }),
            "Sequential model 'sequential' uses layer 'flatten' twice; a layer keeps the state of "
            "one call, so the model cannot run backward");
}

TEST_F(SequentialTest, RejectsASecondInputLayer) {
  Sequential model;
  model.add(Input({.shape = {8}}));
  EXPECT_EQ(error_message<ValueError>([&] { model.add(Input({.shape = {9}})); }),
            "Sequential model 'sequential' has already been configured to use input shape "
            "(None, 8). You cannot add a different Input layer to it.");
}

TEST_F(SequentialTest, RejectsAnInputLayerAfterOtherLayers) {
  Sequential model;
  model.add(Flatten());
  EXPECT_EQ(error_message<ValueError>([&] { model.add(Input({.shape = {9}})); }),
            "An Input layer must come first in Sequential model 'sequential', which already has "
            "layers ['flatten']. Use `model.build(input_shape)` to give it an input shape.");
}

TEST_F(SequentialTest, ARejectedLayerLeavesTheModelAsItWas) {
  Sequential model;
  model.add(Input({.batch_shape = Shape{}}));
  EXPECT_EQ(error_message<ValueError>([&] { model.add(Flatten()); }),
            "Input 0 of layer \"flatten\" is incompatible with the layer: expected min_ndim=1, "
            "found ndim=0. Full shape received: ()");
  EXPECT_TRUE(model.layers().empty());
  EXPECT_FALSE(model.built());
}

TEST_F(SequentialTest, PopRemovesTheLastLayer) {
  Sequential model;
  model.add(Input({.shape = {2, 3}}));
  model.add(Flatten());
  model.add(Flatten({.name = "second"}));
  EXPECT_EQ(model.pop()->name(), "second");
  EXPECT_EQ(model.layers().size(), 1u);
  EXPECT_TRUE(model.built());
  (void)model.pop();
  EXPECT_FALSE(model.built());
  (void)model.pop();
  EXPECT_EQ(error_message<IndexError>([&] { (void)model.pop(); }), "pop from empty list");
}

TEST_F(SequentialTest, GetLayerFindsByNameAndIndex) {
  Sequential model;
  model.add(Input({.shape = {2, 3}}));
  model.add(Flatten({.name = "a"}));
  model.add(Flatten({.name = "b"}));
  EXPECT_EQ(model.get_layer("b").name(), "b");
  EXPECT_EQ(model.get_layer(0).name(), "a");
  EXPECT_EQ(error_message<ValueError>([&] { (void)model.get_layer("c"); }),
            "No such layer: c. Existing layers are: ['a', 'b'].");
  EXPECT_EQ(error_message<ValueError>([&] { (void)model.get_layer(2); }),
            "Was asked to retrieve layer at index 2 but model only has 2 layers.");
}

TEST_F(SequentialTest, BuildPrependsAnInputLayer) {
  Sequential model;
  model.add(Flatten());
  model.build({None, 4, 4});
  EXPECT_EQ(model.output_shape(), Shape({None, 16}));
  EXPECT_EQ(model.layers().size(), 1u);
  EXPECT_EQ(error_message<ValueError>([&] {
              model.build({None, 5});
            }),
            "Sequential model 'sequential' has already been configured to use input shape "
            "(None, 4, 4). You cannot build it with input_shape (None, 5)");
}

TEST_F(SequentialTest, BuildNeedsLayers) {
  Sequential model;
  EXPECT_EQ(error_message<ValueError>([&] {
              model.build({None, 4});
            }),
            "Sequential model sequential cannot be built because it has no layers. Call "
            "`model.add(layer)`.");
}

TEST_F(SequentialTest, PredictBatchesAndConcatenates) {
  Sequential model;
  model.add(Flatten({.input_shape = {4, 4, 2}}));
  const Tensor x = Tensor::uniform({70, 4, 4, 2}, 0.0f, 1.0f, 5);
  const Tensor y = model.predict(x, 32);
  EXPECT_TRUE(all_close(y, x.reshape({70, 32})));
  EXPECT_FALSE(y.shares_storage_with(x));
}

TEST_F(SequentialTest, PredictCastsOtherDtypesToFloat32) {
  Sequential model;
  model.add(Flatten({.input_shape = {2, 2}}));
  const Tensor pixels = Tensor::full({3, 2, 2}, 255, DType::uint8);
  const Tensor y = model.predict(pixels);
  EXPECT_EQ(y.dtype(), DType::float32);
  EXPECT_TRUE(all_close(y, Tensor::full({3, 4}, 255.0)));
}

TEST_F(SequentialTest, PredictRejectsIncompatibleInputs) {
  Sequential model;
  model.add(Flatten({.input_shape = {28, 28, 1}}));
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)model.predict(Tensor::zeros({2, 28, 28, 3}));
            }),
            "Input 0 of layer \"sequential\" is incompatible with the layer: expected "
            "shape=(None, 28, 28, 1), found shape=(2, 28, 28, 3)");
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)model.predict(Tensor::zeros({2, 28, 28, 1}), 0);
            }),
            "`batch_size` must be a positive integer. Received: batch_size=0");
}

TEST_F(SequentialTest, CallingAnUnbuiltModelOnAScalarIsRejected) {
  Sequential model;
  model.add(Flatten());
  EXPECT_EQ(error_message<ValueError>([&] { (void)model.call(Tensor::full({}, 1.0)); }),
            "Sequential model 'sequential' cannot be called on a scalar; its input needs a batch "
            "axis.");
}

TEST_F(SequentialTest, CallAndBackwardRunEveryLayer) {
  Sequential model;
  model.add(Input({.shape = {3, 2, 2}}));
  model.add(Flatten({.data_format = "channels_first"}));
  const Tensor x = Tensor::uniform({2, 3, 2, 2}, 0.0f, 1.0f, 9);
  const Tensor y = model.call(x, /*training=*/true);
  EXPECT_TRUE(all_close(y, x.permute({0, 2, 3, 1}).reshape({2, 12})));
  EXPECT_TRUE(all_close(model.backward(y), x));
}

// Training's backward: the same weight gradients as backward, without dL/dinputs.
void expect_backward_weights_as_backward(Sequential& model, const Tensor& x, const Tensor& grad) {
  (void)model.call(x, /*training=*/true);
  (void)model.backward(grad);
  std::vector<Tensor> expected;
  for (const Variable& weight : model.trainable_weights()) {
    expected.push_back(weight.gradient().clone());
  }
  for (Variable weight : model.trainable_weights()) {
    weight.gradient().copy_from(Tensor::zeros(weight.gradient().shape()));
  }
  (void)model.call(x, /*training=*/true);
  model.backward_weights(grad);
  const auto weights = model.trainable_weights();
  ASSERT_EQ(weights.size(), expected.size());
  for (std::size_t i = 0; i < weights.size(); ++i) {
    EXPECT_TRUE(all_close(weights[i].gradient(), expected[i])) << weights[i].name();
  }
}

TEST_F(SequentialTest, BackwardWeightsGivesTheWeightGradientsOfBackward) {
  Sequential cnn;  // the pooling layer before the first trainable one runs no backward at all
  cnn.add(Input({.shape = {8, 8, 2}}));
  cnn.add(layers::MaxPooling2D({.pool_size = 2}));
  cnn.add(layers::Conv2D({.filters = 3, .kernel_size = 3, .activation = "relu"}));
  cnn.add(Flatten());
  cnn.add(layers::Dense({.units = 4}));
  expect_backward_weights_as_backward(cnn, Tensor::uniform({5, 8, 8, 2}, -1.0f, 1.0f, 3),
                                      Tensor::uniform({5, 4}, -1.0f, 1.0f, 4));
  Sequential dense;
  dense.add(Input({.shape = {3, 2}}));
  dense.add(Flatten());
  dense.add(layers::Dense({.units = 5, .activation = "tanh"}));
  dense.add(layers::Dense({.units = 2}));
  expect_backward_weights_as_backward(dense, Tensor::uniform({4, 3, 2}, -1.0f, 1.0f, 5),
                                      Tensor::uniform({4, 2}, -1.0f, 1.0f, 6));
}

// Sequential runs the ReLU backward of a Conv2D followed by MaxPooling2D on the pooled
// gradient; the gradients are those of each layer's own backward, bit for bit, also with
// "same" padding and overlapping windows.
TEST_F(SequentialTest, ReluBeforeMaxPoolingGivesEachLayersGradients) {
  for (const auto& pool :
       {layers::Pooling2DOptions{.pool_size = 2},
        layers::Pooling2DOptions{.pool_size = 3, .strides = 2, .padding = "same"}}) {
    Sequential model;
    model.add(Input({.shape = {12, 12, 3}}));
    model.add(layers::Conv2D({.filters = 8, .kernel_size = 3, .activation = "relu"}));
    model.add(layers::MaxPooling2D(pool));
    model.add(layers::Conv2D({.filters = 4, .kernel_size = 2, .activation = "relu"}));
    model.add(layers::MaxPooling2D({.pool_size = 2}));
    model.add(Flatten());
    model.add(layers::Dense({.units = 3}));
    const Tensor x = Tensor::uniform({4, 12, 12, 3}, -1.0f, 1.0f, 21);
    const Tensor dy = Tensor::uniform({4, 3}, -1.0f, 1.0f, 22);
    (void)model.call(x, /*training=*/true);
    const Tensor fused_dx = model.backward(dy);
    std::vector<Tensor> fused;
    for (const Variable& weight : model.trainable_weights())
      fused.push_back(weight.gradient().clone());
    (void)model.call(x, /*training=*/true);
    Tensor grad = dy;
    const auto layers = model.layers();
    for (auto layer = layers.rbegin(); layer != layers.rend(); ++layer)
      grad = (*layer)->backward(grad);
    EXPECT_TRUE(all_close(fused_dx, grad));
    const auto weights = model.trainable_weights();
    for (std::size_t i = 0; i < weights.size(); ++i) {
      EXPECT_TRUE(all_close(fused[i], weights[i].gradient())) << weights[i].name();
    }
    // After an inference call there is no kept pooled output: each layer's own backward.
    (void)model.call(x, /*training=*/false);
    EXPECT_TRUE(all_close(model.backward(dy), grad));
  }
}

TEST_F(SequentialTest, CountsParameters) {
  Sequential model;
  model.add(Flatten({.input_shape = {28, 28, 1}}));
  EXPECT_EQ(model.count_params(), 0);
  Sequential unbuilt;
  EXPECT_EQ(error_message<ValueError>([&] { (void)unbuilt.count_params(); }),
            "You tried to call `count_params` on layer 'sequential_1', but the layer isn't "
            "built. You can build it manually via: `layer.build(input_shape)`.");
}

}  // namespace
}  // namespace keras
