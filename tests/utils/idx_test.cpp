// SPDX-License-Identifier: Apache-2.0
#include "io/idx.h"

#include "keras/error.h"
#include "support/expect_error.h"
#include "support/idx_files.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>
#include <zlib.h>

namespace keras::io {
namespace {

using testing::error_message;
using testing::idx_bytes;
using testing::idx_counting_bytes;
using testing::write_bytes;

class IdxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ =
        std::filesystem::temp_directory_path() / ("keras_idx_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(folder_);
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }
  [[nodiscard]] std::string path(const std::string& name) const {
    return (folder_ / name).string();
  }
  [[nodiscard]] std::string write(const std::string& name, const std::string& bytes) const {
    write_bytes(path(name), bytes);
    return path(name);
  }
  [[nodiscard]] std::string write_gzip(const std::string& name, const std::string& bytes) const {
    gzFile file = gzopen(path(name).c_str(), "wb");
    EXPECT_NE(file, nullptr);
    EXPECT_EQ(gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size())),
              static_cast<int>(bytes.size()));
    gzclose(file);
    return path(name);
  }
  // What read_idx says about the file, after "Cannot read IDX file '<path>': ".
  [[nodiscard]] static std::string problem(const std::string& file) {
    const std::string message = error_message<FileError>([&] { (void)read_idx(file); });
    const std::string prefix = "Cannot read IDX file '" + file + "': ";
    EXPECT_EQ(message.rfind(prefix, 0), 0u) << message;
    return message.substr(std::min(prefix.size(), message.size()));
  }

  std::filesystem::path folder_;
};

template <typename T>
std::string big_endian(const std::vector<T>& values) {
  std::string bytes;
  for (const T value : values) {
    char raw[sizeof(T)];
    std::memcpy(raw, &value, sizeof(T));
    if constexpr (std::endian::native == std::endian::little) std::reverse(raw, raw + sizeof(T));
    bytes.append(raw, sizeof(T));
  }
  return bytes;
}

TEST_F(IdxTest, ReadsUncompressedUint8FilesInRowMajorOrder) {
  const Tensor tensor = read_idx(write("raw-idx3-ubyte", idx_counting_bytes({2, 3, 4})));
  EXPECT_EQ(tensor.dtype(), DType::uint8);
  EXPECT_EQ(tensor.shape(), (std::vector<std::int64_t>{2, 3, 4}));
  EXPECT_EQ(tensor.at<std::uint8_t>({0, 0, 0}), 0);
  EXPECT_EQ(tensor.at<std::uint8_t>({0, 1, 0}), 4);
  EXPECT_EQ(tensor.at<std::uint8_t>({1, 2, 3}), 23);
}

TEST_F(IdxTest, ReadsGzipCompressedFilesLikeUncompressedOnes) {
  const std::string bytes = idx_counting_bytes({300, 28, 28});
  const Tensor raw = read_idx(write("images-idx3-ubyte", bytes));
  const Tensor compressed = read_idx(write_gzip("images-idx3-ubyte.gz", bytes));
  EXPECT_EQ(compressed.shape(), (std::vector<std::int64_t>{300, 28, 28}));
  ASSERT_EQ(compressed.nbytes(), raw.nbytes());
  EXPECT_EQ(std::memcmp(compressed.raw_data(), raw.raw_data(), raw.nbytes()), 0);
}

TEST_F(IdxTest, ReadsBigEndianInt32Float32AndFloat64AndRankZero) {
  const Tensor ints =
      read_idx(write("i", idx_bytes(0x0C, {3}, big_endian<std::int32_t>({-2, 70000, 1}))));
  EXPECT_EQ(ints.dtype(), DType::int32);
  EXPECT_EQ(ints.at<std::int32_t>({1}), 70000);
  EXPECT_EQ(ints.at<std::int32_t>({0}), -2);
  const Tensor floats =
      read_idx(write_gzip("f.gz", idx_bytes(0x0D, {1, 2}, big_endian<float>({1.5f, -0.25f}))));
  EXPECT_EQ(floats.dtype(), DType::float32);
  EXPECT_EQ(floats.at<float>({0, 1}), -0.25f);
  const Tensor doubles = read_idx(write("d", idx_bytes(0x0E, {}, big_endian<double>({3.25}))));
  EXPECT_EQ(doubles.dtype(), DType::float64);
  EXPECT_EQ(doubles.rank(), 0);
  EXPECT_EQ(doubles.data<double>()[0], 3.25);
}

