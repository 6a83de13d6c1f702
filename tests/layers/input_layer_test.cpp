// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/input_layer.h"

#include "keras/backend.h"
#include "support/expect_error.h"

#include <gtest/gtest.h>

namespace keras::layers {
namespace {

using testing::error_message;

class InputLayerTest : public ::testing::Test {
 protected:
  void SetUp() override { backend::clear_session(); }
};

TEST_F(InputLayerTest, ShapeGetsAnUnknownBatchAxis) {
  const InputLayer input = keras::Input({.shape = {28, 28, 1}});
  EXPECT_EQ(input.name(), "input_layer");
  EXPECT_EQ(input.batch_shape(), Shape({None, 28, 28, 1}));
  EXPECT_TRUE(input.built());
  EXPECT_EQ(input.count_params(), 0);
}

TEST_F(InputLayerTest, BatchSizeFixesTheBatchAxis) {
  EXPECT_EQ(keras::Input({.shape = {3}, .batch_size = 8}).batch_shape(), Shape({8, 3}));
  EXPECT_EQ(keras::Input({.batch_shape = {None, 5}}).batch_shape(), Shape({None, 5}));
}

TEST_F(InputLayerTest, NeedsExactlyOneOfShapeAndBatchShape) {
  EXPECT_EQ(error_message<ValueError>([] {
              (void)keras::Input({.shape = {3}, .batch_shape = {2, 3}});
            }),
            "You cannot pass both `shape` and `batch_shape` at the same time.");
  EXPECT_EQ(error_message<ValueError>([] { (void)keras::Input({}); }),
            "You must pass a `shape` argument.");
}

TEST_F(InputLayerTest, ConfigHasKerasKeys) {
  EXPECT_EQ(keras::Input({.shape = {28, 28, 1}}).get_config(),
            R"({"batch_shape":[null,28,28,1],"dtype":"float32","sparse":false,"ragged":false,)"
            R"("name":"input_layer"})");
}

TEST_F(InputLayerTest, DeserializesKeras2Configs) {
  const auto layer = deserialize(
      R"({"class_name": "InputLayer", "config": {"batch_input_shape": [null, 28, 28, 1],
          "dtype": "float32", "sparse": false, "ragged": false, "name": "flatten_input"}})");
  EXPECT_EQ(layer->name(), "flatten_input");
  EXPECT_EQ(static_cast<const InputLayer&>(*layer).batch_shape(), Shape({None, 28, 28, 1}));
}

}  // namespace
}  // namespace keras::layers
