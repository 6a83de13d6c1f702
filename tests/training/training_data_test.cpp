// SPDX-License-Identifier: Apache-2.0
// The data handling behind fit: checks, the validation split, the epoch order and batches.
#include "training/training_data.h"

#include "keras/error.h"
#include "support/expect_error.h"
#include "support/tensor_matchers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <vector>

namespace keras::testing {
namespace {

using training::epoch_order;
using training::prepare_data;
using training::split_validation;
using training::take_rows;

TEST(TrainingDataTest, ShuffledOrderIsAPermutationFixedByItsSeed) {
  const auto order = epoch_order(100, /*shuffle=*/true, /*seed=*/5);
  std::vector<std::int64_t> identity(100);
  std::iota(identity.begin(), identity.end(), 0);
  EXPECT_NE(order, identity);
  EXPECT_TRUE(std::is_permutation(order.begin(), order.end(), identity.begin()));
  EXPECT_EQ(order, epoch_order(100, true, 5));
  EXPECT_NE(order, epoch_order(100, true, 6));
  EXPECT_EQ(epoch_order(100, /*shuffle=*/false, 5), identity);
}

TEST(TrainingDataTest, TakesConsecutiveRowsAsAViewAndGathersOthers) {
  const Tensor source = Tensor::uniform({6, 2, 3}, -1.0f, 1.0f, 1);
  const std::vector<std::int64_t> in_order{0, 1, 2, 3, 4, 5};
  const Tensor view = take_rows(source, in_order, 2, 5);
  EXPECT_TRUE(view.shares_storage_with(source));
  EXPECT_TRUE(all_close(view, source.slice(2, 5), 0.0, 0.0));

  const std::vector<std::int64_t> shuffled{4, 0, 5, 1, 3, 2};
  const Tensor gathered = take_rows(source, shuffled, 1, 4);
  EXPECT_FALSE(gathered.shares_storage_with(source));
  ASSERT_EQ(gathered.shape(), (std::vector<std::int64_t>{3, 2, 3}));
  EXPECT_TRUE(all_close(gathered.slice(0, 1), source.slice(0, 1), 0.0, 0.0));
  EXPECT_TRUE(all_close(gathered.slice(1, 2), source.slice(5, 6), 0.0, 0.0));
  EXPECT_TRUE(all_close(gathered.slice(2, 3), source.slice(1, 2), 0.0, 0.0));
}

TEST(TrainingDataTest, ValidationSplitKeepsTheLastFraction) {
  const auto data = prepare_data(Tensor::uniform({10, 3}, 0.0f, 1.0f, 2),
                                 Tensor::zeros({10}, DType::int32), "fit");
  const auto [train, validation] = split_validation(data, 0.25);
  EXPECT_EQ(train.size(), 7);  // floor(10 * 0.75)
  EXPECT_EQ(validation.size(), 3);
  EXPECT_TRUE(validation.x.shares_storage_with(data.x));
  EXPECT_TRUE(all_close(validation.x, data.x.slice(7, 10), 0.0, 0.0));
}

TEST(TrainingDataTest, TargetsBecomeInt32LabelsOrFloat32Values) {
  const Tensor x = Tensor::zeros({2, 1});
  EXPECT_EQ(prepare_data(x, Tensor::zeros({2}, DType::uint8), "fit").y.dtype(), DType::int32);
  EXPECT_EQ(prepare_data(x, Tensor::zeros({2}, DType::int64), "fit").y.dtype(), DType::int32);
  EXPECT_EQ(prepare_data(x, Tensor::zeros({2, 3}, DType::float64), "fit").y.dtype(),
            DType::float32);
  const Tensor strided = Tensor::zeros({3, 2}).transpose(0, 1);
  EXPECT_TRUE(prepare_data(strided, Tensor::zeros({2}), "fit").x.is_contiguous());
}

}  // namespace
}  // namespace keras::testing
