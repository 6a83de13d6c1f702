// SPDX-License-Identifier: Apache-2.0
// Sequential's fit, evaluate, train_on_batch and test_on_batch: the loop's arithmetic, the
// data handling Keras promises, determinism, and each error message.
#include "keras/backend.h"
#include "keras/callbacks/callback.h"
#include "keras/callbacks/progbar_logger.h"
#include "keras/callbacks/terminate_on_nan.h"
#include "keras/datasets/mnist.h"
#include "keras/error.h"
#include "keras/layers/conv2d.h"
#include "keras/layers/dense.h"
#include "keras/layers/dropout.h"
#include "keras/layers/flatten.h"
#include "keras/layers/input_layer.h"
#include "keras/layers/max_pooling2d.h"
#include "keras/optimizers/sgd.h"
#include "keras/sequential.h"
#include "keras/utils/random.h"
#include "keras/utils/to_categorical.h"
#include "support/expect_error.h"
#include "support/tensor_matchers.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace keras::testing {
namespace {

// A small classifier: 6 features -> 3 classes, softmax output.
Sequential classifier(float dropout_rate = 0.0f) {
  Sequential model;
  model.add(Input({.shape = {6}}));
  model.add(layers::Dense({.units = 8, .activation = "relu"}));
  if (dropout_rate > 0.0f) model.add(layers::Dropout({.rate = dropout_rate}));
  model.add(layers::Dense({.units = 3, .activation = "softmax"}));
  return model;
}

Tensor features(std::int64_t samples, std::uint64_t seed = 3) {
  return Tensor::uniform({samples, 6}, -1.0f, 1.0f, seed);
}

// Labels that depend on the features, so that there is something to learn.
Tensor labels_of(const Tensor& x) {
  std::vector<std::int32_t> labels;
  for (std::int64_t i = 0; i < x.dim(0); ++i) {
    const float score = x.at<float>({i, 0}) + x.at<float>({i, 1});
    labels.push_back(score < -0.3f ? 0 : (score < 0.3f ? 1 : 2));
  }
  return Tensor::from_data(std::span<const std::int32_t>(labels), {x.dim(0)});
}

void compile_sgd(Sequential& model, double learning_rate) {
  model.compile({.optimizer = optimizers::SGD({.learning_rate = learning_rate}),
                 .loss = "sparse_categorical_crossentropy",
                 .metrics = {"accuracy"}});
}

class FitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend::clear_session();
    utils::set_random_seed(7);
  }
};

// With a learning rate of 0 nothing changes, so the epoch's loss must be the batch-size
// weighted mean of the batch losses, i.e. the loss over all samples, partial batch included.
TEST_F(FitTest, EpochLossIsTheMeanOverAllSamples) {
  Sequential model = classifier();
  compile_sgd(model, 0.0);
  const Tensor x = features(50);
  const Tensor y = labels_of(x);
  const auto history = model.fit(x, y, {.batch_size = 16, .epochs = 2, .verbose = 0});
  const auto expected = model.evaluate(x, y, {.batch_size = 50, .verbose = 0});
  ASSERT_EQ(history.history().at("loss").size(), 2U);
  EXPECT_NEAR(history.history().at("loss")[0], expected.at("loss"), 1e-6);
  EXPECT_NEAR(history.history().at("accuracy")[1], expected.at("accuracy"), 1e-12);
  EXPECT_EQ(history.epoch(), (std::vector<int>{0, 1}));
  EXPECT_EQ(history.params().at("steps"), 4);
  EXPECT_EQ(history.params().at("epochs"), 2);
}

// Keras's validation_split: the last fraction, before any shuffling.
TEST_F(FitTest, ValidationSplitTakesTheLastSamples) {
  Sequential model = classifier();
  compile_sgd(model, 0.0);
  const Tensor x = features(40);
  const Tensor y = labels_of(x);
  const auto history = model.fit(x, y, {.batch_size = 8, .verbose = 0, .validation_split = 0.25});
  const auto last = model.evaluate(x.slice(30, 40), y.slice(30, 40), {.verbose = 0});
  const auto first = model.evaluate(x.slice(0, 30), y.slice(0, 30), {.verbose = 0});
  EXPECT_NEAR(history.history().at("val_loss")[0], last.at("loss"), 1e-6);
  EXPECT_NEAR(history.history().at("val_accuracy")[0], last.at("accuracy"), 1e-12);
  EXPECT_NEAR(history.history().at("loss")[0], first.at("loss"), 1e-6);
  EXPECT_EQ(history.params().at("steps"), 4);  // ceil(30 / 8)
}

