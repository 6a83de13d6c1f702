// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/dropout.h"

#include "keras/backend.h"
#include "keras/utils/random.h"
#include "kernels/binary.h"
#include "support/expect_error.h"
#include "support/finite_difference.h"
#include "support/tensor_matchers.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>
#include <memory>

namespace keras::layers {
namespace {

using testing::all_close;
using testing::error_message;
using testing::gradient_matches_finite_differences;

class DropoutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend::clear_session();
    utils::set_random_seed(1);  // unseeded layers draw the same seeds whatever ran before
  }
};

std::int64_t count_zeros(const Tensor& tensor) {
  std::int64_t zeros = 0;
  for (const float value : tensor.to_vector()) zeros += value == 0.0f ? 1 : 0;
  return zeros;
}

TEST_F(DropoutTest, IsTheInputItselfInInference) {
  Dropout dropout({.rate = 0.5});
  const Tensor x = Tensor::uniform({4, 3}, -1.0f, 1.0f, 1);
  const Tensor y = dropout(x);
  EXPECT_TRUE(y.shares_storage_with(x));
  EXPECT_EQ(y.raw_data(), x.raw_data());
  EXPECT_TRUE(all_close(y, x));
  const Tensor grad = Tensor::ones({4, 3});
  EXPECT_TRUE(dropout.backward(grad).shares_storage_with(grad));
}

TEST_F(DropoutTest, RateZeroIsTheInputItselfInTraining) {
  Dropout dropout({.rate = 0.0});
  const Tensor x = Tensor::uniform({4, 3}, -1.0f, 1.0f, 1);
  EXPECT_TRUE(dropout(x, /*training=*/true).shares_storage_with(x));
  const Tensor grad = Tensor::ones({4, 3});
  EXPECT_TRUE(dropout.backward(grad).shares_storage_with(grad));
}

TEST_F(DropoutTest, KeepsTheShapeWithUnknownAxes) {
  Dropout dropout({.rate = 0.5});
  EXPECT_EQ(dropout.compute_output_spec({None, 28, None, 3}), Shape({None, 28, None, 3}));
  EXPECT_EQ(dropout.count_params(), 0);
  EXPECT_TRUE(dropout.weights().empty());
  Dropout channels({.rate = 0.5, .noise_shape = {None, 1, 1, 3}});
  EXPECT_EQ(channels.compute_output_spec({None, None, None, 3}), Shape({None, None, None, 3}));
}

TEST_F(DropoutTest, DropsAboutRateOfALargeTensor) {
  for (const double rate : {0.1, 0.5, 0.8}) {
    Dropout dropout({.rate = rate});
    const Tensor y = dropout(Tensor::ones({1000, 1000}), /*training=*/true);
    const double fraction = static_cast<double>(count_zeros(y)) / 1e6;
    // Six standard deviations of the binomial fraction: sqrt(rate (1 - rate) / 1e6) <= 5e-4.
    EXPECT_NEAR(fraction, rate, 3e-3) << "rate " << rate;
  }
}

TEST_F(DropoutTest, DecisionsLookIndependent) {
  // Across consecutive calls, and between neighbouring elements of one mask, both are
  // dropped a quarter of the time at rate 0.5.
  Dropout dropout({.rate = 0.5});
  const auto first = dropout(Tensor::ones({1000, 1000}), true).to_vector();
  const auto second = dropout(Tensor::ones({1000, 1000}), true).to_vector();
  std::int64_t both_calls = 0;
  std::int64_t neighbours = 0;
  for (std::size_t i = 0; i + 1 < first.size(); ++i) {
    both_calls += first[i] == 0.0f && second[i] == 0.0f ? 1 : 0;
    neighbours += first[i] == 0.0f && first[i + 1] == 0.0f ? 1 : 0;
  }
  EXPECT_NEAR(static_cast<double>(both_calls) / 1e6, 0.25, 3e-3);
  EXPECT_NEAR(static_cast<double>(neighbours) / 1e6, 0.25, 3e-3);
}

