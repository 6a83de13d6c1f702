// SPDX-License-Identifier: Apache-2.0
#include "keras/variable.h"

#include "support/expect_error.h"
#include "support/tensor_matchers.h"

#include <gtest/gtest.h>

namespace keras {
namespace {

using testing::all_close;
using testing::error_message;

TEST(VariableTest, VersionCountsAssignAndMarkModified) {
  Variable variable("dense/kernel", Tensor::zeros({2, 3}), true);
  EXPECT_EQ(variable.version(), 0u);
  variable.assign(Tensor::ones({2, 3}));
  EXPECT_EQ(variable.version(), 1u);
  variable.value().copy_from(Tensor::zeros({2, 3}));  // in place, as an optimizer writes
  EXPECT_EQ(variable.version(), 1u);
  variable.mark_modified();
  EXPECT_EQ(variable.version(), 2u);
}

TEST(VariableTest, CopiesShareValuesAndVersion) {
  Variable variable("conv2d/bias", Tensor::zeros({4}), true);
  Variable copy = variable;
  copy.assign(Tensor::ones({4}));
  EXPECT_TRUE(all_close(variable.value(), Tensor::ones({4})));
  EXPECT_EQ(variable.version(), 1u);
  variable.mark_modified();
  EXPECT_EQ(copy.version(), 2u);
}

TEST(VariableTest, RejectedAssignKeepsTheVersion) {
  Variable variable("dense/bias", Tensor::zeros({3}), true);
  EXPECT_EQ(error_message<ValueError>([&] { variable.assign(Tensor::zeros({4})); }),
            "Variable 'dense/bias' has shape (3,), but the assigned value has shape (4,)");
  EXPECT_EQ(variable.version(), 0u);
}

}  // namespace
}  // namespace keras
