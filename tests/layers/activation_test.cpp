// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/activation.h"

#include "keras/backend.h"
#include "kernels/activation.h"
#include "support/expect_error.h"
#include "support/finite_difference.h"
#include "support/tensor_matchers.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace keras::layers {
namespace {

using testing::all_close;
using testing::error_message;

// Every name of keras-spec.md 3.6 that kerascpp computes, aliases included.
const std::vector<std::string> all_names{
    "relu",        "leaky_relu",   "relu6",     "softmax",    "log_softmax", "elu",  "selu",
    "softplus",    "softsign",     "silu",      "swish",      "gelu",        "tanh", "sigmoid",
    "exponential", "hard_sigmoid", "hard_silu", "hard_swish", "linear",      "mish"};

// At least 0.1 away from every kink (0, +-3, 6), so central differences see smooth functions.
Tensor smooth_points() {
  return Tensor::from_data(std::vector<float>{-3.7f, -2.5f, -1.3f, -0.4f, 0.3f, 0.8f, 1.7f, 2.9f,
                                              4.1f, 5.2f, 6.6f, -0.9f},
                           {3, 4});
}

float value_of(const std::string& activation, float x) {
  Activation layer({.activation = activation});
  return layer(Tensor::from_data(std::vector<float>{x}, {1, 1})).to_vector()[0];
}

class ActivationTest : public ::testing::Test {
 protected:
  void SetUp() override { backend::clear_session(); }
};

TEST_F(ActivationTest, ReluMatchesTheKerasDocExample) {
  Activation layer({.activation = "relu"});
  EXPECT_EQ(layer(Tensor::from_data(std::vector<float>{-3, -1, 0, 2}, {1, 4})).to_vector(),
            (std::vector<float>{0, 0, 0, 2}));
}

TEST_F(ActivationTest, FunctionsFollowKeras3Formulas) {
  EXPECT_NEAR(value_of("gelu", 1.0f), 0.8413447460685429, 1e-6);  // exact erf form
  EXPECT_NEAR(value_of("selu", -1.0f),
              1.0507009873554805 * 1.6732632423543772 * (std::exp(-1.0) - 1), 1e-6);
  EXPECT_NEAR(value_of("selu", 2.0f), 2.0 * 1.0507009873554805, 1e-6);
  EXPECT_NEAR(value_of("softsign", -3.0f), -0.75, 1e-7);
  EXPECT_NEAR(value_of("leaky_relu", -2.0f), -0.4, 1e-7);  // the function's slope 0.2
  EXPECT_NEAR(value_of("relu6", 7.0f), 6.0, 0);
  EXPECT_NEAR(value_of("elu", -1.0f), std::exp(-1.0) - 1, 1e-7);
  EXPECT_NEAR(value_of("softplus", 1.0f), std::log1p(std::exp(1.0)), 1e-6);
  EXPECT_NEAR(value_of("swish", 1.0f), 1.0 / (1 + std::exp(-1.0)), 1e-6);
  EXPECT_NEAR(value_of("mish", 1.0f), std::tanh(std::log1p(std::exp(1.0))), 1e-6);
  EXPECT_NEAR(value_of("exponential", 1.0f), std::exp(1.0), 1e-6);
  EXPECT_NEAR(value_of("hard_silu", 1.5f), 1.5 * 0.75, 1e-6);
}

TEST_F(ActivationTest, HardSigmoidIsTheKeras3Form) {  // relu6(x + 3) / 6, not clip(0.2x + 0.5)
  Activation layer({.activation = "hard_sigmoid"});
  const Tensor y = layer(Tensor::from_data(std::vector<float>{-4, -1.5, 0, 1.5, 4}, {1, 5}));
  EXPECT_TRUE(
      all_close(y, Tensor::from_data(std::vector<float>{0, 0.25, 0.5, 0.75, 1}, {1, 5}), 1e-7, 0));
}

TEST_F(ActivationTest, SoftmaxAndLogSoftmaxNormaliseTheLastAxis) {
  const Tensor x = Tensor::from_data(std::vector<float>{1, 2, 1, 1000, 1001, 1000}, {2, 3});
  const Tensor expected =
      Tensor::from_data(std::vector<float>{0.21194157f, 0.5761169f, 0.21194157f, 0.21194157f,
                                           0.5761169f, 0.21194157f},
                        {2, 3});
  EXPECT_TRUE(all_close(Activation({.activation = "softmax"})(x), expected, 1e-6, 1e-6));
  const auto log_values = Activation({.activation = "log_softmax"})(x).to_vector();
  const auto values = expected.to_vector();
  for (std::size_t i = 0; i < values.size(); ++i) {
    EXPECT_NEAR(log_values[i], std::log(values[i]), 1e-5) << i;
  }
}

TEST_F(ActivationTest, LinearAndEmptyNameReturnTheInputItself) {
  const Tensor x = smooth_points();
  for (const char* name : {"linear", ""}) {
    Activation layer({.activation = name});
    const Tensor y = layer(x);
    EXPECT_TRUE(y.shares_storage_with(x)) << name;
    EXPECT_TRUE(all_close(layer.backward(x), x)) << name;
  }
}

TEST_F(ActivationTest, BackwardMatchesFiniteDifferencesForEveryActivation) {
  const Tensor x = smooth_points();
  for (const std::string& name : all_names) {
    Activation layer({.activation = name});
    EXPECT_TRUE(testing::gradient_matches_finite_differences(
        {.forward = [&](const Tensor& input) { return layer(input); },
         .backward = [&](const Tensor& grad) { return layer.backward(grad); }},
        x))
        << name;
  }
}

TEST_F(ActivationTest, TakesStridedViewsAndNewShapes) {
  Activation layer({.activation = "gelu"});
  const Tensor x = Tensor::uniform({2, 3, 4}, -2.0f, 2.0f, 5);
  const Tensor view = x.permute({2, 0, 1});  // not contiguous
  const Tensor y = layer(view);
  EXPECT_EQ(y.shape(), (std::vector<std::int64_t>{4, 2, 3}));
  EXPECT_TRUE(all_close(y, layer(view.contiguous())));
  EXPECT_EQ(layer(x).shape(), x.shape());  // the plan is remade for the new shape
}

TEST_F(ActivationTest, ZeroSizedBatchGivesAnEmptyOutput) {
  Activation layer({.activation = "softmax"});
  const Tensor y = layer(Tensor::zeros({0, 5}));
  EXPECT_EQ(y.shape(), (std::vector<std::int64_t>{0, 5}));
  EXPECT_EQ(layer.backward(Tensor::zeros({0, 5})).shape(), (std::vector<std::int64_t>{0, 5}));
}

TEST_F(ActivationTest, OutputShapeIsTheInputShape) {
  Activation layer({.activation = "tanh"});
  EXPECT_EQ(layer.compute_output_shape({None, 28, None, 3}), Shape({None, 28, None, 3}));
  EXPECT_EQ(layer.compute_output_spec({None, 10}), Shape({None, 10}));
}

TEST_F(ActivationTest, HasNoWeights) {
  Activation layer({.activation = "relu"});
  layer.build({None, 4});
  EXPECT_EQ(layer.count_params(), 0);
}

TEST_F(ActivationTest, AliasesSerialiseAsKerasCanonicalNames) {
  EXPECT_EQ(Activation({.activation = "swish"}).activation(), "silu");
  EXPECT_EQ(Activation({.activation = "hard_swish"}).activation(), "hard_silu");
  EXPECT_EQ(Activation({.activation = ""}).activation(), "linear");
  for (const std::string& name : all_names) {
    const std::string_view canonical = Activation({.activation = name}).activation();
    EXPECT_EQ(Activation({.activation = std::string(canonical)}).activation(), canonical);
  }
}

TEST_F(ActivationTest, ConfigHasKerasKeys) {
  EXPECT_EQ(Activation({.activation = "swish"}).get_config(),
            R"({"name":"activation","trainable":true,"dtype":{"module":"keras","class_name":)"
            R"("DTypePolicy","config":{"name":"float32"},"registered_name":null},)"
            R"("activation":"silu"})");
}

TEST_F(ActivationTest, FromConfigRoundTrips) {
  for (const std::string& name : all_names) {
    const Activation original({.activation = name, .name = "act", .trainable = false});
    const auto copy =
        deserialize(R"({"class_name": "Activation", "config": )" + original.get_config() + "}");
    EXPECT_EQ(copy->get_config(), original.get_config()) << name;
  }
}

TEST_F(ActivationTest, FromConfigReadsSerialisedFunctionsAndNull) {
  const auto layer = deserialize(
      R"({"class_name": "Activation", "config": {"name": "a", "activation": {"module":
          "keras.activations", "class_name": "function", "config": "relu6",
          "registered_name": "relu6"}}})");
  EXPECT_EQ(static_cast<const Activation&>(*layer).activation(), "relu6");
  const auto linear =
      deserialize(R"({"class_name": "Activation", "config": {"activation": null}})");
  EXPECT_EQ(static_cast<const Activation&>(*linear).activation(), "linear");
}

