// SPDX-License-Identifier: Apache-2.0
#include "keras/callbacks/early_stopping.h"

#include "keras/error.h"
#include "keras/layers/dense.h"
#include "keras/layers/input_layer.h"
#include "keras/sequential.h"
#include "support/expect_error.h"

#include <gtest/gtest.h>

#include <vector>

namespace keras::callbacks {
namespace {

using testing::error_message;

// A Dense model whose weights all hold `value`, so an epoch's weights are easy to tell.
void set_all_weights(Sequential& model, double value) {
  model.set_weights({Tensor::full({3, 2}, value), Tensor::full({2}, value)});
}
float bias_value(const Sequential& model) { return model.get_weights()[1].at<float>({0}); }

class EarlyStoppingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    model.add(Input({.shape = {3}}));
    model.add(layers::Dense({.units = 2}));
  }
  // Runs one training of `values.size()` epochs (or until stopped), logging `values` under
  // `name`; the weights of epoch e hold e. Returns the epochs run.
  int train(EarlyStopping& callback, const std::vector<double>& values,
            const std::string& name = "val_loss") {
    callback.set_model(&model);
    model.set_stop_training(false);
    callback.on_train_begin({});
    int epochs = 0;
    for (std::size_t epoch = 0; epoch < values.size() && !model.stop_training(); ++epoch) {
      set_all_weights(model, static_cast<double>(epoch));
      Logs logs{{"loss", 1.0}, {name, values[epoch]}};
      callback.on_epoch_end(static_cast<int>(epoch), logs);
      ++epochs;
    }
    callback.on_train_end({});
    return epochs;
  }

  Sequential model;
};

TEST_F(EarlyStoppingTest, StopsAfterPatienceEpochsWithoutImprovement) {
  EarlyStopping callback({.patience = 2});
  EXPECT_EQ(train(callback, {1.0, 0.9, 0.95, 0.92, 0.5, 0.4}), 4);
  EXPECT_TRUE(model.stop_training());
  EXPECT_EQ(callback.stopped_epoch(), 3);
  EXPECT_EQ(callback.best(), 0.9);
  EXPECT_EQ(callback.best_epoch(), 1);
  // The weights are those of the last epoch run unless restore_best_weights is set.
  EXPECT_EQ(bias_value(model), 3.0f);
}

TEST_F(EarlyStoppingTest, PatienceZeroStopsAtTheFirstEpochWithoutImprovement) {
  EarlyStopping callback;
  EXPECT_EQ(train(callback, {1.0, 1.0, 0.5}), 2);
  EXPECT_EQ(callback.stopped_epoch(), 1);
}

TEST_F(EarlyStoppingTest, ChangesSmallerThanMinDeltaAreNoImprovement) {
  EarlyStopping callback({.min_delta = -0.1, .patience = 1});  // Keras takes |min_delta|
  EXPECT_EQ(train(callback, {1.0, 0.95, 0.91, 0.5}), 2);
  EXPECT_EQ(callback.best(), 1.0);
}

TEST_F(EarlyStoppingTest, AutoModeMaximizesAccuraciesAndMinimizesLosses) {
  EarlyStopping accuracy({.monitor = "val_accuracy"});
  EXPECT_EQ(train(accuracy, {0.5, 0.6, 0.55, 0.9}, "val_accuracy"), 3);
  EXPECT_EQ(accuracy.best(), 0.6);
  EarlyStopping error({.monitor = "mae"});
  EXPECT_EQ(train(error, {0.5, 0.4, 0.45}, "mae"), 3);
  EXPECT_EQ(error.best(), 0.4);
  EarlyStopping forced_max({.monitor = "val_loss", .mode = "max"});
  EXPECT_EQ(train(forced_max, {0.5, 0.6, 0.55}), 3);
  EXPECT_EQ(forced_max.best(), 0.6);
}

TEST_F(EarlyStoppingTest, RestoresTheBestWeightsWithKerasMessages) {
  EarlyStopping callback({.patience = 1, .verbose = 1, .restore_best_weights = true});
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(train(callback, {1.0, 0.5, 0.7, 0.6}), 3);
  EXPECT_EQ(::testing::internal::GetCapturedStdout(),
            "Epoch 3: early stopping\n"
            "Restoring model weights from the end of the best epoch: 2.\n");
  EXPECT_EQ(bias_value(model), 1.0f);
}

