// SPDX-License-Identifier: Apache-2.0
// Convolutional models: Keras 3's summary of the mnist_convnet model (keras-spec.md 2.9) and
// output shapes and parameter counts worked out by hand from the Conv2D formulas (3.1).
#include "keras/backend.h"
#include "keras/layers/batch_normalization.h"
#include "keras/layers/conv2d.h"
#include "keras/layers/dense.h"
#include "keras/layers/dropout.h"
#include "keras/layers/flatten.h"
#include "keras/layers/input_layer.h"
#include "keras/layers/max_pooling2d.h"
#include "keras/sequential.h"
#include "support/models.h"

#include <gtest/gtest.h>

namespace keras {
namespace {

using testing::summary_text;

class CnnSummaryTest : public ::testing::Test {
 protected:
  void SetUp() override { backend::clear_session(); }
};

TEST_F(CnnSummaryTest, MnistConvnetPrintsKerasTable) {
  const Sequential model = testing::mnist_convnet();
  // keras-spec.md 2.9, character for character.
  EXPECT_EQ(summary_text(model, 76),
            "Model: \"sequential\"\n"
            "\n"
            "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓\n"
            "┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃\n"
            "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩\n"
            "│ conv2d (Conv2D)                 │ (None, 26, 26, 32)     │           320 │\n"
            "├─────────────────────────────────┼────────────────────────┼───────────────┤\n"
            "│ max_pooling2d (MaxPooling2D)    │ (None, 13, 13, 32)     │             0 │\n"
            "├─────────────────────────────────┼────────────────────────┼───────────────┤\n"
            "│ conv2d_1 (Conv2D)               │ (None, 11, 11, 64)     │        18,496 │\n"
            "├─────────────────────────────────┼────────────────────────┼───────────────┤\n"
            "│ max_pooling2d_1 (MaxPooling2D)  │ (None, 5, 5, 64)       │             0 │\n"
            "├─────────────────────────────────┼────────────────────────┼───────────────┤\n"
            "│ flatten (Flatten)               │ (None, 1600)           │             0 │\n"
            "├─────────────────────────────────┼────────────────────────┼───────────────┤\n"
            "│ dropout (Dropout)               │ (None, 1600)           │             0 │\n"
            "├─────────────────────────────────┼────────────────────────┼───────────────┤\n"
            "│ dense (Dense)                   │ (None, 10)             │        16,010 │\n"
            "└─────────────────────────────────┴────────────────────────┴───────────────┘\n"
            " Total params: 34,826 (136.04 KB)\n"
            " Trainable params: 34,826 (136.04 KB)\n"
            " Non-trainable params: 0 (0.00 B)\n");
}

// Once Adam has made its slots, Keras 3 counts them in the total and adds a fourth footer:
// iteration (int64) + learning_rate (float32) + 2 x 34,826 moments (keras-spec.md 2.9).
TEST_F(CnnSummaryTest, CountsTheOptimizerOnceItIsBuilt) {
  Sequential model = testing::mnist_convnet();
  model.compile({.optimizer = "adam", .loss = "categorical_crossentropy"});
  const std::string before = summary_text(model, 76);
  EXPECT_EQ(before.find("Optimizer params"), std::string::npos);
  (void)model.train_on_batch(Tensor::zeros({2, 28, 28, 1}), Tensor::full({2, 10}, 0.1));
  const std::string after = summary_text(model, 76);
  EXPECT_EQ(after.substr(after.find(" Total params")),
            " Total params: 104,480 (408.13 KB)\n"
            " Trainable params: 34,826 (136.04 KB)\n"
            " Non-trainable params: 0 (0.00 B)\n"
            " Optimizer params: 69,654 (272.09 KB)\n");
}

TEST_F(CnnSummaryTest, SameStridedChannelsFirstShapesAndCountsFollowTheFormulas) {
  Sequential model;
  model.add(Input({.shape = {3, 32, 30}}));
  // same: ceil(32 / 2) = 16, ceil(30 / 2) = 15; 3*3*3*16 + 16 = 448.
  model.add(layers::Conv2D({.filters = 16,
                            .kernel_size = 3,
                            .strides = 2,
                            .padding = "same",
                            .data_format = "channels_first"}));
  // same: ceil(16 / 3) = 6, ceil(15 / 2) = 8; 5*3*16*24 + 24 = 5,784.
  model.add(layers::Conv2D({.filters = 24,
                            .kernel_size = {5, 3},
                            .strides = {3, 2},
                            .padding = "same",
                            .data_format = "channels_first"}));
  // floor((6 - 2) / 2) + 1 = 3, floor((8 - 2) / 2) + 1 = 4.
  model.add(layers::MaxPooling2D({.pool_size = 2, .data_format = "channels_first"}));
  // valid: 3 - 3 + 1 = 1, 4 - 3 + 1 = 2; two groups of 12 channels, no bias: 3*3*12*10 = 1,080.
  model.add(layers::Conv2D({.filters = 10,
                            .kernel_size = 3,
                            .data_format = "channels_first",
                            .groups = 2,
                            .use_bias = false}));
  model.add(layers::Flatten({.data_format = "channels_first"}));  // 10 * 1 * 2 = 20
  model.add(layers::Dense({.units = 7}));                         // 20*7 + 7 = 147

  const std::vector<Shape> shapes{{None, 16, 16, 15}, {None, 24, 6, 8}, {None, 24, 3, 4},
                                  {None, 10, 1, 2},   {None, 20},       {None, 7}};
  const std::vector<std::int64_t> counts{448, 5784, 0, 1080, 0, 147};
  Shape shape{None, 3, 32, 30};
  const auto layers = model.layers();
  ASSERT_EQ(layers.size(), shapes.size());
  for (std::size_t i = 0; i < layers.size(); ++i) {
    shape = layers[i]->compute_output_shape(shape);
    EXPECT_EQ(shape, shapes[i]) << layers[i]->name();
    EXPECT_EQ(layers[i]->count_params(), counts[i]) << layers[i]->name();
  }
  EXPECT_EQ(model.output_shape(), Shape({None, 7}));
  EXPECT_EQ(model.count_params(), 448 + 5784 + 1080 + 147);
  const Tensor y = model.predict(Tensor::uniform({2, 3, 32, 30}, 0.0f, 1.0f, 1));
  EXPECT_EQ(y.shape(), (std::vector<std::int64_t>{2, 7}));
}

TEST_F(CnnSummaryTest, BatchNormalizationCountsMovingStatisticsAsNonTrainable) {
  Sequential model;
  model.add(Input({.shape = {28, 28, 1}}));
  model.add(layers::Conv2D({.filters = 16, .kernel_size = 3, .padding = "same"}));
  model.add(layers::BatchNormalization());
  model.add(layers::Flatten());
  model.add(layers::Dense({.units = 10}));
  const std::string text = summary_text(model, 76);
  // Conv2D 3*3*1*16 + 16 = 160; BatchNormalization 4 * 16 = 64 (gamma, beta trainable;
  // moving mean and variance not); Dense 12544 * 10 + 10 = 125,450.
  EXPECT_NE(
      text.find("│ batch_normalization             │ (None, 28, 28, 16)     │            64 │\n"
                "│ (BatchNormalization)            │                        │               │\n"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find(" Total params: 125,674 (490.91 KB)\n"
                      " Trainable params: 125,642 (490.79 KB)\n"
                      " Non-trainable params: 32 (128.00 B)\n"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace keras
