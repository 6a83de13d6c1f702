// SPDX-License-Identifier: Apache-2.0
#include "keras/callbacks/terminate_on_nan.h"

#include "keras/error.h"
#include "keras/sequential.h"
#include "support/expect_error.h"

#include <gtest/gtest.h>

#include <limits>

namespace keras::callbacks {
namespace {

using testing::error_message;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

TEST(TerminateOnNaNTest, AFiniteLossLetsTrainingGoOn) {
  Sequential model;
  TerminateOnNaN callback;
  callback.set_model(&model);
  ::testing::internal::CaptureStdout();
  callback.on_train_batch_end(0, {{"loss", 0.5}});
  callback.on_train_batch_end(1, {{"accuracy", nan}});  // only "loss" is watched
  EXPECT_EQ(::testing::internal::GetCapturedStdout(), "");
  EXPECT_FALSE(model.stop_training());
}

TEST(TerminateOnNaNTest, ANanOrInfiniteLossStopsTrainingWithKerasMessage) {
  for (const double loss : {nan, inf, -inf}) {
    Sequential model;
    TerminateOnNaN callback;
    callback.set_model(&model);
    ::testing::internal::CaptureStdout();
    callback.on_train_batch_end(7, {{"loss", loss}});
    EXPECT_EQ(::testing::internal::GetCapturedStdout(),
              "Batch 7: Invalid loss, terminating training\n");
    EXPECT_TRUE(model.stop_training());
  }
}

TEST(TerminateOnNaNTest, RaiseErrorThrowsInKerasWords) {
  Sequential model;
  TerminateOnNaN callback({.raise_error = true});
  callback.set_model(&model);
  EXPECT_EQ(error_message<Error>([&] {
              callback.on_train_batch_end(3, {{"loss", inf}});
            }),
            "NaN or Inf loss encountered at batch 3. Loss value: inf. Terminating training "
            "immediately.");
  EXPECT_FALSE(model.stop_training());
}

}  // namespace
}  // namespace keras::callbacks