TEST_F(FitTest, ValidationDataWinsOverTheSplit) {
  Sequential model = classifier();
  compile_sgd(model, 0.0);
  const Tensor x = features(20);
  const Tensor x_val = features(7, 11);
  const auto history = model.fit(x, labels_of(x),
                                 {.verbose = 0,
                                  .validation_split = 0.5,
                                  .validation_data = std::pair{x_val, labels_of(x_val)}});
  EXPECT_NEAR(history.history().at("val_loss")[0],
              model.evaluate(x_val, labels_of(x_val), {.verbose = 0}).at("loss"), 1e-6);
  EXPECT_EQ(history.params().at("steps"), 1);  // all 20 samples train
}

TEST_F(FitTest, LearnsASimpleRule) {
  Sequential model = classifier();
  compile_sgd(model, 0.5);
  const Tensor x = features(256);
  const Tensor y = labels_of(x);
  const auto history = model.fit(x, y, {.batch_size = 16, .epochs = 30, .verbose = 0});
  const auto& loss = history.history().at("loss");
  EXPECT_LT(loss.back(), 0.5 * loss.front());
  EXPECT_GT(history.history().at("accuracy").back(), 0.85);
}

// Real digits: a small CNN trained on 600 of the shipped MNIST training images for 4 epochs
// (a few seconds) must classify held-out test digits far better than chance.
TEST_F(FitTest, ASmallCnnLearnsRealMnistDigits) {
  auto [train, test] = datasets::mnist::load_data();
  auto images = [](const Tensor& pixels, std::int64_t count) {
    Tensor x = pixels.slice(0, count).astype(DType::float32);
    float* values = x.data<float>();
    for (std::int64_t i = 0; i < x.size(); ++i) values[i] /= 255.0f;
    return x.reshape({count, 28, 28, 1});
  };
  Sequential model;
  model.add(Input({.shape = {28, 28, 1}}));
  model.add(layers::Conv2D({.filters = 8, .kernel_size = 3, .activation = "relu"}));
  model.add(layers::MaxPooling2D({.pool_size = 2}));
  model.add(layers::Flatten());
  model.add(layers::Dense({.units = 10, .activation = "softmax"}));
  model.compile({.optimizer = "adam", .loss = "categorical_crossentropy", .metrics = {"accuracy"}});
  const auto history =
      model.fit(images(train.x, 600), utils::to_categorical(train.y.slice(0, 600), 10),
                {.batch_size = 32, .epochs = 4, .verbose = 0});
  const auto& loss = history.history().at("loss");
  EXPECT_LT(loss.back(), 0.5 * loss.front());
  const auto score = model.evaluate(
      images(test.x, 500), utils::to_categorical(test.y.slice(0, 500), 10), {.verbose = 0});
  EXPECT_GT(score.at("accuracy"), 0.80);
}

// The same seed gives the same shuffles, dropout masks, weights and losses.
TEST_F(FitTest, SameSeedSameRun) {
  auto run = [] {
    backend::clear_session();
    utils::set_random_seed(42);
    Sequential model = classifier(/*dropout_rate=*/0.3f);
    compile_sgd(model, 0.1);
    const Tensor x = features(64);
    const auto history = model.fit(x, labels_of(x), {.batch_size = 10, .epochs = 3, .verbose = 0});
    return std::pair{history.history().at("loss"), model.get_weights()};
  };
  const auto [losses, weights] = run();
  const auto [losses_again, weights_again] = run();
  EXPECT_EQ(losses, losses_again);
  ASSERT_EQ(weights.size(), weights_again.size());
  for (std::size_t i = 0; i < weights.size(); ++i) {
    EXPECT_TRUE(all_close(weights[i], weights_again[i], 0.0, 0.0)) << "weight " << i;
  }
}

