// SPDX-License-Identifier: Apache-2.0
#include "detail/storage_access.h"

#include "support/tensors.h"

#include <gtest/gtest.h>

#include <vector>

namespace keras::detail {
namespace {

using testing::iota;

TEST(StorageAccessTest, EveryViewOfTheTargetShowsTheSourcesBytes) {
  Tensor target = Tensor::zeros({2, 3});
  const Tensor view_before = target.reshape({6});
  Tensor source = iota({32}).narrow(0, 16, 6).reshape({2, 3});  // 64 bytes in: 16 .. 21
  ASSERT_TRUE(StorageAccess::share_bytes(target, source));
  EXPECT_EQ(target.raw_data(), source.raw_data());
  EXPECT_EQ(view_before.to_vector(), (std::vector<float>{16, 17, 18, 19, 20, 21}));
  source.copy_from(Tensor::zeros({2, 3}));  // the bytes are shared, not copied
  EXPECT_EQ(target.to_vector(), std::vector<float>(6, 0.0f));
}

TEST(StorageAccessTest, KeepsTheSourcesStorageAlive) {
  Tensor target = Tensor::zeros({3});
  {
    const Tensor source = iota({3});
    ASSERT_TRUE(StorageAccess::share_bytes(target, source));
  }
  EXPECT_EQ(target.to_vector(), (std::vector<float>{0, 1, 2}));
}

TEST(StorageAccessTest, AStorageThatLendsNeverBorrows) {
  const Tensor image = iota({16});
  Tensor lender = Tensor::zeros({16});
  Tensor borrower = Tensor::zeros({16});
  ASSERT_TRUE(StorageAccess::share_bytes(borrower, lender));
  // Re-pointing the lender would free the block its borrower shows.
  EXPECT_FALSE(StorageAccess::can_share(lender, image));
  EXPECT_FALSE(StorageAccess::share_bytes(lender, image));
  lender.copy_from(iota({16}));
  EXPECT_EQ(borrower.at({15}), 15.0f);
}

TEST(StorageAccessTest, RefusesWhatCannotShareAndChangesNothing) {
  const Tensor source = iota({2, 3});
  Tensor part = Tensor::zeros({4, 3}).narrow(0, 1, 2);  // does not cover its storage
  Tensor other_shape = Tensor::zeros({3, 2});
  Tensor other_dtype = Tensor::zeros({2, 3}, DType::int32);
  Tensor same = iota({2, 3});
  Tensor target = Tensor::zeros({2, 3});
  Tensor borrower = Tensor::zeros({2, 3});
  ASSERT_TRUE(StorageAccess::share_bytes(borrower, source));
  EXPECT_FALSE(StorageAccess::share_bytes(part, source));
  EXPECT_FALSE(StorageAccess::share_bytes(other_shape, source));
  EXPECT_FALSE(StorageAccess::share_bytes(other_dtype, source));
  EXPECT_FALSE(StorageAccess::share_bytes(same, same.reshape({2, 3})));
  EXPECT_FALSE(StorageAccess::share_bytes(target, iota({3, 2}).transpose(0, 1)));  // strided
  EXPECT_FALSE(StorageAccess::share_bytes(target, borrower));  // no chains of borrowing
  EXPECT_FALSE(StorageAccess::share_bytes(target, iota({12}).narrow(0, 6, 6).reshape({2, 3})))
      << "24 bytes in: off a cache line";
  EXPECT_EQ(part.to_vector(), std::vector<float>(6, 0.0f));
  EXPECT_EQ(target.to_vector(), std::vector<float>(6, 0.0f));
}

TEST(StorageAccessTest, MovesValuesDownToTheBoundaryBelowThem) {
  const Tensor image = iota({24});
  const Tensor values = image.narrow(0, 19, 4).reshape({2, 2});  // 76 bytes in: 12 past 64
  const std::optional<Tensor> moved = StorageAccess::move_to_boundary(values);
  ASSERT_TRUE(moved.has_value());
  EXPECT_EQ(moved->raw_data(), image.narrow(0, 16, 4).raw_data());
  EXPECT_EQ(moved->shape(), values.shape());
  EXPECT_EQ(moved->to_vector(), (std::vector<float>{19, 20, 21, 22}));
  EXPECT_TRUE(StorageAccess::can_share(Tensor::zeros({2, 2}), *moved));
  EXPECT_FALSE(StorageAccess::can_share(Tensor::zeros({2, 2}), values));
  EXPECT_TRUE(StorageAccess::can_share_once_aligned(Tensor::zeros({2, 2}), values));
}

TEST(StorageAccessTest, MovesNothingInAStorageThatLends) {
  const Tensor image = iota({24});
  Tensor borrower = Tensor::zeros({16});
  ASSERT_TRUE(StorageAccess::share_bytes(borrower, image.narrow(0, 0, 16)));
  EXPECT_FALSE(StorageAccess::move_to_boundary(image.narrow(0, 19, 4)).has_value());
  EXPECT_EQ(image.narrow(0, 16, 4).to_vector(), (std::vector<float>{16, 17, 18, 19}));
}

}  // namespace
}  // namespace keras::detail
