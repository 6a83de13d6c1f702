// SPDX-License-Identifier: Apache-2.0
#include "io/compile_config.h"

#include "hdf5_test_files.h"
#include "keras/error.h"
#include "keras/keras.h"
#include "support/expect_error.h"

#include <gtest/gtest.h>

#include <string>

namespace keras::io {
namespace {

using testing::error_message;

class CompileConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend::clear_session();
    model_.add(Input({.shape = {4}}));
    model_.add(layers::Dense({.units = 3, .activation = "softmax"}));
  }
  // Compiles model_ with what `saved` says, as a file in `format` would; whether it compiled.
  bool compile(const std::string& saved, SavedCompileFormat format) {
    const std::optional<CompileOptions> options =
        saved_compile_options(parse_json(saved, "test"), format);
    if (options) model_.compile(*options);
    return options.has_value();
  }

  // One step on class indices; the logs by name.
  callbacks::Logs train_once() {
    const Tensor y = Tensor::from_data(std::span<const std::int32_t>(std::vector{0, 2}), {2});
    return model_.train_on_batch(Tensor::ones({2, 4}), y);
  }

  Sequential model_;
};

// What Keras 3.10 writes into a .keras archive's config.json.
TEST_F(CompileConfigTest, RestoresWhatAKeras3ArchiveSaved) {
  ASSERT_TRUE(compile(R"({"optimizer": {"module": "keras.optimizers", "class_name": "Adam",
      "config": {"name": "adam", "learning_rate": 0.002, "weight_decay": null, "clipnorm": null,
      "global_clipnorm": null, "clipvalue": null, "use_ema": false, "ema_momentum": 0.99,
      "ema_overwrite_frequency": null, "loss_scale_factor": null,
      "gradient_accumulation_steps": null, "beta_1": 0.8, "beta_2": 0.999, "epsilon": 1e-07,
      "amsgrad": false}, "registered_name": null}, "loss": "sparse_categorical_crossentropy",
      "loss_weights": null, "metrics": ["accuracy"], "weighted_metrics": null,
      "run_eagerly": false, "steps_per_execution": 1, "jit_compile": false})",
                      SavedCompileFormat::keras3));
  EXPECT_EQ(model_.optimizer().class_name(), "Adam");
  EXPECT_DOUBLE_EQ(model_.optimizer().learning_rate(), 0.002);
  EXPECT_NE(model_.optimizer().get_config().find("\"beta_1\":0.8"), std::string::npos);
  EXPECT_EQ(model_.loss().class_name(), "SparseCategoricalCrossentropy");
  EXPECT_EQ(train_once().count("accuracy"), 1U);
}

// Keras 2 and tf.keras wrote `lr`; tf.keras read it back as the learning rate.
TEST_F(CompileConfigTest, ReadsAKeras2TrainingConfigsLrAsTheLearningRate) {
  ASSERT_TRUE(compile(R"({"optimizer_config": {"class_name": "SGD", "config": {"lr": 0.05,
      "momentum": 0.9, "decay": 0.0, "nesterov": false}}, "loss": "sparse_categorical_crossentropy", "metrics": ["acc"],
      "sample_weight_mode": null, "loss_weights": null})",
                      SavedCompileFormat::legacy));
  EXPECT_EQ(model_.optimizer().class_name(), "SGD");
  EXPECT_DOUBLE_EQ(model_.optimizer().learning_rate(), 0.05);
  EXPECT_EQ(model_.loss().class_name(), "SparseCategoricalCrossentropy");
  EXPECT_EQ(train_once().count("acc"), 1U);
}

// TF 2.11-2.15 wrote `Custom>Adam` with keys Keras 3 does not know, and metric objects
// wrapping a function.
TEST_F(CompileConfigTest, ReadsTfKerasOptimizersAndWrappedMetrics) {
  ASSERT_TRUE(compile(R"({"loss": "sparse_categorical_crossentropy", "metrics": [[{
      "class_name": "MeanMetricWrapper", "config": {"name": "accuracy", "dtype": "float32",
      "fn": "sparse_categorical_accuracy"}}]], "optimizer_config": {"class_name": "Custom>Adam",
      "config": {"name": "Adam", "weight_decay": null, "clipnorm": null, "global_clipnorm": null,
      "clipvalue": null, "use_ema": false, "ema_momentum": 0.99, "ema_overwrite_frequency": null,
      "jit_compile": true, "is_legacy_optimizer": false, "learning_rate": 0.004, "beta_1": 0.9,
      "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": false}}})",
                      SavedCompileFormat::legacy));
  EXPECT_EQ(model_.optimizer().class_name(), "Adam");
  EXPECT_DOUBLE_EQ(model_.optimizer().learning_rate(), 0.004);
  EXPECT_EQ(train_once().count("sparse_categorical_accuracy"), 1U);
}

TEST_F(CompileConfigTest, RestoresALossObjectAndMetricsListedPerOutput) {
  ASSERT_TRUE(compile(R"({"optimizer": "sgd", "loss": {"module": "keras.losses",
      "class_name": "CategoricalCrossentropy", "config": {"name": "categorical_crossentropy",
      "reduction": "sum_over_batch_size", "from_logits": false, "label_smoothing": 0.0,
      "axis": -1}, "registered_name": null}, "metrics": [["accuracy"]]})",
                      SavedCompileFormat::keras3));
  EXPECT_EQ(model_.optimizer().class_name(), "SGD");
  EXPECT_EQ(model_.loss().class_name(), "CategoricalCrossentropy");
  const Tensor one_hot =
      Tensor::from_data(std::span<const float>(std::vector<float>{1, 0, 0}), {1, 3});
  EXPECT_EQ(model_.train_on_batch(Tensor::ones({1, 4}), one_hot).count("accuracy"), 1U);
}