TEST_F(FitTest, ShuffleChangesTheBatchesButNotTheSamples) {
  Sequential model = classifier();
  compile_sgd(model, 0.0);
  const Tensor x = features(30);
  const Tensor y = labels_of(x);
  const auto shuffled = model.fit(x, y, {.batch_size = 7, .verbose = 0, .shuffle = true});
  const auto in_order = model.fit(x, y, {.batch_size = 7, .verbose = 0, .shuffle = false});
  // With nothing learnt, the epoch figures cover the same samples either way.
  EXPECT_NEAR(shuffled.history().at("loss")[0], in_order.history().at("loss")[0], 1e-6);
}

class StopAfterBatches : public callbacks::Callback {
 public:
  explicit StopAfterBatches(int batches) : batches_(batches) {}
  void on_train_batch_end(int batch, const callbacks::Logs& /*logs*/) override {
    ++seen;
    if (batch + 1 == batches_) model().set_stop_training(true);
  }
  int seen = 0;

 private:
  int batches_;
};

TEST_F(FitTest, ACallbackCanStopTraining) {
  Sequential model = classifier();
  compile_sgd(model, 0.1);
  const Tensor x = features(40);
  auto stopper = std::make_shared<StopAfterBatches>(2);
  const auto history = model.fit(
      x, labels_of(x), {.batch_size = 4, .epochs = 5, .verbose = 0, .callbacks = {stopper}});
  EXPECT_EQ(stopper->seen, 2);
  EXPECT_EQ(history.epoch(), (std::vector<int>{0}));
  EXPECT_EQ(model.optimizer().iterations(), 2);
}

class CountTestHooks : public callbacks::Callback {
 public:
  void on_test_begin(const callbacks::Logs& /*logs*/) override { ++begins; }
  void on_test_batch_end(int /*batch*/, const callbacks::Logs& /*logs*/) override { ++batches; }
  int begins = 0;
  int batches = 0;
};

// As in Keras, validation inside fit runs the callbacks' test hooks.
TEST_F(FitTest, ValidationCallsTheTestHooks) {
  Sequential model = classifier();
  compile_sgd(model, 0.1);
  const Tensor x = features(20);
  auto counter = std::make_shared<CountTestHooks>();
  (void)model.fit(x, labels_of(x),
                  {.batch_size = 4,
                   .epochs = 2,
                   .verbose = 0,
                   .callbacks = {counter},
                   .validation_split = 0.4});
  EXPECT_EQ(counter->begins, 2);
  EXPECT_EQ(counter->batches, 4);  // 8 validation samples in batches of 4, twice
}

// A ProgbarLogger the user passes is the one fit uses (configured, and not doubled).
TEST_F(FitTest, UsesTheProgbarLoggerItIsGiven) {
  Sequential model = classifier();
  compile_sgd(model, 0.1);
  const Tensor x = features(8);
  std::string printed;
  double now = 0.0;
  auto logger = std::make_shared<callbacks::ProgbarLogger>(callbacks::ProgbarLoggerOptions{
      .clock = [&now] { return now += 1.0; },
      .write = [&printed](std::string_view text) { printed += text; }});
  (void)model.fit(x, labels_of(x),
                  {.batch_size = 8, .epochs = 2, .verbose = 2, .callbacks = {logger}});
  EXPECT_NE(printed.find("Epoch 1/2\n"), std::string::npos) << printed;
  EXPECT_NE(printed.find("Epoch 2/2\n"), std::string::npos) << printed;
  EXPECT_EQ(printed.find("Epoch 1/2"), printed.rfind("Epoch 1/2")) << printed;
  EXPECT_NE(printed.find("1/1 - "), std::string::npos) << printed;
}

TEST_F(FitTest, StartsAtTheInitialEpoch) {
  Sequential model = classifier();
  compile_sgd(model, 0.1);
  const Tensor x = features(8);
  const auto history = model.fit(x, labels_of(x), {.epochs = 4, .verbose = 0, .initial_epoch = 2});
  EXPECT_EQ(history.epoch(), (std::vector<int>{2, 3}));
}

