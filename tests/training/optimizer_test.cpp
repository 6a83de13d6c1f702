// SPDX-License-Identifier: Apache-2.0
// The base optimizer: building, checking and counting updates, clipping, weight decay, the
// state variables, and Keras's identifiers and serialised form.
#include "keras/optimizers.h"
#include "support/expect_error.h"
#include "support/tensor_matchers.h"
#include "training/optimizer_steps.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

namespace keras::optimizers {
namespace {

using testing::all_close;
using testing::error_message;
using testing::variable_with_gradient;
using testing::vector_of;

std::vector<std::string> variable_paths(const Optimizer& optimizer) {
  std::vector<std::string> paths;
  for (const Variable& variable : optimizer.variables()) paths.push_back(variable.path());
  return paths;
}

TEST(OptimizerTest, BuildCreatesZeroSlotsNamedAfterEachVariable) {
  SGD sgd({.momentum = 0.9});
  EXPECT_FALSE(sgd.built());
  EXPECT_EQ(variable_paths(sgd), (std::vector<std::string>{"SGD/iteration", "SGD/learning_rate"}));
  const Variable kernel("dense/kernel", Tensor::ones({3, 2}), true);
  const Variable bias("dense/bias", Tensor::ones({2}), true);
  sgd.build({kernel, bias});
  EXPECT_TRUE(sgd.built());
  const auto variables = sgd.variables();
  ASSERT_EQ(variables.size(), 4U);
  EXPECT_EQ(variables[0].name(), "iteration");
  EXPECT_EQ(variables[0].value().dtype(), DType::int64);
  EXPECT_TRUE(variables[0].value().shape().empty());
  EXPECT_EQ(variables[1].name(), "learning_rate");
  EXPECT_EQ(variables[1].value().dtype(), DType::float32);
  EXPECT_FLOAT_EQ(variables[1].value().at<float>({}), 0.01f);
  EXPECT_EQ(variables[2].path(), "SGD/dense_kernel_momentum");
  EXPECT_TRUE(all_close(variables[2].value(), Tensor::zeros({3, 2})));
  EXPECT_EQ(variables[3].path(), "SGD/dense_bias_momentum");
  EXPECT_TRUE(all_close(variables[3].value(), Tensor::zeros({2})));
  for (const Variable& variable : variables) EXPECT_FALSE(variable.trainable());
}

TEST(OptimizerTest, VariablesFollowKerasSlotOrder) {
  const Variable kernel("conv2d/kernel", Tensor::ones({2, 2}), true);
  const Variable bias("conv2d/bias", Tensor::ones({2}), true);
  // Adam interleaves per variable; RMSprop groups per slot; SGD without momentum keeps none.
  Adam adam;
  adam.build({kernel, bias});
  EXPECT_EQ(variable_paths(adam),
            (std::vector<std::string>{"adam/iteration", "adam/learning_rate",
                                      "adam/conv2d_kernel_momentum", "adam/conv2d_kernel_velocity",
                                      "adam/conv2d_bias_momentum", "adam/conv2d_bias_velocity"}));
  RMSprop rmsprop({.momentum = 0.5, .centered = true});
  rmsprop.build({kernel, bias});
  EXPECT_EQ(variable_paths(rmsprop),
            (std::vector<std::string>{
                "rmsprop/iteration", "rmsprop/learning_rate", "rmsprop/conv2d_kernel_velocity",
                "rmsprop/conv2d_bias_velocity", "rmsprop/conv2d_kernel_momentum",
                "rmsprop/conv2d_bias_momentum", "rmsprop/conv2d_kernel_average_gradient",
                "rmsprop/conv2d_bias_average_gradient"}));
  SGD sgd;
  sgd.build({kernel, bias});
  EXPECT_EQ(variable_paths(sgd), (std::vector<std::string>{"SGD/iteration", "SGD/learning_rate"}));
}

TEST(OptimizerTest, SlotVariablesAreTheOptimizersState) {
  SGD sgd({.learning_rate = 1.0, .momentum = 0.5});
  auto weight = variable_with_gradient("w", {0.0f}, {1.0f});
  sgd.apply({weight});
  EXPECT_TRUE(all_close(sgd.variables()[2].value(), vector_of({-1.0f})));
  // Assigning a state variable, as loading a saved optimizer does, sets the state.
  sgd.variables()[2].assign(vector_of({-4.0f}));
  sgd.variables()[0].assign(Tensor::full({}, 7.0, DType::int64));
  EXPECT_EQ(sgd.iterations(), 7);
  sgd.apply({weight});  // m = 0.5 * -4 - 1 = -3
  EXPECT_TRUE(all_close(weight.value(), vector_of({-4.0f})));
  EXPECT_EQ(sgd.iterations(), 8);
}

TEST(OptimizerTest, ApplyBuildsOnFirstUseCountsStepsAndMarksVariablesModified) {
  SGD sgd({.learning_rate = 0.5});
  auto weight = variable_with_gradient("dense/kernel", {1.0f, 2.0f}, {1.0f, -1.0f});
  const auto version = weight.version();
  sgd.apply({weight});
  EXPECT_TRUE(sgd.built());
  EXPECT_EQ(sgd.iterations(), 1);
  EXPECT_EQ(sgd.variables()[0].value().at<std::int64_t>({}), 1);
  EXPECT_EQ(weight.version(), version + 1);
  EXPECT_TRUE(all_close(weight.value(), vector_of({0.5f, 2.5f})));
  sgd.apply({weight});
  EXPECT_EQ(sgd.iterations(), 2);
  EXPECT_EQ(weight.version(), version + 2);
}

TEST(OptimizerTest, ApplyOnNoVariablesDoesNothing) {
  Adam adam;
  adam.apply({});
  EXPECT_FALSE(adam.built());
  EXPECT_EQ(adam.iterations(), 0);
}

TEST(OptimizerTest, ApplyRejectsVariablesItWasNotBuiltFor) {
  Adam adam;
  const auto kernel = variable_with_gradient("dense/kernel", {1.0f}, {1.0f});
  const auto bias = variable_with_gradient("dense/bias", {1.0f}, {1.0f});
  adam.apply({kernel, bias});
  const auto other = variable_with_gradient("dense_1/bias", {1.0f}, {1.0f});
  const std::string advice =
      "This optimizer can only be called for the variables it was originally built with. When "
      "working with a new set of variables, you should recreate a new optimizer instance.";
  EXPECT_EQ(error_message<ValueError>([&] {
              adam.apply({kernel, other});
            }),
            "Unknown variable: 'dense_1/bias' in optimizer 'adam', which was built for 2 other "
            "variables. " +
                advice);
  // Known by identity, as Keras knows its variables: a namesake is unknown.
  const auto namesake = variable_with_gradient("dense/bias", {1.0f}, {1.0f});
  EXPECT_EQ(error_message<ValueError>([&] { adam.apply({namesake}); }),
            "Unknown variable: 'dense/bias' in optimizer 'adam', which was built for another "
            "variable of that path. " +
                advice);
  Variable reshaped = bias;
  reshaped.value() = Tensor::ones({2});
  reshaped.gradient() = Tensor::ones({2});
  EXPECT_EQ(error_message<ValueError>([&] { adam.apply({reshaped}); }),
            "Optimizer 'adam' was built for variable 'dense/bias' of shape (1,), which now has "
            "shape (2,). " +
                advice);
  EXPECT_EQ(error_message<ValueError>([&] {
              adam.apply({kernel, bias, kernel});
            }),
            "Optimizer 'adam' received variable 'dense/kernel' twice in one apply(): it would "
            "update it twice");
  Adam twice;
  EXPECT_EQ(error_message<ValueError>([&] {
              twice.build({kernel, bias, namesake});
            }),
            "Optimizer 'adam' cannot be built for two variables with the path 'dense/bias': "
            "Keras's variable paths, which name its saved state, are unique in a model");
  EXPECT_FALSE(twice.built());
  EXPECT_EQ(adam.iterations(), 1);
  EXPECT_TRUE(all_close(kernel.value(), vector_of({0.999f}), 1e-5, 0.0));  // one step only
}

// As Keras: a layer frozen after the optimizer was built drops out of the list, and the others
// keep their own slots, in whatever order they come.
TEST(OptimizerTest, ApplyTakesAnyOfTheVariablesItWasBuiltFor) {
  Adam together;
  Adam apart;
  const auto kernel = variable_with_gradient("dense/kernel", {1.0f}, {1.0f});
  const auto bias = variable_with_gradient("dense/bias", {1.0f}, {0.5f});
  const auto kernel_apart = variable_with_gradient("dense/kernel", {1.0f}, {1.0f});
  const auto bias_apart = variable_with_gradient("dense/bias", {1.0f}, {0.5f});
  together.apply({kernel, bias});
  apart.apply({kernel_apart, bias_apart});
  together.apply({kernel, bias});
  apart.apply({bias_apart});
  apart.apply({kernel_apart});  // the kernel's second update, at step 3
  EXPECT_EQ(apart.iterations(), 3);
  EXPECT_TRUE(all_close(bias_apart.value(), bias.value(), 0.0, 0.0));
  const std::vector<Variable> slots = apart.variables();
  EXPECT_EQ(slots[2].path(), "adam/dense_kernel_momentum");
  EXPECT_TRUE(all_close(slots[2].value(), vector_of({1.0f - 0.9f * 0.9f}), 1e-6, 0.0));
}

TEST(OptimizerTest, ApplyRejectsGradientsOfAnotherShapeOrDtype) {
  SGD sgd;
  Variable kernel("dense/kernel", Tensor::ones({3, 4}), true);
  kernel.gradient() = Tensor::zeros({4, 3});
  EXPECT_EQ(error_message<ValueError>([&] { sgd.apply({kernel}); }),
            "Optimizer 'SGD': the gradient of variable 'dense/kernel' is float32 of shape (4, 3), "
            "but the variable is float32 of shape (3, 4)");
  kernel.gradient() = Tensor::zeros({3, 4}, DType::int32);
  EXPECT_EQ(error_message<ValueError>([&] { sgd.apply({kernel}); }),
            "Optimizer 'SGD': the gradient of variable 'dense/kernel' is int32 of shape (3, 4), "
            "but the variable is float32 of shape (3, 4)");
}

TEST(OptimizerTest, BuildRejectsVariablesThatAreNotFloat32) {
  SGD sgd;
  const Variable step("counter/step", Tensor::zeros({1}, DType::int32), true);
  EXPECT_EQ(error_message<TypeError>([&] { sgd.build({step}); }),
            "Optimizer 'SGD' updates float32 variables; variable 'counter/step' has dtype int32");
  EXPECT_FALSE(sgd.built());
}

TEST(OptimizerTest, ApplyRejectsStridedViews) {
  SGD sgd;
  const Variable view("dense/kernel", Tensor::ones({2, 3}).transpose(0, 1), true);
  EXPECT_EQ(error_message<ValueError>([&] { sgd.apply({view}); }),
            "Optimizer 'SGD' updates variables in place, and variable 'dense/kernel' is a "
            "strided view");
}

TEST(OptimizerTest, ClipnormClipsEachGradientByItsOwnNorm) {
  SGD sgd({.learning_rate = 1.0, .clipnorm = 1.0});
  auto large = variable_with_gradient("a", {0.0f, 0.0f}, {3.0f, 4.0f});  // norm 5
  auto small = variable_with_gradient("b", {0.0f, 0.0f}, {0.3f, 0.4f});  // norm 0.5
  auto zero = variable_with_gradient("c", {1.0f}, {0.0f});               // norm 0
  sgd.apply({large, small, zero});
  EXPECT_TRUE(all_close(large.value(), vector_of({-0.6f, -0.8f}), 1e-7, 1e-6));
  EXPECT_TRUE(all_close(small.value(), vector_of({-0.3f, -0.4f}), 1e-7, 1e-6));
  EXPECT_TRUE(all_close(zero.value(), vector_of({1.0f})));
  // The caller's gradients are left as they were.
  EXPECT_TRUE(all_close(large.gradient(), vector_of({3.0f, 4.0f})));
}

TEST(OptimizerTest, GlobalClipnormScalesAllGradientsByTheirJointNorm) {
  SGD sgd({.learning_rate = 1.0, .global_clipnorm = 2.6});
  auto a = variable_with_gradient("a", {0.0f, 0.0f}, {3.0f, 4.0f});
  auto b = variable_with_gradient("b", {0.0f}, {12.0f});  // joint norm 13: scale 0.2
  sgd.apply({a, b});
  EXPECT_TRUE(all_close(a.value(), vector_of({-0.6f, -0.8f}), 1e-6, 1e-6));
  EXPECT_TRUE(all_close(b.value(), vector_of({-2.4f}), 1e-6, 1e-6));
  // Below the bound nothing changes.
  SGD loose({.learning_rate = 1.0, .global_clipnorm = 100.0});
  auto c = variable_with_gradient("c", {0.0f}, {3.0f});
  loose.apply({c});
  EXPECT_TRUE(all_close(c.value(), vector_of({-3.0f}), 1e-6, 1e-6));
}

TEST(OptimizerTest, GlobalClipnormOfAnInfiniteGradientGivesNaN) {
  SGD sgd({.learning_rate = 1.0, .global_clipnorm = 1.0});
  auto a = variable_with_gradient("a", {0.0f}, {std::numeric_limits<float>::infinity()});
  auto b = variable_with_gradient("b", {0.0f}, {1.0f});
  sgd.apply({a, b});
  EXPECT_TRUE(std::isnan(b.value().at<float>({0})));
}

TEST(OptimizerTest, ClipvalueClampsEachElement) {
  SGD sgd({.learning_rate = 1.0, .clipvalue = 1.0});
  auto weight = variable_with_gradient("w", {0.0f, 0.0f, 0.0f}, {-3.0f, 0.5f, 3.0f});
  sgd.apply({weight});
  EXPECT_TRUE(all_close(weight.value(), vector_of({1.0f, -0.5f, -1.0f})));
}

TEST(OptimizerTest, OnlyOneClippingArgumentMayBeSet) {
  EXPECT_EQ(error_message<ValueError>([] { SGD({.clipnorm = 1.0, .global_clipnorm = 2.0}); }),
            "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: "
            "clipnorm=1.0, clipvalue=None, global_clipnorm=2.0");
}

TEST(OptimizerTest, WeightDecayShrinksEveryVariableBeforeTheUpdate) {
  // Keras: w -= w * weight_decay * lr, then the optimizer's own step; biases included.
  SGD sgd({.learning_rate = 0.1, .weight_decay = 0.5});
  auto kernel = variable_with_gradient("dense/kernel", {2.0f, -4.0f}, {1.0f, 0.0f});
  auto bias = variable_with_gradient("dense/bias", {1.0f}, {0.0f});
  sgd.apply({kernel, bias});
  EXPECT_TRUE(all_close(kernel.value(), vector_of({1.8f, -3.8f}), 1e-6, 1e-6));
  EXPECT_TRUE(all_close(bias.value(), vector_of({0.95f}), 1e-6, 1e-6));
}

TEST(OptimizerTest, SetLearningRateChangesTheNextUpdates) {
  SGD sgd;
  auto weight = variable_with_gradient("w", {1.0f}, {1.0f});
  sgd.set_learning_rate(0.25);
  EXPECT_EQ(sgd.learning_rate(), 0.25);
  EXPECT_FLOAT_EQ(sgd.variables()[1].value().at<float>({}), 0.25f);
  sgd.apply({weight});
  EXPECT_TRUE(all_close(weight.value(), vector_of({0.75f})));
  sgd.set_learning_rate(0.0);
  sgd.apply({weight});
  EXPECT_TRUE(all_close(weight.value(), vector_of({0.75f})));
}

TEST(OptimizerTest, SetLearningRateRejectsNegativeAndNonFiniteRates) {
  Adam adam;
  EXPECT_EQ(error_message<ValueError>([&] { adam.set_learning_rate(-1.0); }),
            "Optimizer 'adam': `learning_rate` must be a finite float >= 0. Received: "
            "learning_rate=-1.0");
  EXPECT_EQ(error_message<ValueError>(
                [&] { adam.set_learning_rate(std::numeric_limits<double>::quiet_NaN()); }),
            "Optimizer 'adam': `learning_rate` must be a finite float >= 0. Received: "
            "learning_rate=nan");
  EXPECT_EQ(error_message<ValueError>(
                [&] { adam.set_learning_rate(std::numeric_limits<double>::infinity()); }),
            "Optimizer 'adam': `learning_rate` must be a finite float >= 0. Received: "
            "learning_rate=inf");
  EXPECT_EQ(adam.learning_rate(), 0.001);
  EXPECT_EQ(error_message<ValueError>([] { RMSprop({.learning_rate = -0.5, .name = "rms"}); }),
            "Optimizer 'rms': `learning_rate` must be a finite float >= 0. Received: "
            "learning_rate=-0.5");
}

TEST(OptimizerTest, GetResolvesKerasIdentifiersInAnyCase) {
  EXPECT_EQ(get("adam")->class_name(), "Adam");
  EXPECT_EQ(get("Adam")->name(), "adam");
  EXPECT_EQ(get("ADAMW")->class_name(), "AdamW");
  EXPECT_EQ(get("sgd")->name(), "SGD");
  EXPECT_EQ(get("RMSprop")->class_name(), "RMSprop");
  EXPECT_EQ(get("rmsprop")->learning_rate(), 0.001);
  // compile()'s argument resolves the same way, or keeps the object it was given.
  EXPECT_EQ(OptimizerArg("sgd").resolve()->class_name(), "SGD");
  EXPECT_EQ(OptimizerArg(Adam({.learning_rate = 0.5})).resolve()->learning_rate(), 0.5);
}

TEST(OptimizerTest, GetRejectsUnknownIdentifiersAndNamesTheKnownOnes) {
  EXPECT_EQ(error_message<ValueError>([] { (void)get("adamm"); }),
            "Could not interpret optimizer identifier: adamm. Known optimizers: 'adam', 'adamw', "
            "'rmsprop', 'sgd' (Keras class names, in any case)");
  EXPECT_EQ(error_message<NotImplementedError>([] { (void)get("Nadam"); }),
            "The Keras optimizer 'Nadam' is not implemented in kerascpp; it implements SGD, Adam, "
            "AdamW and RMSprop");
}

TEST(OptimizerTest, ToJsonWritesEveryKeras3ConfigKeyInKerasOrder) {
  const std::vector<std::string> base_keys{"name",
                                           "learning_rate",
                                           "weight_decay",
                                           "clipnorm",
                                           "global_clipnorm",
                                           "clipvalue",
                                           "use_ema",
                                           "ema_momentum",
                                           "ema_overwrite_frequency",
                                           "loss_scale_factor",
                                           "gradient_accumulation_steps"};
  const auto keys_of = [](const Optimizer& optimizer) {
    const auto serialized = nlohmann::ordered_json::parse(optimizer.to_json());
    EXPECT_EQ(serialized["module"], "keras.optimizers");
    EXPECT_EQ(serialized["class_name"], optimizer.class_name());
    EXPECT_TRUE(serialized["registered_name"].is_null());
    std::vector<std::string> keys;
    for (const auto& [key, value] : serialized["config"].items()) keys.push_back(key);
    return keys;
  };
  const auto with = [&](std::vector<std::string> own) {
    auto keys = base_keys;
    keys.insert(keys.end(), own.begin(), own.end());
    return keys;
  };
  EXPECT_EQ(keys_of(SGD()), with({"momentum", "nesterov"}));
  EXPECT_EQ(keys_of(Adam()), with({"beta_1", "beta_2", "epsilon", "amsgrad"}));
  EXPECT_EQ(keys_of(AdamW()), with({"beta_1", "beta_2", "epsilon", "amsgrad"}));
  EXPECT_EQ(keys_of(RMSprop()), with({"rho", "momentum", "epsilon", "centered"}));

  const auto config = nlohmann::json::parse(Adam({.clipvalue = 0.5}).get_config());
  EXPECT_EQ(config["name"], "adam");
  EXPECT_EQ(config["learning_rate"], 0.001);
  EXPECT_TRUE(config["weight_decay"].is_null());
  EXPECT_EQ(config["clipvalue"], 0.5);
  EXPECT_EQ(config["use_ema"], false);
  EXPECT_EQ(config["ema_momentum"], 0.99);
  EXPECT_EQ(config["epsilon"], 1e-7);
}

TEST(OptimizerTest, DeserializeReadsWhatToJsonWrites) {
  RMSprop original({.learning_rate = 0.01,
                    .rho = 0.8,
                    .momentum = 0.5,
                    .centered = true,
                    .weight_decay = 0.1,
                    .global_clipnorm = 3.0,
                    .name = "my_rmsprop"});
  original.set_learning_rate(0.02);
  const auto copy = deserialize(original.to_json());
  EXPECT_EQ(copy->class_name(), "RMSprop");
  EXPECT_EQ(copy->name(), "my_rmsprop");
  EXPECT_EQ(copy->learning_rate(), 0.02);
  EXPECT_EQ(copy->to_json(), original.to_json());
  for (const auto* json :
       {R"({"class_name": "sgd", "config": {"momentum": 0}})", R"({"class_name": "SGD"})"}) {
    EXPECT_EQ(deserialize(json)->class_name(), "SGD") << json;
  }
}

TEST(OptimizerTest, DeserializeAcceptsTheKerasKeysKerascppDoesNotUse) {
  const auto adam = deserialize(R"({"module": "keras.optimizers", "class_name": "Adam",
      "config": {"name": "adam", "learning_rate": 0.0010000000474974513, "weight_decay": null,
                 "clipnorm": null, "global_clipnorm": null, "clipvalue": null, "use_ema": false,
                 "ema_momentum": 0.99, "ema_overwrite_frequency": null, "loss_scale_factor": null,
                 "gradient_accumulation_steps": null, "beta_1": 0.9, "beta_2": 0.999,
                 "epsilon": 1e-07, "amsgrad": false, "decay": 0.5},
      "registered_name": null})");
  EXPECT_FLOAT_EQ(static_cast<float>(adam->learning_rate()), 0.001f);
}

TEST(OptimizerTest, DeserializeNamesUnknownKeys) {
  EXPECT_EQ(
      error_message<ValueError>([] {
        (void)deserialize(
            R"({"class_name": "SGD", "config": {"momentun": 0.9, "lr": 0.1, "nesterov": true}})");
      }),
      "Argument(s) not recognized by optimizer SGD: {'momentun': 0.9, 'lr': 0.1}");
}

TEST(OptimizerTest, DeserializeNamesUnsupportedFeatures) {
  EXPECT_EQ(
      error_message<NotImplementedError>([] {
        (void)deserialize(R"({"class_name": "Adam", "config": {"use_ema": true, "amsgrad": true,
            "loss_scale_factor": 128.0, "gradient_accumulation_steps": 4}})");
      }),
      "Optimizer 'adam' (Adam) uses Keras features kerascpp does not implement: use_ema=True, "
      "loss_scale_factor=128.0, gradient_accumulation_steps=4, amsgrad=True");
  EXPECT_EQ(error_message<NotImplementedError>([] {
              (void)deserialize(R"({"class_name": "SGD", "config": {"learning_rate":
                  {"module": "keras.optimizers.schedules", "class_name": "ExponentialDecay",
                   "config": {}}}})");
            }),
            "Optimizer 'SGD' (SGD) uses Keras features kerascpp does not implement: "
            "learning_rate=ExponentialDecay");
}

