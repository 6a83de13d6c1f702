// SPDX-License-Identifier: Apache-2.0
#include "keras/models/convert_data_format.h"

#include "keras/backend.h"
#include "keras/layers/batch_normalization.h"
#include "keras/layers/conv2d.h"
#include "keras/layers/dense.h"
#include "keras/layers/flatten.h"
#include "keras/layers/input_layer.h"
#include "keras/layers/max_pooling2d.h"
#include "keras/utils/random.h"
#include "support/expect_error.h"
#include "support/tensor_matchers.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace keras::models {
namespace {

using testing::all_close;
using testing::error_message;

// A channels_first CNN; `flatten_format` is its Flatten's data_format.
Sequential channels_first_cnn(const char* flatten_format) {
  Sequential model;
  model.add(Input({.shape = {3, 8, 6}}));
  model.add(layers::Conv2D({.filters = 4,
                            .kernel_size = 3,
                            .padding = "same",
                            .data_format = "channels_first",
                            .activation = "relu"}));
  model.add(layers::MaxPooling2D({.pool_size = 2, .data_format = "channels_first"}));
  model.add(layers::BatchNormalization({.axis = 1}));
  model.add(layers::Flatten({.data_format = flatten_format}));
  model.add(layers::Dense({.units = 5}));
  // Non-trivial statistics, so that a wrong BatchNormalization axis would show.
  auto weights = model.get_weights();
  for (std::size_t i = 2; i < 6; ++i) {
    weights[i] = Tensor::uniform(weights[i].shape(), 0.5f, 1.5f, 10 + i);
  }
  model.set_weights(weights);
  return model;
}

class ConvertDataFormatTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend::clear_session();
    utils::set_random_seed(8);
  }
  const Tensor nchw_ = Tensor::uniform({2, 3, 8, 6}, -1.0f, 1.0f, 4);
  const Tensor nhwc_ = nchw_.permute({0, 2, 3, 1}).contiguous();
};

TEST_F(ConvertDataFormatTest, ChannelsFirstModelGivesTheSameOutputsOnTransposedInputs) {
  Sequential original = channels_first_cnn("channels_first");
  Sequential converted = convert_data_format(original, DataFormat::channels_last);
  EXPECT_EQ(converted.input_shape(), Shape({None, 8, 6, 3}));
  EXPECT_TRUE(all_close(converted.predict(nhwc_), original.predict(nchw_), 1e-5, 1e-5));
  const auto config = nlohmann::json::parse(converted.to_json());
  for (const auto& layer : config["config"]["layers"]) {
    if (layer["config"].contains("data_format")) {
      EXPECT_EQ(layer["config"]["data_format"], "channels_last") << layer["class_name"];
    }
  }
  EXPECT_EQ(config["config"]["layers"][3]["config"]["axis"], -1);
  // No Dense row moves: Keras's channels_first Flatten already flattens in (h, w, c) order.
  EXPECT_TRUE(all_close(converted.get_weights()[6], original.get_weights()[6]));
}

TEST_F(ConvertDataFormatTest, RepairsAChannelsLastFlattenInAChannelsFirstModel) {
  // The porting bug: the Flatten kept the default and flattens NCHW in (c, h, w) order.
  Sequential original = channels_first_cnn("channels_last");
  Sequential converted = convert_data_format(original, DataFormat::channels_last);
  EXPECT_FALSE(all_close(converted.get_weights()[6], original.get_weights()[6]));
  EXPECT_TRUE(all_close(converted.predict(nhwc_), original.predict(nchw_), 1e-5, 1e-5));
}

TEST_F(ConvertDataFormatTest, ConvertsBackAndForth) {
  Sequential original = channels_first_cnn("channels_first");
  Sequential there = convert_data_format(original, DataFormat::channels_last);
  Sequential back = convert_data_format(there, DataFormat::channels_first);
  EXPECT_EQ(back.input_shape(), Shape({None, 3, 8, 6}));
  EXPECT_TRUE(all_close(back.predict(nchw_), original.predict(nchw_), 1e-5, 1e-5));
}

TEST_F(ConvertDataFormatTest, NamesWhatItCannotConvert) {
  Sequential unbuilt;
  unbuilt.add(layers::Flatten());
  EXPECT_EQ(error_message<ValueError>(
                [&] { (void)convert_data_format(unbuilt, DataFormat::channels_last); }),
            "Sequential model 'sequential' must be built before its data format can be "
            "converted");
  Sequential dense_on_images;
  dense_on_images.add(Input({.shape = {3, 4, 4}}));
  dense_on_images.add(
      layers::Conv2D({.filters = 2, .kernel_size = 1, .data_format = "channels_first"}));
  dense_on_images.add(layers::Dense({.units = 2, .name = "per_pixel"}));
  EXPECT_EQ(error_message<NotImplementedError>(
                [&] { (void)convert_data_format(dense_on_images, DataFormat::channels_last); }),
            "Cannot convert layer 'per_pixel' (Dense) to channels_last: it works on the raw axes "
            "of channels_first images");
}

}  // namespace
}  // namespace keras::models
