// SPDX-License-Identifier: Apache-2.0
#include "keras/datasets/mnist.h"

#include "keras/error.h"
#include "support/expect_error.h"
#include "support/idx_files.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <optional>

namespace keras::datasets {
namespace {

using testing::error_message;
using testing::idx_bytes;
using testing::idx_counting_bytes;
using testing::write_bytes;

// Sets (or, with nullopt, removes) an environment variable for one test, then restores it.
class ScopedEnvironment {
 public:
  ScopedEnvironment(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    set(value);
  }
  ~ScopedEnvironment() { set(old_); }
  ScopedEnvironment(const ScopedEnvironment&) = delete;
  ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

 private:
  void set(const std::optional<std::string>& value) const {
    if (value) {
      ::setenv(name_, value->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  const char* name_;
  std::optional<std::string> old_;
};

std::array<int, 10> histogram(const Tensor& labels) {
  std::array<int, 10> counts{};
  const std::uint8_t* data = labels.data<std::uint8_t>();
  for (std::int64_t i = 0; i < labels.size(); ++i) {
    if (data[i] < 10) ++counts[data[i]];
  }
  return counts;
}

class MnistTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ =
        std::filesystem::temp_directory_path() / ("keras_mnist_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(folder_);
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }
  [[nodiscard]] std::string path(const std::string& name) const {
    return (folder_ / name).string();
  }
  // A small MNIST-like set: `count` images of 28x28 and `count` labels.
  void write_split(const std::string& prefix, std::uint32_t count) const {
    write_bytes(path(prefix + "-images-idx3-ubyte"), idx_counting_bytes({count, 28, 28}));
    write_bytes(path(prefix + "-labels-idx1-ubyte"), idx_counting_bytes({count}));
  }

  std::filesystem::path folder_;
};

TEST_F(MnistTest, LoadsTheShippedTrainingSubsetAndTheOfficialTestSet) {
  const ScopedEnvironment no_override("KERAS_MNIST_DIR", std::nullopt);
  auto [train, test] = mnist::load_data();
  auto [x_train, y_train] = train;
  auto [x_test, y_test] = test;
  EXPECT_EQ(x_train.shape(), (std::vector<std::int64_t>{10000, 28, 28}));
  EXPECT_EQ(y_train.shape(), (std::vector<std::int64_t>{10000}));
  EXPECT_EQ(x_test.shape(), (std::vector<std::int64_t>{10000, 28, 28}));
  EXPECT_EQ(y_test.shape(), (std::vector<std::int64_t>{10000}));
  for (const Tensor* tensor : {&x_train, &y_train, &x_test, &y_test}) {
    EXPECT_EQ(tensor->dtype(), DType::uint8);
  }
  // data/mnist/README.md's class counts, and those of the official test set.
  EXPECT_EQ(histogram(y_train),
            (std::array<int, 10>{1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978}));
  EXPECT_EQ(histogram(y_test),
            (std::array<int, 10>{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}));
  const std::array<int, 10> first_test_labels{7, 2, 1, 0, 4, 1, 4, 9, 5, 9};
  for (std::size_t i = 0; i < first_test_labels.size(); ++i) {
    EXPECT_EQ(y_test.at<std::uint8_t>({static_cast<std::int64_t>(i)}), first_test_labels[i]) << i;
  }
  // Digits are white on black: corners dark, some pixels fully lit.
  EXPECT_EQ(x_test.at<std::uint8_t>({0, 0, 0}), 0);
  const std::uint8_t* pixels = x_train.data<std::uint8_t>();
  EXPECT_EQ(*std::max_element(pixels, pixels + x_train.size()), 255);
}

TEST_F(MnistTest, ReadsTheFolderInKerasMnistDirAndPrefersTheFullTrainingSet) {
  write_split("train", 3);
  write_split("train-10k", 5);
  write_split("t10k", 2);
  const ScopedEnvironment environment("KERAS_MNIST_DIR", folder_.string());
  const auto [train, test] = mnist::load_data();
  EXPECT_EQ(train.x.shape(), (std::vector<std::int64_t>{3, 28, 28}));
  EXPECT_EQ(train.y.shape(), (std::vector<std::int64_t>{3}));
  EXPECT_EQ(test.x.dim(0), 2);
  EXPECT_EQ(test.y.at<std::uint8_t>({1}), 1);
}

TEST_F(MnistTest, AnExplicitPathWinsOverTheEnvironment) {
  write_split("train-10k", 4);
  write_split("t10k", 2);
  const ScopedEnvironment environment("KERAS_MNIST_DIR", path("elsewhere"));
  EXPECT_EQ(mnist::load_data(folder_.string()).train.x.dim(0), 4);
}

TEST_F(MnistTest, NamesWhereItLooked) {
  const std::string missing = path("no-such-folder");
  EXPECT_EQ(error_message<FileError>([&] { (void)mnist::load_data(missing); }),
            "Cannot find MNIST: no t10k-images-idx3-ubyte.gz or t10k-images-idx3-ubyte in '" +
                missing +
                "' (the path argument); pass the folder to keras::datasets::mnist::load_data(path) "
                "or set KERAS_MNIST_DIR");
  const ScopedEnvironment environment("KERAS_MNIST_DIR", missing);
  EXPECT_EQ(error_message<FileError>([&] { (void)mnist::load_data(); }),
            "Cannot find MNIST: no t10k-images-idx3-ubyte.gz or t10k-images-idx3-ubyte in '" +
                missing +
                "' ($KERAS_MNIST_DIR); pass the folder to keras::datasets::mnist::load_data(path) "
                "or set KERAS_MNIST_DIR");
}

TEST_F(MnistTest, NamesAMissingFile) {
  write_split("t10k", 2);
  EXPECT_EQ(error_message<FileError>([&] { (void)mnist::load_data(folder_.string()); }),
            "Cannot load MNIST from '" + folder_.string() +
                "' (the path argument): it has no train-10k-images-idx3-ubyte.gz or "
                "train-10k-images-idx3-ubyte");
}

TEST_F(MnistTest, RejectsFilesThatAreNotImagesAndTheirLabels) {
  write_split("train-10k", 4);
  write_split("t10k", 2);
  write_bytes(path("t10k-labels-idx1-ubyte"), idx_counting_bytes({3}));
  EXPECT_EQ(error_message<FileError>([&] { (void)mnist::load_data(folder_.string()); }),
            "Cannot load MNIST labels from '" + path("t10k-labels-idx1-ubyte") +
                "': it holds 3 labels for the 2 images of '" + path("t10k-images-idx3-ubyte") +
                "'");
  write_bytes(path("t10k-labels-idx1-ubyte"), idx_counting_bytes({2, 1}));
  EXPECT_EQ(error_message<FileError>([&] { (void)mnist::load_data(folder_.string()); }),
            "Cannot load MNIST labels from '" + path("t10k-labels-idx1-ubyte") +
                "': it holds uint8 data of shape (2, 1), not uint8 labels of shape (N,)");
  write_bytes(path("t10k-images-idx3-ubyte"), idx_bytes(0x0C, {2}, std::string(8, '\0')));
  EXPECT_EQ(error_message<FileError>([&] { (void)mnist::load_data(folder_.string()); }),
            "Cannot load MNIST images from '" + path("t10k-images-idx3-ubyte") +
                "': it holds int32 data of shape (2,), not uint8 images of shape (N, rows, "
                "columns)");
}

}  // namespace
}  // namespace keras::datasets
