// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/global_average_pooling2d.h"

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

class GlobalAveragePooling2DTest : public ::testing::Test {
 protected:
  void SetUp() override { backend::clear_session(); }
};

TEST_F(GlobalAveragePooling2DTest, AveragesEveryChannelOverTheImage) {
  GlobalAveragePooling2D pool;
  const Tensor y = pool(iota({2, 2, 3, 2}));  // channel 0: even values, channel 1: odd
  EXPECT_EQ(y.shape(), (std::vector<std::int64_t>{2, 2}));
  EXPECT_EQ(y.to_vector(), (std::vector<float>{5, 6, 17, 18}));
}

TEST_F(GlobalAveragePooling2DTest, ChannelsFirstAveragesTheLastTwoAxes) {
  GlobalAveragePooling2D pool({.data_format = "channels_first"});
  EXPECT_EQ(pool(iota({1, 2, 2, 3})).to_vector(), (std::vector<float>{2.5f, 8.5f}));
}

TEST_F(GlobalAveragePooling2DTest, OutputShapes) {
  EXPECT_EQ(GlobalAveragePooling2D().compute_output_shape({None, 7, None, 64}), Shape({None, 64}));
  EXPECT_EQ(GlobalAveragePooling2D({.keepdims = true}).compute_output_shape({4, 7, 7, 64}),
            Shape({4, 1, 1, 64}));
  EXPECT_EQ(GlobalAveragePooling2D({.data_format = "channels_first"})
                .compute_output_shape({None, 64, None, None}),
            Shape({None, 64}));
  EXPECT_EQ(GlobalAveragePooling2D({.data_format = "channels_first", .keepdims = true})
                .compute_output_shape({None, 64, 5, 5}),
            Shape({None, 64, 1, 1}));
}

TEST_F(GlobalAveragePooling2DTest, KeepdimsKeepsUnitSpatialAxes) {
  GlobalAveragePooling2D pool({.keepdims = true});
  const Tensor y = pool(iota({2, 2, 3, 2}));
  EXPECT_EQ(y.shape(), (std::vector<std::int64_t>{2, 1, 1, 2}));
  EXPECT_EQ(y.to_vector(), (std::vector<float>{5, 6, 17, 18}));
}

TEST_F(GlobalAveragePooling2DTest, BackwardMatchesFiniteDifferences) {
  for (const char* format : {"channels_last", "channels_first"}) {
    for (const bool keepdims : {false, true}) {
      GlobalAveragePooling2D pool({.data_format = format, .keepdims = keepdims});
      EXPECT_TRUE(testing::gradient_matches_finite_differences(
          {.forward = [&](const Tensor& input) { return pool(input); },
           .backward = [&](const Tensor& grad) { return pool.backward(grad); }},
          Tensor::uniform({2, 3, 4, 5}, -1.0f, 1.0f, 13)))
          << format << " keepdims=" << keepdims;
    }
  }
}

TEST_F(GlobalAveragePooling2DTest, ConfigHasKerasKeysInKerasOrder) {
  EXPECT_EQ(GlobalAveragePooling2D().get_config(),
            R"({"name":"global_average_pooling2d","trainable":true,"dtype":{"module":"keras",)"
            R"("class_name":"DTypePolicy","config":{"name":"float32"},"registered_name":null},)"
            R"("data_format":"channels_last","keepdims":false})");
}

TEST_F(GlobalAveragePooling2DTest, FromConfigRoundTrips) {
  const GlobalAveragePooling2D original(
      {.data_format = "channels_first", .keepdims = true, .name = "gap"});
  const GlobalAveragePooling2D copy = GlobalAveragePooling2D::from_config(original.get_config());
  EXPECT_EQ(copy.get_config(), original.get_config());
  EXPECT_TRUE(copy.keepdims());
}

TEST_F(GlobalAveragePooling2DTest, EmptyImagesAreRejected) {
  GlobalAveragePooling2D pool;
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)pool(Tensor::zeros({2, 0, 3, 4}));
            }),
            "Layer \"global_average_pooling2d\": oneDNN cannot run pooling on input shape "
            "(2, 0, 3, 4): could not create a descriptor for a pooling forward propagation "
            "primitive");
}

}  // namespace
}  // namespace keras::layers
