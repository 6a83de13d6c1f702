// SPDX-License-Identifier: Apache-2.0
#include "keras/losses/loss.h"

#include "keras/losses.h"
#include "support/expect_error.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace keras::losses {
namespace {

using testing::error_message;

TEST(LossTest, GetResolvesKerasIdentifiers) {
  const std::vector<std::pair<std::string, std::string>> identifiers{
      {"categorical_crossentropy", "CategoricalCrossentropy"},
      {"CategoricalCrossentropy", "CategoricalCrossentropy"},
      {"sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"},
      {"SparseCategoricalCrossentropy", "SparseCategoricalCrossentropy"},
      {"binary_crossentropy", "BinaryCrossentropy"},
      {"bce", "BinaryCrossentropy"},
      {"BinaryCrossentropy", "BinaryCrossentropy"},
      {"mean_squared_error", "MeanSquaredError"},
      {"mse", "MeanSquaredError"},
      {"MSE", "MeanSquaredError"},
      {"MeanSquaredError", "MeanSquaredError"},
      {"mean_absolute_error", "MeanAbsoluteError"},
      {"mae", "MeanAbsoluteError"},
      {"MeanAbsoluteError", "MeanAbsoluteError"},
  };
  for (const auto& [identifier, class_name] : identifiers) {
    const std::shared_ptr<Loss> loss = get(identifier);
    EXPECT_EQ(loss->class_name(), class_name) << identifier;
    EXPECT_EQ(loss->reduction(), "sum_over_batch_size") << identifier;
  }
  EXPECT_EQ(get("mse")->name(), "mean_squared_error");
  EXPECT_FALSE(dynamic_cast<CategoricalCrossentropy&>(*get("categorical_crossentropy"))
                   .options()
                   .from_logits);
}

TEST(LossTest, GetRejectsUnknownIdentifiersListingTheKnownOnes) {
  EXPECT_EQ(error_message<ValueError>([] { (void)get("crossentropy"); }),
            "Could not interpret loss identifier: crossentropy. Known losses: "
            "categorical_crossentropy, sparse_categorical_crossentropy, binary_crossentropy, bce, "
            "BCE, mean_squared_error, mse, MSE, mean_absolute_error, mae, MAE, "
            "CategoricalCrossentropy, SparseCategoricalCrossentropy, BinaryCrossentropy, "
            "MeanSquaredError, MeanAbsoluteError");
  EXPECT_EQ(error_message<NotImplementedError>([] { (void)get("huber"); }),
            "The Keras loss 'huber' is not implemented in kerascpp");
  EXPECT_EQ(error_message<NotImplementedError>(
                [] { (void)deserialize(R"({"class_name": "Huber", "config": {}})"); }),
            "The Keras loss 'Huber' is not implemented in kerascpp");
}

TEST(LossTest, RejectsReductionsOtherThanTheTwoItComputes) {
  const std::string expected =
      "Invalid value for argument `reduction`. Expected one of {'sum_over_batch_size', 'sum'}. "
      "Received: reduction=mean";
  EXPECT_EQ(error_message<ValueError>([] { CategoricalCrossentropy({.reduction = "mean"}); }),
            expected);
  EXPECT_EQ(error_message<ValueError>([] { MeanAbsoluteError({.reduction = "mean"}); }), expected);
  EXPECT_EQ(
      error_message<ValueError>([] {
        (void)deserialize(R"({"class_name": "MeanSquaredError", "config": {"reduction": null}})");
      }),
      "Invalid value for argument `reduction`. Expected one of {'sum_over_batch_size', "
      "'sum'}. Received: reduction=None");
}

TEST(LossTest, ToJsonWritesKerasSerializedForm) {
  EXPECT_EQ(CategoricalCrossentropy().to_json(),
            R"({"module":"keras.losses","class_name":"CategoricalCrossentropy","config":{)"
            R"("name":"categorical_crossentropy","reduction":"sum_over_batch_size",)"
            R"("from_logits":false,"label_smoothing":0.0,"axis":-1},"registered_name":null})");
  EXPECT_EQ(SparseCategoricalCrossentropy({.ignore_class = 0}).get_config(),
            R"({"name":"sparse_categorical_crossentropy","reduction":"sum_over_batch_size",)"
            R"("from_logits":false,"ignore_class":0})");
  EXPECT_EQ(SparseCategoricalCrossentropy().get_config(),
            R"({"name":"sparse_categorical_crossentropy","reduction":"sum_over_batch_size",)"
            R"("from_logits":false,"ignore_class":null})");
  EXPECT_EQ(BinaryCrossentropy({.label_smoothing = 0.1}).get_config(),
            R"({"name":"binary_crossentropy","reduction":"sum_over_batch_size",)"
            R"("from_logits":false,"label_smoothing":0.1,"axis":-1})");
  EXPECT_EQ(MeanSquaredError().get_config(),
            R"({"name":"mean_squared_error","reduction":"sum_over_batch_size"})");
  EXPECT_EQ(MeanAbsoluteError({.reduction = "sum", .name = "l1"}).get_config(),
            R"({"name":"l1","reduction":"sum"})");
}

TEST(LossTest, DeserializeRoundTripsEveryLoss) {
  const std::vector<std::shared_ptr<Loss>> losses{
      std::make_shared<CategoricalCrossentropy>(CategoricalCrossentropyOptions{
          .from_logits = true, .label_smoothing = 0.2, .axis = 1, .name = "cce"}),
      std::make_shared<SparseCategoricalCrossentropy>(
          SparseCategoricalCrossentropyOptions{.from_logits = true, .ignore_class = 255}),
      std::make_shared<BinaryCrossentropy>(
          BinaryCrossentropyOptions{.label_smoothing = 0.1, .reduction = "sum"}),
      std::make_shared<MeanSquaredError>(),
      std::make_shared<MeanAbsoluteError>(MeanAbsoluteErrorOptions{.name = "l1"}),
  };
  for (const auto& loss : losses) {
    EXPECT_EQ(deserialize(loss->to_json())->to_json(), loss->to_json());
  }
}

TEST(LossTest, DeserializeTakesTheFormsKerasFilesHold) {
  // A string, a function dict, and a Keras 2 class dict with a dtype policy.
  EXPECT_EQ(deserialize(R"("mse")")->class_name(), "MeanSquaredError");
  EXPECT_EQ(deserialize(R"({"module": "builtins", "class_name": "function", "config": )"
                        R"("binary_crossentropy", "registered_name": "function"})")
                ->class_name(),
            "BinaryCrossentropy");
  const auto loss = deserialize(
      R"({"class_name": "CategoricalCrossentropy", "config": {"from_logits": true, "dtype": )"
      R"({"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}}}})");
  EXPECT_TRUE(dynamic_cast<CategoricalCrossentropy&>(*loss).options().from_logits);
}