TEST_F(CompileConfigTest, NothingForAModelSavedWithoutALoss) {
  EXPECT_FALSE(compile(R"({"optimizer": "adam", "loss": null})", SavedCompileFormat::keras3));
  EXPECT_FALSE(compile("null", SavedCompileFormat::keras3));
  EXPECT_FALSE(compile(R"({"optimizer_config": {"class_name": "Adam", "config": {}}})",
                       SavedCompileFormat::legacy));
  EXPECT_FALSE(model_.compiled());
}

TEST_F(CompileConfigTest, NamesWhatItCannotRestore) {
  const auto refusal = [&](const std::string& saved) {
    return error_message<NotImplementedError>([&] {
      (void)saved_compile_options(parse_json(saved, "test"), SavedCompileFormat::keras3);
    });
  };
  EXPECT_EQ(refusal(R"({"loss": "mse", "loss_weights": [0.5]})"),
            "kerascpp does not restore loss_weights=[0.5]");
  EXPECT_EQ(refusal(R"({"loss": "mse", "weighted_metrics": ["mae"]})"),
            "kerascpp does not restore weighted_metrics=[\"mae\"]");
  EXPECT_EQ(refusal(R"({"loss": ["mse", "mae"]})"),
            "kerascpp restores one loss for one output; the model was compiled with "
            "loss=[\"mse\",\"mae\"]");
  EXPECT_EQ(refusal(R"({"loss": "mse", "metrics": [{"class_name": "AUC"}]})"),
            "The Keras metric 'AUC' is not implemented in kerascpp");
  EXPECT_EQ(refusal(R"({"loss": "mse", "metrics": ["top_k_categorical_accuracy"]})"),
            "The Keras metric 'top_k_categorical_accuracy' is not implemented in kerascpp");
  EXPECT_EQ(refusal(R"({"loss": "mse", "metrics": [{"class_name": 7}]})"),
            "kerascpp restores metrics named by strings or classes; the model was compiled with "
            "metric {\"class_name\":7}");
  EXPECT_EQ(refusal(R"({"loss": "mse", "metrics": [{"config": {}}]})"),
            "kerascpp restores metrics named by strings or classes; the model was compiled with "
            "metric {\"config\":{}}");
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)saved_compile_options(
                  parse_json(R"({"loss": "mse", "metrics": ["nonsense"]})", "test"),
                  SavedCompileFormat::keras3);
            }).rfind("Could not interpret metric identifier: nonsense. Known metrics: ", 0),
            0U);
  EXPECT_EQ(refusal(R"({"loss": "mse", "optimizer": {"class_name": "Nadam", "config": {}}})"),
            "The Keras optimizer 'Nadam' is not implemented in kerascpp; it implements SGD, "
            "Adam, AdamW and RMSprop");
}

// Keras would refuse to load such a file unless told compile=False; kerascpp loads it
// uncompiled and says why.
TEST_F(CompileConfigTest, LeavesUncompiledAndWarnsWhatItCannotCompile) {
  ::testing::internal::CaptureStderr();
  compile_as_saved_text(model_, R"({"loss": "mse", "optimizer": "nadam"})",
                        SavedCompileFormat::keras3, "m.keras");
  compile_as_saved_text(model_, "{not json", SavedCompileFormat::legacy, "m.h5");
  const std::string warnings = ::testing::internal::GetCapturedStderr();
  EXPECT_FALSE(model_.compiled());
  EXPECT_EQ(warnings.find("UserWarning: the model in 'm.keras' was saved compiled, but kerascpp "
                          "cannot compile it as saved, so it is loaded uncompiled: The Keras "
                          "optimizer 'nadam' is not implemented in kerascpp"),
            0U)
      << warnings;
  EXPECT_NE(warnings.find("\nUserWarning: the model in 'm.h5' was saved compiled, but kerascpp "
                          "cannot compile it as saved, so it is loaded uncompiled: "),
            std::string::npos)
      << warnings;
}

// The model files in ../shared load compiled when Keras saved them compiled, else uncompiled.
TEST(CompileConfigRealFileTest, LoadsEveryRealModelCompiledAsSaved) {
  struct Expected {
    const char* file;
    const char* loss;  // empty: saved uncompiled
  };
  for (const Expected& expected :
       {Expected{"mnist_cnn_keras35_legacy_h5/cnn_model_mnist.h5", "SparseCategoricalCrossentropy"},
        Expected{"mnist_cnn_same_act_keras224/model.h5", "SparseCategoricalCrossentropy"},
        Expected{"mnist_lenet_reshape_keras216/mnist.h5", "SparseCategoricalCrossentropy"},
        Expected{"tiny_cnn_batchnorm_keras213/cnn_batch_norm.h5", "MeanSquaredError"},
        Expected{"mnist_mlp_keras310_zip/model.keras", "SparseCategoricalCrossentropy"},
        Expected{"tiny_conv2d_same_8x8_keras231/keras_conv2d_model.h5", ""},
        Expected{"tiny_mlp_batchnorm_functional_keras231/keras_3layer_batch_norm.h5", ""},
        Expected{"fashion_mlp_tfjs/model.json", "SparseCategoricalCrossentropy"}}) {
    SCOPED_TRACE(expected.file);
    backend::clear_session();
    const Sequential model =
        models::load_model((testing::keras_models_dir() / expected.file).string());
    ASSERT_EQ(model.compiled(), std::string(expected.loss) != "");
    if (!model.compiled()) continue;
    EXPECT_EQ(model.optimizer().class_name(), "Adam");
    EXPECT_NEAR(model.optimizer().learning_rate(), 0.001, 1e-9);
    EXPECT_EQ(model.loss().class_name(), expected.loss);
  }
}

}  // namespace
}  // namespace keras::io