TEST_F(DropoutTest, ScalesKeptValuesByTheInverseKeepProbability) {
  const double rate = 0.3;
  const float scale = static_cast<float>(1.0 / (1.0 - rate));
  Dropout dropout({.rate = rate});
  const Tensor x = Tensor::uniform({64, 100}, 0.5f, 1.0f, 3);
  const Tensor y = dropout(x, /*training=*/true);
  const auto inputs = x.to_vector();
  const auto outputs = y.to_vector();
  std::int64_t kept = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (outputs[i] == 0.0f) continue;
    ++kept;
    ASSERT_EQ(outputs[i], inputs[i] * scale) << "element " << i;
  }
  EXPECT_GT(kept, 0);
  EXPECT_LT(kept, static_cast<std::int64_t>(inputs.size()));
}

TEST_F(DropoutTest, KeepsTheMeanOfOnes) {
  // Keras's test_dropout_rescaling: mean close to 1, maximum 1 / (1 - rate).
  Dropout dropout({.rate = 0.5, .seed = 1337});
  const auto values = dropout(Tensor::ones({20, 500}), /*training=*/true).to_vector();
  double sum = 0.0;
  float maximum = 0.0f;
  for (const float value : values) {
    sum += value;
    maximum = std::max(maximum, value);
  }
  EXPECT_NEAR(sum / static_cast<double>(values.size()), 1.0, 0.05);
  EXPECT_EQ(maximum, 2.0f);
}

TEST_F(DropoutTest, ASeedGivesTheSameMasksRunAfterRun) {
  const Tensor x = Tensor::ones({32, 50});
  Dropout first({.rate = 0.5, .seed = 42});
  Dropout second({.rate = 0.5, .seed = 42});
  const Tensor first_call = first(x, true);
  EXPECT_TRUE(all_close(second(x, true), first_call));
  const Tensor next_call = first(x, true);
  EXPECT_TRUE(all_close(second(x, true), next_call));
  EXPECT_FALSE(all_close(next_call, first_call)) << "consecutive calls drew the same mask";
  EXPECT_FALSE(all_close(Dropout({.rate = 0.5, .seed = 43})(x, true), first_call));
}

TEST_F(DropoutTest, InferenceCallsDoNotAdvanceTheGenerator) {
  const Tensor x = Tensor::ones({32, 50});
  Dropout plain({.rate = 0.5, .seed = 9});
  Dropout interleaved({.rate = 0.5, .seed = 9});
  (void)interleaved(x, false);
  EXPECT_TRUE(all_close(interleaved(x, true), plain(x, true)));
}

TEST_F(DropoutTest, SetRandomSeedMakesUnseededLayersRepeatable) {
  const Tensor x = Tensor::ones({32, 50});
  utils::set_random_seed(7);
  Dropout first({.rate = 0.5});
  const Tensor first_call = first(x, true);
  const Tensor next_call = first(x, true);
  utils::set_random_seed(7);
  Dropout again({.rate = 0.5});
  EXPECT_TRUE(all_close(again(x, true), first_call));
  EXPECT_TRUE(all_close(again(x, true), next_call));
  utils::set_random_seed(8);
  EXPECT_FALSE(all_close(Dropout({.rate = 0.5})(x, true), first_call));
}

TEST_F(DropoutTest, NoiseShapeDropsWholeChannels) {
  Dropout dropout({.rate = 0.5, .noise_shape = {None, 1, 1, 8}});
  const Tensor y = dropout(Tensor::ones({4, 5, 6, 8}), /*training=*/true);
  for (std::int64_t n = 0; n < 4; ++n) {
    for (std::int64_t c = 0; c < 8; ++c) {
      const float channel = y.at({n, 0, 0, c});
      EXPECT_TRUE(channel == 0.0f || channel == 2.0f);
      for (std::int64_t h = 0; h < 5; ++h) {
        for (std::int64_t w = 0; w < 6; ++w) ASSERT_EQ(y.at({n, h, w, c}), channel);
      }
    }
  }
  const std::int64_t zeros = count_zeros(y);
  EXPECT_GT(zeros, 0);
  EXPECT_LT(zeros, y.size());
}

