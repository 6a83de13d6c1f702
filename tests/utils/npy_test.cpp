// SPDX-License-Identifier: Apache-2.0
#include "keras/utils/npy.h"

#include "support/expect_error.h"
#include "support/golden_case.h"
#include "support/tensor_matchers.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace keras::utils {
namespace {

using testing::all_close;
using testing::error_message;

class NpyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ =
        std::filesystem::temp_directory_path() / ("keras_npy_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(folder_);
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }
  [[nodiscard]] std::string path(const std::string& name) const {
    return (folder_ / name).string();
  }
  void write(const std::string& name, const std::string& bytes) const {
    std::ofstream(path(name), std::ios::binary) << bytes;
  }

  std::filesystem::path folder_;
};

TEST_F(NpyTest, RoundTripsFloatAndIntTensorsOfAnyRank) {
  const std::vector<std::int32_t> labels{3, 1, 4, 1, 5, 9};
  for (const Tensor& tensor : {Tensor::uniform({2, 3, 4}, -1.0f, 1.0f, 1), Tensor::full({}, 2.0),
                               Tensor::uniform({5}, 0.0f, 1.0f, 2), Tensor::zeros({0, 60}),
                               Tensor::from_data(labels, {2, 3})}) {
    save_npy(path("t.npy"), tensor);
    EXPECT_TRUE(all_close(load_npy(path("t.npy")), tensor));
  }
  EXPECT_FALSE(std::filesystem::exists(path("t.npy.tmp")));
}

TEST_F(NpyTest, KeepsEveryNumpyDtypeItReads) {
  for (const DType dtype : {DType::float64, DType::int64, DType::uint8, DType::int32}) {
    const Tensor tensor = Tensor::uniform({3, 4}, 0.0f, 200.0f, 6).astype(dtype);
    save_npy(path("t.npy"), tensor.transpose(0, 1));
    const Tensor loaded = load_npy(path("t.npy"));
    EXPECT_EQ(loaded.dtype(), dtype);
    EXPECT_TRUE(all_close(loaded, tensor.transpose(0, 1).contiguous())) << name_of(dtype);
  }
}

TEST_F(NpyTest, WritesViewsInLogicalOrder) {
  const Tensor x = Tensor::uniform({3, 4}, 0.0f, 1.0f, 3);
  save_npy(path("t.npy"), x.transpose(0, 1));
  EXPECT_TRUE(all_close(load_npy(path("t.npy")), x.transpose(0, 1).contiguous()));
}

TEST_F(NpyTest, ReadsNumpyWrittenGoldenFiles) {
  const auto cases = testing::discover_golden_cases(testing::golden_dir());
  ASSERT_FALSE(cases.empty());
  const Tensor x = cases.front().tensor("x.npy");
  EXPECT_EQ(x.dtype(), DType::float32);
  EXPECT_GT(x.rank(), 0);
}

TEST_F(NpyTest, NamesTheFileAndTheProblem) {
  EXPECT_EQ(error_message<FileError>([&] { (void)load_npy(path("missing.npy")); }),
            "Cannot read NPY file '" + path("missing.npy") + "': the file cannot be opened");
  write("text.npy", "hello, this is not numpy");
  EXPECT_EQ(error_message<FileError>([&] { (void)load_npy(path("text.npy")); }),
            "Cannot read NPY file '" + path("text.npy") +
                "': it is not an NPY file (no \\x93NUMPY magic)");
}

TEST_F(NpyTest, RejectsWhatItCannotRepresent) {
  const auto npy = [](const std::string& header, std::size_t data_bytes) {
    std::string bytes = std::string("\x93NUMPY\x01\x00", 8);
    bytes += static_cast<char>(header.size());
    bytes += '\0';
    return bytes + header + std::string(data_bytes, '\0');
  };
  write("f2.npy", npy("{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }\n", 4));
  EXPECT_EQ(error_message<FileError>([&] { (void)load_npy(path("f2.npy")); }),
            "Cannot read NPY file '" + path("f2.npy") +
                "': unsupported dtype '<f2' (kerascpp reads little-endian float32, float64, int32, "
                "int64 and uint8)");
  write("fortran.npy", npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }\n", 16));
  EXPECT_EQ(error_message<FileError>([&] { (void)load_npy(path("fortran.npy")); }),
            "Cannot read NPY file '" + path("fortran.npy") +
                "': Fortran-order arrays are not supported; save it with C order");
  write("short.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }\n", 8));
  EXPECT_EQ(error_message<FileError>([&] { (void)load_npy(path("short.npy")); }),
            "Cannot read NPY file '" + path("short.npy") +
                "': shape (4,) needs 16 bytes of data, the file holds 8");
  write("huge.npy",
        npy("{'descr': '<f4', 'fortran_order': False, 'shape': (999999999999, 999999999), }\n", 0));
  EXPECT_EQ(error_message<FileError>([&] { (void)load_npy(path("huge.npy")); }),
            "Cannot read NPY file '" + path("huge.npy") +
                "': shape (999999999999, 999999999) is too large");
}

TEST_F(NpyTest, AFailedSaveLeavesNoFileBehind) {
  const std::string target = path("no_such_folder/t.npy");
  EXPECT_EQ(error_message<FileError>([&] { save_npy(target, Tensor::zeros({2})); }),
            "Cannot write NPY file '" + target + "'");
  EXPECT_FALSE(std::filesystem::exists(target + ".tmp"));
}

}  // namespace
}  // namespace keras::utils