TEST_F(ActivationTest, RejectsUnknownNamesInKerasWords) {
  EXPECT_EQ(error_message<ValueError>([] { Activation({.activation = "relu7"}); }),
            "Could not interpret activation function identifier: relu7");
  EXPECT_EQ(error_message<ValueError>([] {
              (void)deserialize(R"({"class_name": "Activation", "config": {"activation": 3}})");
            }),
            "Could not interpret activation function identifier: 3");
}

TEST_F(ActivationTest, NewerKerasActivationsAreNotImplemented) {
  EXPECT_EQ(error_message<NotImplementedError>([] { Activation({.activation = "celu"}); }),
            "The Keras activation 'celu' is not implemented in kerascpp");
}

TEST_F(ActivationTest, BackwardNeedsACall) {
  Activation layer({.activation = "relu", .name = "act"});
  EXPECT_EQ(
      error_message<ValueError>([&] {
        (void)layer.backward(Tensor::zeros({2, 3}));
      }),
      "Layer \"act\": `backward` needs a call first; it returns the gradient of the last call");
  (void)layer(Tensor::zeros({2, 3}));
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)layer.backward(Tensor::zeros({3, 2}));
            }),
            "Layer \"act\": `backward` received gradients of shape (3, 2), but the last call "
            "returned shape (2, 3)");
}

