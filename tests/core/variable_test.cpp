// SPDX-License-Identifier: Apache-2.0
#include "keras/variable.h"

#include "detail/block_cache.h"
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

TEST(VariableTest, GradientIsZerosSharedByCopies) {
  Variable variable("dense/kernel", Tensor::ones({2, 3}), true);
  Variable copy = variable;
  EXPECT_TRUE(all_close(copy.gradient(), Tensor::zeros({2, 3}), 0.0, 0.0));
  copy.gradient().data<float>()[4] = 5.0f;  // as a backward pass writes it
  EXPECT_EQ(variable.gradient().data<float>()[4], 5.0f);
}

// A model that only predicts never asks for gradients, so it holds none.
TEST(VariableTest, MakesItsGradientOnFirstUse) {
  constexpr std::int64_t floats = std::int64_t{1} << 18;  // 1 MiB: blocks the cache keeps
  detail::release_cached_blocks();
  { const Tensor first = Tensor::empty({floats}), second = Tensor::empty({floats}); }
  const std::size_t cached = detail::cached_block_bytes();
  Variable variable("dense/kernel", Tensor::empty({floats}), true);  // takes one block
  EXPECT_EQ(detail::cached_block_bytes(), cached / 2);
  const Tensor& gradient = variable.gradient();
  EXPECT_EQ(detail::cached_block_bytes(), 0u);  // the gradient took the other
  EXPECT_TRUE(all_close(gradient, Tensor::zeros({floats}), 0.0, 0.0));
  detail::release_cached_blocks();
}

}  // namespace
}  // namespace keras
