// SPDX-License-Identifier: Apache-2.0
#include "io/weight_assignments.h"

#include "support/temp_folder.h"
#include "support/tensors.h"

#include <gtest/gtest.h>

#include <vector>

namespace keras::io {
namespace {

using testing::iota;

class WeightAssignmentsTest : public ::testing::Test {
 protected:
  testing::TempFolder folder_{
      "kerascpp_weight_assignments_" +
      std::string(::testing::UnitTest::GetInstance()->current_test_info()->name())};
  hdf5::File file_ = hdf5::File::create((folder_.path() / "weights.h5").string());
};

TEST_F(WeightAssignmentsTest, VariablesShowTheImagesBytesWithoutACopy) {
  Tensor image = iota({32});  // stands for a file's image; the values are views of it
  Variable kernel("dense/kernel", Tensor::zeros({4, 4}), true);
  Variable bias("dense/bias", Tensor::zeros({16}), true);
  const Variable same_kernel = kernel;
  const Tensor kernel_before = kernel.value();
  assign_all(file_,
             {{kernel, image.narrow(0, 0, 16).reshape({4, 4})}, {bias, image.narrow(0, 16, 16)}});
  EXPECT_EQ(kernel.value().raw_data(), image.raw_data());
  EXPECT_EQ(bias.value().raw_data(), image.narrow(0, 16, 16).raw_data());
  EXPECT_EQ(kernel.version(), 1U);
  EXPECT_EQ(same_kernel.value().at({3, 3}), 15.0f);
  EXPECT_EQ(kernel_before.at({1, 0}), 4.0f);
  EXPECT_EQ(bias.value().at({0}), 16.0f);
  image = Tensor();  // the variables keep the image's bytes alive
  EXPECT_EQ(kernel.value().at({2, 1}), 9.0f);
}

TEST_F(WeightAssignmentsTest, AnImageMostlyOfOtherBytesIsCopied) {
  const Tensor image = iota({64});  // optimizer weights and the like beside one weight
  Variable kernel("dense/kernel", Tensor::zeros({16}), true);
  assign_all(file_, {{kernel, image.narrow(0, 0, 16)}});  // aligned, but a quarter of it
  EXPECT_NE(kernel.value().raw_data(), image.raw_data());
  EXPECT_EQ(kernel.value().at({15}), 15.0f);
}

TEST_F(WeightAssignmentsTest, AValueOffACacheLineMovesToItsStartAndIsBorrowed) {
  const Tensor image = iota({40});  // h5py's metadata before a dataset 16 bytes in
  Variable kernel("dense/kernel", Tensor::zeros({36}), true);
  assign_all(file_, {{kernel, image.narrow(0, 4, 36)}});
  EXPECT_EQ(kernel.value().raw_data(), image.raw_data());
  EXPECT_EQ(kernel.value().at({0}), 4.0f);
  EXPECT_EQ(kernel.value().at({35}), 39.0f);
}

TEST_F(WeightAssignmentsTest, AValueThatWouldMoveOverAnothersBytesIsCopied) {
  const Tensor image = iota({40});
  Variable bias("dense/bias", Tensor::zeros({2}), true);
  Variable kernel("dense/kernel", Tensor::zeros({36}), true);
  assign_all(file_, {{bias, image.narrow(0, 0, 2)}, {kernel, image.narrow(0, 4, 36)}});
  // The bias alone is too little of the image to keep it alive: copied too.
  EXPECT_NE(bias.value().raw_data(), image.raw_data());
  EXPECT_EQ(bias.value().to_vector(), (std::vector<float>{0, 1}));
  EXPECT_NE(kernel.value().raw_data(), image.raw_data());
  EXPECT_NE(kernel.value().raw_data(), image.narrow(0, 4, 36).raw_data());
  EXPECT_EQ(kernel.value().at({0}), 4.0f);
  EXPECT_EQ(kernel.value().at({35}), 39.0f);
}

TEST_F(WeightAssignmentsTest, AValueThatWouldMoveOverACopiedOneIsCopied) {
  const Tensor image = iota({40});
  Variable part("a/kernel", Tensor::zeros({4}).narrow(0, 0, 2), true);  // cannot borrow
  Variable kernel("b/kernel", Tensor::zeros({36}), true);
  assign_all(file_, {{part, image.narrow(0, 0, 2)}, {kernel, image.narrow(0, 4, 36)}});
  EXPECT_EQ(part.value().to_vector(), (std::vector<float>{0, 1}));
  EXPECT_NE(kernel.value().raw_data(), image.raw_data());
  EXPECT_EQ(kernel.value().at({0}), 4.0f);
  EXPECT_EQ(kernel.value().at({35}), 39.0f);
}

TEST_F(WeightAssignmentsTest, ValuesMoveOneAfterAnother) {
  const Tensor image = iota({64});
  Variable first("a/kernel", Tensor::zeros({14}), true);
  Variable second("b/kernel", Tensor::zeros({44}), true);
  // `second`'s move reaches into where `first` was, not where `first` has moved to.
  assign_all(file_, {{first, image.narrow(0, 4, 14)}, {second, image.narrow(0, 20, 44)}});
  EXPECT_EQ(first.value().raw_data(), image.raw_data());
  EXPECT_EQ(second.value().raw_data(), image.narrow(0, 16, 44).raw_data());
  EXPECT_EQ(first.value().at({0}), 4.0f);
  EXPECT_EQ(first.value().at({13}), 17.0f);
  EXPECT_EQ(second.value().at({0}), 20.0f);
  EXPECT_EQ(second.value().at({43}), 63.0f);
}

TEST_F(WeightAssignmentsTest, OverlappingValuesAreCopiedSoThatNoTwoVariablesShareBytes) {
  const Tensor image = iota({6});  // one dataset read for two weights
  Variable first("a/kernel", Tensor::zeros({6}), true);
  Variable second("b/kernel", Tensor::zeros({6}), true);
  assign_all(file_, {{first, image}, {second, image.narrow(0, 0, 6)}});
  EXPECT_EQ(first.value().raw_data(), image.raw_data());
  EXPECT_NE(second.value().raw_data(), image.raw_data());
  first.value().copy_from(Tensor::zeros({6}));
  EXPECT_EQ(second.value().to_vector(), (std::vector<float>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(second.version(), 1U);
}

}  // namespace
}  // namespace keras::io
