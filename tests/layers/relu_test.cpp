// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/relu.h"

#include "keras/backend.h"
#include "support/expect_error.h"
#include "support/finite_difference.h"
#include "support/tensor_matchers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace keras::layers {
namespace {

using testing::all_close;
using testing::error_message;

Tensor row(std::vector<float> values) {
  const auto size = static_cast<std::int64_t>(values.size());
  return Tensor::from_data(values, {1, size});
}

// Keras 3's formula, written out: the reference the oneDNN composition is checked against.
float reference_relu(float x, const ReLUOptions& options) {
  const auto t = static_cast<float>(options.threshold);
  if (x <= t) return static_cast<float>(options.negative_slope) * (x - t);
  return options.max_value ? std::min(x, static_cast<float>(*options.max_value)) : x;
}

// Every combination of the options that changes the math.
const std::vector<ReLUOptions> option_combinations{
    {},
    {.max_value = 6.0},
    {.max_value = 4.0},
    {.negative_slope = 0.3},
    {.max_value = 4.0, .negative_slope = 0.3},
    {.threshold = 1.0},
    {.negative_slope = 0.2, .threshold = 1.0},
    {.max_value = 4.0, .threshold = 1.0},
    {.max_value = 4.0, .negative_slope = 0.2, .threshold = 1.0},
};

// At least 0.1 away from the kinks at 0, the threshold 1, and max_value 4 and 6.
Tensor smooth_points() {
  return Tensor::from_data(std::vector<float>{-3.7f, -2.5f, -1.3f, -0.4f, 0.3f, 0.75f, 1.7f, 2.9f,
                                              4.3f, 5.2f, 6.6f, -0.9f},
                           {3, 4});
}

class ReLUTest : public ::testing::Test {
 protected:
  void SetUp() override { backend::clear_session(); }
};

TEST_F(ReLUTest, DefaultIsMaxOfZero) {
  EXPECT_EQ(ReLU()(row({-10, -5, 0, 5, 10})).to_vector(), (std::vector<float>{0, 0, 0, 5, 10}));
}

TEST_F(ReLUTest, MatchesKerasTestVectors) {  // relu_test.py
  EXPECT_EQ(ReLU({.max_value = 10})(row({-10, -5, 0, 5, 10})).to_vector(),
            (std::vector<float>{0, 0, 0, 5, 10}));
  EXPECT_EQ(ReLU({.max_value = 10, .negative_slope = 0.5})(row({-10, -5, 0, 5, 10})).to_vector(),
            (std::vector<float>{-5, -2.5, 0, 5, 10}));
  EXPECT_EQ(ReLU({.max_value = 8, .threshold = 5})(row({6, 7, 0, 5, 10})).to_vector(),
            (std::vector<float>{6, 7, 0, 0, 8}));
}

TEST_F(ReLUTest, EveryOptionCombinationFollowsKerasFormula) {
  const Tensor x = Tensor::uniform({4, 25}, -6.0f, 8.0f, 9);
  for (const ReLUOptions& options : option_combinations) {
    std::vector<float> expected = x.to_vector();
    for (float& value : expected) value = reference_relu(value, options);
    EXPECT_TRUE(all_close(ReLU(options)(x), Tensor::from_data(expected, {4, 25}), 1e-6, 1e-6))
        << ReLU(options).get_config();
  }
}

TEST_F(ReLUTest, BackwardMatchesFiniteDifferencesForEveryOptionCombination) {
  for (const ReLUOptions& options : option_combinations) {
    ReLU layer(options);
    EXPECT_TRUE(testing::gradient_matches_finite_differences(
        {.forward = [&](const Tensor& input) { return layer(input); },
         .backward = [&](const Tensor& grad) { return layer.backward(grad); }},
        smooth_points()))
        << layer.get_config();
  }
}

TEST_F(ReLUTest, OutputShapeIsTheInputShape) {
  EXPECT_EQ(ReLU().compute_output_shape({None, None, 7}), Shape({None, None, 7}));
}

TEST_F(ReLUTest, ConfigHasKerasKeys) {
  EXPECT_EQ(ReLU().get_config(),
            R"({"name":"re_lu","trainable":true,"dtype":{"module":"keras","class_name":)"
            R"("DTypePolicy","config":{"name":"float32"},"registered_name":null},)"
            R"("max_value":null,"negative_slope":0.0,"threshold":0.0})");
}

TEST_F(ReLUTest, FromConfigRoundTrips) {
  for (const ReLUOptions& options : option_combinations) {
    const ReLU original(options);
    const auto copy =
        deserialize(R"({"class_name": "ReLU", "config": )" + original.get_config() + "}");
    EXPECT_EQ(copy->get_config(), original.get_config());
  }
}

TEST_F(ReLUTest, RejectsNegativeArgumentsInKerasWords) {
  EXPECT_EQ(error_message<ValueError>([] { ReLU({.max_value = -10}); }),
            "max_value of a ReLU layer cannot be a negative value. Received: max_value=-10.0");
  EXPECT_EQ(error_message<ValueError>([] { ReLU({.negative_slope = -0.5}); }),
            "negative_slope of a ReLU layer cannot be a negative value. Received: "
            "negative_slope=-0.5");
  EXPECT_EQ(error_message<ValueError>([] { ReLU({.threshold = -1e-05}); }),
            "threshold of a ReLU layer cannot be a negative value. Received: threshold=-1e-05");
}

}  // namespace
}  // namespace keras::layers
