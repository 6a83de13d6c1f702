// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/layer.h"

#include "detail/naming.h"
#include "keras/backend.h"
#include "keras/layers/flatten.h"
#include "support/expect_error.h"

#include <gtest/gtest.h>

namespace keras::layers {
namespace {

using testing::error_message;

class LayerTest : public ::testing::Test {
 protected:
  void SetUp() override { backend::clear_session(); }
};

TEST_F(LayerTest, AutomaticNamesCountPerClassUntilClearSession) {
  EXPECT_EQ(Flatten().name(), "flatten");
  EXPECT_EQ(Flatten().name(), "flatten_1");
  EXPECT_EQ(Flatten({.name = "mine"}).name(), "mine");
  EXPECT_EQ(Flatten().name(), "flatten_2");
  backend::clear_session();
  EXPECT_EQ(Flatten().name(), "flatten");
}

TEST_F(LayerTest, ClassNamesBecomeKerasSnakeCase) {
  EXPECT_EQ(detail::to_snake_case("Conv2D"), "conv2d");
  EXPECT_EQ(detail::to_snake_case("MaxPooling2D"), "max_pooling2d");
  EXPECT_EQ(detail::to_snake_case("GlobalAveragePooling2D"), "global_average_pooling2d");
  EXPECT_EQ(detail::to_snake_case("BatchNormalization"), "batch_normalization");
  EXPECT_EQ(detail::to_snake_case("InputLayer"), "input_layer");
  EXPECT_EQ(detail::to_snake_case("ReLU"), "re_lu");
  EXPECT_EQ(detail::to_snake_case("Conv2DTranspose"), "conv2d_transpose");
}

TEST_F(LayerTest, NamesCannotHoldSlashes) {
  EXPECT_EQ(error_message<ValueError>([] { Flatten({.name = "a/b"}); }),
            "Argument `name` must be a string and cannot contain character `/`. Received: "
            "name=a/b");
}

TEST_F(LayerTest, CountParamsNeedsABuiltLayer) {
  const Flatten flatten;
  EXPECT_EQ(error_message<ValueError>([&] { (void)flatten.count_params(); }),
            "You tried to call `count_params` on layer 'flatten', but the layer isn't built. You "
            "can build it manually via: `layer.build(input_shape)`.");
}

TEST_F(LayerTest, CallBuildsWithAnUnknownBatch) {
  Flatten flatten;
  (void)flatten(Tensor::zeros({4, 2, 3}));
  ASSERT_TRUE(flatten.build_input_shape().has_value());
  EXPECT_EQ(*flatten.build_input_shape(), Shape({None, 2, 3}));
}

TEST_F(LayerTest, DeserializeNamesAnUnknownClass) {
  EXPECT_EQ(error_message<NotImplementedError>(
                [] { (void)deserialize(R"({"class_name": "Conv3D", "config": {}})"); }),
            "Unknown layer: 'Conv3D'. kerascpp does not implement this Keras layer class "
            "(docs/layers.md lists those it does).");
}

TEST_F(LayerTest, DeserializeReportsJsonSyntaxErrors) {
  EXPECT_EQ(error_message<ValueError>([] { (void)deserialize(R"({"class_name": )"); }),
            "Invalid JSON in layer config: parse error at line 1, column 16: syntax error while "
            "parsing value - unexpected end of input; expected '[', '{', or a literal");
}

TEST_F(LayerTest, DeserializeReportsNumbersTooLargeForADouble) {
  // Found by fuzz_keras_archive: nlohmann reports this as out_of_range, not parse_error.
  EXPECT_EQ(error_message<ValueError>([] { (void)deserialize(R"({"units": 3e22221})"); }),
            "Invalid JSON in layer config: number overflow parsing '3e22221'");
}

TEST_F(LayerTest, ComputesInFloat32Only) {
  EXPECT_EQ(error_message<ValueError>([] { Flatten({.dtype = "float16"}); }),
            "Unsupported dtype: 'float16'. kerascpp tensors hold float32, int32, float64, int64 "
            "or uint8.");
  EXPECT_EQ(error_message<ValueError>([] { Flatten({.name = "f", .dtype = "int32"}); }),
            "Layer 'f' cannot compute in dtype 'int32': kerascpp layers compute in float32.");
}

TEST_F(LayerTest, ConfigValuesOfTheWrongTypeAreNamed) {
  EXPECT_EQ(
      error_message<ValueError>([] { (void)Flatten::from_config(R"({"trainable": "yes"})"); }),
      "The config of a Flatten layer has an invalid value for 'trainable': \"yes\"");
}

TEST_F(LayerTest, SparseInputsAreNotImplemented) {
  EXPECT_EQ(error_message<NotImplementedError>([] {
              (void)deserialize(R"({"class_name": "InputLayer", "config": {"batch_shape": [null, 3],
                                   "sparse": true, "name": "sparse_input"}})");
            }),
            "InputLayer 'sparse_input': sparse and ragged inputs are not supported");
}

TEST_F(LayerTest, VariablesRejectValuesOfAnotherShape) {
  Variable kernel("dense/kernel", Tensor::zeros({2, 3}), /*trainable=*/true);
  EXPECT_EQ(kernel.name(), "kernel");
  EXPECT_EQ(error_message<ValueError>([&] {
              kernel.assign(Tensor::zeros({3, 2}));
            }),
            "Variable 'dense/kernel' has shape (2, 3), but the assigned value has shape (3, 2)");
}

}  // namespace
}  // namespace keras::layers
