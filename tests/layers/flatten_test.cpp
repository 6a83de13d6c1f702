// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/flatten.h"

#include "keras/backend.h"
#include "keras/sequential.h"
#include "support/expect_error.h"
#include "support/finite_difference.h"
#include "support/tensor_matchers.h"
#include "support/tensors.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <numeric>

namespace keras::layers {
namespace {

using testing::all_close;
using testing::error_message;
using testing::iota;

// Keras's flatten_test.py input: random (10, 3, 5, 5), entries below 0.8 zeroed.
Tensor sparse_looking_input() {
  Tensor x = Tensor::uniform({10, 3, 5, 5}, 0.0f, 1.0f, 1);
  for (float* value = x.data<float>(); value != x.data<float>() + x.size(); ++value) {
    if (*value < 0.8f) *value = 0.0f;
  }
  return x;
}

class FlattenTest : public ::testing::Test {
 protected:
  void SetUp() override { backend::clear_session(); }
};

TEST_F(FlattenTest, DefaultReshapesToBatchByFeatures) {  // flatten_test.py test_flatten, {}
  const Tensor x = sparse_looking_input();
  Flatten flatten;
  EXPECT_TRUE(all_close(flatten(x), x.reshape({-1, 75})));
}

TEST_F(FlattenTest, ChannelsLastReshapesToBatchByFeatures) {  // test_flatten, channels_last
  const Tensor x = sparse_looking_input();
  Flatten flatten({.data_format = "channels_last"});
  EXPECT_TRUE(all_close(flatten(x), x.reshape({-1, 5 * 5 * 3})));
}

TEST_F(FlattenTest,
       ChannelsFirstMovesChannelsLastBeforeFlattening) {  // test_flatten, channels_first
  const Tensor x = sparse_looking_input();
  Flatten flatten({.data_format = "channels_first"});
  EXPECT_TRUE(all_close(flatten(x), x.permute({0, 2, 3, 1}).reshape({-1, 75})));
}

TEST_F(FlattenTest, ScalarChannelsGainAnAxisInEveryFormat) {  // test_flatten_with_scalar_channels
  const Tensor x = Tensor::uniform({10}, 0.0f, 1.0f, 2);
  for (const char* format : {"", "channels_last", "channels_first"}) {
    Flatten flatten({.data_format = format});
    const Tensor y = flatten(x);
    EXPECT_EQ(y.shape(), (std::vector<std::int64_t>{10, 1})) << format;
    EXPECT_EQ(y.to_vector(), x.to_vector()) << format;
  }
}

TEST_F(FlattenTest, SymbolicDynamicBatchSize) {  // test_flatten_symbolic_with_dynamic_batch_size
  EXPECT_EQ(Flatten().compute_output_spec({None, 2, 3}), Shape({None, 6}));
}

TEST_F(FlattenTest, SymbolicDynamicDimension) {  // test_flatten_symbolic_with_dynamic_dimension
  EXPECT_EQ(Flatten().compute_output_spec({5, 2, None}), Shape({5, None}));
}

TEST_F(FlattenTest, DynamicBatchAndDimensions) {
  // test_flatten_with_dynamic_batch_size_and_dynamic_dimenstions: one model, two input shapes.
  Sequential model;
  model.add(Flatten());
  model.build({None, None, None});
  EXPECT_EQ(model.output_shape(), Shape({None, None}));
  EXPECT_EQ(model.predict(Tensor::ones({3, 5, 7})).shape(), (std::vector<std::int64_t>{3, 35}));
  EXPECT_EQ(model.predict(Tensor::ones({2, 7, 5})).shape(), (std::vector<std::int64_t>{2, 35}));
}

TEST_F(FlattenTest, ZeroSizedAxisGivesZeroFeatures) {
  EXPECT_EQ(Flatten().compute_output_shape({None, 0, 3}), Shape({None, 0}));
  EXPECT_EQ(Flatten()(Tensor::zeros({0, 6, 10})).shape(), (std::vector<std::int64_t>{0, 60}));
}

TEST_F(FlattenTest, KeepsChannelsLastOrderForBothFormats) {  // keras-spec.md's derived vectors
  const Tensor x = iota({2, 2, 3});
  EXPECT_EQ(Flatten()(x).to_vector(), x.to_vector());
  const Tensor nchw = iota({1, 2, 2, 3});
  EXPECT_EQ(Flatten({.data_format = "channels_first"})(nchw).to_vector(),
            (std::vector<float>{0, 6, 1, 7, 2, 8, 3, 9, 4, 10, 5, 11}));
}

TEST_F(FlattenTest, ChannelsLastOutputSharesTheInputStorage) {
  for (const std::int64_t side : {4, 64, 512}) {
    const Tensor x = Tensor::zeros({8, side, side, 3});
    const Tensor y = Flatten()(x);
    EXPECT_TRUE(y.shares_storage_with(x));
    EXPECT_EQ(y.raw_data(), x.raw_data());
  }
}

TEST_F(FlattenTest, ChannelsFirstOfRank2IsAView) {
  const Tensor x = iota({3, 4});
  const Tensor y = Flatten({.data_format = "channels_first"})(x);
  EXPECT_TRUE(y.shares_storage_with(x));
}

TEST_F(FlattenTest, BackwardRestoresTheInputShape) {
  const Tensor x = iota({2, 3, 4, 5});
  for (const char* format : {"channels_last", "channels_first"}) {
    Flatten flatten({.data_format = format});
    const Tensor y = flatten(x);
    const Tensor dx = flatten.backward(y);
    EXPECT_TRUE(all_close(dx, x)) << format;
  }
}

TEST_F(FlattenTest, BackwardMatchesFiniteDifferences) {
  const Tensor x = Tensor::uniform({2, 3, 2, 4}, -1.0f, 1.0f, 3);
  for (const char* format : {"channels_last", "channels_first"}) {
    Flatten flatten({.data_format = format});
    EXPECT_TRUE(testing::gradient_matches_finite_differences(
        {.forward = [&](const Tensor& input) { return flatten(input); },
         .backward = [&](const Tensor& grad) { return flatten.backward(grad); }},
        x))
        << format;
  }
}

TEST_F(FlattenTest, HasNoWeights) {
  Flatten flatten;
  flatten.build({None, 28, 28, 1});
  EXPECT_EQ(flatten.count_params(), 0);
  EXPECT_TRUE(flatten.weights().empty());
}

TEST_F(FlattenTest, ConfigHasKerasKeys) {
  EXPECT_EQ(Flatten({.data_format = "channels_first"}).get_config(),
            R"({"name":"flatten","trainable":true,"dtype":{"module":"keras","class_name":)"
            R"("DTypePolicy","config":{"name":"float32"},"registered_name":null},)"
            R"("data_format":"channels_first"})");
}

TEST_F(FlattenTest, FromConfigRoundTrips) {
  const Flatten original(
      {.data_format = "channels_first", .name = "to_vector", .trainable = false});
  const Flatten copy = Flatten::from_config(original.get_config());
  EXPECT_EQ(copy.name(), "to_vector");
  EXPECT_EQ(copy.data_format(), DataFormat::channels_first);
  EXPECT_FALSE(copy.trainable());
  EXPECT_EQ(copy.get_config(), original.get_config());
}

TEST_F(FlattenTest, FromConfigReadsKeras2Configs) {
  const Flatten layer = Flatten::from_config(
      R"({"name": "flatten_1", "trainable": true, "dtype": "float32",
          "batch_input_shape": [null, 28, 28, 1], "data_format": "channels_last"})");
  EXPECT_EQ(layer.name(), "flatten_1");
  ASSERT_TRUE(layer.input_shape_arg().has_value());
  EXPECT_EQ(*layer.input_shape_arg(), Shape({28, 28, 1}));
}

TEST_F(FlattenTest, FromConfigNamesUnknownKeys) {
  EXPECT_EQ(error_message<ValueError>([] {
              (void)Flatten::from_config(R"({"data_format": "channels_last", "foo": 1})");
            }),
            "Unrecognized keyword arguments passed to Flatten: {'foo': 1}");
}

TEST_F(FlattenTest, RejectsBadDataFormatInKerasWords) {
  EXPECT_EQ(error_message<ValueError>([] { Flatten({.data_format = "channels_middle"}); }),
            "The `data_format` argument must be one of {'channels_first', 'channels_last'}. "
            "Received: data_format=channels_middle");
}

TEST_F(FlattenTest, RejectsRank0InputInKerasWords) {
  Flatten flatten;
  EXPECT_EQ(error_message<ValueError>([&] { (void)flatten(Tensor::full({}, 1.0)); }),
            "Input 0 of layer \"flatten\" is incompatible with the layer: expected min_ndim=1, "
            "found ndim=0. Full shape received: ()");
}

}  // namespace
}  // namespace keras::layers
