// SPDX-License-Identifier: Apache-2.0
#include "keras/shape.h"

#include "keras/error.h"
#include "support/expect_error.h"

#include <gtest/gtest.h>

namespace keras {
namespace {

using testing::error_message;

TEST(ShapeTest, PrintsLikePythonTuples) {
  EXPECT_EQ(Shape({None, 784}).to_string(), "(None, 784)");
  EXPECT_EQ(Shape({None, None}).to_string(), "(None, None)");
  EXPECT_EQ(Shape({None, 28, 28, 1}).to_string(), "(None, 28, 28, 1)");
  EXPECT_EQ(Shape({None}).to_string(), "(None,)");
  EXPECT_EQ(Shape{}.to_string(), "()");
}

TEST(ShapeTest, NumElementsIsNoneWhenAnyAxisIsUnknown) {
  EXPECT_EQ(Shape({2, 3, 4}).num_elements(), Dim(24));
  EXPECT_EQ(Shape({2, None}).num_elements(), None);
  EXPECT_EQ(Shape{}.num_elements(), Dim(1));
}

TEST(ShapeTest, WithBatchPrependsAndWithoutBatchDrops) {
  EXPECT_EQ(Shape({28, 28, 1}).with_batch(None), Shape({None, 28, 28, 1}));
  EXPECT_EQ(Shape({None, 28, 1}).without_batch(), Shape({28, 1}));
}

TEST(ShapeTest, SizesOfAPartlyUnknownShapeThrow) {
  EXPECT_EQ(Shape({2, 3}).sizes(), (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(error_message<ValueError>([] {
              (void)Shape({None, 3}).sizes();
            }),
            "Shape (None, 3) is not fully defined: every axis must be known.");
}

TEST(ShapeTest, CompatibilityIgnoresUnknownAxesButNotRank) {
  EXPECT_TRUE(Shape({None, 3}).is_compatible_with(Shape({8, 3})));
  EXPECT_FALSE(Shape({None, 3}).is_compatible_with(Shape({8, 4})));
  EXPECT_FALSE(Shape({None, 3}).is_compatible_with(Shape({8, 3, 1})));
}

TEST(ShapeTest, OptionalShapeTakesABracedList) {
  const OptionalShape given = {28, None};
  const OptionalShape not_given = {};
  ASSERT_TRUE(given.has_value());
  EXPECT_EQ(*given, Shape({28, None}));
  EXPECT_FALSE(not_given.has_value());
}

}  // namespace
}  // namespace keras
