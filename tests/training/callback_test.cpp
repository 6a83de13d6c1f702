// SPDX-License-Identifier: Apache-2.0
#include "keras/callbacks/callback.h"

#include "keras/error.h"
#include "keras/sequential.h"
#include "support/expect_error.h"

#include <gtest/gtest.h>

namespace keras::callbacks {
namespace {

using testing::error_message;

TEST(CallbackTest, ModelIsTheOneAttached) {
  Sequential model;
  Callback callback;
  callback.set_model(&model);
  EXPECT_EQ(&callback.model(), &model);
}

TEST(CallbackTest, ModelThrowsWhenNotAttached) {
  const Callback callback;
  EXPECT_EQ(error_message<ValueError>([&] { (void)callback.model(); }),
            "This callback is not attached to a model: pass it to `fit()`, `evaluate()` or "
            "`predict()`, or call `set_model(&model)` first.");
}

}  // namespace
}  // namespace keras::callbacks
