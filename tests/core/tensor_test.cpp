// SPDX-License-Identifier: Apache-2.0
#include "keras/tensor.h"

#include "support/expect_error.h"
#include "support/tensor_matchers.h"
#include "support/tensors.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <numeric>

namespace keras {
namespace {

using testing::all_close;
using testing::error_message;
using testing::iota;

TEST(TensorTest, FactoriesFillEveryElement) {
  EXPECT_EQ(Tensor::zeros({2, 3}).to_vector(), std::vector<float>(6, 0.0f));
  EXPECT_EQ(Tensor::ones({4}).to_vector(), std::vector<float>(4, 1.0f));
  EXPECT_EQ(Tensor::full({2, 2}, 2.5).to_vector(), std::vector<float>(4, 2.5f));
  const Tensor labels = Tensor::full({3}, 7, DType::int32);
  EXPECT_EQ(labels.dtype(), DType::int32);
  EXPECT_EQ(labels.at<std::int32_t>({2}), 7);
}

TEST(TensorTest, FromDataKeepsRowMajorOrder) {
  const std::vector<float> values{0, 1, 2, 3, 4, 5};
  const Tensor tensor = Tensor::from_data(values, {2, 3});
  EXPECT_EQ(tensor.at({1, 0}), 3.0f);
  EXPECT_EQ(tensor.strides(), (std::vector<std::int64_t>{3, 1}));
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)Tensor::from_data(values, {4, 2});
            }),
            "from_data: 6 values cannot fill a tensor of shape (4, 2)");
}

TEST(TensorTest, StorageIs64ByteAligned) {
  for (std::int64_t size : {1, 3, 17, 1000}) {
    const Tensor tensor = Tensor::empty({size});
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(tensor.raw_data()) % 64, 0u);
  }
}

TEST(TensorTest, ReshapeOfAContiguousTensorIsAView) {
  Tensor x = iota({2, 3, 4});
  Tensor flat = x.reshape({2, -1});
  EXPECT_EQ(flat.shape(), (std::vector<std::int64_t>{2, 12}));
  EXPECT_TRUE(flat.shares_storage_with(x));
  EXPECT_EQ(flat.raw_data(), x.raw_data());
  flat.at({1, 0}) = -1.0f;
  EXPECT_EQ(x.at({1, 0, 0}), -1.0f);
}

TEST(TensorTest, ReshapeRejectsImpossibleShapes) {
  const Tensor x = iota({2, 3});
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)x.reshape({-1, -1});
            }),
            "Can only specify one unknown dimension (-1) in reshape");
  EXPECT_EQ(error_message<ValueError>([&] {
              (void)x.reshape({4, -1});
            }),
            "Cannot reshape a tensor of shape (2, 3) into shape (4, -1)");
  EXPECT_EQ(error_message<ValueError>([&] { (void)x.reshape({5}); }),
            "Cannot reshape a tensor of shape (2, 3) into shape (5,)");
}

TEST(TensorTest, PermuteIsAViewWithPermutedStrides) {
  const Tensor x = iota({2, 3, 4});
  const Tensor y = x.permute({2, 0, 1});
  EXPECT_TRUE(y.shares_storage_with(x));
  EXPECT_EQ(y.shape(), (std::vector<std::int64_t>{4, 2, 3}));
  EXPECT_EQ(y.strides(), (std::vector<std::int64_t>{1, 12, 4}));
  EXPECT_FALSE(y.is_contiguous());
  EXPECT_EQ(y.at({3, 1, 2}), x.at({1, 2, 3}));
}

TEST(TensorTest, ContiguousCopiesOnlyWhenNeeded) {
  const Tensor x = iota({2, 3});
  EXPECT_TRUE(x.contiguous().shares_storage_with(x));
  const Tensor transposed = x.transpose(0, 1).contiguous();
  EXPECT_FALSE(transposed.shares_storage_with(x));
  EXPECT_TRUE(transposed.is_contiguous());
  EXPECT_EQ(transposed.to_vector(), (std::vector<float>{0, 3, 1, 4, 2, 5}));
}

