// SPDX-License-Identifier: Apache-2.0
#include "io/file_image.h"

#include "keras/error.h"
#include "support/expect_error.h"
#include "support/temp_folder.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace keras::io {
namespace {

using testing::error_message;

FileImage image_of(const std::vector<float>& values) {
  FileImage image(values.size() * sizeof(float));
  std::memcpy(image.data(), values.data(), image.size());
  return image;
}

TEST(FileImageTest, ViewsFloatsInPlace) {
  const FileImage image = image_of({1, 2, 3, 4, 5, 6, 7});
  const std::optional<Tensor> view = image.float32_view(4, {2, 3});
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(view->shape(), (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(view->to_vector(), (std::vector<float>{2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(image.offset_of(*view), 4u);
  EXPECT_EQ(image.float32_view(0, {})->to_vector(), (std::vector<float>{1}));  // a scalar
}

TEST(FileImageTest, ViewsNothingOutsideItOrOffAFloatsAlignment) {
  const FileImage image = image_of({1, 2, 3, 4});
  EXPECT_FALSE(image.float32_view(4, {4}).has_value());   // one float past the end
  EXPECT_FALSE(image.float32_view(2, {2}).has_value());   // not on a float boundary
  EXPECT_FALSE(image.float32_view(16, {1}).has_value());  // starts at the end
  EXPECT_FALSE(image.float32_view(std::numeric_limits<std::uint64_t>::max() - 3, {1}).has_value());
  const std::int64_t huge = std::int64_t{1} << 62;
  EXPECT_FALSE(image.float32_view(0, {huge, huge}).has_value());  // the size overflows
  EXPECT_FALSE(image.float32_view(0, {-1}).has_value());
}

TEST(FileImageTest, KnowsOnlyItsOwnViews) {
  const FileImage image = image_of({1, 2, 3, 4});
  const FileImage other = image_of({1, 2, 3, 4});
  EXPECT_FALSE(image.offset_of(*other.float32_view(0, {4})).has_value());
  EXPECT_FALSE(image.offset_of(Tensor::zeros({4})).has_value());
  EXPECT_FALSE(image.offset_of(image.float32_view(0, {2, 2})->permute({1, 0})).has_value());
}

// Pages of 4 KiB: "a" for the first, "b" for the second, ...
std::string paged_bytes(int pages) {
  std::string bytes;
  for (int page = 0; page < pages; ++page) bytes.append(4096, static_cast<char>('a' + page));
  return bytes;
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

std::string text(std::span<const unsigned char> bytes) { return {bytes.begin(), bytes.end()}; }

TEST(FileImageTest, ReadsAFileOnlyWhereAsked) {
  const testing::TempFolder folder("keras_file_image_lazy");
  const std::string path = folder.path("f.bin");
  write_file(path, paged_bytes(4) + "end");
  const FileImage image = FileImage::of_file(path, "f.bin");
  EXPECT_EQ(image.size(), 4 * 4096u + 3);
  EXPECT_EQ(image.bytes_read(), 0u);
  EXPECT_EQ(text(image.bytes(4095, 2)), "ab");  // two pages
  EXPECT_EQ(image.bytes_read(), 2 * 4096u);
  EXPECT_EQ(text(image.bytes(4 * 4096 - 1, 4)), "dend");
  EXPECT_EQ(image.bytes_read(), 3 * 4096u + 3);
  const FileImage copy = image;  // copies share what was read
  EXPECT_EQ(copy.bytes_read(), 3 * 4096u + 3);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(copy.data()) + 8190, 4), "bbcc");
  EXPECT_EQ(image.bytes_read(), image.size());
}

TEST(FileImageTest, ReadsTheViewsPagesAndEverythingForData) {
  const testing::TempFolder folder("keras_file_image_views");
  const std::string path = folder.path("f.bin");
  std::vector<float> values(3 * 1024);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<float>(i);
  write_file(path, std::string(reinterpret_cast<const char*>(values.data()), 3 * 4096));
  const FileImage image = FileImage::of_file(path, "f.bin");
  EXPECT_EQ(image.float32_view(4096 + 8, {2})->to_vector(), (std::vector<float>{1026, 1027}));
  EXPECT_EQ(image.bytes_read(), 4096u);  // the view's page
  EXPECT_EQ(std::memcmp(image.data(), values.data(), 3 * 4096), 0);
  EXPECT_EQ(image.bytes_read(), 3 * 4096u);
}

TEST(FileImageTest, RefusesAFileThatChangedWhileItWasRead) {
  const testing::TempFolder folder("keras_file_image_changed");
  const std::string path = folder.path("f.bin");
  write_file(path, paged_bytes(2));
  const FileImage longer = FileImage::of_file(path, "f.bin");
  EXPECT_EQ(text(longer.bytes(0, 1)), "a");
  write_file(path, paged_bytes(3));  // rewritten in place
  EXPECT_EQ(error_message<FileError>([&] { (void)longer.bytes(4096, 1); }),
            "Cannot read HDF5 file 'f.bin': the file changed while it was read");
  // The same size, written later (h5py rewriting a checkpoint of the same model).
  const FileImage same_size = FileImage::of_file(path, "f.bin");
  EXPECT_EQ(text(same_size.bytes(0, 1)), "a");
  std::filesystem::last_write_time(
      path, std::filesystem::last_write_time(path) + std::chrono::seconds(1));
  EXPECT_EQ(error_message<FileError>([&] { (void)same_size.bytes(4096, 1); }),
            "Cannot read HDF5 file 'f.bin': the file changed while it was read");
}

TEST(FileImageTest, NamesAFileThatCannotBeReadOrIsClosed) {
  const testing::TempFolder folder("keras_file_image_errors");
  const std::string path = folder.path("f.bin");
  EXPECT_EQ(error_message<FileError>([&] { (void)FileImage::of_file(path, "shown.h5"); }),
            "Cannot read HDF5 file 'shown.h5': the file cannot be opened");
  EXPECT_EQ(error_message<FileError>(
                [&] { (void)FileImage::of_file(folder.path().string(), "shown.h5"); }),
            "Cannot read HDF5 file 'shown.h5': it is not a regular file");
  write_file(path, paged_bytes(3));
  const FileImage image = FileImage::of_file(path, "shown.h5");
  EXPECT_EQ(text(image.bytes(0, 1)), "a");
  std::filesystem::resize_file(path, 4096 + 10);
  EXPECT_EQ(error_message<FileError>([&] { (void)image.bytes(2 * 4096, 1); }),
            "Cannot read HDF5 file 'shown.h5': the file changed while it was read");
  image.stop_reading();
  EXPECT_EQ(text(image.bytes(0, 1)), "a");  // what was read stays
  EXPECT_EQ(error_message<FileError>([&] { (void)image.bytes(4096, 1); }),
            "Cannot read HDF5 file 'shown.h5': the file is closed");
  EXPECT_THROW((void)image.bytes(3 * 4096, 1), std::out_of_range);
}

TEST(FileImageTest, KnowsTheMachinesMemory) { EXPECT_GT(physical_memory_bytes(), 0u); }

}  // namespace
}  // namespace keras::io