TEST_F(IdxTest, NamesAMissingFileAndAFolder) {
  EXPECT_EQ(problem(path("missing-idx1-ubyte")), "the file does not exist");
  EXPECT_EQ(problem(folder_.string()), "it is not a regular file");
}

TEST_F(IdxTest, RejectsABadMagicNumberAndAnUnsupportedTypeCode) {
  EXPECT_EQ(problem(write("zip", "PK\x03\x04 and more")),
            "it is not an IDX file (its magic number is 0x504B0304; an IDX file starts with two "
            "zero bytes, a type code and the number of dimensions)");
  EXPECT_EQ(problem(write("short", std::string("\0\0", 2))),
            "it is not an IDX file (it is shorter than the 4-byte magic number)");
  EXPECT_EQ(problem(write("int8", idx_bytes(0x09, {2}, "ab"))),
            "unsupported type code 0x09 in its magic number 0x00000901 (kerascpp reads 0x08 "
            "uint8, 0x0C int32, 0x0D float32 and 0x0E float64)");
}

TEST_F(IdxTest, RejectsATruncatedHeaderAndNegativeDimensions) {
  const std::string header = idx_bytes(0x08, {2, 3, 4}, "");
  EXPECT_EQ(problem(write("cut", header.substr(0, 9))),
            "the header is truncated: 3 dimensions need 12 bytes after the magic number, the file "
            "holds 5");
  EXPECT_EQ(problem(write_gzip("cut.gz", header.substr(0, 9))),
            "the header is truncated: 3 dimensions need 12 bytes after the magic number, the file "
            "holds 5");
  EXPECT_EQ(problem(write("negative", idx_bytes(0x08, {2, 0xFFFFFFFE}, ""))),
            "dimension 1 is negative (-2)");
}

TEST_F(IdxTest, RejectsDimsWhoseProductOverflowsBeforeAllocating) {
  const std::vector<std::uint32_t> huge(4, 0x7FFFFFFF);
  EXPECT_EQ(problem(write("overflow", idx_bytes(0x0E, huge, ""))),
            "its dims (2147483647, 2147483647, 2147483647, 2147483647) describe more data than "
            "can be addressed");
}

TEST_F(IdxTest, RejectsUncompressedDataOfAnotherLength) {
  EXPECT_EQ(problem(write("short-data", idx_bytes(0x08, {2, 3}, "abcd"))),
            "dims (2, 3) need 6 bytes of data, the file holds 4");
  EXPECT_EQ(problem(write("long-data", idx_bytes(0x0C, {2}, "abcdefghij"))),
            "dims (2,) need 8 bytes of data, the file holds 10");
  // 10^12 bytes promised by a 16-byte file: refused before any allocation.
  EXPECT_EQ(problem(write("absurd", idx_bytes(0x08, {1000000, 1000000}, ""))),
            "dims (1000000, 1000000) need 1000000000000 bytes of data, the file holds 0");
}

TEST_F(IdxTest, RejectsGzipFilesThatCannotHoldTheirDimsBeforeAllocating) {
  const std::string file = write_gzip("absurd.gz", idx_bytes(0x08, {100000, 100000, 100}, ""));
  EXPECT_EQ(problem(file),
            "dims (100000, 100000, 100) need 1000000000000 bytes of data, more than a " +
                std::to_string(std::filesystem::file_size(file)) + "-byte gzip file can hold");
}

TEST_F(IdxTest, RejectsShortAndLongGzipData) {
  EXPECT_EQ(problem(write_gzip("short.gz", idx_bytes(0x08, {2, 3}, "abcd"))),
            "dims (2, 3) need 6 bytes of data, the file holds 4");
  EXPECT_EQ(problem(write_gzip("long.gz", idx_bytes(0x08, {2, 3}, "abcdefgh"))),
            "the file holds more than the 6 bytes of data its dims (2, 3) describe");
}

TEST_F(IdxTest, RejectsATruncatedOrDamagedGzipStream) {
  const std::string file = write_gzip("whole.gz", idx_counting_bytes({50, 28, 28}));
  std::ifstream in(file, std::ios::binary);
  const std::string compressed((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
  const std::string truncated = problem(write("truncated.gz", compressed.substr(0, 200)));
  EXPECT_EQ(truncated.rfind("dims (50, 28, 28) need 39200 bytes of data, the file holds ", 0), 0u)
      << truncated;

  std::string damaged = compressed;
  for (std::size_t at = 20; at < 60; ++at) damaged[at] = static_cast<char>(0xFF);
  const std::string message = problem(write("damaged.gz", damaged));
  EXPECT_EQ(message.rfind("its gzip data is damaged (", 0), 0u) << message;
}

}  // namespace
}  // namespace keras::io
