// SPDX-License-Identifier: Apache-2.0
#include "io/zip_archive.h"

#include "keras/error.h"
#include "support/expect_error.h"
#include "support/temp_folder.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace keras::io {
namespace {

namespace fs = std::filesystem;
using testing::error_message;
using testing::read_bytes;

void write_bytes(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

void put_u32(std::string& bytes, std::size_t offset, std::uint32_t value) {
  for (int i = 0; i < 4; ++i)
    bytes[offset + static_cast<std::size_t>(i)] = static_cast<char>(value >> (8 * i));
}

// The offset of the central directory entry of `name` ("PK\1\2", name at offset 46).
std::size_t central_entry(const std::string& bytes, const std::string& name) {
  for (std::size_t at = bytes.find("PK\x01\x02"); at != std::string::npos;
       at = bytes.find("PK\x01\x02", at + 4)) {
    if (bytes.compare(at + 46, name.size(), name) == 0) return at;
  }
  ADD_FAILURE() << "no central directory entry for " << name;
  return 0;
}

class ZipArchiveTest : public ::testing::Test {
 protected:
  // One folder per test, named for it (gtest names the running test before making its fixture).
  static std::string folder_name() {
    return "kerascpp_zip_archive_" +
           std::string(::testing::UnitTest::GetInstance()->current_test_info()->name());
  }

  // An archive of two members: "a.json" (10 bytes) and "b.bin" (a file's 3000 bytes).
  std::string write_sample() const {
    const std::string source = (dir_ / "source.bin").string();
    write_bytes(source, std::string(3000, 'x'));
    const std::string path = (dir_ / "sample.zip").string();
    ZipWriter writer(path);
    writer.add_bytes("a.json", "{\"a\": 1}\n ");
    writer.add_file("b.bin", source);
    writer.close();
    return path;
  }

  testing::TempFolder folder_{folder_name()};
  const fs::path& dir_ = folder_.path();
};

TEST_F(ZipArchiveTest, WritesStoredMembersInTheOrderAdded) {
  const std::string path = write_sample();
  const ZipReader reader(path);
  EXPECT_EQ(reader.member_names(), (std::vector<std::string>{"a.json", "b.bin"}));
  EXPECT_TRUE(reader.contains("b.bin"));
  EXPECT_FALSE(reader.contains("c"));
  EXPECT_EQ(reader.read("a.json", 100), "{\"a\": 1}\n ");
  EXPECT_EQ(reader.read("b.bin", 3000), std::string(3000, 'x'));
  // Local file header: method (offset 8) 0 = stored, as Python's zipfile writes by default.
  const std::string bytes = read_bytes(path);
  EXPECT_EQ(bytes.substr(0, 4), "PK\x03\x04");
  EXPECT_EQ(bytes[8], '\0');
  EXPECT_EQ(bytes[9], '\0');
}

TEST_F(ZipArchiveTest, ReadsAMemberIntoAFileImage) {
  const ZipReader reader(write_sample());
  const FileImage image = reader.read_image("b.bin", 1 << 20);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(image.data()), image.size()),
            std::string(3000, 'x'));
}

TEST_F(ZipArchiveTest, NamesAMissingMember) {
  const std::string path = write_sample();
  const ZipReader reader(path);
  EXPECT_EQ(error_message<FileError>([&] { (void)reader.read("config.json", 100); }),
            "Cannot read zip archive '" + path +
                "': There is no item named 'config.json' in the archive");
}

TEST_F(ZipArchiveTest, RejectsWhatIsNotAZipArchive) {
  const std::string text = (dir_ / "text.zip").string();
  write_bytes(text, "hello, world\n");
  EXPECT_EQ(error_message<FileError>([&] { ZipReader reader(text); }),
            "Cannot read zip archive '" + text +
                "': no zip central directory found (the file is truncated or not a zip "
                "archive)");
  const std::string missing = (dir_ / "missing.zip").string();
  EXPECT_EQ(error_message<FileError>([&] { ZipReader reader(missing); }),
            "Cannot read zip archive '" + missing + "': the file does not exist");
}

TEST_F(ZipArchiveTest, RejectsATruncatedArchive) {
  const std::string path = write_sample();
  const std::string bytes = read_bytes(path);
  write_bytes(path, bytes.substr(0, bytes.size() / 2));
  EXPECT_EQ(error_message<FileError>([&] { ZipReader reader(path); }),
            "Cannot read zip archive '" + path +
                "': no zip central directory found (the file is truncated or not a zip "
                "archive)");
}

TEST_F(ZipArchiveTest, RejectsAMemberLargerThanTheCallerAllows) {
  const std::string path = write_sample();
  const ZipReader reader(path);
  EXPECT_EQ(error_message<FileError>([&] { (void)reader.read("b.bin", 2999); }),
            "Cannot read zip archive '" + path +
                "': member 'b.bin' is 3000 bytes, more than the 2999 bytes kerascpp reads "
                "for it");
}

