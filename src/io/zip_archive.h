// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/file_image.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct zip;  // libzip's zip_t and zip_source_t, kept out of the includers of this header
struct zip_source;

namespace keras::io {

/// A zip archive open for reading (libzip), closed when it goes out of scope. A member's
/// declared size is checked against what the archive can hold and against a caller's limit
/// before anything is allocated, and against what is actually read: a lying archive gives a
/// FileError, never a huge allocation.
class ZipReader {
 public:
  /// Opens `path`; throws FileError naming the file when it is missing or not a zip archive.
  explicit ZipReader(std::string path);
  ~ZipReader();
  ZipReader(const ZipReader&) = delete;
  ZipReader& operator=(const ZipReader&) = delete;

  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  /// The member names in archive order.
  [[nodiscard]] std::vector<std::string> member_names() const;
  [[nodiscard]] bool contains(std::string_view name) const;
  /// The bytes of member `name`; throws FileError when it is absent, declares more than
  /// `max_bytes`, or holds other than what it declares.
  [[nodiscard]] std::string read(const std::string& name, std::uint64_t max_bytes) const;
  /// The same bytes in a FileImage, for HDF5 to read from memory.
  [[nodiscard]] FileImage read_image(const std::string& name, std::uint64_t max_bytes) const;

 private:
  struct Member {
    std::int64_t index;
    std::uint64_t size;
    std::optional<std::uint32_t> stored_crc;  // for a member stored as is, with a CRC
  };
  [[nodiscard]] Member find_member(const std::string& name, std::uint64_t max_bytes) const;
  /// Reads the whole member into `destination` (member.size bytes), checking its size and CRC.
  void read_exact(const std::string& name, const Member& member, std::byte* destination) const;
  /// Bytes [start, start + size) of a member into `destination`; libzip checks no CRC.
  void read_window(const std::string& name, const Member& member, std::uint64_t start,
                   std::uint64_t size, std::byte* destination) const;
  [[noreturn]] void fail(const std::string& what) const;

  std::string path_;
  std::uint64_t file_size_ = 0;
  zip* archive_ = nullptr;
};

/// A new zip archive whose members are stored uncompressed (ZIP_STORED), in the order they
/// are added, as Python's zipfile writes Keras's `.keras` files. Nothing is written until
/// close(); destroying an unclosed writer leaves no file.
class ZipWriter {
 public:
  /// Creates (or truncates) the archive at `path`; throws FileError when it cannot.
  explicit ZipWriter(std::string path);
  ~ZipWriter();
  ZipWriter(const ZipWriter&) = delete;
  ZipWriter& operator=(const ZipWriter&) = delete;

  /// Adds member `name` holding `bytes`.
  void add_bytes(const std::string& name, std::string bytes);
  /// Adds member `name` holding the file at `source_path`, which must exist until close().
  void add_file(const std::string& name, const std::string& source_path);
  /// Writes the archive; throws FileError naming the file when it cannot.
  void close();

 private:
  void add_source(const std::string& name, zip_source* source);
  [[noreturn]] void fail(const std::string& what) const;

  std::string path_;
  zip* archive_ = nullptr;
  std::deque<std::string> buffers_;  // a deque: libzip keeps pointers into them until close()
};

}  // namespace keras::io