TEST_F(DropoutTest, NoiseShapeSharesTheMaskAlongAxesOfSizeOne) {
  // Keras's test_dropout_partial_noise_shape_dynamic and _static.
  for (const OptionalShape& noise_shape :
       {OptionalShape{None, 1, None}, OptionalShape{20, 1, 10}}) {
    Dropout dropout({.rate = 0.5, .noise_shape = noise_shape});
    const Tensor y = dropout(Tensor::ones({20, 5, 10}), /*training=*/true);
    for (std::int64_t t = 1; t < 5; ++t) {
      EXPECT_TRUE(all_close(y.narrow(1, t, 1), y.narrow(1, 0, 1))) << noise_shape->to_string();
    }
  }
}

TEST_F(DropoutTest, BackwardMultipliesByTheSameMask) {
  for (const OptionalShape& noise_shape : {OptionalShape(), OptionalShape{None, 1, 6}}) {
    Dropout dropout({.rate = 0.25, .noise_shape = noise_shape});
    // Inputs of ones: the output is the mask itself, 0 or 1 / 0.75.
    const Tensor mask = dropout(Tensor::ones({3, 4, 6}), /*training=*/true);
    const Tensor dy = Tensor::uniform({3, 4, 6}, -1.0f, 1.0f, 5);
    const Tensor dx = dropout.backward(dy);
    const auto masks = mask.to_vector();
    const auto grads = dy.to_vector();
    const auto results = dx.to_vector();
    for (std::size_t i = 0; i < masks.size(); ++i) {
      ASSERT_EQ(results[i], grads[i] * masks[i]) << "element " << i;
    }
  }
}

TEST_F(DropoutTest, BackwardMatchesFiniteDifferences) {
  // A fresh layer with a fixed seed per forward: every forward uses the same first mask.
  const std::vector<std::pair<double, OptionalShape>> cases{
      {0.5, OptionalShape()}, {0.3, OptionalShape{None, 1, 4}}, {1.0, OptionalShape()}};
  for (const auto& [rate, noise_shape] : cases) {
    std::unique_ptr<Dropout> dropout;
    const auto forward = [&, rate = rate, noise_shape = noise_shape](const Tensor& x) {
      dropout = std::make_unique<Dropout>(
          DropoutOptions{.rate = rate, .noise_shape = noise_shape, .seed = 11});
      return (*dropout)(x, /*training=*/true);
    };
    const auto backward = [&](const Tensor& dy) { return dropout->backward(dy); };
    EXPECT_TRUE(gradient_matches_finite_differences({.forward = forward, .backward = backward},
                                                    Tensor::uniform({2, 3, 4}, -1.0f, 1.0f, 2)))
        << "rate " << rate;
  }
}

TEST_F(DropoutTest, RateOneDropsEverything) {
  Dropout dropout({.rate = 1.0});
  const Tensor y = dropout(Tensor::uniform({8, 16}, -1.0f, 1.0f, 4), /*training=*/true);
  EXPECT_TRUE(all_close(y, Tensor::zeros({8, 16})));
  EXPECT_TRUE(all_close(dropout.backward(Tensor::ones({8, 16})), Tensor::zeros({8, 16})));
}

TEST_F(DropoutTest, TakesNonContiguousInputsAndEmptyBatches) {
  Dropout dropout({.rate = 0.5, .seed = 3});
  const Tensor x = Tensor::uniform({6, 4}, 1.0f, 2.0f, 6);
  const Tensor y = dropout(x.transpose(0, 1), /*training=*/true);
  Dropout same({.rate = 0.5, .seed = 3});
  EXPECT_TRUE(all_close(y, same(x.transpose(0, 1).contiguous(), true)));
  EXPECT_EQ(dropout(Tensor::ones({0, 4}), true).shape(), (std::vector<std::int64_t>{0, 4}));
}

TEST_F(DropoutTest, ConfigHasKerasKeysInKerasOrder) {
  Dropout dropout({.rate = 0.5, .name = "dropout"});
  EXPECT_EQ(dropout.get_config(),
            R"({"name":"dropout","trainable":true,"dtype":{"module":"keras","class_name":)"
            R"("DTypePolicy","config":{"name":"float32"},"registered_name":null},"rate":0.5,)"
            R"("seed":null,"noise_shape":null})");
}

