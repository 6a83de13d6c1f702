// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/dense.h"

#include "keras/backend.h"
#include "keras/utils/random.h"
#include "kernels/activation.h"
#include "kernels/inner_product.h"
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

// Every activation Keras names, with a finite-difference step that does not cross a kink
// (relu's and selu's at 0, relu6's at 0 and 6, hard_sigmoid's and hard_silu's at -3 and 3).
const std::vector<std::pair<const char*, double>> every_activation{
    {"linear", 1e-2},    {"relu", 1e-4}, {"leaky_relu", 1e-4},  {"relu6", 1e-4},
    {"sigmoid", 1e-2},   {"tanh", 1e-2}, {"softmax", 1e-2},     {"log_softmax", 1e-2},
    {"elu", 1e-2},       {"selu", 1e-4}, {"softplus", 1e-2},    {"softsign", 1e-2},
    {"silu", 1e-2},      {"gelu", 1e-2}, {"exponential", 1e-2}, {"hard_sigmoid", 1e-4},
    {"hard_silu", 1e-4}, {"mish", 1e-2}};

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

TEST_F(DenseTest, BackwardMatchesFiniteDifferencesForEveryActivationAndMode) {
  for (const auto& [activation, step] : every_activation) {
    for (const bool training : {false, true}) {
      Dense dense({.units = 3, .activation = activation});
      const Tensor x = Tensor::uniform({2, 2, 4}, -1.0f, 1.0f, 2);
      const auto check = [&, step = step](auto forward, auto backward, const Tensor& at) {
        return gradient_matches_finite_differences(
            {.forward = forward, .backward = backward, .step = step, .atol = 5e-3, .rtol = 1e-2},
            at);
      };
      const std::string what = std::string(activation) + (training ? ", training" : ", inference");
      EXPECT_TRUE(check([&](const Tensor& input) { return dense(input, training); },
                        [&](const Tensor& grad) { return dense.backward(grad); }, x))
          << "inputs, " << what;
      for (Variable weight : dense.weights()) {
        EXPECT_TRUE(check(
            [&](const Tensor& value) {
              weight.assign(value);
              return dense(x, training);
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

// The plan fuses what is one oneDNN eltwise as a post-op, fused for inference only where the
// backward reads the pre-activation; the result must be the product, then the activation.
TEST_F(DenseTest, FusedActivationsMatchTheProductThenTheActivation) {
  for (const auto& [activation, step] : every_activation) {
    Dense fused({.units = 6, .activation = activation});
    Dense linear({.units = 6});
    (void)fused.compute_output_spec({None, 3, 5});
    (void)linear.compute_output_spec({None, 3, 5});
    for (std::size_t i = 0; i < 2; ++i) linear.weights()[i].assign(fused.weights()[i].value());
    const kernels::ActivationSpec spec = kernels::activation_from_name(activation);
    const Tensor x = Tensor::uniform({4, 3, 5}, -1.0f, 1.0f, 3);
    const Tensor pre = linear(x, true);
    const Tensor y = kernels::activation_forward(spec, pre);
    const Tensor dy = Tensor::uniform(y.shape(), -1.0f, 1.0f, 4);
    const Tensor dx = linear.backward(kernels::activation_backward(spec, pre, y, dy));
    for (const bool training : {false, true}) {
      const std::string what = std::string(activation) + (training ? ", training" : ", inference");
      EXPECT_TRUE(all_close(fused(x, training), y, 1e-6, 1e-5)) << what;
      EXPECT_TRUE(all_close(fused.backward(dy), dx, 1e-6, 1e-5)) << what;
      for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_TRUE(
            all_close(fused.weights()[i].gradient(), linear.weights()[i].gradient(), 1e-5, 1e-5))
            << fused.weights()[i].path() << ", " << what;
      }
    }
  }
}

TEST_F(DenseTest, PlanReordersTheKernelOnlyWhenItsVersionMoves) {
  const auto relu = kernels::activation_from_name("relu");
  Variable kernel("dense/kernel", Tensor::uniform({64, 10}, -1.0f, 1.0f, 5), true);
  const Tensor bias = Tensor::uniform({10}, -1.0f, 1.0f, 6);
  const Tensor x = Tensor::uniform({8, 64}, -1.0f, 1.0f, 7);
  const auto fresh = [&] { return kernels::InnerProductPlan(8, 64, 10, true, relu); };
  kernels::InnerProductPlan plan = fresh();
  const Tensor first = plan.forward(x, kernel, bias, false);
  if (!plan.reorders_weights()) {
    GTEST_SKIP() << "oneDNN reads the (in, out) kernel as it is on this machine: nothing to keep";
  }
  EXPECT_EQ(plan.weights_reorder_count(), 1);
  EXPECT_TRUE(all_close(plan.forward(x, kernel, bias, false), first, 0.0, 0.0));
  EXPECT_EQ(plan.weights_reorder_count(), 1);
  // A training step reorders for the backward once too, and no more while nothing changes.
  Tensor grad_kernel = Tensor::zeros({64, 10});
  Tensor grad_bias = Tensor::zeros({10});
  for (int step = 0; step < 2; ++step) {
    (void)plan.forward(x, kernel, bias, true);
    (void)plan.backward(Tensor::ones({8, 10}), grad_kernel, grad_bias);
  }
  const std::int64_t after_training = plan.weights_reorder_count();
  EXPECT_LE(after_training, 2);
  // assign() through any copy of the Variable moves the version.
  Variable copy = kernel;
  copy.assign(Tensor::uniform({64, 10}, -1.0f, 1.0f, 8));
  const Tensor second = plan.forward(x, kernel, bias, false);
  EXPECT_EQ(plan.weights_reorder_count(), after_training + 1);
  EXPECT_TRUE(all_close(second, fresh().forward(x, kernel, bias, false), 0.0, 0.0));
  // An in-place write is seen once marked: mark_modified() is the contract.
  kernel.value().copy_from(Tensor::zeros({64, 10}));
  kernel.mark_modified();
  const Tensor zeroed = plan.forward(x, kernel, bias, false);
  for (std::int64_t row = 0; row < 8; ++row) {
    EXPECT_TRUE(all_close(zeroed.narrow(0, row, 1).reshape({10}),
                          kernels::activation_forward(relu, bias), 0.0, 0.0));
  }
  EXPECT_EQ(plan.weights_reorder_count(), after_training + 2);
}

TEST_F(DenseTest, BackwardNeedsACallAndMatchingGradients) {
  Dense dense({.units = 2, .name = "head"});
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)dense.backward(Tensor::zeros({3, 2}));
            }),
            "Layer \"head\": `backward` needs a call first; it returns the gradient of the last "
            "call");
  (void)dense(Tensor::zeros({3, 4, 5}));
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)dense.backward(Tensor::zeros({3, 2}));
            }),
            "Layer \"head\": `backward` received gradients of shape (3, 2), but the last call "
            "returned shape (3, 4, 2)");
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
}

TEST_F(DenseTest, KeepsRegularizersAndConstraintsThroughConfigs) {
  // A Keras 2 model with an L1L2 kernel regularizer loads; the config keeps it for saving.
  const auto layer = deserialize(R"({"class_name": "Dense", "config": {"units": 2,
      "kernel_regularizer": {"class_name": "L1L2", "config": {"l1": 0.0, "l2": 0.01}},
      "activity_regularizer": null, "bias_constraint": {"class_name": "NonNeg", "config": {}}}})");
  const auto config = nlohmann::json::parse(layer->get_config());
  EXPECT_EQ(config["kernel_regularizer"]["config"]["l2"], 0.01);
  EXPECT_EQ(config["bias_constraint"]["class_name"], "NonNeg");
  EXPECT_FALSE(config.contains("activity_regularizer"));
  EXPECT_EQ(deserialize(R"({"class_name": "Dense", "config": )" + layer->get_config() + "}")
                ->get_config(),
            layer->get_config());
}

}  // namespace
}  // namespace keras::layers