// The kernel's contract for fused callers: backward reads only what it says it reads.
TEST_F(ActivationTest, KernelBackwardReadsOnlyTheDeclaredTensor) {
  const Tensor x = smooth_points();
  const Tensor dy = Tensor::uniform(x.shape(), -1.0f, 1.0f, 3);
  for (const std::string& name : all_names) {
    const auto spec = kernels::activation_from_name(name);
    const Tensor y = kernels::activation_forward(spec, x);
    const Tensor expected = kernels::activation_backward(spec, x, y, dy);
    const bool uses_output = kernels::activation_backward_uses_output(spec);
    const Tensor dx = uses_output ? kernels::activation_backward(spec, Tensor(), y, dy)
                                  : kernels::activation_backward(spec, x, Tensor(), dy);
    EXPECT_TRUE(all_close(dx, expected)) << name;
  }
}

TEST_F(ActivationTest, KernelSoftmaxesMatchFiniteDifferencesOnEveryAxis) {
  const Tensor x = Tensor::uniform({2, 3, 4}, -2.0f, 2.0f, 11);
  for (const auto kind : {kernels::ActivationKind::softmax, kernels::ActivationKind::log_softmax}) {
    for (const int axis : {0, 1, 2, -1, -2}) {
      const kernels::ActivationSpec spec{.kind = kind, .axis = axis};
      Tensor y;
      EXPECT_TRUE(testing::gradient_matches_finite_differences(
          {.forward =
               [&](const Tensor& input) { return y = kernels::activation_forward(spec, input); },
           .backward =
               [&](const Tensor& grad) {
                 return kernels::activation_backward(spec, Tensor(), y, grad);
               }},
          x))
          << kernels::activation_name(spec) << " axis " << axis;
    }
  }
}

TEST_F(ActivationTest, KernelPlanRejectsOtherShapes) {
  kernels::ActivationPlan plan(kernels::activation_from_name("relu"), {2, 3});
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)plan.forward(Tensor::zeros({3, 2}));
            }),
            "The plan for activation 'relu' on shape (2, 3) got an input of shape (3, 2)");
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)plan.backward(Tensor(), Tensor::zeros({2, 3}), Tensor::zeros({6}));
            }),
            "The plan for activation 'relu' on shape (2, 3) got a gradient of shape (6,)");
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)plan.backward(Tensor::zeros({2, 3}), Tensor(), Tensor::zeros({2, 3}));
            }),
            "The backward of activation 'relu' on shape (2, 3) needs the forward output");
}

TEST_F(ActivationTest, KernelRejectsAnAxisOutOfRange) {
  EXPECT_EQ(error_message<ValueError>([] {
              (void)kernels::activation_forward(
                  {.kind = kernels::ActivationKind::log_softmax, .axis = 2}, Tensor::zeros({2, 3}));
            }),
            "Softmax axis 2 is out of range for a tensor of rank 2");
}

}  // namespace
}  // namespace keras::layers