TEST_F(DropoutTest, ConfigRoundTrips) {
  for (const DropoutOptions& options :
       {DropoutOptions{.rate = 0.5}, DropoutOptions{.rate = 0.25,
                                     .noise_shape = {None, 1, 1, 32},
                                     .seed = 1337,
                                     .name = "drop_channels",
                                     .trainable = false}}) {
    const Dropout dropout(options);
    const std::string config = dropout.get_config();
    const auto restored = deserialize(nlohmann::json{
        {"class_name", "Dropout"},
        {"config",
         nlohmann::json::parse(config)}}.dump());
    EXPECT_EQ(restored->class_name(), "Dropout");
    EXPECT_EQ(restored->get_config(), config);
  }
}

TEST_F(DropoutTest, ReadsTheMnistConvnetConfig) {
  // As the golden model lists it: keys other than rate left to their defaults.
  const auto layer =
      deserialize(R"({"class_name": "Dropout", "config": {"name": "dropout", "rate": 0.5}})");
  const auto& dropout = dynamic_cast<const Dropout&>(*layer);
  EXPECT_EQ(dropout.options().rate, 0.5);
  EXPECT_FALSE(dropout.options().seed);
  EXPECT_FALSE(dropout.options().noise_shape);
  EXPECT_EQ(dropout.name(), "dropout");
}

TEST_F(DropoutTest, RejectsRatesOutsideZeroToOneInKerasWords) {
  EXPECT_EQ(error_message<ValueError>([] { Dropout({.rate = -0.5}); }),
            "Invalid value received for argument `rate`. Expected a float value between 0 and "
            "1. Received: rate=-0.5");
  EXPECT_EQ(error_message<ValueError>([] { Dropout({.rate = 1.5}); }),
            "Invalid value received for argument `rate`. Expected a float value between 0 and "
            "1. Received: rate=1.5");
  EXPECT_EQ(error_message<ValueError>([] { Dropout({.rate = 2.0}); }),
            "Invalid value received for argument `rate`. Expected a float value between 0 and "
            "1. Received: rate=2.0");
  EXPECT_EQ(error_message<ValueError>(
                [] { Dropout({.rate = std::numeric_limits<double>::quiet_NaN()}); }),
            "Invalid value received for argument `rate`. Expected a float value between 0 and "
            "1. Received: rate=nan");
}

TEST_F(DropoutTest, RejectsNonPositiveNoiseShapeSizesInKerasWords) {
  EXPECT_EQ(error_message<ValueError>([] {
              Dropout({.rate = 0.5, .noise_shape = {20, 0, 10}});
            }),
            "Invalid value received for argument `noise_shape`. Expected all dimensions to be "
            "positive integers or None. Received negative or zero value at index 1: 0");
  EXPECT_EQ(error_message<ValueError>([] {
              Dropout({.rate = 0.5, .noise_shape = {20, -1, 10}});
            }),
            "Invalid value received for argument `noise_shape`. Expected all dimensions to be "
            "positive integers or None. Received negative or zero value at index 1: -1");
}

TEST_F(DropoutTest, RejectsANoiseShapeThatDoesNotBroadcast) {
  Dropout dropout({.rate = 0.5, .noise_shape = {20, 1, 10}, .name = "dropout"});
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)dropout.compute_output_spec({None, 5, 8});
            }),
            "Input 0 of layer \"dropout\" is incompatible with the layer: noise_shape=(20, 1, 10) "
            "cannot be broadcast to the input. Full shape received: (None, 5, 8)");
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)dropout(Tensor::ones({20, 5}), true);
            }),
            "Input 0 of layer \"dropout\" is incompatible with the layer: noise_shape=(20, 1, 10) "
            "cannot be broadcast to the input. Full shape received: (20, 5)");
  // A fixed batch size in the noise shape must match the batch of a direct call too.
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)dropout.call(Tensor::ones({4, 5, 10}), true);
            }),
            "Input 0 of layer \"dropout\" is incompatible with the layer: noise_shape=(20, 1, 10) "
            "cannot be broadcast to the input. Full shape received: (4, 5, 10)");
}