TEST_F(FitTest, TrainOnBatchIsOneStep) {
  Sequential model = classifier();
  compile_sgd(model, 0.1);
  const Tensor x = features(12);
  const Tensor y = labels_of(x);
  const double before = model.test_on_batch(x, y).at("loss");
  const auto logs = model.train_on_batch(x, y);
  EXPECT_NEAR(logs.at("loss"), before, 1e-6);  // the loss of the forward pass before the step
  EXPECT_EQ(model.optimizer().iterations(), 1);
  EXPECT_LT(model.test_on_batch(x, y).at("loss"), before);
}

TEST_F(FitTest, AcceptsUint8LabelsAndImages) {
  Sequential model;
  model.add(Input({.shape = {2, 2}}));
  model.add(layers::Flatten());
  model.add(layers::Dense({.units = 2, .activation = "softmax"}));
  model.compile({.optimizer = "sgd", .loss = "sparse_categorical_crossentropy"});
  Tensor x = Tensor::zeros({4, 2, 2}, DType::uint8);
  Tensor y = Tensor::zeros({4}, DType::uint8);
  x.data<std::uint8_t>()[5] = 200;
  y.data<std::uint8_t>()[1] = 1;
  // The same figures as float32 pixels and int32 labels.
  const auto as_given = model.evaluate(x, y, {.verbose = 0}).at("loss");
  EXPECT_EQ(
      as_given,
      model.evaluate(x.astype(DType::float32), y.astype(DType::int32), {.verbose = 0}).at("loss"));
  EXPECT_GT(as_given, 0.0);
}

TEST_F(FitTest, NeedsCompile) {
  Sequential model = classifier();
  const Tensor x = features(4);
  EXPECT_EQ(error_message<ValueError>([&] { (void)model.fit(x, labels_of(x)); }),
            "You must call `compile()` before calling `fit()`.");
  EXPECT_EQ(error_message<ValueError>([&] { (void)model.evaluate(x, labels_of(x)); }),
            "You must call `compile()` before calling `evaluate()`.");
  EXPECT_EQ(error_message<ValueError>([&] { (void)model.train_on_batch(x, labels_of(x)); }),
            "You must call `compile()` before calling `train_on_batch()`.");
  EXPECT_EQ(error_message<ValueError>([&] { (void)model.optimizer(); }),
            "Sequential model 'sequential' has no optimizer: call compile() first.");
}

TEST_F(FitTest, RejectsBadArguments) {
  Sequential model = classifier();
  compile_sgd(model, 0.1);
  const Tensor x = features(10);
  const Tensor y = labels_of(x);
  EXPECT_EQ(error_message<ValueError>([&] { (void)model.fit(x, y.slice(0, 9), {.verbose = 0}); }),
            "Data cardinality is ambiguous: x has 10 samples, y has 9 samples. Make sure all "
            "arrays contain the same number of samples. (x.shape=(10, 6), y.shape=(9,))");
  EXPECT_EQ(error_message<ValueError>(
                [&] { (void)model.fit(x.slice(0, 0), y.slice(0, 0), {.verbose = 0}); }),
            "fit() received an empty dataset (x.shape=(0, 6)): there is nothing to train on.");
  EXPECT_EQ(error_message<ValueError>([&] { (void)model.fit(x, Tensor::full({}, 1.0)); }),
            "fit() needs x and y with a batch axis first. Received: x.shape=(10, 6), y.shape=()");
  EXPECT_EQ(error_message<ValueError>([&] { (void)model.fit(x, Tensor()); }),
            "fit() needs both x and y.");
  EXPECT_EQ(error_message<ValueError>([&] { (void)model.fit(x, y, {.epochs = -1}); }),
            "`epochs` and `initial_epoch` must be non-negative integers. Received: epochs=-1, "
            "initial_epoch=0");
  EXPECT_EQ(error_message<ValueError>([&] { (void)model.fit(x, y, {.batch_size = 0}); }),
            "`batch_size` must be a positive integer. Received: batch_size=0");
  EXPECT_EQ(error_message<ValueError>(
                [&] { (void)model.fit(x, y, {.verbose = 0, .validation_split = 1.0}); }),
            "`validation_split` must be a float in [0, 1). Received: validation_split=1");
  EXPECT_EQ(error_message<ValueError>(
                [&] { (void)model.fit(x, y, {.verbose = 0, .validation_split = 0.95}); }),
            "Training data contains 10 samples, which is not sufficient to split it into a "
            "validation and training set as specified by `validation_split=0.95`. Either "
            "provide more data, or a different value for the `validation_split` argument.");
}

