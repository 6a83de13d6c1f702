// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/leaky_relu.h"

#include "keras/backend.h"
#include "support/expect_error.h"
#include "support/finite_difference.h"
#include "support/tensor_matchers.h"

#include <gtest/gtest.h>

#include <vector>

namespace keras::layers {
namespace {

using testing::all_close;
using testing::error_message;

class LeakyReLUTest : public ::testing::Test {
 protected:
  void SetUp() override { backend::clear_session(); }
};

TEST_F(LeakyReLUTest, DefaultSlopeIsKeras3s) {
  const Tensor x = Tensor::from_data(std::vector<float>{-10, -1, 0, 2}, {2, 2});
  EXPECT_TRUE(all_close(LeakyReLU()(x),
                        Tensor::from_data(std::vector<float>{-3, -0.3f, 0, 2}, {2, 2}), 1e-6, 0));
}

TEST_F(LeakyReLUTest, MatchesTheKerasDocExample) {
  const Tensor x = Tensor::from_data(std::vector<float>{-10, -5, 0, 5, 10}, {1, 5});
  EXPECT_EQ(LeakyReLU({.negative_slope = 0.5})(x).to_vector(),
            (std::vector<float>{-5, -2.5, 0, 5, 10}));
}

TEST_F(LeakyReLUTest, BackwardMatchesFiniteDifferences) {
  const Tensor x = Tensor::from_data(
      std::vector<float>{-3.7f, -2.5f, -1.3f, -0.4f, 0.3f, 0.8f, 1.7f, 2.9f}, {2, 4});
  for (const double slope : {0.0, 0.3, 1.5}) {
    LeakyReLU layer({.negative_slope = slope});
    EXPECT_TRUE(testing::gradient_matches_finite_differences(
        {.forward = [&](const Tensor& input) { return layer(input); },
         .backward = [&](const Tensor& grad) { return layer.backward(grad); }},
        x))
        << slope;
  }
}

TEST_F(LeakyReLUTest, OutputShapeIsTheInputShape) {
  EXPECT_EQ(LeakyReLU().compute_output_shape({None, 3, None}), Shape({None, 3, None}));
}

TEST_F(LeakyReLUTest, ConfigHasKerasKeys) {
  EXPECT_EQ(LeakyReLU().get_config(),
            R"({"name":"leaky_re_lu","trainable":true,"dtype":{"module":"keras","class_name":)"
            R"("DTypePolicy","config":{"name":"float32"},"registered_name":null},)"
            R"("negative_slope":0.3})");
}

TEST_F(LeakyReLUTest, FromConfigRoundTrips) {
  const LeakyReLU original({.negative_slope = 0.05, .name = "leaky"});
  const auto copy =
      deserialize(R"({"class_name": "LeakyReLU", "config": )" + original.get_config() + "}");
  EXPECT_EQ(copy->get_config(), original.get_config());
}

TEST_F(LeakyReLUTest, FromConfigReadsKeras2Alpha) {
  const auto layer = deserialize(
      R"({"class_name": "LeakyReLU", "config": {"name": "lr", "trainable": true,
          "dtype": "float32", "alpha": 0.1}})");
  EXPECT_DOUBLE_EQ(static_cast<const LeakyReLU&>(*layer).negative_slope(), 0.1);
}

TEST_F(LeakyReLUTest, RejectsANegativeSlopeInKerasWords) {
  EXPECT_EQ(error_message<ValueError>([] { LeakyReLU({.negative_slope = -1}); }),
            "The negative_slope value of a Leaky ReLU layer cannot be None or negative value. "
            "Expected a float. Received: negative_slope=-1.0");
}

}  // namespace
}  // namespace keras::layers