TEST_F(DropoutTest, BackwardRejectsGradientsOfAnotherShape) {
  Dropout dropout({.rate = 0.5, .name = "dropout"});
  (void)dropout(Tensor::ones({2, 3}), true);
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)dropout.backward(Tensor::ones({3, 2}));
            }),
            "Layer \"dropout\": `backward` received gradients of shape (3, 2), but the last call "
            "returned shape (2, 3)");
}

// The binary kernel Dropout runs on (kernels/binary.h); its tests live here until the
// project has a tests/kernels folder.
TEST(BinaryPlanTest, MultipliesWithABroadcastOperand) {
  const kernels::BinaryPlan plan(kernels::BinaryOp::multiply, {2, 3, 4, 5}, {2, 1, 1, 5});
  const Tensor src0 = Tensor::uniform({2, 3, 4, 5}, -1.0f, 1.0f, 1);
  const Tensor src1 = Tensor::uniform({2, 1, 1, 5}, -1.0f, 1.0f, 2);
  Tensor dst = Tensor::empty({2, 3, 4, 5});
  plan.execute(src0, src1, dst);
  for (std::int64_t n = 0; n < 2; ++n) {
    for (std::int64_t h = 0; h < 3; ++h) {
      for (std::int64_t w = 0; w < 4; ++w) {
        for (std::int64_t c = 0; c < 5; ++c) {
          ASSERT_EQ(dst.at({n, h, w, c}), src0.at({n, h, w, c}) * src1.at({n, 0, 0, c}));
        }
      }
    }
  }
}

TEST(BinaryPlanTest, AddsSubtractsAndTakesTheMaximum) {
  const Tensor src0 = Tensor::from_data(std::vector<float>{1, -2, 3, -4}, {2, 2});
  const Tensor src1 = Tensor::from_data(std::vector<float>{10, 0.5f}, {1, 2});
  Tensor dst = Tensor::empty({2, 2});
  kernels::BinaryPlan(kernels::BinaryOp::add, {2, 2}, {1, 2}).execute(src0, src1, dst);
  EXPECT_EQ(dst.to_vector(), (std::vector<float>{11, -1.5f, 13, -3.5f}));
  kernels::BinaryPlan(kernels::BinaryOp::subtract, {2, 2}, {1, 2}).execute(src0, src1, dst);
  EXPECT_EQ(dst.to_vector(), (std::vector<float>{-9, -2.5f, -7, -4.5f}));
  kernels::BinaryPlan(kernels::BinaryOp::maximum, {2, 2}, {1, 2}).execute(src0, src1, dst);
  EXPECT_EQ(dst.to_vector(), (std::vector<float>{10, 0.5f, 10, 0.5f}));
}

TEST(BinaryPlanTest, RejectsShapesThatDoNotBroadcast) {
  EXPECT_EQ(error_message<ValueError>([] {
              (void)kernels::BinaryPlan(kernels::BinaryOp::multiply, {2, 3}, {3, 1});
            }),
            "A binary operation cannot broadcast shape (3, 1) to (2, 3)");
}

TEST(BinaryPlanTest, RejectsOperandsOfOtherShapes) {
  const kernels::BinaryPlan plan(kernels::BinaryOp::multiply, {2, 3}, {1, 3});
  Tensor dst = Tensor::empty({2, 3});
  EXPECT_EQ(error_message<ValueError>([&] {
              plan.execute(Tensor::ones({3, 2}), Tensor::ones({1, 3}), dst);
            }),
            "BinaryPlan::execute needs contiguous float32 operands of the plan's shapes");
  EXPECT_EQ(error_message<ValueError>([&] {
              plan.execute(Tensor::ones({3, 2}).transpose(0, 1), Tensor::ones({1, 3}), dst);
            }),
            "BinaryPlan::execute needs contiguous float32 operands of the plan's shapes");
}

}  // namespace
}  // namespace keras::layers
