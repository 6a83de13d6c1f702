// SPDX-License-Identifier: Apache-2.0
#include "keras/utils/to_categorical.h"

#include "keras/error.h"
#include "support/expect_error.h"
#include "support/tensor_matchers.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace keras::utils {
namespace {

using testing::all_close;
using testing::error_message;

Tensor labels(const std::vector<std::int32_t>& values, std::vector<std::int64_t> shape) {
  return Tensor::from_data(values, std::move(shape));
}

TEST(ToCategoricalTest, EncodesEachLabelAsARowWithAOneAtItsClass) {
  const Tensor one_hot = to_categorical(labels({0, 2, 1}, {3}), 4);
  EXPECT_EQ(one_hot.dtype(), DType::float32);
  const std::vector<float> expected{1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0};
  EXPECT_TRUE(all_close(one_hot, Tensor::from_data(expected, {3, 4})));
}

TEST(ToCategoricalTest, InfersNumClassesFromTheLargestLabel) {
  const Tensor one_hot = to_categorical(labels({1, 3}, {2}).astype(DType::uint8));
  EXPECT_EQ(one_hot.shape(), (std::vector<std::int64_t>{2, 4}));
  EXPECT_EQ(one_hot.at({1, 3}), 1.0f);
}

TEST(ToCategoricalTest, DropsATrailingAxisOfSizeOneAsKerasDoes) {
  EXPECT_EQ(to_categorical(labels({0, 1, 2}, {3, 1}), 10).shape(),
            (std::vector<std::int64_t>{3, 10}));
  EXPECT_EQ(to_categorical(labels({0, 1, 2, 3}, {2, 2}), 5).shape(),
            (std::vector<std::int64_t>{2, 2, 5}));
  EXPECT_EQ(to_categorical(labels({2}, {1}), 3).shape(), (std::vector<std::int64_t>{1, 3}));
  const Tensor scalar = to_categorical(Tensor::full({}, 2.0, DType::int64), 3);
  EXPECT_EQ(scalar.shape(), (std::vector<std::int64_t>{3}));
  EXPECT_EQ(scalar.at({2}), 1.0f);
}

TEST(ToCategoricalTest, TakesEveryDtypeAndViews) {
  for (const DType dtype : {DType::float32, DType::float64, DType::int64, DType::uint8}) {
    const Tensor one_hot = to_categorical(labels({3, 0}, {2}).astype(dtype), 4);
    EXPECT_EQ(one_hot.at({0, 3}), 1.0f) << name_of(dtype);
    EXPECT_EQ(one_hot.at({1, 0}), 1.0f) << name_of(dtype);
  }
  const Tensor columns = labels({0, 1, 2, 3, 4, 5}, {2, 3}).transpose(0, 1);  // [[0,3],[1,4],..
  EXPECT_EQ(to_categorical(columns, 6).at({0, 1, 3}), 1.0f);
  EXPECT_EQ(to_categorical(Tensor::zeros({0}, DType::int32), 3).shape(),
            (std::vector<std::int64_t>{0, 3}));
}

TEST(ToCategoricalTest, NamesALabelOutsideTheClasses) {
  EXPECT_EQ(error_message<ValueError>([] {
              (void)to_categorical(labels({0, 9, 2, 10}, {4}), 10);
            }),
            "to_categorical: label 10 at position 3 is outside [0, 10) for num_classes=10");
  EXPECT_EQ(error_message<ValueError>([] {
              (void)to_categorical(labels({1, -1}, {2}));
            }),
            "to_categorical: label -1 at position 1 is negative; labels must be class indices "
            "from 0");
}

TEST(ToCategoricalTest, RejectsLabelsThatAreNotWholeNumbers) {
  const std::vector<float> halves{0.0f, 1.5f};
  EXPECT_EQ(
      error_message<ValueError>([&] { (void)to_categorical(Tensor::from_data(halves, {2})); }),
      "to_categorical: label 1.5 at position 1 is not a whole number; labels must be class "
      "indices");
  const std::vector<float> nan{std::numeric_limits<float>::quiet_NaN()};
  EXPECT_EQ(error_message<ValueError>([&] { (void)to_categorical(Tensor::from_data(nan, {1})); }),
            "to_categorical: label nan at position 0 is not a whole number; labels must be class "
            "indices");
}

TEST(ToCategoricalTest, RejectsLabelsTooLargeToBeClassIndices) {
  const std::vector<float> huge{1e30f};
  EXPECT_EQ(error_message<ValueError>([&] { (void)to_categorical(Tensor::from_data(huge, {1})); }),
            "to_categorical: label 1.0000000150474662e+30 at position 0 is too large to be a "
            "class index");
}

TEST(ToCategoricalTest, RejectsABadNumClassesAndAnEmptyArrayWithoutOne) {
  EXPECT_EQ(error_message<ValueError>([] { (void)to_categorical(labels({0}, {1}), 0); }),
            "to_categorical: num_classes must be a positive integer. Received: num_classes=0");
  EXPECT_EQ(
      error_message<ValueError>([] { (void)to_categorical(Tensor::zeros({0}, DType::int32)); }),
      "to_categorical: cannot infer num_classes from an empty array of labels; pass "
      "num_classes");
}

}  // namespace
}  // namespace keras::utils