TEST_F(ZipArchiveTest, RejectsASizeTheArchiveCannotHoldBeforeAllocating) {
  const std::string path = write_sample();
  std::string bytes = read_bytes(path);
  const std::size_t entry = central_entry(bytes, "b.bin");
  // 2 GiB claimed, stored and uncompressed, in a file of about 3 kB.
  put_u32(bytes, entry + 20, 0x7fffffffu);
  put_u32(bytes, entry + 24, 0x7fffffffu);
  write_bytes(path, bytes);
  const ZipReader reader(path);
  EXPECT_EQ(error_message<FileError>([&] { (void)reader.read("b.bin", UINT64_MAX); }),
            "Cannot read zip archive '" + path +
                "': member 'b.bin' declares 2147483647 bytes (2147483647 compressed), which a " +
                std::to_string(bytes.size()) + "-byte archive cannot hold");
  // Uncompressed size alone: a stored member cannot grow.
  put_u32(bytes, entry + 20, 3000);
  write_bytes(path, bytes);
  const ZipReader again(path);
  EXPECT_EQ(error_message<FileError>([&] { (void)again.read_image("b.bin", UINT64_MAX); }),
            "Cannot read zip archive '" + path +
                "': member 'b.bin' declares 2147483647 bytes (3000 compressed), which a " +
                std::to_string(bytes.size()) + "-byte archive cannot hold");
}

TEST_F(ZipArchiveTest, RejectsAMemberThatHoldsOtherThanItDeclares) {
  const std::string path = write_sample();
  std::string bytes = read_bytes(path);
  const std::size_t entry = central_entry(bytes, "a.json");
  // 20 bytes claimed where 11 are stored: the read runs into the next member.
  put_u32(bytes, entry + 20, 20);
  put_u32(bytes, entry + 24, 20);
  write_bytes(path, bytes);
  const ZipReader reader(path);
  EXPECT_EQ(error_message<FileError>([&] { (void)reader.read("a.json", 100); }),
            "Cannot read zip archive '" + path + "': member 'a.json' cannot be read: CRC error");
}

// A stored member's CRC is checked by kerascpp (io/crc32.h), not by libzip.
TEST_F(ZipArchiveTest, RejectsAStoredMemberWhoseCrcDoesNotMatch) {
  const std::string path = write_sample();
  std::string bytes = read_bytes(path);
  const std::size_t data = bytes.find(std::string(3000, 'x'));  // b.bin, stored
  ASSERT_NE(data, std::string::npos);
  bytes[data + 1500] = 'y';
  write_bytes(path, bytes);
  const ZipReader reader(path);
  EXPECT_EQ(error_message<FileError>([&] { (void)reader.read_image("b.bin", 4096); }),
            "Cannot read zip archive '" + path + "': member 'b.bin' cannot be read: CRC error");
}

TEST_F(ZipArchiveTest, ChecksTheCrcOfALargeStoredMemberOnEveryThread) {
  std::string large(std::size_t{9} << 20, '\0');
  for (std::size_t i = 0; i < large.size(); ++i) large[i] = static_cast<char>(i * 131 % 251);
  const std::string path = (dir_ / "large.zip").string();
  ZipWriter writer(path);
  writer.add_bytes("w.h5", large);
  writer.close();
  EXPECT_EQ(ZipReader(path).read("w.h5", UINT64_MAX), large);
  const FileImage image = ZipReader(path).read_image("w.h5", UINT64_MAX);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(image.data()), image.size()), large);

  for (const std::size_t flipped : {std::size_t{0}, large.size() / 2, large.size() - 1}) {
    std::string bytes = read_bytes(path);
    const std::size_t data = bytes.find(large.substr(0, 64));
    ASSERT_NE(data, std::string::npos);
    bytes[data + flipped] = static_cast<char>(bytes[data + flipped] ^ 0x10);
    write_bytes(path, bytes);
    const ZipReader reader(path);
    EXPECT_EQ(error_message<FileError>([&] { (void)reader.read_image("w.h5", UINT64_MAX); }),
              "Cannot read zip archive '" + path + "': member 'w.h5' cannot be read: CRC error")
        << "byte " << flipped;
    bytes[data + flipped] = static_cast<char>(bytes[data + flipped] ^ 0x10);
    write_bytes(path, bytes);
  }
}

TEST_F(ZipArchiveTest, AnUnclosedWriterLeavesNoFile) {
  const fs::path path = dir_ / "never.zip";
  {
    ZipWriter writer(path.string());
    writer.add_bytes("a", "1");
  }
  EXPECT_FALSE(fs::exists(path));
}

TEST_F(ZipArchiveTest, NamesTheArchiveItCannotWrite) {
  const std::string path = (dir_ / "no-such-folder" / "x.zip").string();
  ZipWriter writer(path);
  writer.add_bytes("a", "1");
  EXPECT_EQ(error_message<FileError>([&] { writer.close(); }),
            "Cannot write zip archive '" + path +
                "': Failure to create temporary file: No such file or directory");
}

}  // namespace
}  // namespace keras::io
