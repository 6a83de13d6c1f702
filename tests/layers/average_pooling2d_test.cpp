// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/average_pooling2d.h"

#include "keras/backend.h"
#include "support/finite_difference.h"
#include "support/tensor_matchers.h"
#include "support/tensors.h"

#include <gtest/gtest.h>

namespace keras::layers {
namespace {

using testing::all_close;
using testing::iota;

class AveragePooling2DTest : public ::testing::Test {
 protected:
  void SetUp() override { backend::clear_session(); }
};

TEST_F(AveragePooling2DTest, AveragesEachWindow) {
  AveragePooling2D pool;
  const Tensor y = pool(iota({1, 4, 4, 1}));
  EXPECT_EQ(y.shape(), (std::vector<std::int64_t>{1, 2, 2, 1}));
  EXPECT_EQ(y.to_vector(), (std::vector<float>{2.5f, 4.5f, 10.5f, 12.5f}));
}

TEST_F(AveragePooling2DTest, ValidPaddingDropsTrailingRows) {
  AveragePooling2D pool;
  const Tensor y = pool(iota({1, 5, 5, 1}));
  EXPECT_EQ(y.to_vector(), (std::vector<float>{3, 5, 13, 15}));
}

TEST_F(AveragePooling2DTest, SamePaddingDividesByRealCells) {
  // A constant image stays constant: every window divides by the cells it covers.
  AveragePooling2D ones({.pool_size = 3, .strides = 1, .padding = "same"});
  EXPECT_TRUE(all_close(ones(Tensor::full({1, 4, 5, 2}, 2.0)), Tensor::full({1, 4, 5, 2}, 2.0)));
  // 3x3 iota, pool 2, stride 2: pads one row and column at the bottom/right only.
  AveragePooling2D pool({.padding = "same"});
  EXPECT_EQ(pool(iota({1, 3, 3, 1})).to_vector(), (std::vector<float>{2, 3.5f, 6.5f, 8}));
}

TEST_F(AveragePooling2DTest, ChannelsFirstMatchesChannelsLast) {
  const Tensor x = Tensor::uniform({2, 7, 6, 3}, -1.0f, 1.0f, 5);
  const Tensor nchw = x.permute({0, 3, 1, 2}).contiguous();
  for (const char* padding : {"valid", "same"}) {
    AveragePooling2D last({.pool_size = 3, .strides = 2, .padding = padding});
    AveragePooling2D first(
        {.pool_size = 3, .strides = 2, .padding = padding, .data_format = "channels_first"});
    EXPECT_TRUE(all_close(first(nchw), last(x).permute({0, 3, 1, 2}).contiguous(), 1e-6, 1e-6))
        << padding;
  }
}

TEST_F(AveragePooling2DTest, BackwardMatchesFiniteDifferences) {
  struct Case {
    Pooling2DOptions options;
    std::vector<std::int64_t> shape;  // channels_last
  };
  const std::vector<Case> cases{
      {{.pool_size = 2}, {2, 5, 6, 3}},                                   // valid
      {{.pool_size = 3, .strides = 2, .padding = "same"}, {1, 6, 5, 2}},  // uneven windows
      {{.pool_size = {2, 3}, .strides = 1, .padding = "same"}, {1, 4, 5, 2}},
  };
  for (const Case& c : cases) {
    for (const char* format : {"channels_last", "channels_first"}) {
      Pooling2DOptions options = c.options;
      options.data_format = format;
      AveragePooling2D pool(options);
      std::vector<std::int64_t> shape = c.shape;
      if (std::string(format) == "channels_first") shape = {shape[0], shape[3], shape[1], shape[2]};
      EXPECT_TRUE(testing::gradient_matches_finite_differences(
          {.forward = [&](const Tensor& input) { return pool(input); },
           .backward = [&](const Tensor& grad) { return pool.backward(grad); }},
          Tensor::uniform(shape, -1.0f, 1.0f, 11)))
          << pool.get_config();
    }
  }
}

TEST_F(AveragePooling2DTest, ConfigHasKerasKeysInKerasOrder) {
  EXPECT_EQ(AveragePooling2D({.pool_size = 3, .strides = 1, .padding = "same"}).get_config(),
            R"({"name":"average_pooling2d","trainable":true,"dtype":{"module":"keras",)"
            R"("class_name":"DTypePolicy","config":{"name":"float32"},"registered_name":null},)"
            R"("pool_size":[3,3],"padding":"same","strides":[1,1],"data_format":"channels_last"})");
}

TEST_F(AveragePooling2DTest, FromConfigRoundTrips) {
  const AveragePooling2D original(
      {.pool_size = {2, 3}, .padding = "same", .data_format = "channels_first", .name = "avg"});
  const AveragePooling2D copy = AveragePooling2D::from_config(original.get_config());
  EXPECT_EQ(copy.get_config(), original.get_config());
  EXPECT_EQ(copy.strides(), (std::array<int, 2>{2, 3}));
}

}  // namespace
}  // namespace keras::layers
