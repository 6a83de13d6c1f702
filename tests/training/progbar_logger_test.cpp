// SPDX-License-Identifier: Apache-2.0
#include "keras/callbacks/progbar_logger.h"

#include "keras/sequential.h"
#include "support/progbar_text.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

// The expected texts are what Keras 3's ProgbarLogger and Progbar print for the same calls
// and clock.

namespace keras::callbacks {
namespace {

using testing::back;
using testing::bold;
using testing::done;
using testing::todo;

// A logger on a clock the test sets; `at(t, hook)` runs a hook at time t and returns what
// it printed.
class ProgbarLoggerTest : public ::testing::Test {
 protected:
  ProgbarLogger logger{{.clock = [this] { return now_; },
                        .write = [this](std::string_view text) { printed_ += text; }}};

  std::string at(double time, const std::function<void()>& hook) {
    now_ = time;
    printed_.clear();
    hook();
    return printed_;
  }

 private:
  double now_ = 0.0;
  std::string printed_;
};

const Logs epoch_logs{{"accuracy", 0.75}, {"loss", 0.5}, {"val_accuracy", 0.8}, {"val_loss", 0.4}};

TEST_F(ProgbarLoggerTest, FitShowsEpochLinesABarPerEpochAndTheEpochLogs) {
  logger.set_params(2, 3, 1);
  EXPECT_EQ(at(0.0, [&] { logger.on_train_begin({}); }), "");
  EXPECT_EQ(at(0.0, [&] { logger.on_epoch_begin(0, {}); }), "Epoch 1/2\n");
  EXPECT_EQ(at(0.5,
               [&] {
                 logger.on_train_batch_end(0, {{"accuracy", 0.5}, {"loss", 0.9}});
               }),
            "\r" + bold("1/3") + " " + done(6) + todo(14) + " " + bold("1s") +
                " 500ms/step - accuracy: 0.5000 - loss: 0.9000");
  EXPECT_EQ(at(0.75,
               [&] {
                 logger.on_train_batch_end(1, {{"accuracy", 0.6}, {"loss", 0.7}});
               }),
            back(72) + "\r" + bold("2/3") + " " + done(13) + todo(7) + " " + bold("0s") +
                " 250ms/step - accuracy: 0.5500 - loss: 0.8000");
  EXPECT_EQ(at(1.0,
               [&] {
                 logger.on_train_batch_end(2, {{"accuracy", 0.7}, {"loss", 0.6}});
               }),
            back(72) + "\r" + bold("3/3") + " " + done(20) + todo(0) + " " + bold("0s") +
                " 250ms/step - accuracy: 0.6000 - loss: 0.7333");
  // The validation inside fit prints nothing.
  EXPECT_EQ(at(1.1,
               [&] {
                 logger.on_test_begin({});
                 logger.on_test_batch_end(0, {{"loss", 0.3}});
                 logger.on_test_end({{"loss", 0.4}});
               }),
            "");
  Logs logs = epoch_logs;
  EXPECT_EQ(at(1.25, [&] { logger.on_epoch_end(0, logs); }),
            back(72) + "\r" + bold("3/3") + " " + done(20) + todo(0) + " " + bold("1s") +
                " 375ms/step - accuracy: 0.7500 - loss: 0.5000 - val_accuracy: 0.8000 - "
                "val_loss: 0.4000\n");
  // A new epoch, a new bar.
  EXPECT_EQ(at(2.0, [&] { logger.on_epoch_begin(1, {}); }), "Epoch 2/2\n");
  EXPECT_EQ(at(2.5,
               [&] {
                 logger.on_train_batch_end(0, {{"accuracy", 0.5}, {"loss", 0.9}});
               }),
            "\r" + bold("1/3") + " " + done(6) + todo(14) + " " + bold("1s") +
                " 500ms/step - accuracy: 0.5000 - loss: 0.9000");
}

TEST_F(ProgbarLoggerTest, OneEpochHasNoEpochLine) {
  logger.set_params(1, 3, 1);
  logger.on_train_begin({});
  EXPECT_EQ(at(0.0, [&] { logger.on_epoch_begin(0, {}); }), "");
}

TEST_F(ProgbarLoggerTest, VerboseTwoPrintsOneLinePerEpoch) {
  logger.set_params(2, 3, 2);
  logger.on_train_begin({});
  EXPECT_EQ(at(0.0, [&] { logger.on_epoch_begin(0, {}); }), "Epoch 1/2\n");
  EXPECT_EQ(at(0.5,
               [&] {
                 logger.on_train_batch_end(0, {{"accuracy", 0.5}, {"loss", 0.9}});
                 logger.on_train_batch_end(1, {{"accuracy", 0.6}, {"loss", 0.7}});
               }),
            "");
  Logs logs = epoch_logs;
  EXPECT_EQ(at(1.0, [&] { logger.on_train_batch_end(2, {{"accuracy", 0.7}, {"loss", 0.6}}); }), "");
  // Keras's verbose-2 estimate: the first step's end is never reported, so it is elapsed / 3.
  EXPECT_EQ(at(1.25, [&] { logger.on_epoch_end(0, logs); }),
            "3/3 - 1s - 417ms/step - accuracy: 0.7500 - loss: 0.5000 - val_accuracy: 0.8000 - "
            "val_loss: 0.4000\n");
}

TEST_F(ProgbarLoggerTest, UnknownStepsAreCountedAndKnownAfterTheFirstEpoch) {
  // verbose "auto" is taken as 1, as Keras's ProgbarLogger takes it.
  logger.set_params(1, std::nullopt, verbose_auto);
  logger.on_train_begin({});
  logger.on_epoch_begin(0, {});
  EXPECT_EQ(at(0.5,
               [&] {
                 logger.on_train_batch_end(0, {{"loss", 1.0}});
               }),
            "\r      1/Unknown " + bold("0s") + " 500ms/step - loss: 1.0000");
  EXPECT_EQ(at(1.0,
               [&] {
                 logger.on_train_batch_end(1, {{"loss", 0.5}});
               }),
            back(44) + "\r      2/Unknown " + bold("1s") + " 500ms/step - loss: 0.7500");
  Logs logs{{"loss", 0.25}};
  EXPECT_EQ(at(1.5, [&] { logger.on_epoch_end(0, logs); }),
            back(44) + "\r" + bold("2/2") + " " + done(20) + todo(0) + " " + bold("2s") +
                " 1s/step - loss: 0.2500\n");
}

TEST_F(ProgbarLoggerTest, EvaluateShowsABarOverTheTestBatches) {
  logger.set_params(1, 2, 1);
  logger.on_test_begin({});
  EXPECT_EQ(at(0.5,
               [&] {
                 logger.on_test_batch_end(0, {{"loss", 1.0}});
               }),
            "\r" + bold("1/2") + " " + done(10) + todo(10) + " " + bold("0s") +
                " 500ms/step - loss: 1.0000");
  EXPECT_EQ(at(1.5,
               [&] {
                 logger.on_test_end({{"loss", 0.25}});
               }),
            back(53) + "\r" + bold("2/2") + " " + done(20) + todo(0) + " " + bold("2s") +
                " 1s/step - loss: 0.2500   \n");
}

TEST_F(ProgbarLoggerTest, PredictShowsABarWithoutFigures) {
  logger.set_params(1, 2, 1);
  logger.on_predict_begin({});
  EXPECT_EQ(at(0.5,
               [&] {
                 logger.on_predict_batch_end(0, {{"outputs", 1.0}});
               }),
            "\r" + bold("1/2") + " " + done(10) + todo(10) + " " + bold("0s") + " 500ms/step");
  EXPECT_EQ(
      at(1.0, [&] { logger.on_predict_batch_end(1, {}); }),
      back(38) + "\r" + bold("2/2") + " " + done(20) + todo(0) + " " + bold("0s") + " 500ms/step");
  EXPECT_EQ(at(1.5, [&] { logger.on_predict_end({}); }), back(38) + "\r" + bold("2/2") + " " +
                                                             done(20) + todo(0) + " " + bold("2s") +
                                                             " 1s/step   \n");
}

TEST_F(ProgbarLoggerTest, VerboseZeroPrintsNothing) {
  logger.set_params(3, 2, 0);
  logger.on_train_begin({});
  Logs logs{{"loss", 1.0}};
  EXPECT_EQ(at(1.0,
               [&] {
                 logger.on_epoch_begin(0, {});
                 logger.on_train_batch_end(0, logs);
                 logger.on_epoch_end(0, logs);
               }),
            "");
}

}  // namespace
}  // namespace keras::callbacks
