// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/dense.h"

#include "keras/backend.h"
#include "keras/utils/random.h"
#include "support/expect_error.h"
#include "support/finite_difference.h"
#include "support/tensor_matchers.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace keras::layers {
namespace {

using testing::all_close;
using testing::error_message;
using testing::gradient_matches_finite_differences;

class DenseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend::clear_session();
    utils::set_random_seed(1);  // the same initial weights whatever ran before
  }
};

TEST_F(DenseTest, AppliesToTheLastAxis) {
  Dense dense({.units = 10});
  EXPECT_EQ(dense.compute_output_spec({None, 5, 7}), Shape({None, 5, 10}));
  EXPECT_EQ(dense.count_params(), 7 * 10 + 10);
  const Tensor x = Tensor::uniform({2, 5, 7}, -1.0f, 1.0f, 1);
  const Tensor y = dense(x);
  // The same kernel at each of the 5 positions: row 3 of sample 1 alone gives the same row.
  const Tensor row = dense(x.narrow(0, 1, 1).narrow(1, 3, 1).contiguous());
  EXPECT_TRUE(all_close(y.narrow(0, 1, 1).narrow(1, 3, 1), row, 1e-6, 1e-6));
}

TEST_F(DenseTest, MnistHeadHasKerasParameterCount) {
  Dense dense({.units = 10, .activation = "softmax"});
  (void)dense.compute_output_spec({None, 1600});
  EXPECT_EQ(dense.count_params(), 16010);
  EXPECT_EQ(dense.weights()[0].path(), "dense/kernel");
  EXPECT_EQ(dense.weights()[0].value().shape(), (std::vector<std::int64_t>{1600, 10}));
  EXPECT_EQ(dense.weights()[1].path(), "dense/bias");
}

TEST_F(DenseTest, ComputesInputsTimesKernelPlusBias) {
  Dense dense({.units = 2,
               .kernel_initializer = "ones",
               .bias_initializer = initializers::Initializer::constant(0.5)});
  const std::vector<float> values{1, 2, 3, 4, 5, 6};
  const Tensor y = dense(Tensor::from_data(values, {2, 3}));
  const std::vector<float> expected{6.5f, 6.5f, 15.5f, 15.5f};
  EXPECT_TRUE(all_close(y, Tensor::from_data(expected, {2, 2})));
}

TEST_F(DenseTest, BackwardMatchesFiniteDifferences) {
  // ReLU's kink needs a step small enough not to cross it.
  const std::vector<std::pair<const char*, double>> activations{
      {"", 1e-2}, {"relu", 1e-4}, {"tanh", 1e-2}, {"softmax", 1e-2}};
  for (const auto& [activation, step] : activations) {
    for (const bool use_bias : {true, false}) {
      Dense dense({.units = 4, .activation = activation, .use_bias = use_bias});
      const Tensor x = Tensor::uniform({3, 2, 5}, -1.0f, 1.0f, 2);
      const auto check = [&, step = step](auto forward, auto backward, const Tensor& at) {
        return gradient_matches_finite_differences(
            {.forward = forward, .backward = backward, .step = step, .atol = 5e-3, .rtol = 1e-2},
            at);
      };
      const std::string what = std::string(activation) + (use_bias ? ", bias" : ", no bias");
      EXPECT_TRUE(check([&](const Tensor& input) { return dense(input); },
                        [&](const Tensor& grad) { return dense.backward(grad); }, x))
          << "inputs, " << what;
      for (Variable weight : dense.weights()) {
        EXPECT_TRUE(check(
            [&](const Tensor& value) {
              weight.assign(value);
              return dense(x);
            },
            [&](const Tensor& grad) {
              (void)dense.backward(grad);
              return weight.gradient().clone();
            },
            weight.value().clone()))
            << weight.path() << ", " << what;
      }
    }
  }
}

TEST_F(DenseTest, ConfigHasKerasKeysAndRoundTrips) {
  const Dense dense({.units = 10, .activation = "relu", .kernel_initializer = "he_normal"});
  const auto config = nlohmann::ordered_json::parse(dense.get_config());
  std::vector<std::string> keys;
  for (const auto& [key, value] : config.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"name", "trainable", "dtype", "units", "activation",
                                            "use_bias", "kernel_initializer", "bias_initializer",
                                            "kernel_regularizer", "bias_regularizer",
                                            "kernel_constraint", "bias_constraint"}));
  EXPECT_EQ(config["kernel_initializer"].dump(),
            R"({"module":"keras.initializers","class_name":"HeNormal","config":{"seed":null},)"
            R"("registered_name":null})");
  const auto copy = deserialize(R"({"class_name": "Dense", "config": )" + dense.get_config() + "}");
  EXPECT_EQ(copy->get_config(), dense.get_config());
}

TEST_F(DenseTest, ConfigWritesKerasCanonicalActivationNames) {
  const auto config =
      nlohmann::json::parse(Dense({.units = 1, .activation = "swish"}).get_config());
  EXPECT_EQ(config["activation"], "silu");
  EXPECT_EQ(nlohmann::json::parse(Dense({.units = 1}).get_config())["activation"], "linear");
}

TEST_F(DenseTest, ReadsKeras2Configs) {
  const auto layer = deserialize(R"({"class_name": "Dense", "config": {"name": "dense_1",
      "trainable": true, "dtype": "float32", "units": 3, "activation": "linear", "use_bias": true,
      "kernel_initializer": {"class_name": "VarianceScaling", "config": {"scale": 1.0,
      "mode": "fan_avg", "distribution": "uniform", "seed": null}},
      "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": null,
      "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null,
      "bias_constraint": null}})");
  EXPECT_EQ(layer->name(), "dense_1");
  EXPECT_EQ(layer->compute_output_spec({None, 4}), Shape({None, 3}));
}

TEST_F(DenseTest, RejectsWhatKerasRejects) {
  EXPECT_EQ(error_message<ValueError>([] { Dense({.units = 0}); }),
            "Received an invalid value for `units`, expected a positive integer. Received: "
            "units=0");
  EXPECT_EQ(
      error_message<ValueError>([] {
        (void)Dense({.units = 2}).compute_output_spec({None, None});
      }),
      "Input 0 of layer \"dense_1\" is incompatible with the layer: the last axis must be known "
      "to size the kernel. Full shape received: (None, None)");
  Dense dense({.units = 2, .name = "head"});
  (void)dense(Tensor::zeros({2, 4}));
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)dense(Tensor::zeros({2, 5}));
            }),
            "Input 0 of layer \"head\" is incompatible with the layer: expected axis -1 of input "
            "shape to have value 4, but received input with shape (2, 5)");
  EXPECT_EQ(
      error_message<ValueError>([] { (void)Dense({.units = 2}).compute_output_spec({None}); }),
      "Input 0 of layer \"dense_2\" is incompatible with the layer: expected min_ndim=2, "
      "found ndim=1. Full shape received: (None,)");
  EXPECT_EQ(error_message<NotImplementedError>([] {
              (void)deserialize(R"({"class_name": "Dense", "config": {"units": 2,
                                  "kernel_regularizer": {"class_name": "L2"}}})");
            }),
            "Dense 'dense_3': `kernel_regularizer` is not supported");
}

}  // namespace
}  // namespace keras::layers