TEST_F(FitTest, RejectsTargetsThatDoNotFitTheLossBeforeTraining) {
  Sequential model = classifier();
  model.compile({.optimizer = "adam", .loss = "categorical_crossentropy"});
  const Tensor x = features(10);
  const auto weights = model.get_weights();
  const std::string message =
      error_message<ValueError>([&] { (void)model.fit(x, labels_of(x), {.verbose = 0}); });
  EXPECT_NE(message.find("sparse_categorical_crossentropy"), std::string::npos) << message;
  EXPECT_NE(message.find("(10,)"), std::string::npos) << message;
  EXPECT_EQ(model.optimizer().iterations(), 0);
  EXPECT_TRUE(all_close(model.get_weights()[0], weights[0], 0.0, 0.0));
}

TEST_F(FitTest, RejectsLabelsOutsideTheClassRange) {
  Sequential model = classifier();
  compile_sgd(model, 0.1);
  const Tensor x = features(4);
  Tensor y = labels_of(x);
  y.data<std::int32_t>()[2] = 3;
  // The sample is counted in the batch the loss received; unshuffled, the first batch.
  EXPECT_EQ(
      error_message<ValueError>([&] { (void)model.fit(x, y, {.verbose = 0, .shuffle = false}); }),
      "Loss \"sparse_categorical_crossentropy\": Received a label value of 3 which is "
      "outside the valid range of [0, 3) (sample 2)");
}

TEST_F(FitTest, TerminateOnNaNStopsAtTheFirstNonFiniteLoss) {
  Sequential model = classifier();
  model.compile({.optimizer = optimizers::SGD({.learning_rate = 0.1}), .loss = "mse"});
  const Tensor x = features(12);
  Tensor y = utils::to_categorical(labels_of(x), 3);
  y.at<float>({5, 0}) = std::nanf("");  // sample 5 is in the second batch of 4
  ::testing::internal::CaptureStdout();
  const auto history = model.fit(x, y,
                                 {.batch_size = 4,
                                  .epochs = 3,
                                  .verbose = 0,
                                  .callbacks = {std::make_shared<callbacks::TerminateOnNaN>()},
                                  .shuffle = false});
  EXPECT_EQ(::testing::internal::GetCapturedStdout(),
            "Batch 1: Invalid loss, terminating training\n");
  EXPECT_EQ(model.optimizer().iterations(), 2);
  EXPECT_EQ(history.epoch(), (std::vector<int>{0}));
}

TEST_F(FitTest, RejectsRegularizersItWouldNotApply) {
  Sequential model;
  model.add(Input({.shape = {3}}));
  model.add(layers::Dense(
      {.units = 2,
       .kernel_regularizer =
           R"({"module": "keras.regularizers", "class_name": "L2", "config": {"l2": 0.01}, "registered_name": null})"}));
  EXPECT_EQ(
      error_message<NotImplementedError>(
          [&] { model.compile({.optimizer = "adam", .loss = "mse"}); }),
      R"(Layer 'dense' (Dense) has kernel_regularizer={"class_name":"L2","config":{"l2":0.01},"module":"keras.regularizers","registered_name":null}: kerascpp keeps regularizers and constraints in the model's config but does not apply them in training yet. Remove it before compile().)");
}

TEST_F(FitTest, CompileNeedsALoss) {
  Sequential model = classifier();
  EXPECT_EQ(error_message<ValueError>([&] { model.compile({.optimizer = "adam"}); }),
            "compile() needs a loss, e.g. `.loss = \"categorical_crossentropy\"`: kerascpp models "
            "have no loss of their own to add.");
}

}  // namespace
}  // namespace keras::testing
