// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/global_max_pooling2d.h"

#include "keras/backend.h"
#include "support/finite_difference.h"
#include "support/tensor_matchers.h"
#include "support/tensors.h"

#include <gtest/gtest.h>

namespace keras::layers {
namespace {

using testing::iota;

class GlobalMaxPooling2DTest : public ::testing::Test {
 protected:
  void SetUp() override { backend::clear_session(); }
};

TEST_F(GlobalMaxPooling2DTest, TakesTheMaximumOfEveryChannel) {
  GlobalMaxPooling2D pool;
  const Tensor y = pool(iota({2, 2, 3, 2}));
  EXPECT_EQ(y.shape(), (std::vector<std::int64_t>{2, 2}));
  EXPECT_EQ(y.to_vector(), (std::vector<float>{10, 11, 22, 23}));
}

TEST_F(GlobalMaxPooling2DTest, ChannelsFirstWithKeepdims) {
  GlobalMaxPooling2D pool({.data_format = "channels_first", .keepdims = true});
  const Tensor y = pool(iota({1, 2, 2, 3}));
  EXPECT_EQ(y.shape(), (std::vector<std::int64_t>{1, 2, 1, 1}));
  EXPECT_EQ(y.to_vector(), (std::vector<float>{5, 11}));
  EXPECT_EQ(pool.compute_output_shape({None, 2, None, 3}), Shape({None, 2, 1, 1}));
}

TEST_F(GlobalMaxPooling2DTest, BackwardRoutesToTheMaximum) {
  GlobalMaxPooling2D pool;
  (void)pool(iota({1, 2, 2, 1}));
  EXPECT_EQ(pool.backward(Tensor::full({1, 1}, 3.0)).to_vector(), (std::vector<float>{0, 0, 0, 3}));
}

TEST_F(GlobalMaxPooling2DTest, BackwardMatchesFiniteDifferences) {
  // Distinct values 0.1 apart: no ties, and a step of 0.01 never moves the maximum.
  Tensor x = Tensor::empty({2, 3, 4, 5});
  for (std::int64_t i = 0; i < x.size(); ++i) {
    x.data<float>()[i] = static_cast<float>((i * 37) % x.size()) * 0.1f;
  }
  for (const char* format : {"channels_last", "channels_first"}) {
    for (const bool keepdims : {false, true}) {
      GlobalMaxPooling2D pool({.data_format = format, .keepdims = keepdims});
      EXPECT_TRUE(testing::gradient_matches_finite_differences(
          {.forward = [&](const Tensor& input) { return pool(input); },
           .backward = [&](const Tensor& grad) { return pool.backward(grad); }},
          x))
          << format << " keepdims=" << keepdims;
    }
  }
}

TEST_F(GlobalMaxPooling2DTest, ConfigHasKerasKeysInKerasOrder) {
  EXPECT_EQ(GlobalMaxPooling2D({.keepdims = true}).get_config(),
            R"({"name":"global_max_pooling2d","trainable":true,"dtype":{"module":"keras",)"
            R"("class_name":"DTypePolicy","config":{"name":"float32"},"registered_name":null},)"
            R"("data_format":"channels_last","keepdims":true})");
}

TEST_F(GlobalMaxPooling2DTest, FromConfigRoundTrips) {
  const GlobalMaxPooling2D original({.data_format = "channels_first", .name = "gmp"});
  const GlobalMaxPooling2D copy = GlobalMaxPooling2D::from_config(original.get_config());
  EXPECT_EQ(copy.get_config(), original.get_config());
  EXPECT_EQ(copy.data_format(), DataFormat::channels_first);
}

}  // namespace
}  // namespace keras::layers
