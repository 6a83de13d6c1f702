// SPDX-License-Identifier: Apache-2.0
#include "keras/initializers.h"

#include "detail/loaded_weights.h"
#include "keras/error.h"
#include "keras/utils/random.h"
#include "support/expect_error.h"
#include "support/tensor_matchers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace keras::initializers {
namespace {

using testing::all_close;
using testing::error_message;

struct Moments {
  double mean = 0.0;
  double stddev = 0.0;
  double max_abs = 0.0;
};

Moments moments_of(const Tensor& tensor) {
  const auto values = tensor.to_vector();
  Moments moments;
  double squares = 0.0;
  for (const float value : values) {
    moments.mean += value;
    squares += double{value} * value;
    moments.max_abs = std::max(moments.max_abs, double{std::abs(value)});
  }
  const auto count = static_cast<double>(values.size());
  moments.mean /= count;
  moments.stddev = std::sqrt(squares / count - moments.mean * moments.mean);
  return moments;
}

TEST(InitializersTest, FansFollowKeras) {
  EXPECT_EQ(compute_fans({3, 3, 1, 32}), (std::pair<double, double>{9, 288}));
  EXPECT_EQ(compute_fans({1600, 10}), (std::pair<double, double>{1600, 10}));
  EXPECT_EQ(compute_fans({7}), (std::pair<double, double>{7, 7}));
  EXPECT_EQ(compute_fans({}), (std::pair<double, double>{1, 1}));
}

TEST(InitializersTest, GlorotUniformFillsKerasLimit) {
  // keras-spec.md 3.11: Conv2D kernel (3, 3, 1, 32) has limit sqrt(6 / 297).
  const Moments moments = moments_of(Initializer("glorot_uniform").with_seed(1)({3, 3, 1, 32}));
  const double limit = std::sqrt(6.0 / 297.0);
  EXPECT_LE(moments.max_abs, limit);
  EXPECT_GT(moments.max_abs, 0.95 * limit);
  EXPECT_NEAR(moments.stddev, limit / std::sqrt(3.0), 0.01);
}

TEST(InitializersTest, HeNormalIsTruncatedAtTwoStddevs) {
  const Moments moments = moments_of(Initializer("he_normal").with_seed(2)({64, 3, 3, 100}));
  const double stddev = std::sqrt(2.0 / (64 * 3 * 3)) / 0.87962566103423978;
  EXPECT_LE(moments.max_abs, 2 * stddev);
  EXPECT_NEAR(moments.stddev, std::sqrt(2.0 / (64 * 3 * 3)), 0.003);
  EXPECT_NEAR(moments.mean, 0.0, 0.003);
}

TEST(InitializersTest, ConstantsAndRandomArguments) {
  EXPECT_TRUE(all_close(Initializer("zeros")({2, 2}), Tensor::zeros({2, 2})));
  EXPECT_TRUE(all_close(Initializer("ones")({3}), Tensor::ones({3})));
  EXPECT_TRUE(all_close(Initializer::constant(0.5)({2}), Tensor::full({2}, 0.5)));
  const Moments normal = moments_of(Initializer::random_normal(1.0, 0.5, 3)({20000}));
  EXPECT_NEAR(normal.mean, 1.0, 0.02);
  EXPECT_NEAR(normal.stddev, 0.5, 0.02);
  for (const float value : Initializer::random_uniform(2.0, 3.0, 4)({1000}).to_vector()) {
    EXPECT_GE(value, 2.0f);
    EXPECT_LT(value, 3.0f);
  }
  EXPECT_EQ(Initializer("he_uniform").class_name(), "HeUniform");
}

TEST(InitializersTest, SeedsMakeWeightsRepeatable) {
  const Initializer seeded = Initializer("glorot_normal").with_seed(5);
  EXPECT_TRUE(all_close(seeded({10, 10}), seeded({10, 10})));
  utils::set_random_seed(42);
  const Tensor first = Initializer("glorot_uniform")({10, 10});
  utils::set_random_seed(42);
  EXPECT_TRUE(all_close(Initializer("glorot_uniform")({10, 10}), first));
  EXPECT_FALSE(all_close(Initializer("glorot_uniform")({10, 10}), first));
}

TEST(InitializersTest, RejectsUnknownIdentifiersInKerasWords) {
  EXPECT_EQ(error_message<ValueError>([] { (void)Initializer("glorot"); }),
            "Could not interpret initializer identifier: glorot");
  EXPECT_EQ(error_message<ValueError>([] {
              (void)Initializer::variance_scaling(0.0, Initializer::FanMode::fan_in,
                                                  Initializer::Distribution::uniform);
            }),
            "Argument `scale` must be positive float. Received: scale=0");
}

// A loader's model gets its weights from the file: no random draws, and the seed stream
// moves as it would, so what follows a load is the same as before.
TEST(InitializersTest, GiveZerosWhileWeightsComeFromAFile) {
  utils::set_random_seed(7);
  const Initializer glorot("glorot_uniform");
  (void)glorot({4, 3});
  const Tensor after_drawing = glorot({4, 3});
  utils::set_random_seed(7);
  {
    const detail::WeightsFromFile loading;
    EXPECT_TRUE(all_close(glorot({4, 3}), Tensor::zeros({4, 3})));
  }
  EXPECT_FALSE(detail::WeightsFromFile::active());
  EXPECT_TRUE(all_close(glorot({4, 3}), after_drawing));
  const detail::WeightsFromFile loading;
  EXPECT_TRUE(all_close(Initializer("ones")({2}), Tensor::zeros({2})));
}

}  // namespace
}  // namespace keras::initializers
