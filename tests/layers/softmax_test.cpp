// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/softmax.h"

#include "keras/backend.h"
#include "support/expect_error.h"
#include "support/finite_difference.h"
#include "support/tensor_matchers.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace keras::layers {
namespace {

using testing::all_close;
using testing::error_message;

// Softmax of a (2, 3, 4) tensor over `axis`, in double precision.
Tensor reference_softmax(const Tensor& x, int axis) {
  const std::vector<std::int64_t> strides{12, 4, 1};
  const auto size = x.shape()[static_cast<std::size_t>(axis)];
  const auto stride = strides[static_cast<std::size_t>(axis)];
  const auto values = x.to_vector();
  std::vector<float> result(values.size());
  for (std::int64_t i = 0; i < 24; ++i) {
    const std::int64_t first = i - ((i / stride) % size) * stride;
    double sum = 0;
    for (std::int64_t k = 0; k < size; ++k) sum += std::exp(values[first + k * stride]);
    result[static_cast<std::size_t>(i)] = static_cast<float>(std::exp(values[i]) / sum);
  }
  return Tensor::from_data(result, x.shape());
}

class SoftmaxTest : public ::testing::Test {
 protected:
  void SetUp() override { backend::clear_session(); }
};

TEST_F(SoftmaxTest, MatchesTheKerasDocExample) {
  const Tensor y = Softmax()(Tensor::from_data(std::vector<float>{1, 2, 1}, {1, 3}));
  EXPECT_TRUE(all_close(
      y, Tensor::from_data(std::vector<float>{0.21194157f, 0.5761169f, 0.21194157f}, {1, 3}), 1e-6,
      1e-6));
}

TEST_F(SoftmaxTest, NormalisesAnyAxis) {
  const Tensor x = Tensor::uniform({2, 3, 4}, -3.0f, 3.0f, 4);
  for (const int axis : {0, 1, 2}) {
    EXPECT_TRUE(all_close(Softmax({.axis = axis})(x), reference_softmax(x, axis), 1e-6, 1e-5))
        << axis;
    EXPECT_TRUE(all_close(Softmax({.axis = axis - 3})(x), reference_softmax(x, axis), 1e-6, 1e-5))
        << axis - 3;
  }
}

TEST_F(SoftmaxTest, LargeLogitsStayFinite) {
  const Tensor y = Softmax()(Tensor::from_data(std::vector<float>{1000, 1001, -1000}, {1, 3}));
  for (const float value : y.to_vector()) EXPECT_TRUE(std::isfinite(value));
}

TEST_F(SoftmaxTest, BackwardMatchesFiniteDifferencesOnEveryAxis) {
  const Tensor x = Tensor::uniform({2, 3, 4}, -2.0f, 2.0f, 6);
  for (const int axis : {-1, 0, 1}) {
    Softmax layer({.axis = axis});
    EXPECT_TRUE(testing::gradient_matches_finite_differences(
        {.forward = [&](const Tensor& input) { return layer(input); },
         .backward = [&](const Tensor& grad) { return layer.backward(grad); }},
        x))
        << axis;
  }
}

TEST_F(SoftmaxTest, OutputShapeIsTheInputShape) {
  EXPECT_EQ(Softmax({.axis = 1}).compute_output_shape({None, None, 5}), Shape({None, None, 5}));
}

TEST_F(SoftmaxTest, RejectsAnAxisOutOfRange) {
  Softmax layer({.axis = 2, .name = "probabilities"});
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)layer.compute_output_shape({None, 10});
            }),
            "Layer \"probabilities\": axis 2 is out of bounds for an input of rank 2. Received "
            "input shape: (None, 10)");
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)layer(Tensor::zeros({4, 10}));
            }),
            "Layer \"probabilities\": axis 2 is out of bounds for an input of rank 2. Received "
            "input shape: (4, 10)");
}

TEST_F(SoftmaxTest, ConfigHasKerasKeys) {
  EXPECT_EQ(Softmax().get_config(),
            R"({"name":"softmax","trainable":true,"dtype":{"module":"keras","class_name":)"
            R"("DTypePolicy","config":{"name":"float32"},"registered_name":null},"axis":-1})");
}

TEST_F(SoftmaxTest, FromConfigRoundTrips) {
  const Softmax original({.axis = 1, .name = "probs", .trainable = false});
  const auto copy =
      deserialize(R"({"class_name": "Softmax", "config": )" + original.get_config() + "}");
  EXPECT_EQ(copy->get_config(), original.get_config());
  EXPECT_EQ(static_cast<const Softmax&>(*copy).axis(), 1);
}

}  // namespace
}  // namespace keras::layers