TEST(LossTest, DeserializeRejectsMalformedConfigs) {
  EXPECT_EQ(error_message<ValueError>([] {
              (void)deserialize(R"({"class_name": "MeanSquaredError", "config": {"delta": 1.0}})");
            }),
            "Unrecognized keyword arguments passed to MeanSquaredError: {'delta': 1.0}");
  EXPECT_EQ(error_message<ValueError>([] {
              (void)deserialize(
                  R"({"class_name": "CategoricalCrossentropy", "config": {"from_logits": "yes"}})");
            }),
            "The config of a CategoricalCrossentropy loss has an invalid value for "
            "'from_logits': \"yes\"");
  EXPECT_TRUE(error_message<ValueError>([] {
                (void)deserialize("{");
              }).starts_with("Invalid JSON in loss config: parse error at line 1, column 2"));
  EXPECT_EQ(error_message<ValueError>([] { (void)deserialize("[1, 2]"); }),
            "A serialized loss must be a string or an object with \"class_name\" and \"config\". "
            "Received: [1,2]");
  EXPECT_EQ(error_message<ValueError>([] {
              (void)deserialize(
                  R"({"class_name": "MeanSquaredError", "config": {"dtype": "mixed_float16"}})");
            }),
            "MeanSquaredError computes in float32 in kerascpp. Received: dtype=\"mixed_float16\"");
}

TEST(LossTest, LossArgTakesIdentifiersAndObjects) {
  EXPECT_TRUE(LossArg().empty());
  EXPECT_EQ(LossArg("mae").resolve()->class_name(), "MeanAbsoluteError");
  const LossArg from_object = SparseCategoricalCrossentropy({.from_logits = true});
  EXPECT_EQ(from_object.resolve()->name(), "sparse_categorical_crossentropy");
  EXPECT_TRUE(error_message<ValueError>([] {
                (void)LossArg("nope").resolve();
              }).starts_with("Could not interpret loss identifier: nope. Known losses: "));
}

}  // namespace
}  // namespace keras::losses