TEST(OptimizerTest, DeserializeRejectsValuesOfTheWrongType) {
  EXPECT_EQ(error_message<ValueError>([] {
              (void)deserialize(R"({"class_name": "RMSprop", "config": {"centered": "yes"}})");
            }),
            "The config of optimizer RMSprop has an invalid value for 'centered': \"yes\"");
  EXPECT_EQ(error_message<ValueError>([] {
              (void)deserialize(R"({"class_name": "SGD", "config": {"learning_rate": "fast"}})");
            }),
            "Argument `learning_rate` should be float, or an instance of LearningRateSchedule, "
            "or a callable (that takes in the current iteration value and returns the "
            "corresponding learning rate value). Received instead: learning_rate=fast");
}

TEST(OptimizerTest, DeserializeRejectsMalformedDocuments) {
  EXPECT_EQ(error_message<ValueError>([] { (void)deserialize(R"(["adam"])"); }),
            "Could not interpret optimizer identifier: [\"adam\"]");
  EXPECT_EQ(error_message<ValueError>([] { (void)deserialize(R"({"config": {}})"); }),
            "Could not interpret optimizer identifier: {\"config\":{}}");
  EXPECT_EQ(error_message<ValueError>(
                [] { (void)deserialize(R"({"class_name": "Adam", "config": [1]})"); }),
            "The config of optimizer Adam must be an object. Received: [1]");
  EXPECT_EQ(error_message<ValueError>([] { (void)deserialize("{\"class_name\": "); }),
            "Invalid JSON in optimizer config: parse error at line 1, column 16: syntax error "
            "while parsing value - unexpected end of input; expected '[', '{', or a literal");
}

}  // namespace
}  // namespace keras::optimizers
