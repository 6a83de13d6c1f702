// SPDX-License-Identifier: Apache-2.0
#include "keras/callbacks/reduce_lr_on_plateau.h"

#include "keras/error.h"
#include "keras/layers/dense.h"
#include "keras/layers/input_layer.h"
#include "keras/optimizers/optimizer.h"
#include "keras/sequential.h"
#include "support/expect_error.h"

#include <gtest/gtest.h>

#include <vector>

namespace keras::callbacks {
namespace {

using testing::error_message;

// SGD's default learning rate, 0.01, as the float32 Keras keeps it in.
constexpr double sgd_learning_rate = 0.009999999776482582;

class ReduceLROnPlateauTest : public ::testing::Test {
 protected:
  void SetUp() override {
    model.add(Input({.shape = {3}}));
    model.add(layers::Dense({.units = 1}));
    model.compile({.optimizer = "sgd", .loss = "mse"});
  }
  // Ends one epoch per value of "val_loss"; returns each epoch's logs and, in `printed`, what
  // the callback wrote.
  std::vector<Logs> train(ReduceLROnPlateau& callback, const std::vector<double>& values) {
    callback.set_model(&model);
    callback.on_train_begin({});
    std::vector<Logs> all_logs;
    ::testing::internal::CaptureStdout();
    for (std::size_t epoch = 0; epoch < values.size(); ++epoch) {
      Logs logs{{"loss", 1.0}, {"val_loss", values[epoch]}};
      callback.on_epoch_end(static_cast<int>(epoch), logs);
      all_logs.push_back(logs);
    }
    printed = ::testing::internal::GetCapturedStdout();
    return all_logs;
  }
  [[nodiscard]] double learning_rate() const { return model.optimizer().learning_rate(); }

  Sequential model;
  std::string printed;
};

TEST_F(ReduceLROnPlateauTest, ReducesAfterPatienceEpochsWithKerasMessage) {
  ReduceLROnPlateau callback({.patience = 2, .verbose = 1});
  const std::vector<Logs> logs = train(callback, {1.0, 1.0, 1.0, 0.5});
  EXPECT_EQ(printed,
            "\nEpoch 3: ReduceLROnPlateau reducing learning rate to 0.0009999999776482583.\n");
  EXPECT_FLOAT_EQ(static_cast<float>(learning_rate()), 0.001f);
  // Each epoch's logs carry the learning rate it ran with, as Keras 3 adds it.
  EXPECT_EQ(logs[0].at("learning_rate"), sgd_learning_rate);
  EXPECT_EQ(logs[2].at("learning_rate"), sgd_learning_rate);
  EXPECT_EQ(logs[3].at("learning_rate"), 0.0009999999310821295);
}

TEST_F(ReduceLROnPlateauTest, ChangesSmallerThanMinDeltaAreNoImprovement) {
  ReduceLROnPlateau callback({.patience = 1, .min_delta = 0.1});
  (void)train(callback, {1.0, 0.95});
  EXPECT_FLOAT_EQ(static_cast<float>(learning_rate()), 0.001f);
  EXPECT_EQ(callback.best(), 1.0);
}

TEST_F(ReduceLROnPlateauTest, WaitsOutTheCooldownBeforeCountingAgain) {
  ReduceLROnPlateau callback({.factor = 0.5, .patience = 1, .verbose = 1, .cooldown = 2});
  (void)train(callback, {1.0, 2.0, 2.0, 2.0, 2.0});
  // Without a cooldown it would reduce at every epoch from the 2nd; epochs 3 and 5 cool down.
  EXPECT_EQ(printed,
            "\nEpoch 2: ReduceLROnPlateau reducing learning rate to 0.004999999888241291.\n"
            "\nEpoch 4: ReduceLROnPlateau reducing learning rate to 0.0024999999441206455.\n");
  EXPECT_TRUE(callback.in_cooldown());
}

TEST_F(ReduceLROnPlateauTest, NeverGoesBelowMinLr) {
  ReduceLROnPlateau callback({.patience = 1, .min_lr = 0.005});
  (void)train(callback, {1.0, 2.0, 2.0, 2.0});
  EXPECT_FLOAT_EQ(static_cast<float>(learning_rate()), 0.005f);
}

TEST_F(ReduceLROnPlateauTest, AccuraciesImproveUpwards) {
  ReduceLROnPlateau callback({.monitor = "val_accuracy", .patience = 1});
  callback.set_model(&model);
  Logs first{{"val_accuracy", 0.5}};
  Logs second{{"val_accuracy", 0.6}};
  callback.on_epoch_end(0, first);
  callback.on_epoch_end(1, second);
  EXPECT_EQ(callback.best(), 0.6);
  EXPECT_EQ(callback.wait(), 0);
}

TEST_F(ReduceLROnPlateauTest, RejectsAFactorOfOneOrMoreInKerasWords) {
  EXPECT_EQ(error_message<ValueError>([] { ReduceLROnPlateau callback({.factor = 1.0}); }),
            "ReduceLROnPlateau does not support a factor >= 1.0. Received factor=1.0");
}

TEST_F(ReduceLROnPlateauTest, AMissingMonitorWarnsInKerasWords) {
  ReduceLROnPlateau callback({.monitor = "val_mae"});
  callback.set_model(&model);
  Logs logs{{"loss", 1.0}};
  ::testing::internal::CaptureStderr();
  callback.on_epoch_end(0, logs);
  callback.on_epoch_end(1, logs);
  EXPECT_EQ(::testing::internal::GetCapturedStderr(),
            "UserWarning: Learning rate reduction is conditioned on metric `val_mae` which is not "
            "available. Available metrics are: learning_rate,loss.\n");
  EXPECT_FLOAT_EQ(static_cast<float>(learning_rate()), 0.01f);
}

TEST_F(ReduceLROnPlateauTest, AutoModeRejectsANameItCannotPlaceInKerasWords) {
  ReduceLROnPlateau callback({.monitor = "val_f2"});
  callback.set_model(&model);
  Logs logs{{"val_f2", 1.0}};
  EXPECT_EQ(error_message<ValueError>([&] { callback.on_epoch_end(0, logs); }),
            "ReduceLROnPlateau callback received monitor=val_f2, but Keras isn't able to "
            "automatically determine whether that metric should be maximized or minimized. "
            "Pass `mode='max'` in order to monitor based on the highest metric value, or pass "
            "`mode='min'` in order to use the lowest value.");
}

TEST_F(ReduceLROnPlateauTest, AnUnknownModeWarnsAndFallsBackToAuto) {
  ::testing::internal::CaptureStderr();
  const ReduceLROnPlateau callback({.mode = "down"});
  EXPECT_EQ(::testing::internal::GetCapturedStderr(),
            "UserWarning: ReduceLROnPlateau mode 'down' is unknown, fallback to auto mode.\n");
  EXPECT_EQ(callback.options().mode, "auto");
}

}  // namespace
}  // namespace keras::callbacks