TEST_F(EarlyStoppingTest, RestoresTheBestWeightsEvenWhenTrainingRanToTheEnd) {
  EarlyStopping callback({.patience = 5, .restore_best_weights = true});
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(train(callback, {1.0, 0.5, 0.7}), 3);
  EXPECT_EQ(::testing::internal::GetCapturedStdout(), "");  // verbose 0
  EXPECT_EQ(callback.stopped_epoch(), 0);
  EXPECT_EQ(bias_value(model), 1.0f);
}

TEST_F(EarlyStoppingTest, PatienceRestartsOnlyWhenTheBaselineIsBeaten) {
  EarlyStopping callback({.patience = 2, .baseline = 0.5});
  // 0.9 is the best but does not beat the baseline, so the patience keeps counting from
  // epoch 0: stopped at epoch 1 (without a baseline, at epoch 2).
  EXPECT_EQ(train(callback, {0.9, 0.95, 0.97, 0.6}), 2);
  EXPECT_EQ(callback.stopped_epoch(), 1);
  EarlyStopping no_baseline({.patience = 2});
  EXPECT_EQ(train(no_baseline, {0.9, 0.95, 0.97, 0.6}), 3);
  EarlyStopping beaten({.patience = 2, .baseline = 0.5});
  EXPECT_EQ(train(beaten, {0.9, 0.4, 0.45, 0.42, 0.3}), 4);
}

TEST_F(EarlyStoppingTest, WarmUpEpochsAreNotMonitored) {
  EarlyStopping callback({.patience = 0, .start_from_epoch = 2});
  EXPECT_EQ(train(callback, {1.0, 2.0, 3.0, 4.0, 5.0}), 4);
  EXPECT_EQ(callback.best_epoch(), 2);
}

TEST_F(EarlyStoppingTest, OneObjectServesSeveralTrainings) {
  EarlyStopping callback({.patience = 1});
  EXPECT_EQ(train(callback, {0.1, 0.2, 0.3}), 2);
  // The best of the first training is forgotten: 0.5 counts as an improvement.
  EXPECT_EQ(train(callback, {0.5, 0.4, 0.45, 0.5}), 3);
  EXPECT_EQ(callback.best(), 0.4);
}

TEST_F(EarlyStoppingTest, AMissingMonitorWarnsInKerasWordsAndSkipsTheEpoch) {
  EarlyStopping callback({.patience = 0});
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(train(callback, {1.0, 2.0, 3.0}, "val_accuracy"), 3);
  // Python's default warning filter shows the same warning once.
  EXPECT_EQ(::testing::internal::GetCapturedStderr(),
            "UserWarning: Early stopping conditioned on metric `val_loss` which is not "
            "available. Available metrics are: loss,val_accuracy\n");
  EXPECT_FALSE(model.stop_training());
}

TEST_F(EarlyStoppingTest, AutoModeRejectsANameItCannotPlaceInKerasWords) {
  EarlyStopping callback({.monitor = "val_f2"});
  callback.set_model(&model);
  Logs logs{{"val_f2", 1.0}};
  EXPECT_EQ(error_message<ValueError>([&] { callback.on_epoch_end(0, logs); }),
            "EarlyStopping callback received monitor=val_f2 but Keras isn't able to "
            "automatically determine whether that metric should be maximized or minimized. "
            "Pass `mode='max'` in order to do early stopping based on the highest metric "
            "value, or pass `mode='min'` in order to use the lowest value.");
}

TEST_F(EarlyStoppingTest, AnUnknownModeWarnsAndFallsBackToAuto) {
  ::testing::internal::CaptureStderr();
  EarlyStopping callback({.mode = "lowest"});
  EXPECT_EQ(::testing::internal::GetCapturedStderr(),
            "UserWarning: EarlyStopping mode lowest is unknown, fallback to auto mode.\n");
  EXPECT_EQ(callback.options().mode, "auto");
}

}  // namespace
}  // namespace keras::callbacks