TEST(TensorTest, ReshapeOfANonContiguousViewCopies) {
  const Tensor x = iota({2, 3});
  const Tensor y = x.transpose(0, 1).reshape({6});
  EXPECT_FALSE(y.shares_storage_with(x));
  EXPECT_EQ(y.to_vector(), (std::vector<float>{0, 3, 1, 4, 2, 5}));
}

TEST(TensorTest, SliceIsAViewOfRows) {
  Tensor x = iota({4, 2});
  Tensor rows = x.slice(1, 3);
  EXPECT_TRUE(rows.shares_storage_with(x));
  EXPECT_EQ(rows.to_vector(), (std::vector<float>{2, 3, 4, 5}));
  EXPECT_EQ(error_message<IndexError>([&] { (void)x.slice(3, 5); }),
            "Slice [3, 5) is out of range for a first axis of size 4");
}

TEST(TensorTest, NarrowIsAViewOfAnyAxis) {
  Tensor x = iota({2, 3, 4});
  Tensor middle = x.narrow(2, 1, 2);
  EXPECT_TRUE(middle.shares_storage_with(x));
  EXPECT_EQ(middle.shape(), (std::vector<std::int64_t>{2, 3, 2}));
  EXPECT_EQ(middle.at({1, 2, 0}), x.at({1, 2, 1}));
  middle.copy_from(Tensor::zeros({2, 3, 2}));
  EXPECT_EQ(x.at({0, 0, 2}), 0.0f);
  EXPECT_EQ(x.at({0, 0, 3}), 3.0f);
  EXPECT_EQ(error_message<IndexError>([&] { (void)x.narrow(-1, 3, 2); }),
            "narrow: [3, 5) is out of range for axis -1 of size 4");
}

TEST(TensorTest, CopyFromHandlesAnyStridesAndRank) {
  const Tensor x = iota({2, 3, 1, 4, 5});
  const Tensor permuted = x.permute({4, 2, 0, 3, 1});
  Tensor packed = Tensor::empty(permuted.shape());
  packed.copy_from(permuted);
  for (std::int64_t a = 0; a < 5; ++a) {
    for (std::int64_t b = 0; b < 2; ++b) {
      for (std::int64_t c = 0; c < 4; ++c) {
        for (std::int64_t d = 0; d < 3; ++d) {
          ASSERT_EQ(packed.at({a, 0, b, c, d}), x.at({b, d, 0, c, a}));
        }
      }
    }
  }
}

TEST(TensorTest, CopyFromWorksForInt32) {
  const std::vector<std::int32_t> labels{1, 2, 3, 4, 5, 6};
  const Tensor x = Tensor::from_data(labels, {2, 3});
  EXPECT_TRUE(all_close(x.transpose(0, 1).contiguous().transpose(0, 1), x));
}

TEST(TensorTest, CopyFromRejectsOtherShapes) {
  Tensor destination = Tensor::zeros({2, 2});
  EXPECT_EQ(error_message<ValueError>([&] { destination.copy_from(Tensor::zeros({4})); }),
            "copy_from: cannot copy a float32 tensor of shape (4,) into a float32 tensor of "
            "shape (2, 2)");
}

TEST(TensorTest, RandomFactoriesAreSeeded) {
  const Tensor a = Tensor::uniform({1000}, -2.0f, 3.0f, 42);
  EXPECT_TRUE(all_close(a, Tensor::uniform({1000}, -2.0f, 3.0f, 42)));
  EXPECT_FALSE(all_close(a, Tensor::uniform({1000}, -2.0f, 3.0f, 43)));
  for (const float value : a.to_vector()) {
    EXPECT_GE(value, -2.0f);
    EXPECT_LT(value, 3.0f);
  }
  const auto normal = Tensor::normal({20000}, 1.0f, 2.0f, 7).to_vector();
  double sum = 0.0;
  double squares = 0.0;
  for (const float value : normal) {
    sum += value;
    squares += double{value} * value;
  }
  const double mean = sum / static_cast<double>(normal.size());
  EXPECT_NEAR(mean, 1.0, 0.05);
  EXPECT_NEAR(std::sqrt(squares / static_cast<double>(normal.size()) - mean * mean), 2.0, 0.05);
}

