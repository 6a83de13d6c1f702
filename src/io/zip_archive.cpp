// SPDX-License-Identifier: Apache-2.0
#include "io/zip_archive.h"

#include "io/crc32.h"
#include "keras/error.h"

#include <fmt/format.h>
#include <zip.h>

#include <filesystem>
#include <memory>
#include <system_error>

namespace keras::io {
namespace {

// Deflate cannot expand data more than about 1032 times (RFC 1951's longest match per
// shortest code); a member claiming more is lying about its size.
constexpr std::uint64_t deflate_max_ratio = 1032;

std::string open_error_text(int code) {
  switch (code) {
    case ZIP_ER_NOENT:
      return "the file does not exist";
    case ZIP_ER_NOZIP:
      return "no zip central directory found (the file is truncated or not a zip archive)";
    case ZIP_ER_INCONS:
      return "the zip archive is inconsistent (damaged)";
    default: {
      zip_error_t error;
      zip_error_init_with_code(&error, code);
      std::string text = zip_error_strerror(&error);
      zip_error_fini(&error);
      return text;
    }
  }
}

// The largest uncompressed size member `name` can truthfully declare.
std::uint64_t plausible_size(const zip_stat_t& stat, std::uint64_t file_size) {
  if (stat.comp_size > file_size) return 0;
  if (stat.comp_method == ZIP_CM_STORE) return stat.comp_size;
  if (stat.comp_method == ZIP_CM_DEFLATE) return stat.comp_size * deflate_max_ratio + 64;
  return UINT64_MAX;  // other methods: only the caller's limit applies
}

struct FileCloser {
  void operator()(zip_file_t* file) const { zip_fclose(file); }
};

struct SourceFreer {
  void operator()(zip_source_t* source) const { zip_source_free(source); }
};

}  // namespace

ZipReader::ZipReader(std::string path) : path_(std::move(path)) {
  int code = 0;
  archive_ = zip_open(path_.c_str(), ZIP_RDONLY, &code);
  if (archive_ == nullptr) fail(open_error_text(code));
  std::error_code error;
  file_size_ = std::filesystem::file_size(path_, error);
  if (error) {
    zip_discard(archive_);
    archive_ = nullptr;
    fail(error.message());
  }
}

ZipReader::~ZipReader() {
  if (archive_ != nullptr) zip_discard(archive_);
}

std::vector<std::string> ZipReader::member_names() const {
  std::vector<std::string> names;
  const zip_int64_t count = zip_get_num_entries(archive_, 0);
  for (zip_int64_t index = 0; index < count; ++index) {
    const char* name = zip_get_name(archive_, static_cast<zip_uint64_t>(index), 0);
    if (name != nullptr) names.emplace_back(name);
  }
  return names;
}

bool ZipReader::contains(std::string_view name) const {
  return zip_name_locate(archive_, std::string(name).c_str(), 0) >= 0;
}

ZipReader::Member ZipReader::find_member(const std::string& name, std::uint64_t max_bytes) const {
  const zip_int64_t index = zip_name_locate(archive_, name.c_str(), 0);
  if (index < 0) fail(fmt::format("There is no item named '{}' in the archive", name));
  zip_stat_t stat;
  zip_stat_init(&stat);
  constexpr zip_uint64_t needed = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD;
  if (zip_stat_index(archive_, static_cast<zip_uint64_t>(index), 0, &stat) != 0 ||
      (stat.valid & needed) != needed) {
    fail(fmt::format("member '{}' has no readable size", name));
  }
  if (stat.size > plausible_size(stat, file_size_)) {
    fail(
        fmt::format("member '{}' declares {} bytes ({} compressed), which a {}-byte archive "
                    "cannot hold",
                    name, stat.size, stat.comp_size, file_size_));
  }
  if (stat.size > max_bytes) {
    fail(fmt::format("member '{}' is {} bytes, more than the {} bytes kerascpp reads for it", name,
                     stat.size, max_bytes));
  }
  const bool stored_as_is = stat.comp_method == ZIP_CM_STORE && stat.comp_size == stat.size &&
                            (stat.valid & ZIP_STAT_CRC) != 0;
  return {index, stat.size, stored_as_is ? std::optional(stat.crc) : std::nullopt};
}

void ZipReader::read_exact(const std::string& name, const Member& member,
                           std::byte* destination) const {
  if (member.stored_crc && member.size > 0) {
    // A stored member's CRC is checked by kerascpp's crc32 (3.4x faster than zlib's, which
    // libzip uses, and on every thread for a large member: half of the time to load the 1.2 MB
    // .keras in ../shared, a fifth for a 100 MB one). libzip checks the CRC only of a member
    // read whole, so it is read as two windows.
    read_window(name, member, 0, member.size - 1, destination);
    read_window(name, member, member.size - 1, 1, destination + member.size - 1);
    if (crc32({destination, member.size}) != *member.stored_crc) {
      fail(fmt::format("member '{}' cannot be read: CRC error", name));
    }
    return;
  }
  const std::unique_ptr<zip_file_t, FileCloser> file(
      zip_fopen_index(archive_, static_cast<zip_uint64_t>(member.index), 0));
  if (file == nullptr) {
    fail(fmt::format("member '{}' cannot be opened: {}", name, zip_strerror(archive_)));
  }
  auto read = [&](void* into, std::uint64_t size) {
    const zip_int64_t count = zip_fread(file.get(), into, size);
    if (count < 0) {
      fail(fmt::format("member '{}' cannot be read: {}", name, zip_file_strerror(file.get())));
    }
    return static_cast<std::uint64_t>(count);
  };
  std::uint64_t total = 0;
  while (total < member.size) {
    const std::uint64_t count = read(destination + total, member.size - total);
    if (count == 0) {
      fail(fmt::format("member '{}' declares {} bytes but holds {}", name, member.size, total));
    }
    total += count;
  }
  // Reading to the end is also what makes libzip check the member's CRC.
  std::byte beyond{};
  if (read(&beyond, 1) != 0) {
    fail(fmt::format("member '{}' holds more than the {} bytes it declares", name, member.size));
  }
}

void ZipReader::read_window(const std::string& name, const Member& member, std::uint64_t start,
                            std::uint64_t size, std::byte* destination) const {
  const std::unique_ptr<zip_source_t, SourceFreer> source(
      zip_source_zip(archive_, archive_, static_cast<zip_uint64_t>(member.index), 0, start,
                     static_cast<zip_int64_t>(size)));
  if (source == nullptr || zip_source_open(source.get()) < 0) {
    fail(fmt::format("member '{}' cannot be opened: {}", name,
                     source == nullptr ? zip_strerror(archive_)
                                       : zip_error_strerror(zip_source_error(source.get()))));
  }
  std::uint64_t total = 0;
  while (total < size) {
    const zip_int64_t count = zip_source_read(source.get(), destination + total, size - total);
    if (count < 0) {
      fail(fmt::format("member '{}' cannot be read: {}", name,
                       zip_error_strerror(zip_source_error(source.get()))));
    }
    if (count == 0) {
      fail(fmt::format("member '{}' declares {} bytes but holds {}", name, member.size,
                       start + total));
    }
    total += static_cast<std::uint64_t>(count);
  }
  zip_source_close(source.get());
}

std::string ZipReader::read(const std::string& name, std::uint64_t max_bytes) const {
  const Member member = find_member(name, max_bytes);
  std::string bytes(static_cast<std::size_t>(member.size), '\0');
  read_exact(name, member, reinterpret_cast<std::byte*>(bytes.data()));
  return bytes;
}

FileImage ZipReader::read_image(const std::string& name, std::uint64_t max_bytes) const {
  const Member member = find_member(name, max_bytes);
  FileImage image(member.size);
  read_exact(name, member, image.data());
  return image;
}

void ZipReader::fail(const std::string& what) const {
  throw FileError(path_, fmt::format("Cannot read zip archive '{}': {}", path_, what));
}

ZipWriter::ZipWriter(std::string path) : path_(std::move(path)) {
  int code = 0;
  archive_ = zip_open(path_.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code);
  if (archive_ == nullptr) fail(open_error_text(code));
}

ZipWriter::~ZipWriter() {
  if (archive_ != nullptr) zip_discard(archive_);
}

void ZipWriter::add_bytes(const std::string& name, std::string bytes) {
  const std::string& kept = buffers_.emplace_back(std::move(bytes));
  zip_source_t* source = zip_source_buffer(archive_, kept.data(), kept.size(), 0);
  if (source == nullptr)
    fail(fmt::format("cannot add member '{}': {}", name, zip_strerror(archive_)));
  add_source(name, source);
}

void ZipWriter::add_file(const std::string& name, const std::string& source_path) {
  zip_source_t* source = zip_source_file(archive_, source_path.c_str(), 0, -1);
  if (source == nullptr)
    fail(fmt::format("cannot add member '{}': {}", name, zip_strerror(archive_)));
  add_source(name, source);
}

void ZipWriter::add_source(const std::string& name, zip_source* source) {
  const zip_int64_t index =
      zip_file_add(archive_, name.c_str(), source, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8);
  if (index < 0) {
    zip_source_free(source);
    fail(fmt::format("cannot add member '{}': {}", name, zip_strerror(archive_)));
  }
  // Python's zipfile (Keras's writer) stores members uncompressed by default.
  if (zip_set_file_compression(archive_, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0) != 0) {
    fail(fmt::format("cannot store member '{}': {}", name, zip_strerror(archive_)));
  }
}

void ZipWriter::close() {
  if (zip_close(archive_) != 0) {
    const std::string reason = zip_strerror(archive_);
    zip_discard(archive_);
    archive_ = nullptr;
    fail(reason);
  }
  archive_ = nullptr;
}

void ZipWriter::fail(const std::string& what) const {
  throw FileError(path_, fmt::format("Cannot write zip archive '{}': {}", path_, what));
}

}  // namespace keras::io