TEST(TensorTest, ElementAccessChecksIndexAndType) {
  Tensor x = Tensor::zeros({2, 2});
  EXPECT_EQ(error_message<IndexError>([&] {
              (void)x.at({2, 0});
            }),
            "Index 2 is out of range for axis 0 of size 2");
  EXPECT_EQ(error_message<IndexError>([&] { (void)x.at({0}); }),
            "An index of 1 values for a tensor of rank 2");
  EXPECT_EQ(error_message<TypeError>([&] { (void)x.data<std::int32_t>(); }),
            "Tensor::data<T>(): T does not match the tensor's dtype");
}

TEST(TensorTest, RejectsNegativeAndOverflowingShapes) {
  EXPECT_EQ(error_message<ValueError>([] {
              (void)Tensor::zeros({2, -1});
            }),
            "Negative dimension in tensor shape (2, -1)");
  EXPECT_EQ(error_message<ValueError>([] {
              (void)Tensor::empty({1LL << 40, 1LL << 40});
            }),
            "Tensor shape (1099511627776, 1099511627776) has too many elements");
  // Found by fuzz_npy: a zero-sized axis must not hide an overflowing stride.
  EXPECT_EQ(error_message<ValueError>([] {
              (void)Tensor::empty({0, 89998200009, 9999999999999});
            }),
            "Tensor shape (0, 89998200009, 9999999999999) has too many elements");
  EXPECT_EQ(error_message<ValueError>([] {
              (void)Tensor::empty({1LL << 31, 1LL << 31});
            }),
            "Tensor shape (2147483648, 2147483648) has too many elements");
  EXPECT_EQ(error_message<ValueError>([] {
              (void)Tensor::empty({1LL << 30, 1LL << 30});
            }),
            "Out of memory: a float32 tensor of shape (1073741824, 1073741824) needs "
            "4611686018427387904 bytes");
}

TEST(TensorTest, AstypeConvertsAsNumpy) {
  const std::vector<float> values{-1.5f, 0.0f, 2.7f, 255.0f};
  const Tensor x = Tensor::from_data(values, {4});
  EXPECT_TRUE(x.astype(DType::float32).shares_storage_with(x));
  const Tensor wide = x.astype(DType::float64);
  EXPECT_EQ(wide.dtype(), DType::float64);
  EXPECT_EQ(wide.at<double>({2}), double{2.7f});
  EXPECT_EQ(x.astype(DType::int64).at<std::int64_t>({0}), -1);  // truncation, as C and NumPy
  EXPECT_EQ(x.astype(DType::uint8).at<std::uint8_t>({3}), 255);
  EXPECT_EQ(wide.transpose(0, 0).astype(DType::float32).to_vector(), values);
  EXPECT_EQ(Tensor::full({2}, 7, DType::int64).to_string(),
            "Tensor(shape=(2,), dtype=int64, [7, 7])");
}

TEST(TensorTest, StridedCopiesOfEightAndOneByteElements) {
  for (const DType dtype : {DType::float64, DType::int64, DType::uint8}) {
    const Tensor x = iota({3, 5}).astype(dtype);
    EXPECT_EQ(x.transpose(0, 1).contiguous().to_vector(),
              iota({3, 5}).transpose(0, 1).contiguous().to_vector())
        << name_of(dtype);
  }
}

TEST(TensorTest, EmptyTensorsHaveNoElements) {
  const Tensor x = Tensor::zeros({0, 60});
  EXPECT_EQ(x.size(), 0);
  EXPECT_EQ(x.reshape({0, 6, 10}).shape(), (std::vector<std::int64_t>{0, 6, 10}));
  EXPECT_EQ(x.transpose(0, 1).contiguous().shape(), (std::vector<std::int64_t>{60, 0}));
}

TEST(TensorTest, PrintsLikeNumpy) {
  EXPECT_EQ(iota({2, 3}).to_string(),
            "Tensor(shape=(2, 3), dtype=float32, [[0, 1, 2],\n [3, 4, 5]])");
  EXPECT_EQ(Tensor::full({}, 1.5).to_string(), "Tensor(shape=(), dtype=float32, 1.5)");
  EXPECT_EQ(iota({2000}).to_string(),
            "Tensor(shape=(2000,), dtype=float32, [0, 1, 2, ..., 1997, 1998, 1999])");
  EXPECT_EQ(Tensor().to_string(), "Tensor(undefined)");
}

}  // namespace
}  // namespace keras
